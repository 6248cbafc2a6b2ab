package payment

import (
	"context"

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

// AuditActions lists every audit action of payments, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionPending, ActionConfirmed, ActionAccepted, ActionRefused}
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
