package card

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of the bank's staff on cards (package audit), each appended in the transaction of its change
// by the member of staff the context carries (audit.Operator). No entry holds a digit of the number or the PIN.
const (
	ActionIssued       = "card.issued"        // after: the card's id, type, contactless, expiry
	ActionPINUnblocked = "card.pin_unblocked" // before: whether the PIN was blocked and after how many wrong tries
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionIssued, ActionPINUnblocked} }

// staffEntry is the entry of a staff action on a card of customerID on accountID, with its state before (nil:
// none) and after.
func staffEntry(ctx context.Context, action, customerID, accountID string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, CustomerID: customerID,
		AccountID: accountID, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

type issuedState struct {
	Card        string `json:"card"`
	Type        Type   `json:"type"`
	Contactless bool   `json:"contactless"`
	Expires     string `json:"expires"`
}

type pinState struct {
	Card     string `json:"card,omitempty"`
	Blocked  bool   `json:"pin_blocked"`
	Failures int    `json:"pin_failures"`
}
