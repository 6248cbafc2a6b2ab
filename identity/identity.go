// Package identity is the proof of identity that registration (R1) and password recovery (A8–A10) both begin
// with: the customer names themselves by client number or national ID and proves it with a card's type, last six
// digits and PIN, the unique code the branch gave, or (recovery only) the ID document read over NFC with one of
// their last five passwords. It owns what the two flows share — the proof and its field names, which fields each
// method needs, the check of a card or unique code, and the rule that an unknown customer costs the same work as a
// known one — and no table: the proofs belong to card and uniquecode. What is each flow's own (registration's
// contract check, recovery's ID document, its lifting of a block, the SMS code and the password) stays there.
package identity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/uniquecode"
)

// Proof methods.
const (
	MethodCard       = "card"        // a card's type, last six digits and PIN (R1, A8)
	MethodUniqueCode = "unique_code" // the code the branch gave (R1, A10)
	MethodIDDocument = "id_document" // the ID document read over NFC and one of the last five passwords (A9)
)

// The names of a proof's fields, as both faces take them and as field errors name them.
const (
	FieldMethod             = "method"
	FieldCardType           = "card_type"
	FieldCardLast6          = "card_last6"
	FieldCardPIN            = "card_pin"
	FieldUniqueCode         = "unique_code"
	FieldDocumentSOD        = "id_document.sod"
	FieldDocumentDataGroups = "id_document.data_groups"
	FieldPreviousPassword   = "previous_password"
	// The completion step: the code sent by SMS and the password it sets.
	FieldCode        = "code"
	FieldNewPassword = "new_password"
)

// Upper bounds on what a customer types: anything longer is no card PIN, unique code or password, and is refused
// before it costs a lookup.
const (
	MaxPINLength        = 12
	maxUniqueCodeLength = 64
	maxPasswordLength   = 128
	maxUsernameLength   = 64
)

// NoCustomer stands for an unknown customer (or one the flow will not serve) in the proof checks, which run anyway
// so that such a customer costs the same work as a known one. It is a well-formed id that no customer or card has
// (ids are UUIDv7).
const NoCustomer = "00000000-0000-0000-0000-000000000000"

// Proof is what the customer offers as proof of identity: CardType, CardLast6 and CardPIN for MethodCard,
// UniqueCode for MethodUniqueCode, Document and PreviousPassword for MethodIDDocument.
type Proof struct {
	Method           string
	CardType         string
	CardLast6        string
	CardPIN          string
	UniqueCode       string
	Document         iddoc.Chip
	PreviousPassword string
}

// Validate refuses a proof that lacks what its method needs, or whose method is not one of methods (the ones the
// flow takes), before anything is looked up: the answer depends on the request alone and says nothing about the
// customer.
func Validate(p Proof, methods ...string) error {
	var fields []kumbara.FieldError
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(name))
		}
	}
	invalidIf := func(bad bool, name string) {
		if bad {
			fields = append(fields, kumbara.ErrInvalid.At(name))
		}
	}
	switch {
	case p.Method == "":
		fields = append(fields, kumbara.ErrFieldRequired.At(FieldMethod))
	case !slices.Contains(methods, p.Method):
		fields = append(fields, kumbara.ErrInvalid.At(FieldMethod))
	case p.Method == MethodCard:
		need(FieldCardType, p.CardType)
		need(FieldCardLast6, p.CardLast6)
		need(FieldCardPIN, p.CardPIN)
		if p.CardType != "" && !card.Type(p.CardType).Valid() {
			fields = append(fields, card.ErrTypeInvalid.At(FieldCardType))
		}
		invalidIf(p.CardLast6 != "" && !ValidLast6(p.CardLast6), FieldCardLast6)
		invalidIf(len(p.CardPIN) > MaxPINLength, FieldCardPIN)
	case p.Method == MethodUniqueCode:
		need(FieldUniqueCode, p.UniqueCode)
		invalidIf(len(p.UniqueCode) > maxUniqueCodeLength, FieldUniqueCode)
	case p.Method == MethodIDDocument:
		if len(p.Document.SOD) == 0 {
			fields = append(fields, kumbara.ErrFieldRequired.At(FieldDocumentSOD))
		}
		if len(p.Document.DataGroups[1]) == 0 {
			fields = append(fields, kumbara.ErrFieldRequired.At(FieldDocumentDataGroups))
		}
		need(FieldPreviousPassword, p.PreviousPassword)
		invalidIf(len(p.PreviousPassword) > maxPasswordLength, FieldPreviousPassword)
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// ValidateCompletion refuses a completion step (the SMS code and the password it sets) that lacks either.
func ValidateCompletion(code, newPassword string) error {
	var fields []kumbara.FieldError
	if code == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At(FieldCode))
	}
	if newPassword == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At(FieldNewPassword))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// ValidLast6 reports whether s can be the last six digits of a card number.
func ValidLast6(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Checker checks proofs of identity against the bank's records.
type Checker struct {
	Customers *customer.Service
	Cards     *card.Service
	Codes     *uniquecode.Service
}

// Identify finds the customer a username (client number or national ID) names. It returns the customer and the id
// to check the proof against: the customer's, or NoCustomer when the username names nobody, so the caller checks
// the proof all the same and an unknown username costs what a known one does.
func (k *Checker) Identify(ctx context.Context, username string) (customer.Customer, string, error) {
	if len(username) > maxUsernameLength {
		return customer.Customer{}, NoCustomer, nil // no username is that long; nothing to look up
	}
	c, err := k.Customers.ByUsername(ctx, username)
	if errors.Is(err, customer.ErrNotFound) {
		return customer.Customer{}, NoCustomer, nil
	}
	if err != nil {
		return customer.Customer{}, "", err
	}
	return c, c.ID, nil
}

// Check checks a card or unique-code proof against the customer's card or unique code for the purpose, customerID
// being NoCustomer for a customer the flow will not serve (the check runs anyway, against no card or no customer).
// It reports whether the proof holds. Every way of being wrong — a wrong card, type or PIN, a blocked PIN, a wrong,
// used, expired or blocked code, a code that cannot be one — is false with no error: the flows answer each the same,
// since telling them apart would tell an outsider what the customer holds. A wrong PIN counts towards the card's
// PIN block (card.MaxPINFailures) and a wrong code towards the code's tries, whatever the flow does next. The error
// is a fault, or malformed card input Validate let through.
//
// The ID document is no proof this checks: its check counts towards the channel's lockout, which is recovery's.
func (k *Checker) Check(ctx context.Context, customerID string, p Proof, purpose uniquecode.Purpose) (bool, error) {
	var err error
	switch p.Method {
	case MethodCard:
		err = k.Cards.VerifyHolder(ctx, customerID, card.Type(p.CardType), p.CardLast6, p.CardPIN)
		if kumbara.KindOf(err) == kumbara.KindInvalid {
			return false, err // malformed input Validate let through
		}
	case MethodUniqueCode:
		err = k.Codes.Redeem(ctx, customerID, purpose, p.UniqueCode)
	default:
		return false, fmt.Errorf("identity check: method %q is not checked here", p.Method)
	}
	if err == nil {
		return true, nil
	}
	if _, ok := kumbara.As(err); ok {
		return false, nil
	}
	return false, err
}
