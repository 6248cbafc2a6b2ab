// Package recovery lets a registered customer who forgot their password set a new one (FEATURES A8–A10): client
// number or national ID, then proof of identity — a card's type, last six digits and PIN (A8), the ID document
// read over NFC with one of the last five passwords (A9), or the unique code the branch gave for recovery (A10) —
// then a one-time code by SMS to the registered phone, then a new password (A11). It also owns the card check of
// a password change (A12). It owns no table: the proofs belong to card, uniquecode and iddoc, the SMS code, the
// password and the sessions to auth.
package recovery

import (
	"context"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/uniquecode"
)

// Proof methods.
const (
	MethodCard       = "card"
	MethodUniqueCode = "unique_code"
)

// noCustomer stands for an unknown or unregistered customer in the proof checks, which run anyway so that such a
// customer costs the same work as a registered one. It is a well-formed id that no customer or card has (ids are
// UUIDv7).
const noCustomer = "00000000-0000-0000-0000-000000000000"

// Proof is what the customer offers as proof of identity: CardType, Last6 and PIN for MethodCard, Code for
// MethodUniqueCode, Document and PreviousPassword for MethodIDDocument.
type Proof struct {
	CardType         string
	Last6            string
	PIN              string
	Code             string
	Document         iddoc.Chip
	PreviousPassword string
}

// Started is a recovery waiting for its SMS code.
type Started struct {
	ID          string
	MaskedPhone string
	ExpiresIn   time.Duration
}

// Service recovers and changes passwords.
type Service struct {
	Customers *customer.Service
	Auth      *auth.Service
	Cards     *card.Service
	Codes     *uniquecode.Service
	// IDDocs verifies ID documents (A9); nil when the bank has no country signing certificates, and then that
	// method answers id_document_unavailable.
	IDDocs *iddoc.Verifier
}

func errFailed() error {
	return &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "recovery_failed"}
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
func (s *Service) Start(ctx context.Context, username, method string, p Proof) (Started, error) {
	if err := validate(method, p); err != nil {
		return Started{}, err
	}
	doc, err := s.verifyDocument(method, p)
	if err != nil {
		return Started{}, err
	}
	if len(username) > 64 {
		return Started{}, errFailed()
	}
	c, err := s.Customers.ByUsername(ctx, username)
	known := err == nil
	if !known && kumbara.CodeOf(err) != "customer_not_found" {
		return Started{}, err
	}
	id := c.ID
	if !known {
		id = noCustomer
	}
	registered, refused, err := s.Auth.Registered(ctx, id)
	if err != nil {
		return Started{}, err
	}
	if !registered {
		id = noCustomer
	}
	if err := s.prove(ctx, c, id, method, p, doc, refused); err != nil {
		return Started{}, err
	}
	if id == noCustomer {
		return Started{}, errFailed()
	}
	strong := method != MethodIDDocument
	if refused != nil {
		if !strong {
			return Started{}, errFailed() // see proveDocument: no answer here may depend on the password
		}
		if kumbara.CodeOf(refused) != "channel_blocked" {
			return Started{}, refused // channel_closed, after a counted try of a PIN or code
		}
	}
	ch, err := s.Auth.SendRecoveryCode(ctx, c, strong)
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
			fields = append(fields, kumbara.FieldError{Field: name, Code: "field_required"})
		}
	}
	switch method {
	case MethodCard:
		need("card_type", p.CardType)
		need("card_last6", p.Last6)
		need("card_pin", p.PIN)
		if p.CardType != "" && !card.Type(p.CardType).Valid() {
			fields = append(fields, kumbara.FieldError{Field: "card_type", Code: "card_type_invalid"})
		}
		if p.Last6 != "" && !sixDigits(p.Last6) {
			fields = append(fields, kumbara.FieldError{Field: "card_last6", Code: "invalid"})
		}
		if len(p.PIN) > 12 {
			fields = append(fields, kumbara.FieldError{Field: "card_pin", Code: "invalid"})
		}
	case MethodUniqueCode:
		need("unique_code", p.Code)
		if len(p.Code) > 64 {
			fields = append(fields, kumbara.FieldError{Field: "unique_code", Code: "invalid"})
		}
	case MethodIDDocument:
		if len(p.Document.SOD) == 0 {
			fields = append(fields, kumbara.FieldError{Field: "id_document.sod", Code: "field_required"})
		}
		if len(p.Document.DataGroups[1]) == 0 {
			fields = append(fields, kumbara.FieldError{Field: "id_document.data_groups", Code: "field_required"})
		}
		need("previous_password", p.PreviousPassword)
		if len(p.PreviousPassword) > 128 {
			fields = append(fields, kumbara.FieldError{Field: "previous_password", Code: "invalid"})
		}
	case "":
		fields = append(fields, kumbara.FieldError{Field: "method", Code: "field_required"})
	default:
		fields = append(fields, kumbara.FieldError{Field: "method", Code: "invalid"})
	}
	if len(fields) > 0 {
		return kumbara.Invalid("validation_failed", fields...)
	}
	return nil
}

func sixDigits(s string) bool {
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

// prove checks the proof against the customer's card, unique code or ID document. Every way of being wrong is
// recovery_failed (a blocked PIN too: saying so would tell an outsider that the customer holds such a card).
func (s *Service) prove(ctx context.Context, c customer.Customer, customerID, method string, p Proof, doc iddoc.MRZ,
	refused error) error {
	var err error
	switch method {
	case MethodIDDocument:
		return s.proveDocument(ctx, c, customerID, doc, p, refused)
	case MethodCard:
		err = s.Cards.VerifyHolder(ctx, customerID, card.Type(p.CardType), p.Last6, p.PIN)
		if k, ok := kumbara.As(err); ok && k.Kind == kumbara.KindInvalid {
			return err // malformed input validate let through
		}
	case MethodUniqueCode:
		err = s.Codes.Redeem(ctx, customerID, uniquecode.Recovery, p.Code)
	}
	if err == nil {
		return nil
	}
	if _, ok := kumbara.As(err); ok {
		return errFailed()
	}
	return err
}

// Complete checks the SMS code of a started recovery and sets the new password (A11). Every session of the
// customer ends and the customer logs in with the new password. A recovery started with a strong proof (a card
// PIN or a unique code) also lifts a blocked channel, even one blocked after it started (auth.CompleteRecovery);
// one started with the ID document does not. A password the policy refuses leaves the code usable, so the
// customer can try a better one while it is valid; a wrong code counts one of its 5 tries.
func (s *Service) Complete(ctx context.Context, recoveryID, code, newPassword string) error {
	var fields []kumbara.FieldError
	if code == "" {
		fields = append(fields, kumbara.FieldError{Field: "code", Code: "field_required"})
	}
	if newPassword == "" {
		fields = append(fields, kumbara.FieldError{Field: "new_password", Code: "field_required"})
	}
	if len(fields) > 0 {
		return kumbara.Invalid("validation_failed", fields...)
	}
	return s.Auth.CompleteRecovery(ctx, recoveryID, code, newPassword)
}
