package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
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

// Retry makes a job that failed for good due again at once, for one more attempt.
func (j *Jobs) Retry(ctx context.Context, id int64) error {
	if err := j.mustHaveFailed(ctx, id); err != nil {
		return err
	}
	if _, err := j.client.JobRetry(ctx, id); err != nil {
		return j.notFound(id, err)
	}
	return nil
}

// Discard removes a job that failed for good: staff have dealt with it otherwise. Its failure stays in the log.
func (j *Jobs) Discard(ctx context.Context, id int64) error {
	if err := j.mustHaveFailed(ctx, id); err != nil {
		return err
	}
	if _, err := j.client.JobDelete(ctx, id); err != nil {
		return j.notFound(id, err)
	}
	return nil
}

func (j *Jobs) mustHaveFailed(ctx context.Context, id int64) error {
	row, err := j.client.JobGet(ctx, id)
	if err != nil {
		return j.notFound(id, err)
	}
	if row.State != rivertype.JobStateDiscarded {
		return ErrJobNotFailed.With("job %d is %s", id, row.State)
	}
	return nil
}

func (j *Jobs) notFound(id int64, err error) error {
	if errors.Is(err, rivertype.ErrNotFound) {
		return ErrJobNotFound.With("job %d", id)
	}
	return fmt.Errorf("jobs: job %d: %w", id, err)
}
