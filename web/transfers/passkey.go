package transfers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/core"
)

// Confirming a transfer with a passkey (issue 4 item 8), through the confirmation pages' shared passkey steps
// (core.PasskeyConfirmation): the WebAuthn challenge is the digest of the transfer's live challenge (the binding of
// amount, payee and transfer id), and transfer.Service.Confirm checks the assertion as it checks a code.
func (s *area) passkeyRoutes() []core.Route {
	return s.PasskeyRoutes(core.PasskeyConfirmation{Path: "/transfers/{id}/confirm",
		Live: func(r *http.Request) (sca.Challenge, error) {
			t, err := s.Transfers.Challenge(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), false)
			if err != nil {
				return sca.Challenge{}, err
			}
			return *t.Challenge, nil
		},
		Confirm: func(r *http.Request, proof sca.Proof) (string, error) {
			t, replayed, err := s.Transfers.Confirm(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
			if err != nil {
				return "", err
			}
			target := "/transfers/" + url.PathEscape(t.ID)
			if replayed {
				target += "?m=replayed"
			}
			return target, nil
		},
		Refused: s.passkeyRefused})
}

// passkeyRefused sends the page to the transfer's result when there is nothing left to confirm: the challenge is
// gone, or a final refusal, which the result page says.
func (s *area) passkeyRefused(r *http.Request, err error) (core.PasskeyProblem, bool) {
	page := "/transfers/" + url.PathEscape(r.PathValue("id"))
	switch {
	case errors.Is(err, auth.ErrChallengeNotFound):
	case isFinalRefusal(err):
		page += "?m=" + url.QueryEscape(kumbara.CodeOf(err))
	default:
		return core.PasskeyProblem{}, false
	}
	return core.PasskeyProblem{Error: s.Message(r, kumbara.CodeOf(err), nil), Redirect: page}, true
}
