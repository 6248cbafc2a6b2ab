package transfers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/core"
)

// Confirming a payment with a passkey (issue 4 item 8). The confirmation page offers "Konfirmo me passkey" beside
// the SMS code when the customer has a passkey and the browser has WebAuthn. The WebAuthn challenge is the
// digest of the payment's live challenge (sca.Digest: the challenge id and the binding of amount, payee and
// transfer id), so the assertion confirms this one payment, as it was shown, once. The two steps are small JSON
// exchanges with transfers_passkey.js (in the core's static files); the SMS code keeps working without JavaScript.
func (s *area) passkeyRoutes() []core.Route {
	return []core.Route{
		{Method: "POST", Path: "/transfers/{id}/confirm/passkey/options", Policy: core.PasskeyStep(core.PersonalOnly(httpx.PaymentConfirmation)),
			Handler: s.passkeyOptions},
		{Method: "POST", Path: "/transfers/{id}/confirm/passkey", Policy: core.PasskeyStep(core.PersonalOnly(httpx.PaymentConfirmation)),
			Handler: s.passkeyConfirm},
	}
}

// passkeyOffered says whether the confirmation page offers the passkey: the bank confirms payments with
// passkeys and the customer has at least one.
func (s *area) passkeyOffered(ctx context.Context, customerID string, methods []string) bool {
	if s.Passkeys == nil || !slices.Contains(methods, sca.MethodPasskey) {
		return false
	}
	if ws, ok := auth.SessionFrom(ctx); ok && ws.UserID != "" {
		return false // a business's user confirms with the code sent to their own phone: no person holds its passkeys
	}
	list, err := s.Passkeys.List(ctx, customerID)
	return err == nil && len(list) > 0
}

// passkeyProblem is a failed passkey step of a payment: the code, its message in the page's language, and where to
// go when there is nothing left to confirm (the transfer lapsed, failed or completed).
type passkeyProblem struct {
	Code     string `json:"code"`
	Error    string `json:"error"`
	Redirect string `json:"redirect,omitempty"`
}

// passkeyFail answers a failed passkey step. A refused assertion gets the payment page's own words (the catalogue's
// passkey_invalid speaks of signing in); a transfer with nothing left to confirm sends the page to its result.
func (s *area) passkeyFail(w http.ResponseWriter, r *http.Request, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	id := r.PathValue("id")
	switch {
	case errors.Is(err, passkey.ErrInvalid):
		core.JSON(w, status, passkeyProblem{Code: code, Error: s.Catalogue.Message(core.Lang(r), "web_trpk_invalid", nil)})
		return
	case errors.Is(err, auth.ErrChannelBlocked):
		// The failure that reached the lockout ended the session; the browser forgets it too.
		s.ClearCookie(w, s.SessionCookieName())
	case errors.Is(err, auth.ErrChallengeNotFound):
		core.JSON(w, status, passkeyProblem{Code: code, Error: s.Catalogue.Message(core.Lang(r), code, nil),
			Redirect: "/transfers/" + url.PathEscape(id)})
		return
	case isFinalRefusal(err):
		core.JSON(w, status, passkeyProblem{Code: code, Error: s.Catalogue.Message(core.Lang(r), code, nil),
			Redirect: "/transfers/" + url.PathEscape(id) + "?m=" + url.QueryEscape(code)})
		return
	}
	s.FailJSON(w, r, err)
}

type passkeyChallenge struct {
	Ceremony string          `json:"ceremony_id"`
	Options  json.RawMessage `json:"options"`
}

// passkeyOptions starts the passkey ceremony for the transfer's live challenge: the browser's assertion
// options, whose challenge is the payment's digest, and the ceremony's id.
func (s *area) passkeyOptions(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	var in struct{}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	cust := core.SessionOf(r).CustomerID
	t, err := s.Transfers.Challenge(r.Context(), cust, r.PathValue("id"), false)
	if err != nil {
		s.passkeyFail(w, r, err)
		return
	}
	if !slices.Contains(t.Challenge.Methods, sca.MethodPasskey) {
		s.passkeyFail(w, r, sca.ErrMethodUnavailable)
		return
	}
	opts, ceremony, err := s.Passkeys.BeginConfirmation(r.Context(), cust, t.Challenge.Digest[:])
	if err != nil {
		s.passkeyFail(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, passkeyChallenge{Ceremony: ceremony, Options: opts})
}

type passkeyAssertion struct {
	Ceremony string          `json:"ceremony_id"`
	Response json.RawMessage `json:"response"`
}

// passkeyConfirm confirms the transfer with the browser's assertion: transfer.Service.Confirm checks it
// against the ceremony and the payment's live challenge, then the transfer is made. The answer names the result
// page. A refused assertion counts towards the channel's lockout, as a wrong code does.
func (s *area) passkeyConfirm(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	var in passkeyAssertion
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	proof := sca.Proof{Method: sca.MethodPasskey, CeremonyID: in.Ceremony, Assertion: in.Response}
	t, replayed, err := s.Transfers.Confirm(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
	if err != nil {
		s.passkeyFail(w, r, err)
		return
	}
	target := "/transfers/" + url.PathEscape(t.ID)
	if replayed {
		target += "?m=replayed"
	}
	core.JSON(w, http.StatusOK, core.JSONRedirect{Redirect: target})
}
