package issuing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Statuses of a card transaction as the holder sees it (F19).
const (
	Pending   = "pending"   // authorised, its hold on the account, not cleared yet
	Completed = "completed" // cleared: posted to the account
	Declined  = "declined"  // refused at authorisation, with its Reason: nothing held or paid
)

// Transaction is a card transaction as its holder sees it: pending (an authorisation whose hold is still on the
// account) or completed (a presentment posted to the account).
type Transaction struct {
	ID            string
	Status        string
	Kind          string // purchase, cash, refund
	Merchant      string
	MCC           string
	Amount        money.Amount // as the merchant charged it
	AccountID     string
	AccountAmount money.Amount // what the account held or paid (received, for a refund)
	At            time.Time
	Reason        Reason // why it was declined (Declined only)
}

// MaxTransactions is the most transactions one list gives.
const MaxTransactions = 200

// Transactions lists the customer's card's transactions of a status (Pending, Completed or Declined, with the
// reason), newest first (F19).
// Another customer's card is card_not_found, as a missing one.
func (s *Service) Transactions(ctx context.Context, customerID, cardID, status string, limit int) ([]Transaction, error) {
	if limit <= 0 || limit > MaxTransactions {
		limit = MaxTransactions
	}
	if _, err := s.Cards.Get(ctx, customerID, cardID); err != nil {
		return nil, err
	}
	var q string
	switch status {
	case Pending:
		q = `SELECT a.id, a.kind, a.merchant, a.mcc, a.amount, a.currency, a.account_id, a.account_amount,
			a.account_currency, a.created_at, '' FROM card_authorisations a JOIN holds h ON h.id = a.hold_id
			WHERE a.card_id = ? AND a.status = 'approved' AND h.status = 'active' ORDER BY a.created_at DESC, a.id LIMIT ?`
	case Completed:
		q = `SELECT id, kind, merchant, mcc, amount, currency, account_id, account_amount, account_currency, created_at,
			'' FROM card_clearings WHERE card_id = ? AND outcome = 'posted' ORDER BY created_at DESC, id LIMIT ?`
	case Declined:
		q = `SELECT id, kind, merchant, mcc, amount, currency, account_id, account_amount, account_currency, created_at,
			reason FROM card_authorisations WHERE card_id = ? AND approved = 0 ORDER BY created_at DESC, id LIMIT ?`
	default:
		return nil, ErrStatusInvalid
	}
	rows, err := s.DB.Query(ctx, q, cardID, limit)
	if err != nil {
		return nil, fmt.Errorf("card transactions: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Transaction, error) {
		t := Transaction{Status: status}
		var cur, acur, reason string
		var at int64
		err := r.Scan(&t.ID, &t.Kind, &t.Merchant, &t.MCC, &t.Amount.Minor, &cur, &t.AccountID, &t.AccountAmount.Minor,
			&acur, &at, &reason)
		t.Reason = Reason(reason)
		t.Amount.Currency, t.AccountAmount.Currency, t.At = money.Currency(cur), money.Currency(acur), db.FromMicros(at)
		return t, err
	})
}

// Authorisation is an authorisation as staff see it in the back office.
type Authorisation struct {
	ID, CardID, ParentID, Kind string
	Amount                     money.Amount
	Merchant, MCC, Country     string
	EntryMode                  string
	Approved                   bool
	Reason                     Reason
	Control                    string
	AccountID                  string
	AccountAmount              money.Amount
	Status                     string // approved, declined, reversed, cleared; HoldStatus tells an expired hold
	HoldStatus                 string
	At                         time.Time
}

// Authorisations lists a card's authorisations, newest first, approved and declined.
func (s *Service) Authorisations(ctx context.Context, cardID string, limit int) ([]Authorisation, error) {
	if limit <= 0 || limit > MaxTransactions {
		limit = MaxTransactions
	}
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.card_id, a.parent_id, a.kind, a.amount, a.currency, a.merchant,
		a.mcc, a.country, a.entry_mode, a.approved, a.reason, a.control, a.account_id, a.account_amount,
		a.account_currency, a.status, COALESCE(h.status, ''), a.created_at FROM card_authorisations a
		LEFT JOIN holds h ON h.id = a.hold_id WHERE a.card_id = ? ORDER BY a.created_at DESC, a.id LIMIT ?`, cardID, limit)
	if err != nil {
		return nil, fmt.Errorf("card authorisations: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Authorisation, error) {
		var a Authorisation
		var cur, acur, reason string
		var approved int
		var at int64
		err := r.Scan(&a.ID, &a.CardID, &a.ParentID, &a.Kind, &a.Amount.Minor, &cur, &a.Merchant, &a.MCC, &a.Country,
			&a.EntryMode, &approved, &reason, &a.Control, &a.AccountID, &a.AccountAmount.Minor, &acur, &a.Status,
			&a.HoldStatus, &at)
		a.Amount.Currency, a.AccountAmount.Currency = money.Currency(cur), money.Currency(acur)
		a.Approved, a.Reason, a.At = approved != 0, Reason(reason), db.FromMicros(at)
		return a, err
	})
}

// Clearing is a posted presentment as staff see it.
type Clearing struct {
	ID, FileID, AuthorisationID, CardID, Kind string
	Amount                                    money.Amount
	Merchant, MCC                             string
	AccountID                                 string
	AccountAmount                             money.Amount
	EntryID, Outcome                          string
	At                                        time.Time
}

const clearingColumns = `id, file_id, authorisation_id, card_id, kind, amount, currency, merchant, mcc, account_id,
	account_amount, account_currency, entry_id, outcome, created_at`

func scanClearing(r db.Scanner) (Clearing, error) {
	var c Clearing
	var cur, acur string
	var at int64
	err := r.Scan(&c.ID, &c.FileID, &c.AuthorisationID, &c.CardID, &c.Kind, &c.Amount.Minor, &cur, &c.Merchant, &c.MCC,
		&c.AccountID, &c.AccountAmount.Minor, &acur, &c.EntryID, &c.Outcome, &at)
	c.Amount.Currency, c.AccountAmount.Currency, c.At = money.Currency(cur), money.Currency(acur), db.FromMicros(at)
	return c, err
}

// Clearing returns one presentment as posted (card_clearing_not_found for one the issuer never posted).
func (s *Service) Clearing(ctx context.Context, id string) (Clearing, error) {
	return s.clearing(ctx, id)
}

func (s *Service) clearing(ctx context.Context, id string) (Clearing, error) {
	if !text.Storable(id) {
		return Clearing{}, ErrClearingNotFound
	}
	c, err := scanClearing(s.DB.QueryRow(ctx, "SELECT "+clearingColumns+" FROM card_clearings WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Clearing{}, ErrClearingNotFound
	}
	if err != nil {
		return Clearing{}, fmt.Errorf("card clearing: %w", err)
	}
	return c, nil
}

// Clearings lists a card's presentments, newest first, exceptions included.
func (s *Service) Clearings(ctx context.Context, cardID string, limit int) ([]Clearing, error) {
	if limit <= 0 || limit > MaxTransactions {
		limit = MaxTransactions
	}
	rows, err := s.DB.Query(ctx, "SELECT "+clearingColumns+` FROM card_clearings WHERE card_id = ?
		ORDER BY created_at DESC, id LIMIT ?`, cardID, limit)
	if err != nil {
		return nil, fmt.Errorf("card clearings: %w", err)
	}
	return db.Collect(rows, scanClearing)
}
