package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
)

// HoldStatus is where a hold is in its life.
type HoldStatus string

const (
	HoldActive   HoldStatus = "active"
	HoldCaptured HoldStatus = "captured"
	HoldReleased HoldStatus = "released"
	HoldExpired  HoldStatus = "expired"
)

// Hold reserves money on an account before it moves (card authorisations, cardless withdrawals, pending outgoing
// transfers, QR payments): it lowers available without touching the ledger balance.
type Hold struct {
	ID        string
	AccountID string
	Amount    int64
	Currency  money.Currency
	Reason    string
	Reference string
	Status    HoldStatus
	ExpiresAt time.Time
	CreatedAt time.Time
	SettledAt time.Time
	EntryID   string
}

const holdColumns = `id, account_id, amount, currency, reason, reference, status, expires_at, created_at,
	COALESCE(settled_at, 0), COALESCE(entry_id, '')`

func scanHold(s db.Scanner) (Hold, error) {
	var h Hold
	var exp, created, settled int64
	err := s.Scan(&h.ID, &h.AccountID, &h.Amount, &h.Currency, &h.Reason, &h.Reference, &h.Status, &exp, &created,
		&settled, &h.EntryID)
	h.ExpiresAt, h.CreatedAt = db.FromMicros(exp), db.FromMicros(created)
	if settled != 0 {
		h.SettledAt = db.FromMicros(settled)
	}
	return h, err
}

// PlaceHold reserves amount on an active account whose available balance covers it.
func (b *Batch) PlaceHold(accountID string, amount int64, reason, reference string, expires time.Time) (Hold, error) {
	a := b.account(accountID)
	if a == nil {
		return Hold{}, ErrAccountNotFound
	}
	if amount <= 0 {
		return Hold{}, money.ErrAmountNotPositive
	}
	if a.Status != Active {
		return Hold{}, statusError(a.Status)
	}
	held, ok := addInt64(a.Held, amount)
	if !ok {
		return Hold{}, money.ErrAmountOutOfRange
	}
	if !a.AllowNegative && a.Balance-held+a.OverdraftLimit < 0 {
		return Hold{}, ErrInsufficientFunds
	}
	if !expires.After(b.now) {
		return Hold{}, kumbara.ErrValidationFailed.WithFields(ErrInvalidDate.At("expires_at"))
	}
	h := &Hold{ID: uuid.Must(uuid.NewV7()).String(), AccountID: accountID, Amount: amount, Currency: a.Currency,
		Reason: reason, Reference: reference, Status: HoldActive, ExpiresAt: expires.UTC(), CreatedAt: b.now}
	a.Held = held
	b.touched[a.ID] = true
	b.holds[h.ID] = h
	b.newHolds = append(b.newHolds, h)
	return *h, nil
}

// Hold returns the locked state of a hold the op declared.
func (b *Batch) Hold(id string) (Hold, error) {
	h := b.hold(id)
	if h == nil {
		return Hold{}, ErrHoldNotFound
	}
	return *h, nil
}

// CaptureHold settles an active hold: the reservation is lifted and amount (at most the hold) is posted from the
// held account to the legs' other side. legs must debit the held account by amount and balance.
func (b *Batch) CaptureHold(id string, amount int64, e Entry) (string, error) {
	h := b.hold(id)
	if h == nil {
		return "", ErrHoldNotFound
	}
	if h.Status != HoldActive {
		return "", ErrHoldNotActive
	}
	if amount <= 0 || amount > h.Amount {
		return "", money.ErrInvalidAmount
	}
	a := b.account(h.AccountID)
	if a == nil {
		return "", ErrAccountNotFound
	}
	var debit int64
	for _, l := range e.Legs {
		if l.AccountID == h.AccountID {
			debit += l.Amount
		}
	}
	if debit != -amount {
		return "", fmt.Errorf("capture hold: entry debits %d from the held account, want %d", -debit, amount)
	}
	// Lift the reservation first: the money it reserved is what the entry spends.
	a.Held -= h.Amount
	entryID, err := b.Post(e)
	if err != nil {
		a.Held += h.Amount
		return "", err
	}
	h.Status, h.SettledAt, h.EntryID = HoldCaptured, b.now, entryID
	b.touched[a.ID] = true
	b.holdChanges[h.ID] = true
	return entryID, nil
}

// ReleaseHold lifts an active hold without moving money; status is HoldReleased or HoldExpired.
func (b *Batch) ReleaseHold(id string, status HoldStatus) error {
	h := b.hold(id)
	if h == nil {
		return ErrHoldNotFound
	}
	if h.Status != HoldActive {
		return ErrHoldNotActive
	}
	if status != HoldReleased && status != HoldExpired {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("status"))
	}
	a := b.account(h.AccountID)
	if a == nil {
		return ErrAccountNotFound
	}
	a.Held -= h.Amount
	h.Status, h.SettledAt = status, b.now
	b.touched[a.ID] = true
	b.holdChanges[h.ID] = true
	return nil
}

func (b *Batch) holdStmts(d *db.DB) []db.Stmt {
	var rows [][]any
	isNew := map[string]bool{}
	for _, h := range b.newHolds {
		isNew[h.ID] = true
		var settled any
		if !h.SettledAt.IsZero() {
			settled = db.Micros(h.SettledAt)
		}
		rows = append(rows, []any{h.ID, h.AccountID, h.Amount, string(h.Currency), h.Reason, h.Reference,
			string(h.Status), db.Micros(h.ExpiresAt), db.Micros(h.CreatedAt), settled, nullable(h.EntryID)})
	}
	stmts := d.InsertRows("holds", []string{"id", "account_id", "amount", "currency", "reason", "reference",
		"status", "expires_at", "created_at", "settled_at", "entry_id"}, rows)
	var upd [][]any
	for _, id := range sortedKeys(b.holdChanges) {
		// A hold placed by an op that was then undone is gone from the batch; a hold an undone op settled is back
		// to its earlier state, which is written as it was (an active hold has no settled_at).
		h, ok := b.holds[id]
		if isNew[id] || !ok {
			continue
		}
		var settled any
		if !h.SettledAt.IsZero() {
			settled = db.Micros(h.SettledAt)
		}
		upd = append(upd, []any{h.ID, string(h.Status), settled, nullable(h.EntryID)})
	}
	return append(stmts, d.UpdateRows("holds", "id", []string{"status", "settled_at", "entry_id"}, upd)...)
}

// ExpiredHolds lists active holds whose time has passed, for the expiry job.
func (s *Store) ExpiredHolds(ctx context.Context, now time.Time, limit int) ([]Hold, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+holdColumns+" FROM holds WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
		db.Micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("expired holds: %w", err)
	}
	return db.Collect(rows, scanHold)
}

// GetHold returns a hold by id.
func (s *Store) GetHold(ctx context.Context, id string) (Hold, error) {
	h, err := scanHold(s.DB.QueryRow(ctx, "SELECT "+holdColumns+" FROM holds WHERE id = ?", id))
	if err != nil {
		return Hold{}, ErrHoldNotFound
	}
	return h, nil
}
