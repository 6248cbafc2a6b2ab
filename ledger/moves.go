package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/text"
)

// Move is one posting of an account with its entry's kind and reference: what a product built on an account (a
// credit card's statement) reads to tell a purchase from a payment.
type Move struct {
	Seq         int64
	EntryID     string
	Amount      int64 // credit > 0, debit < 0
	PostedAt    time.Time
	Kind        string // the entry's kind
	Reference   string // the entry's reference
	Description string
}

// Moves returns an account's postings after seq, in posting order.
func (s *Store) Moves(ctx context.Context, accountID string, afterSeq int64) ([]Move, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.seq, p.entry_id, p.amount, p.posted_at, e.kind, e.reference, p.description
		FROM postings p JOIN journal_entries e ON e.id = p.entry_id
		WHERE p.account_id = ? AND p.seq > ? ORDER BY p.seq`, accountID, afterSeq)
	if err != nil {
		return nil, fmt.Errorf("moves: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (Move, error) {
		var m Move
		var at int64
		err := r.Scan(&m.Seq, &m.EntryID, &m.Amount, &at, &m.Kind, &m.Reference, &m.Description)
		m.PostedAt = db.FromMicros(at)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("moves: %w", err)
	}
	return out, nil
}

// EntryOn returns what entry entryID posted to the account and the entry's kind; ErrTransactionNotFound when it
// posted nothing there.
func (s *Store) EntryOn(ctx context.Context, entryID, accountID string) (amount int64, kind string, err error) {
	if !text.Storable(entryID) {
		return 0, "", ErrTransactionNotFound
	}
	err = s.DB.QueryRow(ctx, `SELECT p.amount, e.kind FROM postings p JOIN journal_entries e ON e.id = p.entry_id
		WHERE p.entry_id = ? AND p.account_id = ?`, entryID, accountID).Scan(&amount, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrTransactionNotFound
	}
	if err != nil {
		return 0, "", fmt.Errorf("entry on account: %w", err)
	}
	return amount, kind, nil
}

// HoldOn reports whether holdID is a hold on the account (placed, whatever became of it since).
func (s *Store) HoldOn(ctx context.Context, holdID, accountID string) (bool, error) {
	if !text.Storable(holdID) {
		return false, nil
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM holds WHERE id = ? AND account_id = ?", holdID,
		accountID).Scan(&n); err != nil {
		return false, fmt.Errorf("hold on account: %w", err)
	}
	return n > 0, nil
}
