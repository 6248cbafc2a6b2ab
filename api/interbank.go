package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iban"
)

// The interbank routes are other banks' questions to this bank, never a customer's: under /interbank/v1, outside
// /api/v1, so that a load balancer may route, filter or log them apart, and admitted by a bank's VoP credential
// (httpx.Bank, bankdir.Service.Authenticate) instead of a session.

// InterbankMaxBody is the largest body an interbank request may have: a name check is an IBAN and a name.
const InterbankMaxBody = 4 << 10

// interbankRoutes are the routes other banks call.
func (s *Server) interbankRoutes() []Route {
	bank := httpx.Policy{Access: httpx.Bank, MaxBody: InterbankMaxBody}
	return []Route{
		// Verification of Payee counts each bank's allowance in the database (vop.Service.Answer).
		{"POST", "/interbank/v1/vop", limited(bank, httpx.BankNameCheck), s.answerNameCheck},
	}
}

type bankKey struct{}

// bankOf is the bank whose credential admitted r (authenticateBank).
func bankOf(r *http.Request) bankdir.Bank {
	b, _ := r.Context().Value(bankKey{}).(bankdir.Bank)
	return b
}

// authenticateBank admits a request whose bearer token is a live VoP credential of a bank of the directory and
// puts that bank in the request. Anything else — no Authorization header, another scheme, a customer's session
// token, a token of no credential or a revoked one — is bank_credential_invalid, alike.
func (s *Server) authenticateBank(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		b, err := s.Banks.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			if kumbara.KindOf(err) == kumbara.KindUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara-interbank", error="invalid_token"`)
			}
			s.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), bankKey{}, b)))
	})
}

type nameCheckRequest struct {
	IBAN string `json:"iban"`
	Name string `json:"name"`
}

type nameCheckResponse struct {
	Result string `json:"result"`
	Name   string `json:"name,omitempty"`
}

// answerNameCheck answers another bank's name check about one of this bank's IBANs, as the scheme's responding
// bank (vop.Service.Answer): the requesting bank is the one whose credential admitted the request, and its
// allowance, the scheme's rules on names and what may be said of the holder are all the service's.
func (s *Server) answerNameCheck(w http.ResponseWriter, r *http.Request) {
	var req nameCheckRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	o, err := s.VoP.Answer(r.Context(), bankOf(r).BIC, iban.IBAN(req.IBAN), req.Name)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, nameCheckResponse{Result: string(o.Result), Name: o.Name})
}
