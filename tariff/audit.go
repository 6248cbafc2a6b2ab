package tariff

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/money"
)

// ActionSet is a new version of a rate coming into force, appended in its transaction with the actor the context
// carries (the member who approved it, through four-eyes): before is the version it replaces (none for a rate the
// tariff did not have), after the new one.
const ActionSet = "tariff.set"

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionSet} }

// state is a rate as the audit log records it.
type state struct {
	Scheme        string         `json:"scheme"`
	Charges       string         `json:"charges"`
	Currency      money.Currency `json:"currency"`
	Fixed         int64          `json:"fixed"`
	Percent       string         `json:"percent"`
	Min           int64          `json:"min"`
	Max           int64          `json:"max"`
	Correspondent int64          `json:"correspondent"`
	SetBy         string         `json:"set_by"`
	ApprovedBy    string         `json:"approved_by,omitempty"`
}

func stateOf(r Rate) state {
	return state{Scheme: r.Scheme, Charges: r.Charges, Currency: r.Currency, Fixed: r.Fixed, Percent: r.Percent,
		Min: r.Min, Max: r.Max, Correspondent: r.Correspondent, SetBy: r.SetBy, ApprovedBy: r.ApprovedBy}
}

func entry(ctx context.Context, before *Rate, after Rate) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: ActionSet, Result: audit.ResultOK,
		After: audit.State(stateOf(after))})
	if before != nil {
		e.Before = audit.State(stateOf(*before))
	}
	return e
}
