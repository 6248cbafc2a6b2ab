package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// Failed is a job that failed for good: it was tried Config.MaxAttempts times and waits for staff.
type Failed struct {
	ID       int64
	Kind     string
	Attempts int
	FailedAt time.Time
	Error    string // the last attempt's error
	Args     string // the job's arguments, as JSON
}

// Failed lists up to limit jobs that failed for good, the latest first.
func (j *Jobs) Failed(ctx context.Context, limit int) ([]Failed, error) {
	res, err := j.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateDiscarded).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(limit))
	if err != nil {
		return nil, fmt.Errorf("jobs: failed: %w", err)
	}
	out := make([]Failed, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		f := Failed{ID: row.ID, Kind: row.Kind, Attempts: row.Attempt, Args: string(row.EncodedArgs)}
		if row.FinalizedAt != nil {
			f.FailedAt = row.FinalizedAt.UTC()
		}
		if n := len(row.Errors); n > 0 {
			f.Error = row.Errors[n-1].Error
		}
		out = append(out, f)
	}
	return out, nil
}

// Retry makes a job that failed for good due again at once, for one more attempt. It is audited in the same
// transaction (ActionRetried).
func (j *Jobs) Retry(ctx context.Context, id int64) error {
	return j.decide(ctx, id, ActionRetried, func(tx *sql.Tx) error {
		_, err := j.client.JobRetryTx(ctx, tx, id)
		return err
	})
}

// Discard removes a job that failed for good: staff have dealt with it otherwise. Its failure stays in the log,
// and the audit log keeps its kind, arguments and last error (ActionDiscarded, in the same transaction).
func (j *Jobs) Discard(ctx context.Context, id int64) error {
	return j.decide(ctx, id, ActionDiscarded, func(tx *sql.Tx) error {
		_, err := j.client.JobDeleteTx(ctx, tx, id)
		return err
	})
}

// decide does what staff decided for a job that failed for good (act, in River's part of the transaction) and
// appends its entry of action, in one transaction: job_not_found or job_not_failed for any other job.
func (j *Jobs) decide(ctx context.Context, id int64, action string, act func(tx *sql.Tx) error) error {
	err := j.db.InTx(ctx, func(tx *db.Tx) error {
		row, err := j.client.JobGetTx(ctx, tx.SQL(), id)
		if err != nil {
			return j.notFound(id, err)
		}
		if row.State != rivertype.JobStateDiscarded {
			return ErrJobNotFailed.With("job %d is %s", id, row.State)
		}
		if err := act(tx.SQL()); err != nil {
			return j.notFound(id, err)
		}
		return audit.Append(ctx, tx, j.clock.Now(), auditEntry(ctx, action, row))
	})
	if _, ok := kumbara.As(err); ok || err == nil {
		return err
	}
	return fmt.Errorf("jobs: job %d: %w", id, err)
}

func (j *Jobs) notFound(id int64, err error) error {
	if errors.Is(err, rivertype.ErrNotFound) {
		return ErrJobNotFound.With("job %d", id)
	}
	return fmt.Errorf("jobs: job %d: %w", id, err)
}
