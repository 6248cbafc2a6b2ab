package auth

// The session gate: one rule for every face (the JSON API, the internet branch) on what a live session may reach.

import (
	"context"
	"errors"

	"github.com/kumbara/kumbara/terms"
)

// TermsChecker says whether a customer has accepted the Terms & Conditions in force (P1): terms.Service is one.
type TermsChecker interface {
	Accepted(ctx context.Context, customerID string) (bool, error)
}

// Need is what a route asks of a live session. The zero Need is the strictest, the banking routes' own: a full
// session, whose password needs no change, of a customer who accepted the current terms. Each field lets one more
// kind of session through, for the few routes that exist to resolve it or that hold nothing to protect.
type Need struct {
	// Partial admits a partial (password-only, SmartPay, A19) session.
	Partial bool
	// PasswordChange admits a session that must change its password (staff-set or expired, A13): the routes that
	// change it, log out or say who is logged in. Any other route is refused, so a staff-set password is never
	// used for anything else.
	PasswordChange bool
	// TermsPending admits a customer who has not accepted the terms in force: the routes that show and accept them.
	TermsPending bool
}

// Admit is the session gate: the live session of token, if it may reach a route that needs need. Otherwise the
// error says why: ErrUnauthenticated or ErrSessionExpired (no live session; see Authenticate), then, in this
// order, ErrPasswordChangeRequired (the forced change comes before anything else), ErrAssuranceInsufficient and
// terms.ErrAcceptanceRequired; any other error is a fault. The transports only translate the answer: the API into
// a problem, the web into the login, password or terms page.
func (s *Service) Admit(ctx context.Context, token string, need Need) (Session, error) {
	sess, err := s.Authenticate(ctx, token)
	switch {
	case err != nil:
		return Session{}, err
	case sess.MustChange && !need.PasswordChange:
		return Session{}, ErrPasswordChangeRequired
	case sess.Assurance != Full && !need.Partial:
		return Session{}, ErrAssuranceInsufficient
	case need.TermsPending:
		return sess, nil
	}
	if s.Terms == nil {
		// A bank built without its terms would let everyone past P1: refuse rather than guess.
		return Session{}, errors.New("admit: no terms checker")
	}
	ok, err := s.Terms.Accepted(ctx, sess.CustomerID)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, terms.ErrAcceptanceRequired
	}
	return sess, nil
}
