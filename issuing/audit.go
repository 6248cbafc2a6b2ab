package issuing

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff on card payments (package audit), each appended in the transaction of its change by
// the member the context carries (audit.Operator). No entry holds a digit of a card number or a PIN.
const (
	ActionDisputeOpened  = "card.dispute_opened"  // after: the dispute, its presentment and reason
	ActionDisputeDecided = "card.dispute_decided" // before: open; after: won (with the chargeback's entry) or lost
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionDisputeOpened, ActionDisputeDecided} }

type disputeState struct {
	Dispute  string `json:"dispute"`
	Clearing string `json:"clearing,omitempty"`
	Status   string `json:"status"`
	Reason   string `json:"reason,omitempty"`
	Entry    string `json:"entry,omitempty"`
}

// staffEntry is the entry of a staff action on a dispute about a customer's account.
func staffEntry(ctx context.Context, action, customerID, accountID string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, CustomerID: customerID,
		AccountID: accountID, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}
