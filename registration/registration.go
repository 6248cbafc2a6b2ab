// Package registration lets an existing customer of the bank register for digital banking on their own (FEATURES
// R1, R2): client number or national ID, then proof of identity (a card's type, last six digits and PIN, or the
// unique code the branch gave; package identity), then a one-time code by SMS to the registered phone, then a
// password (A11).
package registration

import (
	"context"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/identity"
	"github.com/kumbara/kumbara/uniquecode"
)

// MinContractVersion is the first contract version that covers digital banking (R2). Versions are compared as
// numbers: "002" and "2" are the same version.
const MinContractVersion = 2

// Service registers customers. It owns no table: the proof belongs to identity (card and uniquecode), the SMS code
// and the password to auth.
type Service struct {
	Auth     *auth.Service
	Identity *identity.Checker
}

// Start checks the customer's proof of identity and, if it holds and the customer may register, sends a one-time
// code to the registered phone; the challenge names it. An unknown customer and a wrong proof answer the same
// registration_failed after the same checks, so an outsider learns nothing about which client numbers exist; only
// a customer who proved who they are is told why they may not register (registration_contract_missing,
// registration_phone_missing). A customer who already has a password may register again: the new password
// replaces it.
func (s *Service) Start(ctx context.Context, username string, p identity.Proof) (auth.Challenge, error) {
	// The ID document is recovery's alone: it goes with a previous password, which a customer registering has
	// not had.
	if err := identity.Validate(p, identity.MethodCard, identity.MethodUniqueCode); err != nil {
		return auth.Challenge{}, err
	}
	c, id, err := s.Identity.Identify(ctx, username)
	if err != nil {
		return auth.Challenge{}, err
	}
	proved, err := s.Identity.Check(ctx, id, p, uniquecode.Registration)
	if err != nil {
		return auth.Challenge{}, err
	}
	if !proved || id == identity.NoCustomer {
		return auth.Challenge{}, ErrFailed
	}
	if !contractCovers(c.ContractVersion) {
		return auth.Challenge{}, ErrContractMissing
	}
	if c.Mobile == "" {
		return auth.Challenge{}, ErrPhoneMissing
	}
	return s.Auth.SendCode(ctx, c, auth.PurposeRegistration)
}

// contractCovers reports whether a contract version is MinContractVersion or later.
func contractCovers(v string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return err == nil && n >= MinContractVersion
}

// Complete checks the SMS code of a started registration and sets the customer's password (A11). A password the
// policy refuses leaves the code usable, so the customer can try a better one while it is valid. The customer
// then logs in as usual.
func (s *Service) Complete(ctx context.Context, registrationID, code, password string) error {
	if err := identity.ValidateCompletion(code, password); err != nil {
		return err
	}
	return s.Auth.RedeemCode(ctx, registrationID, auth.PurposeRegistration, code, func(customerID string) error {
		return s.Auth.SetPassword(ctx, customerID, password, false)
	})
}
