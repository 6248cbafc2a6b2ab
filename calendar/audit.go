package calendar

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff keeping the announced holidays (package audit), each appended in the transaction
// of its change by the member of staff the context carries (audit.Operator).
const (
	ActionAnnounced = "holiday.announced" // after: the holiday's name and date
	ActionWithdrawn = "holiday.withdrawn" // before: the holiday's name and the date it had
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionAnnounced, ActionWithdrawn} }

type holidayState struct {
	Name string `json:"name"`
	Date string `json:"date"`
}

// staffEntry is the entry of action with the state before and after (nil: none).
func staffEntry(ctx context.Context, action string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	if after != nil {
		e.After = audit.State(after)
	}
	return e
}
