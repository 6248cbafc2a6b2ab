package payment

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
)

// The audit actions of payments.
const (
	ActionPending   = "payment.pending"   // waiting for its confirmation
	ActionConfirmed = "payment.confirmed" // its confirmation was proved
	ActionAccepted  = "payment.accepted"  // its money held
	ActionRefused   = "payment.refused"   // refused: the result is the code
)

// The audit actions of staff running the clearing side by hand (the back office, `kumbara admin clearing …`), by
// the member of staff the context carries (audit.Operator). A session or a dispatch is many transactions and a
// call to the clearing house, so its entry follows it; a reconciliation's entry is in the transaction that keeps
// its result.
const (
	ActionSessionRun = "clearing.session_run" // after: the payments sent and the messages still waiting
	ActionDispatched = "clearing.dispatched"  // after: the messages still waiting
	ActionReconciled = "clearing.reconciled"  // after: the day, the currency and what matched
)

// AuditActions lists every audit action of payments, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionPending, ActionConfirmed, ActionAccepted, ActionRefused, ActionSessionRun, ActionDispatched,
		ActionReconciled}
}

// auditEntry is the audit entry of action on p; err, when not nil, makes it a refusal with err's code.
func auditEntry(ctx context.Context, p Payment, action string, err error) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, p.CustomerID)), Action: action,
		CustomerID: p.CustomerID, AccountID: p.AccountID, Result: audit.ResultOK})
	if err != nil {
		e.Action, e.Result = ActionRefused, kumbara.CodeOf(err)
	}
	e.After = audit.State(paymentState{ID: p.ID, Scheme: p.Scheme, Amount: p.Amount.Minor,
		Currency: string(p.Amount.Currency), Fee: p.Fee.Minor})
	return e
}

// paymentState is what an entry keeps of a payment: a struct, so it encodes without a map's sorting.
type paymentState struct {
	ID       string `json:"id"`
	Scheme   string `json:"scheme"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Fee      int64  `json:"fee"`
}

// staffEntry is the audit entry of a clearing action by the member of staff ctx carries, with what it left; err,
// when not nil, makes it a failure with err's code.
func staffEntry(ctx context.Context, action string, after any, err error) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK,
		After: audit.State(after)})
	if err != nil {
		e.Result = kumbara.CodeOf(err)
	}
	return e
}

// recordStaff appends a clearing action's entry after the action. Its failure is the caller's: an action staff
// cannot see in the log must not look done without it.
func (s *Service) recordStaff(ctx context.Context, e audit.Entry) error {
	if err := audit.Record(context.WithoutCancel(ctx), s.Ledger.DB, s.Ledger.Clock.Now(), e); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// runState is what a session's or a dispatch's entry keeps.
type runState struct {
	Sent    int `json:"sent"`
	Waiting int `json:"waiting"`
}

// reconState is what a reconciliation's entry keeps of a currency's result; a day in which nothing moved has no
// currency.
type reconState struct {
	Day       string `json:"day"`
	Currency  string `json:"currency,omitempty"`
	Statement string `json:"statement,omitempty"`
	Theirs    int    `json:"theirs"`
	Ours      int    `json:"ours"`
	Matched   int    `json:"matched"`
	Breaks    int    `json:"breaks"`
}

func reconStateOf(r Result) reconState {
	return reconState{Day: r.Day.String(), Currency: string(r.Currency), Statement: r.Statement, Theirs: r.Theirs,
		Ours: r.Ours, Matched: r.Matched, Breaks: len(r.Breaks)}
}
