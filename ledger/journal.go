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

// JournalEntry is one posted entry as the bank's books hold it, for staff weighing a correction: what it was, when,
// whether it is a reversal or was reversed, and every leg with the account it posted to. Counterparties are as
// written, never masked: staff read the books, not an account holder's history.
type JournalEntry struct {
	ID          string
	Kind        string
	Description string
	PostedAt    time.Time
	ReversesID  string // the entry this one reverses, if it is a reversal
	ReversedBy  string // the reversal of this entry, once reversed
	Legs        []JournalLeg
}

// JournalLeg is one posting of an entry with its account.
type JournalLeg struct {
	Line
	Account Account
}

// JournalEntry reads entry id with its legs (transaction_not_found for an unknown id), debits first. It changes
// nothing.
func (s *Store) JournalEntry(ctx context.Context, id string) (JournalEntry, error) {
	if id == "" || len(id) > 64 || !text.Storable(id) {
		return JournalEntry{}, ErrTransactionNotFound
	}
	e := JournalEntry{ID: id}
	var at int64
	var reverses, reversedBy sql.NullString
	err := s.DB.QueryRow(ctx, `SELECT kind, description, reverses_id, posted_at,
		(SELECT r.id FROM journal_entries r WHERE r.reverses_id = e.id) FROM journal_entries e WHERE id = ?`, id).
		Scan(&e.Kind, &e.Description, &reverses, &at, &reversedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return JournalEntry{}, ErrTransactionNotFound
	}
	if err != nil {
		return JournalEntry{}, fmt.Errorf("journal entry: %w", err)
	}
	e.PostedAt, e.ReversesID, e.ReversedBy = db.FromMicros(at), reverses.String, reversedBy.String
	rows, err := s.DB.Query(ctx, "SELECT "+lineColumns+" FROM postings WHERE entry_id = ? ORDER BY amount, id", id)
	if err != nil {
		return JournalEntry{}, fmt.Errorf("journal entry: %w", err)
	}
	lines, err := db.Collect(rows, scanLine)
	if err != nil {
		return JournalEntry{}, fmt.Errorf("journal entry: %w", err)
	}
	ids := make([]any, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.AccountID)
	}
	accounts := map[string]Account{}
	if len(ids) > 0 {
		list, err := s.list(ctx, "journal entry accounts", "id IN ("+db.Placeholders(len(ids))+")", ids...)
		if err != nil {
			return JournalEntry{}, err
		}
		for _, a := range list {
			accounts[a.ID] = a
		}
	}
	for _, l := range lines {
		e.Legs = append(e.Legs, JournalLeg{Line: l, Account: accounts[l.AccountID]})
	}
	return e, nil
}

// Touches reports whether the entry posted to account accountID.
func (e JournalEntry) Touches(accountID string) bool {
	for _, l := range e.Legs {
		if l.AccountID == accountID {
			return true
		}
	}
	return false
}
