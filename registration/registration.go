// Package registration lets an existing customer of the bank register for digital banking on their own (FEATURES
// R1, R2): client number or national ID, then proof of identity (a card's type, last six digits and PIN, or the
// unique code the branch gave), then a one-time code by SMS to the registered phone, then a password (A11).
package registration

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/uniquecode"
)

// Proof methods.
const (
	MethodCard       = "card"
	MethodUniqueCode = "unique_code"
)

// MinContractVersion is the first contract version that covers digital banking (R2). Versions are compared as
// numbers: "002" and "2" are the same version.
const MinContractVersion = 2

// noCustomer stands for an unknown customer in the proof checks, which run anyway so that an unknown client
// number costs the same work as a known one. It is a well-formed id that no customer has (ids are UUIDv7).
const noCustomer = "00000000-0000-0000-0000-000000000000"

// Proof is what the customer offers as proof of identity: CardType, Last6 and PIN for MethodCard, Code for
// MethodUniqueCode.
type Proof struct {
	CardType string
	Last6    string
	PIN      string
	Code     string
}

// Started is a registration waiting for its SMS code.
type Started struct {
	ID          string
	MaskedPhone string
	ExpiresIn   time.Duration
}

// Service registers customers. It owns no table: the proof belongs to card and uniquecode, the SMS code and the
// password to auth.
type Service struct {
	Customers *customer.Service
	Auth      *auth.Service
	Cards     *card.Service
	Codes     *uniquecode.Service
}

// Start checks the customer's proof of identity and, if it holds and the customer may register, sends a one-time
// code to the registered phone. An unknown customer and a wrong proof answer the same registration_failed after
// the same checks, so an outsider learns nothing about which client numbers exist; only a customer who proved
// who they are is told why they may not register (registration_contract_missing, registration_phone_missing).
// A customer who already has a password may register again: the new password replaces it.
func (s *Service) Start(ctx context.Context, username, method string, p Proof) (Started, error) {
	if err := validate(method, p); err != nil {
		return Started{}, err
	}
	c, err := s.Customers.ByUsername(ctx, username)
	known := err == nil
	if !known && !errors.Is(err, customer.ErrNotFound) {
		return Started{}, err
	}
	id := c.ID
	if !known {
		id = noCustomer
	}
	if err := s.prove(ctx, id, method, p); err != nil {
		return Started{}, err
	}
	if !known {
		return Started{}, ErrFailed
	}
	if !contractCovers(c.ContractVersion) {
		return Started{}, ErrContractMissing
	}
	if c.Mobile == "" {
		return Started{}, ErrPhoneMissing
	}
	ch, err := s.Auth.SendCode(ctx, c, auth.PurposeRegistration)
	if err != nil {
		return Started{}, err
	}
	return Started{ID: ch.ID, MaskedPhone: ch.MaskedPhone, ExpiresIn: ch.ExpiresIn}, nil
}

// validate refuses a request that lacks what its method needs, before anything is looked up: that says nothing
// about the customer.
func validate(method string, p Proof) error {
	var fields []kumbara.FieldError
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(name))
		}
	}
	switch method {
	case MethodCard:
		need("card_type", p.CardType)
		need("last6", p.Last6)
		need("pin", p.PIN)
		if p.CardType != "" && !card.Type(p.CardType).Valid() {
			fields = append(fields, card.ErrTypeInvalid.At("card_type"))
		}
	case MethodUniqueCode:
		need("code", p.Code)
	case "":
		fields = append(fields, kumbara.ErrFieldRequired.At("method"))
	default:
		fields = append(fields, kumbara.ErrInvalid.At("method"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// prove checks the proof against the customer's card or unique code. Every way of being wrong is
// registration_failed; a malformed value (say, five digits for last6) is a validation error, which depends only
// on the request.
func (s *Service) prove(ctx context.Context, customerID, method string, p Proof) error {
	var err error
	switch method {
	case MethodCard:
		err = s.Cards.VerifyHolder(ctx, customerID, card.Type(p.CardType), p.Last6, p.PIN)
		if k, ok := kumbara.As(err); ok && k.Kind == kumbara.KindInvalid {
			return err // malformed input validate let through
		}
	case MethodUniqueCode:
		err = s.Codes.Redeem(ctx, customerID, uniquecode.Registration, p.Code)
		if k, ok := kumbara.As(err); ok && k.Kind == kumbara.KindInvalid {
			return err
		}
	}
	if err == nil {
		return nil
	}
	if _, ok := kumbara.As(err); ok {
		return ErrFailed
	}
	return err
}

// contractCovers reports whether a contract version is MinContractVersion or later.
func contractCovers(v string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return err == nil && n >= MinContractVersion
}

// Complete checks the SMS code of a started registration and sets the customer's password (A11). A password the
// policy refuses leaves the code usable, so the customer can try a better one while it is valid. The customer
// then logs in as usual.
func (s *Service) Complete(ctx context.Context, registrationID, otp, password string) error {
	var fields []kumbara.FieldError
	if otp == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("otp"))
	}
	if password == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("password"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return s.Auth.RedeemCode(ctx, registrationID, auth.PurposeRegistration, otp, func(customerID string) error {
		return s.Auth.SetPassword(ctx, customerID, password, false)
	})
}
