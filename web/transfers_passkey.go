package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/sca"
)

// Confirming a payment with a passkey (issue 4 item 8). The confirmation page offers "Konfirmo me passkey" beside
// the SMS code when the customer has a passkey and the browser has WebAuthn. The WebAuthn challenge is the
// digest of the payment's live challenge (sca.Digest: the challenge id and the binding of amount, payee and
// transfer id), so the assertion confirms this one payment, as it was shown, once. The two steps are small JSON
// exchanges with transfers_passkey.js; the SMS code keeps working without JavaScript.
func (s *Server) transferPasskeyRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/transfers/{id}/confirm/passkey/options", Policy: passkeyStep(personalOnly(httpx.PaymentConfirmation)),
			Handler: s.transferPasskeyOptions},
		{Method: "POST", Path: "/transfers/{id}/confirm/passkey", Policy: passkeyStep(personalOnly(httpx.PaymentConfirmation)),
			Handler: s.transferPasskeyConfirm},
	}
}

// trPasskeyOffered says whether the confirmation page offers the passkey: the bank confirms payments with
// passkeys and the customer has at least one.
func (s *Server) trPasskeyOffered(ctx context.Context, customerID string, methods []string) bool {
	if s.Passkeys == nil || !slices.Contains(methods, sca.MethodPasskey) {
		return false
	}
	if ws, ok := auth.SessionFrom(ctx); ok && ws.UserID != "" {
		return false // a business's user confirms with the code sent to their own phone: no person holds its passkeys
	}
	list, err := s.Passkeys.List(ctx, customerID)
	return err == nil && len(list) > 0
}

// trPkProblem is a failed passkey step of a payment: the code, its message in the page's language, and where to
// go when there is nothing left to confirm (the transfer lapsed, failed or completed).
type trPkProblem struct {
	Code     string `json:"code"`
	Error    string `json:"error"`
	Redirect string `json:"redirect,omitempty"`
}

// trPkFail answers a failed passkey step. A refused assertion gets the payment page's own words (the catalogue's
// passkey_invalid speaks of signing in); a transfer with nothing left to confirm sends the page to its result.
func (s *Server) trPkFail(w http.ResponseWriter, r *http.Request, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	id := r.PathValue("id")
	switch code {
	case "passkey_invalid":
		pkJSON(w, status, trPkProblem{Code: code, Error: s.Catalogue.Message(lang(r), "web_trpk_invalid", nil)})
		return
	case "channel_blocked":
		// The failure that reached the lockout ended the session; the browser forgets it too.
		s.clearCookie(w, s.sessionCookieName())
	case "challenge_not_found":
		pkJSON(w, status, trPkProblem{Code: code, Error: s.Catalogue.Message(lang(r), code, nil),
			Redirect: "/transfers/" + url.PathEscape(id)})
		return
	case "transfer_expired", "transfer_not_pending", "insufficient_funds", "account_blocked", "account_closed":
		pkJSON(w, status, trPkProblem{Code: code, Error: s.Catalogue.Message(lang(r), code, nil),
			Redirect: "/transfers/" + url.PathEscape(id) + "?m=" + url.QueryEscape(code)})
		return
	}
	s.pkFail(w, r, err)
}

type trPkOptions struct {
	Ceremony string          `json:"ceremony_id"`
	Options  json.RawMessage `json:"options"`
}

// transferPasskeyOptions starts the passkey ceremony for the transfer's live challenge: the browser's assertion
// options, whose challenge is the payment's digest, and the ceremony's id.
func (s *Server) transferPasskeyOptions(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	var in struct{}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.pkFail(w, r, err)
		return
	}
	cust := sessionOf(r).CustomerID
	t, err := s.Transfers.Challenge(r.Context(), cust, r.PathValue("id"), false)
	if err != nil {
		s.trPkFail(w, r, err)
		return
	}
	if !slices.Contains(t.Challenge.Methods, sca.MethodPasskey) {
		s.trPkFail(w, r, &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "method_unavailable"})
		return
	}
	opts, ceremony, err := s.Passkeys.BeginConfirmation(r.Context(), cust, t.Challenge.Digest[:])
	if err != nil {
		s.trPkFail(w, r, err)
		return
	}
	pkJSON(w, http.StatusOK, trPkOptions{Ceremony: ceremony, Options: opts})
}

type trPkConfirm struct {
	Ceremony string          `json:"ceremony_id"`
	Response json.RawMessage `json:"response"`
}

// transferPasskeyConfirm confirms the transfer with the browser's assertion: transfer.Service.Confirm checks it
// against the ceremony and the payment's live challenge, then the transfer is made. The answer names the result
// page. A refused assertion counts towards the channel's lockout, as a wrong code does.
func (s *Server) transferPasskeyConfirm(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	var in trPkConfirm
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.pkFail(w, r, err)
		return
	}
	proof := sca.Proof{Method: sca.MethodPasskey, CeremonyID: in.Ceremony, Assertion: in.Response}
	t, replayed, err := s.Transfers.Confirm(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), proof)
	if err != nil {
		s.trPkFail(w, r, err)
		return
	}
	target := "/transfers/" + url.PathEscape(t.ID)
	if replayed {
		target += "?m=replayed"
	}
	pkJSON(w, http.StatusOK, pkDone{Redirect: target})
}
