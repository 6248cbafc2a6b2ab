package transfer

import (
	"context"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/text"
)

// The audit actions of transfers.
const (
	ActionCreated   = "transfer.created"   // made at once
	ActionPending   = "transfer.pending"   // waiting for its confirmation
	ActionPosted    = "transfer.posted"    // a confirmed transfer's money moved
	ActionRefused   = "transfer.refused"   // refused: the result is the code
	ActionConfirmed = "transfer.confirmed" // its confirmation was proved
	ActionFailed    = "transfer.failed"    // a confirmed transfer that could not be posted, failed for good
)

// Actions lists every audit action of transfers, for the catalogue's tests.
func Actions() []string {
	return []string{ActionCreated, ActionPending, ActionPosted, ActionRefused, ActionConfirmed, ActionFailed}
}

// entry is the audit entry of action on t. err, when not nil, makes it a refusal with err's code as the result;
// its after-state is then the transfer that was asked for, whose id names no row.
func entry(ctx context.Context, t Transfer, action string, err error) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, t.CustomerID)), Action: action,
		CustomerID: t.CustomerID, AccountID: t.FromAccountID, Result: audit.ResultOK})
	if err != nil {
		e.Action, e.Result = ActionRefused, kumbara.CodeOf(err)
	}
	if t.ID != "" {
		// The transfer's row (its id) holds the rest: its accounts, type and description.
		e.After = audit.State(transferState{ID: t.ID, Amount: t.Amount.Minor, Currency: string(t.Amount.Currency)})
	}
	return e
}

// transferState is what an entry keeps of a transfer: a struct, so it encodes without a map's sorting.
type transferState struct {
	ID       string `json:"id"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// refusedEarly records a transfer refused before it reached the ledger, in a transaction of its own (nothing
// changed with it). A failure to record it is not the customer's answer: the refusal is.
func (s *Service) refusedEarly(ctx context.Context, customerID string, r Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindInternal || db.IsFault(err) {
		return
	}
	e := entry(ctx, Transfer{CustomerID: customerID}, ActionRefused, err)
	if text.Storable(r.FromAccountID) {
		e.AccountID = audit.Clip(r.FromAccountID) // as sent: JSON below escapes what a text column would refuse
	}
	e.After = audit.State(map[string]any{"type": audit.Clip(r.Type), "amount": audit.Clip(r.Amount),
		"currency": audit.Clip(r.Currency)})
	_ = audit.Record(context.WithoutCancel(ctx), s.Ledger.DB, s.Ledger.Clock.Now(), e)
}

type withoutAuditKey struct{}

// WithoutAudit marks ctx as a bench request whose transfer is posted without its audit entry when the service's
// AuditSwitch is on (and only then).
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, withoutAuditKey{}, true)
}

// auditOf is the ledger op's audit hook: hook, unless the bench asked for none (AuditSwitch, WithoutAudit); then
// nil, and the batch takes no audit lock for the op.
func (s *Service) auditOf(ctx context.Context, hook func(error) []audit.Entry) func(error) []audit.Entry {
	if off, _ := ctx.Value(withoutAuditKey{}).(bool); off && s.AuditSwitch {
		return nil
	}
	return hook
}
