// Package recovery lets a registered customer who forgot their password set a new one (FEATURES A8–A10): client
// number or national ID, then proof of identity — a card's type, last six digits and PIN (A8), the ID document
// read over NFC with one of the last five passwords (A9), or the unique code the branch gave for recovery (A10) —
// then a one-time code by SMS to the registered phone, then a new password (A11). It also owns the card check of
// a password change (A12). It owns no table: the proofs belong to card, uniquecode and iddoc, the SMS code, the
// password and the sessions to auth.
package recovery

import (
	"context"
	"errors"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/identity"
	"github.com/kumbara/kumbara/uniquecode"
)

// Service recovers and changes passwords.
type Service struct {
	Auth     *auth.Service
	Identity *identity.Checker
	// Cards are the cards a password change is proved with (A12).
	Cards *card.Service
	// IDDocs verifies ID documents (A9); nil when the bank has no country signing certificates, and then that
	// method answers id_document_unavailable.
	IDDocs *iddoc.Verifier
}

// Start checks the customer's proof of identity and, if it holds, sends a one-time code to the registered phone.
// An unknown customer, a customer who never registered for digital banking and a wrong proof all answer the same
// recovery_failed after the same checks (the PIN is checked against no card, the unique code against no
// customer, the previous password against five dummy hashes). An ID document that fails passive authentication
// is refused first, with its own code, whoever it names: that answer depends on the document alone.
//
// A card PIN (A8) and a unique code (A10) are strong proofs: each wrong PIN or code costs one of that proof's own
// counted tries whatever the channel's state. A customer who gives one goes on to the SMS code on a blocked
// channel too, and completing the recovery lifts the block (A14): a customer an outsider blocked regains access
// without a branch. A channel the bank closed (A16) stays closed: after a right PIN or code the customer is told
// (channel_closed), staff reopen it. The ID document's proof is a password guess whose failures count only
// towards the channel's lockout, which a blocked or closed channel has already used up: there the method answers
// recovery_failed whatever the password, after the same work, so it never tells a right password from a wrong
// one; nor does it lift a block.
func (s *Service) Start(ctx context.Context, username string, p identity.Proof) (auth.Challenge, error) {
	err := identity.Validate(p, identity.MethodCard, identity.MethodUniqueCode, identity.MethodIDDocument)
	if err != nil {
		return auth.Challenge{}, err
	}
	doc, err := s.verifyDocument(p)
	if err != nil {
		return auth.Challenge{}, err
	}
	c, id, err := s.Identity.Identify(ctx, username)
	if err != nil {
		return auth.Challenge{}, err
	}
	registered, refused, err := s.Auth.Registered(ctx, id)
	if err != nil {
		return auth.Challenge{}, err
	}
	if !registered {
		id = identity.NoCustomer
	}
	if err := s.prove(ctx, c, id, p, doc, refused); err != nil {
		return auth.Challenge{}, err
	}
	if id == identity.NoCustomer {
		return auth.Challenge{}, ErrFailed
	}
	strong := p.Method != identity.MethodIDDocument
	if refused != nil {
		if !strong {
			return auth.Challenge{}, ErrFailed // see proveDocument: no answer here may depend on the password
		}
		if !errors.Is(refused, auth.ErrChannelBlocked) {
			return auth.Challenge{}, refused // channel_closed, after a counted try of a PIN or code
		}
	}
	return s.Auth.SendRecoveryCode(ctx, c, strong)
}

// prove checks the proof against the customer's card, unique code or ID document. Every way of being wrong is
// recovery_failed (a blocked PIN too: saying so would tell an outsider that the customer holds such a card).
func (s *Service) prove(ctx context.Context, c customer.Customer, customerID string, p identity.Proof, doc iddoc.MRZ,
	refused error) error {
	if p.Method == identity.MethodIDDocument {
		return s.proveDocument(ctx, c, customerID, doc, p, refused)
	}
	proved, err := s.Identity.Check(ctx, customerID, p, uniquecode.Recovery)
	if err != nil {
		return err
	}
	if !proved {
		return ErrFailed
	}
	return nil
}

// Complete checks the SMS code of a started recovery and sets the new password (A11). Every session of the
// customer ends and the customer logs in with the new password. A recovery started with a strong proof (a card
// PIN or a unique code) also lifts a blocked channel, even one blocked after it started (auth.CompleteRecovery);
// one started with the ID document does not. A password the policy refuses leaves the code usable, so the
// customer can try a better one while it is valid; a wrong code counts one of its 5 tries.
func (s *Service) Complete(ctx context.Context, recoveryID, code, newPassword string) error {
	if err := identity.ValidateCompletion(code, newPassword); err != nil {
		return err
	}
	return s.Auth.CompleteRecovery(ctx, recoveryID, code, newPassword)
}
