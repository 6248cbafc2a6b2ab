package fx

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/money"
)

// ActionPublish is a new rate of a currency published, appended in its transaction with the actor the context
// carries (the member who approved it, through four-eyes): before is the publication it supersedes (none for a
// currency without one), after the new one.
const ActionPublish = "fx.publish"

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionPublish, ActionExecuted, ActionRefused, ActionRevalued, ActionRequestCreated,
		ActionRequestOffered, ActionRequestCancelled, ActionRequestExecuted, ActionRequestRefused}
}

// state is a rate as the audit log records it.
type state struct {
	Currency    money.Currency `json:"currency"`
	Buy         string         `json:"buy"`
	Sell        string         `json:"sell"`
	ValidUntil  string         `json:"valid_until"`
	PublishedBy string         `json:"published_by"`
	ApprovedBy  string         `json:"approved_by,omitempty"`
	Reason      string         `json:"reason,omitempty"`
}

func stateOf(r Rate) state {
	return state{Currency: r.Currency, Buy: r.Buy, Sell: r.Sell, ValidUntil: r.ValidUntil.UTC().Format(
		"2006-01-02T15:04:05Z"), PublishedBy: r.PublishedBy, ApprovedBy: r.ApprovedBy, Reason: r.Reason}
}

func entry(ctx context.Context, before *Rate, after Rate) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: ActionPublish, Result: audit.ResultOK,
		After: audit.State(stateOf(after))})
	if before != nil {
		e.Before = audit.State(stateOf(*before))
	}
	return e
}
