package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/text"
)

// Reversible reports whether entry id could be reversed now: transaction_not_found for an unknown entry,
// already_reversed for a reversal or an entry reversed before. A request to reverse it is checked with this before
// it waits for a second member; Reverse checks again when it runs.
func (l *Ledger) Reversible(ctx context.Context, id string) error {
	if id == "" || !text.Storable(id) {
		return ErrTransactionNotFound
	}
	var reverses sql.NullString
	var reversed int
	err := l.DB.QueryRow(ctx, `SELECT reverses_id, (SELECT COUNT(*) FROM journal_entries r WHERE r.reverses_id = e.id)
		FROM journal_entries e WHERE id = ?`, id).Scan(&reverses, &reversed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrTransactionNotFound
	case err != nil:
		return fmt.Errorf("reversible: %w", err)
	case reverses.Valid || reversed > 0:
		return ErrAlreadyReversed
	}
	return nil
}
