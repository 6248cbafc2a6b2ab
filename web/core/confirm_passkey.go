package core

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/sca"
)

// Confirming with a passkey what a customer's confirmation page confirms: a transfer, a payment, a bulk file (issue
// 4 item 8). The page offers "Konfirmo me passkey" beside the SMS code when the customer has a passkey and the
// browser has WebAuthn (the "passkey-confirm" partial and confirm_passkey.js). The WebAuthn challenge is the digest of
// the live challenge of what the page confirms (sca.Digest: the challenge id and the binding of the amount, the payee
// and the thing itself), so the assertion confirms that one thing, as it was shown, once; the domain checks it as an
// sca.Proof, as it checks a code. The two steps are small JSON exchanges; the SMS code keeps working without
// JavaScript. The staff's passkeys are the back office's own (backoffice_passkey.js): none of this.

// PasskeyConfirmation is what an area's confirmation page gives its passkey steps.
type PasskeyConfirmation struct {
	// Path is the confirmation's address with its {id} ("/transfers/{id}/confirm"): the steps are Path+"/passkey/
	// options" and Path+"/passkey".
	Path string
	// Live answers the live challenge of what the request's path names, as its service binds it, or the service's
	// refusal (not found, no longer waiting, the code expired).
	Live func(r *http.Request) (sca.Challenge, error)
	// Confirm confirms it with proof and names the page to go to then.
	Confirm func(r *http.Request, proof sca.Proof) (redirect string, err error)
	// Refused answers the area's own refusals: those that leave nothing to confirm here (the problem's Redirect says
	// where to go), or that the area words its own way; ok is false for the rest, which every confirmation answers
	// alike.
	Refused func(r *http.Request, err error) (p PasskeyProblem, ok bool)
}

// PasskeyProblem is a refused passkey step: the code, its message in the page's language, and where to go when
// there is nothing left to confirm (what the page confirmed lapsed, failed or went through).
type PasskeyProblem struct {
	Code     string `json:"code"`
	Error    string `json:"error"`
	Redirect string `json:"redirect,omitempty"`
}

// PasskeyRoutes are c's two steps. They spend the payment confirmations' budget, as the SMS code does, and are
// refused to a business's user, who holds no passkey of the business's.
func (s *Site) PasskeyRoutes(c PasskeyConfirmation) []Route {
	policy := PasskeyStep(PersonalOnly(httpx.PaymentConfirmation))
	return []Route{
		{Method: "POST", Path: c.Path + "/passkey/options", Policy: policy, Handler: s.passkeyOptions(c)},
		{Method: "POST", Path: c.Path + "/passkey", Policy: policy, Handler: s.passkeyConfirm(c)},
	}
}

// PasskeyOffered says whether a confirmation page offers the passkey: the bank confirms with passkeys and the
// customer has one. A business's user confirms with the code sent to their own phone: no person holds the
// business's passkeys.
func (s *Site) PasskeyOffered(ctx context.Context, customerID string) bool {
	if !s.confirmsWithPasskeys() {
		return false
	}
	if ws, ok := auth.SessionFrom(ctx); ok && ws.UserID != "" {
		return false
	}
	list, err := s.Passkeys.List(ctx, customerID)
	return err == nil && len(list) > 0
}

func (s *Site) confirmsWithPasskeys() bool {
	return s.Passkeys != nil && s.SCA != nil && s.SCA.Passkeys != nil
}

// passkeyFail answers a refused passkey step. A refused assertion gets the confirmation pages' own words (the
// catalogue's passkey_invalid speaks of signing in); the area answers its own refusals (c.Refused).
func (s *Site) passkeyFail(w http.ResponseWriter, r *http.Request, c PasskeyConfirmation, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	if errors.Is(err, passkey.ErrInvalid) {
		JSON(w, status, PasskeyProblem{Code: code, Error: s.Message(r, "web_trpk_invalid", nil)})
		return
	}
	if errors.Is(err, auth.ErrChannelBlocked) {
		// The failure that reached the lockout ended the session; the browser forgets it too.
		s.ClearCookie(w, s.SessionCookieName())
	} else if p, ok := c.Refused(r, err); ok {
		if p.Code == "" {
			p.Code = code
		}
		JSON(w, status, p)
		return
	}
	s.FailJSON(w, r, err)
}

type passkeyChallenge struct {
	Ceremony string          `json:"ceremony_id"`
	Options  json.RawMessage `json:"options"`
}

// passkeyOptions starts the passkey ceremony for the live challenge: the browser's assertion options, whose
// challenge is the confirmation's digest, and the ceremony's id.
func (s *Site) passkeyOptions(c PasskeyConfirmation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.confirmsWithPasskeys() {
			s.FailJSON(w, r, kumbara.ErrNotFound)
			return
		}
		var in struct{}
		if err := httpx.DecodeJSON(r, &in); err != nil {
			s.FailJSON(w, r, err)
			return
		}
		live, err := c.Live(r)
		if err == nil && !slices.Contains(live.Methods, sca.MethodPasskey) {
			err = sca.ErrMethodUnavailable
		}
		var opts json.RawMessage
		var ceremony string
		if err == nil {
			opts, ceremony, err = s.Passkeys.BeginConfirmation(r.Context(), SessionOf(r).CustomerID, live.Digest[:])
		}
		if err != nil {
			s.passkeyFail(w, r, c, err)
			return
		}
		JSON(w, http.StatusOK, passkeyChallenge{Ceremony: ceremony, Options: opts})
	}
}

type passkeyAssertion struct {
	Ceremony string          `json:"ceremony_id"`
	Response json.RawMessage `json:"response"`
}

// passkeyConfirm confirms with the browser's assertion: the domain checks it against the ceremony and the live
// challenge, as sca.Proof, then does what was confirmed. The answer names the page to go to. A refused assertion
// counts towards the channel's lockout, as a wrong code does.
func (s *Site) passkeyConfirm(c PasskeyConfirmation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.confirmsWithPasskeys() {
			s.FailJSON(w, r, kumbara.ErrNotFound)
			return
		}
		var in passkeyAssertion
		if err := httpx.DecodeJSON(r, &in); err != nil {
			s.FailJSON(w, r, err)
			return
		}
		target, err := c.Confirm(r, sca.Proof{Method: sca.MethodPasskey, CeremonyID: in.Ceremony, Assertion: in.Response})
		if err != nil {
			s.passkeyFail(w, r, c, err)
			return
		}
		JSON(w, http.StatusOK, JSONRedirect{Redirect: target})
	}
}

// PasskeyBox is what the "passkey-confirm" partial draws: the page's view, the confirmation's address (c.Path
// with its id), whether the passkey is the only way the page offers (its button is then the page's main one), and
// the catalogue key of the line that says what the passkey confirms.
type PasskeyBox struct {
	View
	Confirm string
	Alone   bool
	Help    string
}

// PasskeyBox is the box of the passkey confirmation at confirm for the page: {{template "passkey-confirm"
// ($.PasskeyBox "/transfers/ID/confirm" false "web_trpk_help")}}.
func (v View) PasskeyBox(confirm string, alone bool, help string) PasskeyBox {
	return PasskeyBox{View: v, Confirm: confirm, Alone: alone, Help: help}
}
