package bulk

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/core"
)

// Confirming a batch with a passkey, through the confirmation pages' shared passkey steps (core.PasskeyConfirmation),
// as a payment's page does: the WebAuthn challenge is the digest of the batch's live challenge (bulk.Service.Live),
// which binds the batch, the number of its payments and what leaves the accounts, so the assertion confirms that
// file as the page showed it, once; bulk.Service.Confirm checks it as it checks the SMS code.
func (s *area) passkeyRoutes() []core.Route {
	return s.PasskeyRoutes(core.PasskeyConfirmation{Path: "/bulk/{id}/confirm",
		Live: func(r *http.Request) (sca.Challenge, error) {
			if s.Bulk == nil {
				return sca.Challenge{}, bulk.ErrNotFound
			}
			return s.Bulk.Live(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
		},
		Confirm: func(r *http.Request, proof sca.Proof) (string, error) {
			if s.Bulk == nil {
				return "", bulk.ErrNotFound
			}
			b, err := s.Bulk.Confirm(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
			if err != nil {
				return "", err
			}
			return batchPath(b.ID) + "?m=confirmed", nil
		},
		Refused: s.passkeyRefused})
}

// passkeyRefused sends the page to the batch's when there is nothing for the passkey to sign: the batch no longer
// waits, or its code no longer works (the page then offers a new one).
func (s *area) passkeyRefused(r *http.Request, err error) (core.PasskeyProblem, bool) {
	for _, gone := range []error{bulk.ErrExpired, bulk.ErrNotPending, auth.ErrChallengeNotFound, auth.ErrOTPExpired,
		auth.ErrOTPUsed, auth.ErrOTPTooManyAttempts} {
		if errors.Is(err, gone) {
			return core.PasskeyProblem{Error: s.Message(r, kumbara.CodeOf(err), nil),
				Redirect: batchPath(r.PathValue("id"))}, true
		}
	}
	return core.PasskeyProblem{}, false
}

// batchPath is the batch's page.
func batchPath(id string) string { return "/bulk/" + url.PathEscape(id) }
