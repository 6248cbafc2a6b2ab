// Package card keeps the bank's cards: staff issue a debit card on a customer's account (or a credit card on its
// credit account); the customer proves they hold it with its last digits and PIN (registration, password
// recovery); the holder links up to three more current accounts, blocks and reactivates it, reports it lost,
// reprints it, chooses a new PIN and sets its controls (lifecycle.go, links.go, controls.go); every change is in
// the card's history (history.go). The full card number is stored only encrypted (AES-256-GCM) beside a keyed
// hash for lookup; the PIN only as a keyed hash with a try counter. The card network's authorisations read a card
// through ForNetwork and check PINs with CheckTerminalPIN (network.go).
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
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// orNotFound is err, or card_not_found when there is none: a card that exists but is another customer's.
func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return ErrNotFound
}

// Type is a card scheme.
type Type string

const (
	Visa       Type = "visa"
	Mastercard Type = "mastercard"
)

// Name is the scheme's brand name, the same in every language.
func (t Type) Name() string {
	switch t {
	case Visa:
		return "Visa"
	case Mastercard:
		return "Mastercard"
	}
	return string(t)
}

// Valid reports whether t is a scheme we issue.
func (t Type) Valid() bool { return t == Visa || t == Mastercard }

// Status is a card's state. Only an active card can prove its holder's identity or be used; Expired is not
// stored but read from the expiry (Card.ExpiredAt, Card.Shown).
type Status string

const (
	Active  Status = "active"
	Blocked Status = "blocked" // blocked for a while by the holder or staff; either may reactivate it
	Closed  Status = "closed"
	// Ordered is a reprinted card being made, and Ready one waiting at the branch (the holder was told by SMS).
	// Neither can be used: a card starts working only once staff hand it over (HandOver), so a card lost between
	// the printer and the holder spends nothing.
	Ordered Status = "ordered"
	Ready   Status = "ready"
	Expired Status = "expired" // never stored: an active or blocked card past its expiry month
)

// final reports whether nothing can be done to a card in status st any more.
func (st Status) final() bool { return st == Replaced || st == Closed }

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
	AccountID   string // the primary account (a credit card's credit account)
	Kind        Kind
	Type        Type
	Holder      string         // the name printed on the card
	Currency    money.Currency // the primary account's: the currency of the daily limits
	Last6       string         // set only on the card Issue returns; stored as a keyed hash
	Masked      string         // first 6 and last 4 digits: "4000 00** **** 1234"
	Contactless bool
	Expires     string // "YYYY-MM": valid to the end of that month
	Status      Status
	PINBlocked  bool
	PINPending  bool // a new PIN was chosen and takes effect at the first ATM operation made with it
	// Controls are the holder's switches and daily limits, the limits as they apply (0 stored reads as the bank's
	// maximum for the currency).
	Controls   Controls
	Replaces   string // the card this one was reprinted from
	ReplacedBy string // the card reprinted from this one
	// Supplementary marks a credit card issued on another card's credit account for another holder (F13): it
	// spends the same account within a share of the limit (package creditcard).
	Supplementary bool
	CreatedAt     time.Time
	StatusAt      time.Time // when the status last changed (the creation for a card never changed)
}

// Shown is the status as the holder sees it at t: an active or blocked card past its expiry month is Expired.
func (c Card) Shown(t time.Time) Status {
	if (c.Status == Active || c.Status == Blocked) && c.ExpiredAt(t) {
		return Expired
	}
	return c.Status
}

// Service issues cards and checks their PINs. BIN is the bank's issuer identification number (6–8 digits) that
// every number it issues starts with. One BIN serves both schemes for now: real scheme ranges (Visa 4…,
// Mastercard 51–55 / 2221–2720) come with the full card features.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Keys  Keys
	BIN   string
	// Limits are the bank's maximum daily limits per currency; zero means DefaultLimits.
	Limits Limits
	// Customers gives the holder's name at issue and the mobile and language of the SMS that a reprinted card is
	// ready; Passwords checks the password that actions widening what a card can do ask for again (nil: those
	// actions are refused to customers); Texts writes the SMS.
	Customers Customers
	Passwords Passwords
	Texts     *i18n.Catalogue

	rand io.Reader // nil means crypto/rand; tests replace it to force number collisions
}

// IssueRequest describes a card to issue. ValidYears 0 means DefaultValidYears.
type IssueRequest struct {
	CustomerID  string
	Holder      string // the name to print; empty: the customer's name
	AccountID   string // a debit card's primary account; a credit card's own credit account
	Kind        Kind   // Debit when empty
	Type        Type
	Contactless bool
	PIN         string
	ValidYears  int
	// Supplementary issues a supplementary credit card on the credit account of a card the customer holds (F13).
	Supplementary bool
}

func (s *Service) random() io.Reader {
	if s.rand != nil {
		return s.rand
	}
	return rand.Reader
}

// Issue issues a card on one of the customer's active accounts: a debit card on its primary account, a credit
// card on its credit account. The number is drawn at random under the BIN with a Luhn check digit; only its
// ciphertext, its keyed hash, its last 6 digits and its masked form are stored, and the PIN only as a keyed hash.
func (s *Service) Issue(ctx context.Context, r IssueRequest) (Card, error) {
	if err := s.Keys.check(); err != nil {
		return Card{}, err
	}
	if !ValidBIN(s.BIN) {
		return Card{}, fmt.Errorf("card: BIN %q is not 6 to 8 digits", s.BIN)
	}
	if err := r.validate(); err != nil {
		return Card{}, err
	}
	if r.Kind == "" {
		r.Kind = Debit
	}
	holder, err := s.holder(ctx, r)
	if err != nil {
		return Card{}, err
	}
	years := r.ValidYears
	if years == 0 {
		years = DefaultValidYears
	}
	now := s.Clock.Now().UTC()
	c := Card{CustomerID: r.CustomerID, AccountID: r.AccountID, Kind: r.Kind, Type: r.Type, Holder: holder,
		Contactless: r.Contactless, Expires: expiry(now, years), Status: Active, Controls: DefaultControls(),
		CreatedAt: now, StatusAt: now, Supplementary: r.Supplementary}
	check := func(tx *db.Tx, c *Card) error {
		// Another customer's account and a missing one look the same.
		a, err := ledger.LockOwned(ctx, tx, r.CustomerID, r.AccountID)
		if err != nil {
			return err
		}
		if err := a.Usable(); err != nil {
			return err
		}
		c.Currency = a.Currency
		return nil
	}
	c, err = s.create(ctx, c, check, func(tx *db.Tx, c *Card) error {
		if _, err := tx.Exec(ctx, "UPDATE cards SET pin_hash = ? WHERE id = ?", s.Keys.pinMAC(c.ID, r.PIN), c.ID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, now, c.ID, event(ActionIssued), ""); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, staffEntry(ctx, ActionIssued, c.CustomerID, c.AccountID, nil,
			issuedState{Card: c.ID, Type: c.Type, Contactless: c.Contactless, Expires: c.Expires}))
	})
	if err != nil {
		return Card{}, err
	}
	return s.resolve(c), nil
}

func (r IssueRequest) validate() error {
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
	if r.Kind != "" && r.Kind != Debit && r.Kind != Credit {
		fields = append(fields, kumbara.ErrInvalid.At("kind"))
	}
	if r.Supplementary && r.Kind != Credit {
		fields = append(fields, kumbara.ErrInvalid.At("supplementary"))
	}
	if len(r.Holder) > 64 || !text.Storable(r.Holder) {
		fields = append(fields, kumbara.ErrInvalid.At("holder"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if !r.Type.Valid() {
		return ErrTypeInvalid
	}
	if err := checkPIN(r.PIN); err != nil {
		return err
	}
	if !text.Storable(r.CustomerID) || !text.Storable(r.AccountID) {
		return ledger.ErrAccountNotFound
	}
	return nil
}

// holder is the name printed on the card: the request's, else the customer's in capitals, as cards are embossed.
func (s *Service) holder(ctx context.Context, r IssueRequest) (string, error) {
	if h := strings.TrimSpace(r.Holder); h != "" {
		return strings.ToUpper(h), nil
	}
	if s.Customers == nil {
		return "", nil
	}
	c, err := s.Customers.Get(ctx, r.CustomerID)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(c.Name()), nil
}

// expiry is the expiry month of a card issued at now valid for years, counted in the bank's time zone, where the
// card is handed over.
func expiry(now time.Time, years int) string {
	local := now.In(clock.Tirane)
	return fmt.Sprintf("%04d-%02d", local.Year()+years, int(local.Month()))
}

// create stores a new card c under a freshly drawn number, after check and before fill in the same transaction
// (check: the account's; fill: the PIN, the history). c's number fields and id are set here.
func (s *Service) create(ctx context.Context, c Card, check, fill func(tx *db.Tx, c *Card) error) (Card, error) {
	for range issueAttempts {
		pan, err := newPAN(s.random(), s.BIN)
		if err != nil {
			return Card{}, fmt.Errorf("issue card: %w", err)
		}
		c.ID = uuid.Must(uuid.NewV7()).String()
		c.Last6, c.Masked = pan[len(pan)-6:], mask(pan)
		enc, err := s.Keys.seal(c.ID, pan)
		if err != nil {
			return Card{}, fmt.Errorf("issue card: %w", err)
		}
		made := c
		err = s.DB.InTx(ctx, func(tx *db.Tx) error {
			made = c // InTx may run fn again after a serialization failure
			if err := check(tx, &made); err != nil {
				return err
			}
			k := made.Controls
			_, err := tx.Exec(ctx, `INSERT INTO cards (id, customer_id, account_id, type, number_enc, number_hmac, last6_hmac,
				masked, contactless, expires, status, pin_hash, pin_failures, pin_blocked, created_at, kind, holder,
				ctl_online, ctl_contactless, ctl_atm, ctl_magstripe, ctl_abroad, daily_purchase_limit, daily_atm_limit,
				replaces, status_at, supplementary)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				made.ID, made.CustomerID, made.AccountID, string(made.Type), enc, s.Keys.numberMAC(pan),
				s.Keys.last6MAC(made.Last6), made.Masked, boolInt(made.Contactless), made.Expires, string(made.Status),
				db.Micros(made.CreatedAt), string(made.Kind), made.Holder, boolInt(k.Online), boolInt(k.Contactless),
				boolInt(k.ATM), boolInt(k.Magstripe), boolInt(k.Abroad), k.DailyPurchaseLimit, k.DailyATMLimit,
				made.Replaces, db.Micros(made.StatusAt), boolInt(made.Supplementary))
			if err != nil {
				return err
			}
			return fill(tx, &made)
		})
		if err == nil {
			return made, nil
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

const columns = `id, customer_id, account_id, type, masked, contactless, expires, status, pin_blocked, created_at,
	kind, holder, ctl_online, ctl_contactless, ctl_atm, ctl_magstripe, ctl_abroad, daily_purchase_limit,
	daily_atm_limit, pin_pending, replaces, replaced_by, status_at, supplementary,
	(SELECT a.currency FROM accounts a WHERE a.id = cards.account_id)`

// scan reads a card as stored: its limits as stored too (0: the bank's maximum); resolve applies them.
func scan(sc db.Scanner) (Card, error) {
	var c Card
	var contactless, pinBlocked, online, ctlContactless, atm, magstripe, abroad, supplementary int
	var created, statusAt int64
	var pending string
	err := sc.Scan(&c.ID, &c.CustomerID, &c.AccountID, &c.Type, &c.Masked, &contactless, &c.Expires,
		&c.Status, &pinBlocked, &created, &c.Kind, &c.Holder, &online, &ctlContactless, &atm, &magstripe, &abroad,
		&c.Controls.DailyPurchaseLimit, &c.Controls.DailyATMLimit, &pending, &c.Replaces, &c.ReplacedBy, &statusAt,
		&supplementary, &c.Currency)
	c.Contactless, c.PINBlocked, c.PINPending = contactless != 0, pinBlocked != 0, pending != ""
	c.Supplementary = supplementary != 0
	c.Controls.Online, c.Controls.Contactless, c.Controls.ATM = online != 0, ctlContactless != 0, atm != 0
	c.Controls.Magstripe, c.Controls.Abroad = magstripe != 0, abroad != 0
	c.CreatedAt, c.StatusAt = db.FromMicros(created), db.FromMicros(statusAt)
	if statusAt == 0 {
		c.StatusAt = c.CreatedAt
	}
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
	for i := range out {
		out[i] = s.resolve(out[i])
	}
	return out, nil
}

// byID reads one card whoever holds it (staff, the card network); ErrNotFound when there is none.
func (s *Service) byID(ctx context.Context, q querier, id string) (Card, error) {
	if !text.Storable(id) {
		return Card{}, ErrNotFound
	}
	c, err := scan(q.QueryRow(ctx, "SELECT "+columns+" FROM cards WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNotFound
	}
	if err != nil {
		return Card{}, fmt.Errorf("get card: %w", err)
	}
	return s.resolve(c), nil
}

// Find returns a card whoever holds it: for staff, whose every face checks the member's permission first.
func (s *Service) Find(ctx context.Context, id string) (Card, error) { return s.byID(ctx, s.DB, id) }

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
	c, err := s.byID(ctx, s.DB, id)
	if err != nil || c.CustomerID != customerID {
		return Card{}, orNotFound(err)
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
	return s.verify(ctx, cardID, pin, false)
}

// verify is VerifyPIN, and at an ATM (atATM) CheckTerminalPIN: there a pending new PIN, when typed, takes effect.
func (s *Service) verify(ctx context.Context, cardID, pin string, atATM bool) error {
	if err := s.Keys.check(); err != nil {
		return err
	}
	if !text.Storable(cardID) {
		return ErrNotFound
	}
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		outcome = nil // InTx may run fn again after a serialization failure
		var hash, pending, ref, status string
		var failures, blocked int
		err := tx.QueryRow(ctx, "SELECT pin_hash, pin_pending, pin_ref, pin_failures, pin_blocked, status FROM cards WHERE id = ?"+
			tx.DB().ForUpdate(), cardID).Scan(&hash, &pending, &ref, &failures, &blocked, &status)
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
		if ref == "" {
			ref = cardID
		}
		given := []byte(s.Keys.pinMAC(ref, pin))
		if atATM && pending != "" && subtle.ConstantTimeCompare(given, []byte(pending)) == 1 {
			// The new PIN's first use at an ATM: from now on it is the card's PIN.
			if _, err := tx.Exec(ctx, "UPDATE cards SET pin_hash = pin_pending, pin_pending = '', pin_failures = 0 WHERE id = ?",
				cardID); err != nil {
				return err
			}
			return s.record(audit.WithActor(ctx, audit.System(audit.Bank)), tx, s.Clock.Now().UTC(), cardID,
				event(ActionPINEffective), "")
		}
		if subtle.ConstantTimeCompare(given, []byte(hash)) == 1 {
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
		if err := s.record(ctx, tx, s.Clock.Now().UTC(), cardID, event(ActionPINUnblocked), ""); err != nil {
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
