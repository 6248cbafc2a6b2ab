package eod

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
)

// StepRun is what became of one step of one business date's close.
type StepRun struct {
	Date       calendar.Date
	Step       string
	Position   int
	Status     string // running, done, failed
	Attempts   int
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Result     string
	Error      string
}

// Done reports whether the step finished well.
func (r StepRun) Done() bool { return r.Status == statusDone }

// Failed reports whether the step's last attempt failed.
func (r StepRun) Failed() bool { return r.Status == statusFailed }

// MaxDays bounds History.
const MaxDays = 366

// History is the steps of the latest days closes, newest date first and each date's steps in order: for staff
// (`kumbara admin eod`, the back office) to see what each close did.
func (s *Service) History(ctx context.Context, days int) ([]StepRun, error) {
	days = min(max(days, 1), MaxDays)
	rows, err := s.DB.Query(ctx, `SELECT business_date, step, position, status, attempts, started_at, finished_at,
		result, error FROM eod_steps WHERE business_date IN (SELECT DISTINCT business_date FROM eod_steps
		ORDER BY business_date DESC LIMIT ?) ORDER BY business_date DESC, position`, days)
	if err != nil {
		return nil, fmt.Errorf("eod history: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (StepRun, error) {
		var run StepRun
		var date string
		var started int64
		var finished sql.NullInt64
		if err := r.Scan(&date, &run.Step, &run.Position, &run.Status, &run.Attempts, &started, &finished,
			&run.Result, &run.Error); err != nil {
			return run, err
		}
		run.StartedAt = db.FromMicros(started)
		if finished.Valid {
			run.FinishedAt = db.FromMicros(finished.Int64)
		}
		var err error
		run.Date, err = calendar.ParseDate(date)
		return run, err
	})
	if err != nil {
		return nil, fmt.Errorf("eod history: %w", err)
	}
	return out, nil
}
