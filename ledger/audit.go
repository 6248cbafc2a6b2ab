package ledger

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of the bank's staff on accounts and entries (package audit). Each is appended in the
// transaction of its change, by the member of staff the context carries (audit.Operator), so a refused change
// leaves no entry; a customer's own change of an account is ActionRenamed.
const (
	ActionCashDeposited    = "cash.deposited"            // cash taken at a branch; after: the entry, amount, balance
	ActionCashWithdrawn    = "cash.withdrawn"            // cash paid out at a branch
	ActionStatusChanged    = "account.status_changed"    // blocked, reactivated or closed; before/after: status
	ActionOverdraftChanged = "account.overdraft_changed" // before/after: the overdraft limit (minor units)
	ActionReversed         = "entry.reversed"            // one entry per customer account the reversal posts to
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionRenamed, ActionCashDeposited, ActionCashWithdrawn, ActionStatusChanged,
		ActionOverdraftChanged, ActionReversed}
}

// staffEntry is the entry of a staff action on account a, with its state before (nil: none) and after.
func staffEntry(ctx context.Context, action string, a Account, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, CustomerID: a.CustomerID,
		AccountID: a.ID, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

// posted is what an entry staff post leaves in the audit: its id, the amount on the account and the balance it
// leaves.
type posted struct {
	Entry    string `json:"entry"`
	Reverses string `json:"reverses,omitempty"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Balance  int64  `json:"balance"`
	Reason   string `json:"reason,omitempty"`
}

type balanceState struct {
	Balance int64 `json:"balance"`
}

type statusState struct {
	Status Status `json:"status"`
}

type overdraftState struct {
	OverdraftLimit int64 `json:"overdraft_limit"`
}
