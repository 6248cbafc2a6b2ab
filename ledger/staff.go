package ledger

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// ChangeStatus blocks, reactivates or closes a customer account in a transaction of its own (a staff decision;
// SetStatus has the rules), with its audit entry (ActionStatusChanged).
func (l *Ledger) ChangeStatus(ctx context.Context, id string, to Status) error {
	return l.DB.InTx(ctx, func(tx *db.Tx) error {
		now := l.Clock.Now()
		was, err := setStatus(ctx, tx, now, id, to)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, staffEntry(ctx, ActionStatusChanged, was, statusState{was.Status},
			statusState{to}))
	})
}

// ChangeOverdraft sets an account's approved overdraft limit (minor units) in a transaction of its own (a staff
// decision; SetOverdraft has the rules), with its audit entry (ActionOverdraftChanged).
func (l *Ledger) ChangeOverdraft(ctx context.Context, id string, limit int64) error {
	return l.DB.InTx(ctx, func(tx *db.Tx) error {
		was, err := setOverdraft(ctx, tx, id, limit)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, l.Clock.Now(), staffEntry(ctx, ActionOverdraftChanged, was,
			overdraftState{was.OverdraftLimit}, overdraftState{limit}))
	})
}
