package bankdir

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff keeping the directory, each appended in the transaction of its change by the member
// of staff the context carries (audit.Operator).
const (
	ActionAdded       = "bank.added"       // after: the bank
	ActionChanged     = "bank.changed"     // before and after: the bank
	ActionActivated   = "bank.activated"   // before and after: the bank
	ActionDeactivated = "bank.deactivated" // before and after: the bank
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionAdded, ActionChanged, ActionActivated, ActionDeactivated}
}

// state is a bank as the audit log records it.
type state struct {
	Code    string `json:"code"`
	BIC     string `json:"bic"`
	Name    string `json:"name"`
	Instant bool   `json:"instant"`
	Active  bool   `json:"active"`
}

func stateOf(b Bank) state {
	return state{Code: b.Code, BIC: b.BIC, Name: b.Name, Instant: b.Instant, Active: b.Active}
}

// entry is the audit entry of action on a bank, with the state before (nil: none) and after.
func entry(ctx context.Context, action string, before *Bank, after Bank) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK,
		After: audit.State(stateOf(after))})
	if before != nil {
		e.Before = audit.State(stateOf(*before))
	}
	return e
}
