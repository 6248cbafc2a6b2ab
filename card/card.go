// Package card keeps the bank's debit cards — for now just enough for identity: staff issue a card linked to an
// account, the customer proves they hold it with its last digits and PIN (registration, password recovery). The
// full card number is stored only encrypted (AES-256-GCM) beside a keyed hash for lookup; the PIN only as a keyed
// hash with a try counter. Payments with cards come later.
package card

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// Type is a card scheme.
type Type string

const (
	Visa       Type = "visa"
	Mastercard Type = "mastercard"
)

// Valid reports whether t is a scheme we issue.
func (t Type) Valid() bool { return t == Visa || t == Mastercard }

// Status is a card's state. Only an active card can prove its holder's identity.
type Status string

const (
	Active  Status = "active"
	Blocked Status = "blocked"
	Closed  Status = "closed"
)

const (
	// MaxPINFailures consecutive wrong PINs block PIN use until staff lift the block.
	MaxPINFailures = 3
	// DefaultValidYears is how long a card is valid when the request does not say; MaxValidYears caps it.
	DefaultValidYears = 4
	MaxValidYears     = 10
	// issueAttempts bounds the draws of a fresh number. With a 6-digit BIN there are 10^9 numbers, so even one
	// collision is rare; a run of them means the BIN's range is nearly full, which staff must hear about.
	issueAttempts = 10
)

// Card is a card as customers and staff see it: never the full number, never the PIN.
type Card struct {
	ID          string
	CustomerID  string
	AccountID   string
	Type        Type
	Last6       string // set only on the card Issue returns; stored as a keyed hash
	Masked      string // first 6 and last 4 digits: "4000 00** **** 1234"
	Contactless bool
	Expires     string // "YYYY-MM": valid to the end of that month
	Status      Status
	PINBlocked  bool
	CreatedAt   time.Time
}

// Service issues cards and checks their PINs. BIN is the bank's issuer identification number (6–8 digits) that
// every number it issues starts with. One BIN serves both schemes for now: real scheme ranges (Visa 4…,
// Mastercard 51–55 / 2221–2720) come with the full card features.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Keys  Keys
	BIN   string

	rand io.Reader // nil means crypto/rand; tests replace it to force number collisions
}

// IssueRequest describes a card to issue. ValidYears 0 means DefaultValidYears.
type IssueRequest struct {
	CustomerID  string
	AccountID   string // a debit card's primary account; a credit card's own credit account
	Kind        Kind   // Debit when empty
	Type        Type
	Contactless bool
	PIN         string
	ValidYears  int
}

func (s *Service) random() io.Reader {
	if s.rand != nil {
		return s.rand
	}
	return rand.Reader
}

// Issue issues a debit card on one of the customer's active accounts. The number is drawn at random under the
// BIN with a Luhn check digit; only its ciphertext, its keyed hash, its last 6 digits and its masked form are
// stored, and the PIN only as a keyed hash.
func (s *Service) Issue(ctx context.Context, r IssueRequest) (Card, error) {
	if err := s.Keys.check(); err != nil {
		return Card{}, err
	}
	if !ValidBIN(s.BIN) {
		return Card{}, fmt.Errorf("card: BIN %q is not 6 to 8 digits", s.BIN)
	}
	var fields []kumbara.FieldError
	if strings.TrimSpace(r.CustomerID) == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("customer_id"))
	}
	if strings.TrimSpace(r.AccountID) == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("account_id"))
	}
	if r.ValidYears < 0 || r.ValidYears > MaxValidYears {
		fields = append(fields, kumbara.ErrInvalid.At("valid_years"))
	}
	if len(fields) > 0 {
		return Card{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if !r.Type.Valid() {
		return Card{}, ErrTypeInvalid
	}
	if err := checkPIN(r.PIN); err != nil {
		return Card{}, err
	}
	if !text.Storable(r.CustomerID) || !text.Storable(r.AccountID) {
		return Card{}, ledger.ErrAccountNotFound
	}
	years := r.ValidYears
	if years == 0 {
		years = DefaultValidYears
	}
	now := s.Clock.Now().UTC()
	// The expiry month is counted in the bank's time zone, where the card is handed over.
	local := now.In(clock.Tirane)
	expires := fmt.Sprintf("%04d-%02d", local.Year()+years, int(local.Month()))

	for range issueAttempts {
		pan, err := newPAN(s.random(), s.BIN)
		if err != nil {
			return Card{}, fmt.Errorf("issue card: %w", err)
		}
		c := Card{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: r.CustomerID, AccountID: r.AccountID,
			Type: r.Type, Last6: pan[len(pan)-6:], Masked: mask(pan), Contactless: r.Contactless, Expires: expires,
			Status: Active, CreatedAt: now}
		enc, err := s.Keys.seal(c.ID, pan)
		if err != nil {
			return Card{}, fmt.Errorf("issue card: %w", err)
		}
		err = s.DB.InTx(ctx, func(tx *db.Tx) error {
			// Another customer's account and a missing one look the same.
			a, err := ledger.LockOwned(ctx, tx, r.CustomerID, r.AccountID)
			if err != nil {
				return err
			}
			if err := a.Usable(); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO cards (id, customer_id, account_id, type, number_enc, number_hmac, last6_hmac,
				masked, contactless, expires, status, pin_hash, pin_failures, pin_blocked, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`,
				c.ID, c.CustomerID, c.AccountID, string(c.Type), enc, s.Keys.numberMAC(pan), s.Keys.last6MAC(c.Last6), c.Masked,
				boolInt(c.Contactless), c.Expires, string(c.Status), s.Keys.pinMAC(c.ID, r.PIN), db.Micros(now))
			if err != nil {
				return err
			}
			return audit.Append(ctx, tx, now, staffEntry(ctx, ActionIssued, c.CustomerID, c.AccountID, nil,
				issuedState{Card: c.ID, Type: c.Type, Contactless: c.Contactless, Expires: c.Expires}))
		})
		if err == nil {
			return c, nil
		}
		// The id is a fresh UUIDv7, so a unique violation is the number: draw another. On PostgreSQL the failed
		// statement spoiled its transaction, which is why each draw gets a transaction of its own.
		if !db.IsUniqueViolation(err) {
			if _, ok := kumbara.As(err); ok {
				return Card{}, err
			}
			return Card{}, fmt.Errorf("issue card: %w", err)
		}
	}
	return Card{}, fmt.Errorf("issue card: no free number under BIN %s after %d draws", s.BIN, issueAttempts)
}

const columns = `id, customer_id, account_id, type, masked, contactless, expires, status, pin_blocked, created_at`

func scan(sc db.Scanner) (Card, error) {
	var c Card
	var contactless, pinBlocked int
	var created int64
	err := sc.Scan(&c.ID, &c.CustomerID, &c.AccountID, &c.Type, &c.Masked, &contactless, &c.Expires,
		&c.Status, &pinBlocked, &created)
	c.Contactless, c.PINBlocked = contactless != 0, pinBlocked != 0
	c.CreatedAt = db.FromMicros(created)
	return c, err
}

func (s *Service) list(ctx context.Context, where string, args ...any) ([]Card, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM cards WHERE "+where+" ORDER BY created_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list cards: %w", err)
	}
	out, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("list cards: %w", err)
	}
	return out, nil
}

// List returns a customer's cards, oldest first.
func (s *Service) List(ctx context.Context, customerID string) ([]Card, error) {
	if !text.Storable(customerID) {
		return nil, nil
	}
	return s.list(ctx, "customer_id = ?", customerID)
}

// Get returns one of the customer's cards. Another customer's card is card_not_found, like a missing one.
func (s *Service) Get(ctx context.Context, customerID, id string) (Card, error) {
	if !text.Storable(customerID) || !text.Storable(id) {
		return Card{}, ErrNotFound
	}
	c, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM cards WHERE id = ? AND customer_id = ?", id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNotFound
	}
	if err != nil {
		return Card{}, fmt.Errorf("get card: %w", err)
	}
	return c, nil
}

// noCard names no card: an unknown customer's or an unmatched proof's PIN is checked against it, so the answer
// costs what a real check costs.
const noCard = "00000000-0000-0000-0000-000000000000"

// VerifyHolder checks that the customer holds an active card of the type whose number ends in last6 by its PIN:
// how registration (R1) and password recovery (A8) take a card as proof of identity. Exactly one card is tried,
// whatever matched, since each further card would be one more guess at a PIN; with none the PIN is checked
// against no card, so an unknown customer or card costs the same as a wrong PIN. The answers are VerifyPIN's
// (card_pin_invalid, card_pin_blocked, card_not_found), or the error of malformed input.
func (s *Service) VerifyHolder(ctx context.Context, customerID string, t Type, last6, pin string) error {
	cards, err := s.FindByLast6(ctx, customerID, t, last6)
	if err != nil {
		return err
	}
	cardID := noCard
	if len(cards) > 0 {
		cardID = cards[0].ID
	}
	return s.VerifyPIN(ctx, cardID, pin)
}

// FindByLast6 returns the customer's active cards of the type whose numbers end in last6: how registration (R1)
// and password recovery (A8) find the card a customer names before checking its PIN with VerifyPIN. Only active
// cards count, since a blocked or closed card must not prove anything. Usually there is one; a caller that finds
// several should check the PIN against one of them only, or every extra card is an extra guess.
func (s *Service) FindByLast6(ctx context.Context, customerID string, t Type, last6 string) ([]Card, error) {
	if !t.Valid() {
		return nil, ErrTypeInvalid
	}
	if len(last6) != 6 || !allDigits(last6) {
		return nil, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("last6"))
	}
	if !text.Storable(customerID) {
		return nil, nil
	}
	return s.list(ctx, "customer_id = ? AND type = ? AND last6_hmac = ? AND status = ?",
		customerID, string(t), s.Keys.last6MAC(last6), string(Active))
}

// Reveal decrypts a card's full number. It is for staff only (the card's owner is not checked): no customer
// channel may call it, and callers must never log what it returns.
func (s *Service) Reveal(ctx context.Context, id string) (string, error) {
	if err := s.Keys.check(); err != nil {
		return "", err
	}
	if !text.Storable(id) {
		return "", ErrNotFound
	}
	var enc string
	err := s.DB.QueryRow(ctx, "SELECT number_enc FROM cards WHERE id = ?", id).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("reveal card: %w", err)
	}
	return s.Keys.open(id, enc)
}

// VerifyPIN checks a card's PIN. A right PIN resets the count of wrong ones; the MaxPINFailures-th consecutive
// wrong PIN blocks PIN use, and from then on every try — the right PIN too — is card_pin_blocked until staff call
// UnblockPIN, so guessing stops at three. The check and the count happen in one transaction under the card's row
// lock, so parallel guesses cannot slip past the counter. A card that is not active is card_not_found: it cannot
// prove anything.
func (s *Service) VerifyPIN(ctx context.Context, cardID, pin string) error {
	if err := s.Keys.check(); err != nil {
		return err
	}
	if !text.Storable(cardID) {
		return ErrNotFound
	}
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		outcome = nil // InTx may run fn again after a serialization failure
		var hash, status string
		var failures, blocked int
		err := tx.QueryRow(ctx, "SELECT pin_hash, pin_failures, pin_blocked, status FROM cards WHERE id = ?"+
			tx.DB().ForUpdate(), cardID).Scan(&hash, &failures, &blocked, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != string(Active) {
			return ErrNotFound
		}
		if blocked != 0 {
			outcome = ErrPINBlocked
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(s.Keys.pinMAC(cardID, pin)), []byte(hash)) == 1 {
			if failures == 0 {
				return nil
			}
			_, err := tx.Exec(ctx, "UPDATE cards SET pin_failures = 0 WHERE id = ?", cardID)
			return err
		}
		failures++
		nowBlocked := failures >= MaxPINFailures
		if _, err := tx.Exec(ctx, "UPDATE cards SET pin_failures = ?, pin_blocked = ? WHERE id = ?",
			failures, boolInt(nowBlocked), cardID); err != nil {
			return err
		}
		// The wrong PIN is an answer, not a failure of the transaction: the count must be committed.
		outcome = ErrPINInvalid
		if nowBlocked {
			outcome = ErrPINBlocked
		}
		return nil
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return err
		}
		return fmt.Errorf("verify pin: %w", err)
	}
	return outcome
}

// UnblockPIN lets a card's PIN be used again and clears the count of wrong PINs. Staff only, after they have
// identified the customer by other means; audited with the PIN's state before (ActionPINUnblocked).
func (s *Service) UnblockPIN(ctx context.Context, cardID string) error {
	if !text.Storable(cardID) {
		return ErrNotFound
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var customerID, accountID string
		var was pinState
		var blocked int
		err := tx.QueryRow(ctx, "SELECT customer_id, account_id, pin_blocked, pin_failures FROM cards WHERE id = ?"+
			tx.DB().ForUpdate(), cardID).Scan(&customerID, &accountID, &blocked, &was.Failures)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		was.Blocked = blocked != 0
		if _, err := tx.Exec(ctx, "UPDATE cards SET pin_blocked = 0, pin_failures = 0 WHERE id = ?", cardID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.Clock.Now(), staffEntry(ctx, ActionPINUnblocked, customerID, accountID,
			was, pinState{Card: cardID}))
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return err
		}
		return fmt.Errorf("unblock pin: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
