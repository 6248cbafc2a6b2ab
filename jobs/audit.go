package jobs

import (
	"context"

	"github.com/riverqueue/river/rivertype"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff on jobs that failed for good (package audit), each appended in the transaction of
// the decision by the member of staff the context carries (audit.Operator).
const (
	ActionRetried   = "job.retried"   // tried once more; before: the failed job
	ActionDiscarded = "job.discarded" // removed; before: the failed job, which the log then alone keeps
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionRetried, ActionDiscarded} }

// jobState is what an entry keeps of a failed job: its arguments never hold a secret (Args).
type jobState struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error,omitempty"`
	Args     string `json:"args"`
}

func auditEntry(ctx context.Context, action string, row *rivertype.JobRow) audit.Entry {
	state := jobState{ID: row.ID, Kind: row.Kind, Attempts: row.Attempt, Args: string(row.EncodedArgs)}
	if n := len(row.Errors); n > 0 {
		state.Error = row.Errors[n-1].Error
	}
	return audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Before: audit.State(state),
		Result: audit.ResultOK})
}
