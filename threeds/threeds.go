// Package threeds is the bank's access control server for 3-D Secure: when an online card purchase asks for it,
// the card network asks the bank (Ask), the holder sees an approval with the merchant, the amount and the currency
// and approves it with the same dynamic-linking proofs as a payment (package sca: the SMS code that names the
// merchant and the amount, a trusted device's signature or Soft PIN, a passkey) or rejects it; the network reads
// the result (Result) or is told (Notifier). An approval not decided within Config.Validity (5 minutes) expires.
package threeds

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/text"
)

// Status is where an approval stands.
type Status string

const (
	Pending  Status = "pending"
	Approved Status = "approved"
	Rejected Status = "rejected"
	Expired  Status = "expired"
)

// DefaultValidity is how long the holder has to decide (the network's 3-D Secure challenge window).
const DefaultValidity = 5 * time.Minute

// Limits of what the network sends.
const (
	MaxMerchant = 100 // characters of the merchant's name
	MaxRef      = 64  // characters of the network's reference
)

// Approval is one purchase the holder is asked to approve.
type Approval struct {
	ID         string
	NetworkRef string
	CardID     string
	CustomerID string
	Masked     string // the card's masked number
	Merchant   string
	Amount     money.Amount
	Status     Status
	Method     string // the proof that approved it
	CreatedAt  time.Time
	ExpiresAt  time.Time
	DecidedAt  time.Time // zero while pending
	// Challenge is the confirmation's challenge, set by Ask and Challenge while the approval is pending.
	Challenge *sca.Challenge
}

// TimeLeft is how long the holder still has at now to decide; 0 once it is decided or expired.
func (a Approval) TimeLeft(now time.Time) time.Duration {
	if a.Status != Pending || !now.Before(a.ExpiresAt) {
		return 0
	}
	return a.ExpiresAt.Sub(now)
}

// Request is what the card network sends when a purchase asks for 3-D Secure.
type Request struct {
	CardID     string
	NetworkRef string // the network's id of this request: asking again with it is a repeat
	Merchant   string
	Amount     money.Amount
}

// Notifier is told of a holder's decision once it is committed, for a network that is pushed results rather
// than polling Result.
type Notifier interface {
	Decided(ctx context.Context, networkRef string, status Status)
}

// Service keeps the approvals.
type Service struct {
	DB        *db.DB
	Clock     clock.Clock
	Cards     *card.Service
	Customers *customer.Service
	SCA       *sca.Service
	// Notifier, if set, is told of every decision.
	Notifier Notifier
	// Validity is how long an approval waits; 0 is DefaultValidity.
	Validity time.Duration
	// Key signs the authentication values of approved purchases (DeriveKey).
	Key []byte
}

func (s *Service) validity() time.Duration {
	if s.Validity > 0 {
		return s.Validity
	}
	return DefaultValidity
}

// Ask records a purchase the network asks the card's holder to approve, and sends the holder the SMS that names
// the merchant and the amount and carries the code that approves it. A card the bank did not issue is
// threeds_card_unknown; one that cannot buy (blocked, lost, replaced, closed, expired) is refused at once with
// threeds_card_refused. Asking again with the same reference returns the first approval (replayed true) and
// sends nothing; the same reference for another purchase is threeds_reference_conflict.
func (s *Service) Ask(ctx context.Context, req Request) (Approval, bool, error) {
	req.Merchant = text.Clean(req.Merchant)
	if err := validate(req); err != nil {
		return Approval{}, false, err
	}
	if a, err := s.byRef(ctx, req.NetworkRef); err == nil {
		return same(a, req)
	} else if !errors.Is(err, ErrNotFound) {
		return Approval{}, false, err
	}
	now := s.Clock.Now()
	c, err := s.Cards.ForNetwork(ctx, req.CardID)
	if errors.Is(err, card.ErrNotFound) {
		return Approval{}, false, ErrCardUnknown
	}
	if err != nil {
		return Approval{}, false, fmt.Errorf("3-D Secure: %w", err)
	}
	if c.Status != card.Active || c.ExpiredAt(now) {
		return Approval{}, false, ErrCardRefused
	}
	holder, err := s.Customers.Get(ctx, c.CustomerID)
	if err != nil {
		return Approval{}, false, fmt.Errorf("3-D Secure: %w", err)
	}
	a := Approval{ID: uuid.Must(uuid.NewV7()).String(), NetworkRef: req.NetworkRef, CardID: c.ID,
		CustomerID: c.CustomerID, Masked: c.Masked, Merchant: req.Merchant, Amount: req.Amount, Status: Pending,
		CreatedAt: now, ExpiresAt: now.Add(s.validity())}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO threeds_approvals (id, network_ref, card_id, customer_id, masked,
			merchant, amount, currency, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.NetworkRef, a.CardID, a.CustomerID, a.Masked, a.Merchant, a.Amount.Minor,
			string(a.Amount.Currency), string(Pending), db.Micros(now), db.Micros(a.ExpiresAt)); err != nil {
			return err
		}
		ch, err := s.SCA.Issue(ctx, tx, scaPayment(a), holder.Mobile)
		if err != nil {
			return err
		}
		a.Challenge = &ch
		return audit.Append(ctx, tx, now, entry(ctx, a, ActionAsked, false))
	})
	if db.IsUniqueViolation(err) {
		// The same reference asked at the same moment: the one that won is the answer.
		first, rerr := s.byRef(ctx, req.NetworkRef)
		if rerr != nil {
			return Approval{}, false, fmt.Errorf("3-D Secure: %w", rerr)
		}
		return same(first, req)
	}
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return Approval{}, false, err
		}
		return Approval{}, false, fmt.Errorf("3-D Secure: %w", err)
	}
	s.kick()
	return a, false, nil
}

func (s *Service) kick() {
	if s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
}

// same answers a repeated request: the first approval if it asks for the same purchase, else a conflict.
func same(a Approval, req Request) (Approval, bool, error) {
	if a.CardID != req.CardID || a.Merchant != req.Merchant || a.Amount != req.Amount {
		return Approval{}, false, ErrReferenceConflict
	}
	return a, true, nil
}

func validate(req Request) error {
	var fields []kumbara.FieldError
	if req.CardID == "" || !text.Storable(req.CardID) || len(req.CardID) > MaxRef {
		fields = append(fields, kumbara.ErrFieldRequired.At("card_id"))
	}
	if req.NetworkRef == "" || !text.Storable(req.NetworkRef) || len(req.NetworkRef) > MaxRef {
		fields = append(fields, kumbara.ErrFieldRequired.At("id"))
	}
	if req.Merchant == "" || utf8.RuneCountInString(req.Merchant) > MaxMerchant {
		fields = append(fields, kumbara.ErrFieldRequired.At("merchant"))
	}
	if req.Amount.Minor <= 0 {
		fields = append(fields, kumbara.ErrInvalid.At("amount"))
	}
	if !req.Amount.Currency.Valid() {
		fields = append(fields, kumbara.ErrInvalid.At("currency"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// scaPayment is what the holder confirms of a: the merchant, the amount and the card, bound to a's id.
func scaPayment(a Approval) sca.Payment {
	return sca.Payment{TransferID: a.ID, CustomerID: a.CustomerID, FromIBAN: lastDigits(a.Masked),
		PayeeName: a.Merchant, Amount: a.Amount, Purchase: true}
}

// lastDigits is how the SMS names the card: its last four digits.
func lastDigits(masked string) string {
	if len(masked) < 4 {
		return masked
	}
	return "*" + masked[len(masked)-4:]
}

// Result is where the approval the network asked for by networkRef stands: pending, approved, rejected or
// expired (Outcome adds the authentication value).
func (s *Service) Result(ctx context.Context, networkRef string) (Status, error) {
	a, err := s.ByReference(ctx, networkRef)
	if err != nil {
		return "", err
	}
	return a.Status, nil
}

// ByReference is the approval the network asked for by networkRef, for the network's side (never a holder's).
func (s *Service) ByReference(ctx context.Context, networkRef string) (Approval, error) {
	if networkRef == "" || len(networkRef) > MaxRef || !text.Storable(networkRef) {
		return Approval{}, ErrNotFound
	}
	return s.byRef(ctx, networkRef)
}
