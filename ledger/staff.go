package ledger

import (
	"context"

	"github.com/kumbara/kumbara/db"
)

// ChangeStatus blocks, reactivates or closes a customer account in a transaction of its own (a staff decision;
// SetStatus has the rules).
func (l *Ledger) ChangeStatus(ctx context.Context, id string, to Status) error {
	return l.DB.InTx(ctx, func(tx *db.Tx) error { return SetStatus(ctx, tx, l.Clock.Now(), id, to) })
}

// ChangeOverdraft sets an account's approved overdraft limit (minor units) in a transaction of its own (a staff
// decision; SetOverdraft has the rules).
func (l *Ledger) ChangeOverdraft(ctx context.Context, id string, limit int64) error {
	return l.DB.InTx(ctx, func(tx *db.Tx) error { return SetOverdraft(ctx, tx, id, limit) })
}
