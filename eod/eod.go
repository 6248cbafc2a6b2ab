// Package eod is the bank's business date and its close of business. The business date is the working day whose
// books are open, one for the whole bank, kept in the database; the close of business (at the calendar's
// CloseOfBusiness, 20:00 unless configured) runs the registered end-of-day steps for it in order and then moves it
// to the next working day. Each step runs once per business date however often the close is retried and however
// many instances try it at once: an instance claims a (date, step) with a guarded change of its row before running
// it. If the bank was down, RunDue closes the missed days one by one, in order.
package eod

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// Step is one end-of-day step: Run does the close of business of date and says in a line what it did. It may be
// run again for the same date only after it failed (or its instance died while running it, see Service.Lease), so
// it must be safe to repeat after a failure.
type Step struct {
	Name string
	Run  func(ctx context.Context, date calendar.Date) (result string, err error)
}

// DefaultLease is how long a step that started is left to the instance running it before another takes it over
// (that instance is taken to have died).
const DefaultLease = 30 * time.Minute

// maxDays bounds one RunDue: a bank down for longer closes the rest on the next call.
const maxDays = 400

// Service keeps the business date and runs the close of business.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Calendar *calendar.Service
	// Lease is how long a running step is its instance's alone; zero is DefaultLease.
	Lease time.Duration

	steps []Step
}

// Register adds a step to the close of business, after those registered before it. Every step is registered in
// one place, when the bank is built (app.endOfDay); a name is a step's identity in the records, so it never
// changes once a bank has run it.
func (s *Service) Register(name string, run func(ctx context.Context, date calendar.Date) (string, error)) {
	for _, st := range s.steps {
		if st.Name == name {
			panic("eod: step " + name + " registered twice")
		}
	}
	s.steps = append(s.steps, Step{Name: name, Run: run})
}

// Steps are the registered steps' names, in the order they run.
func (s *Service) Steps() []string {
	out := make([]string, len(s.steps))
	for i, st := range s.steps {
		out[i] = st.Name
	}
	return out
}

// BusinessDate is the bank's business date. A bank that has none yet starts on the value date of now: today if
// it is a working day before the close, else the next working day.
func (s *Service) BusinessDate(ctx context.Context) (calendar.Date, error) {
	var day string
	err := s.DB.QueryRow(ctx, "SELECT day FROM business_date WHERE id = 1").Scan(&day)
	if err == nil {
		return calendar.ParseDate(day)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return calendar.Date{}, fmt.Errorf("business date: %w", err)
	}
	first, err := s.Calendar.ValueDate(ctx, s.Clock.Now())
	if err != nil {
		return calendar.Date{}, err
	}
	// Two instances starting at once agree on the row the first one wrote.
	if _, err := s.DB.Exec(ctx, "INSERT INTO business_date (id, day) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
		first.String()); err != nil {
		return calendar.Date{}, fmt.Errorf("business date: %w", err)
	}
	if err := s.DB.QueryRow(ctx, "SELECT day FROM business_date WHERE id = 1").Scan(&day); err != nil {
		return calendar.Date{}, fmt.Errorf("business date: %w", err)
	}
	return calendar.ParseDate(day)
}

// CloseAt is when the close of business of date is due.
func (s *Service) CloseAt(date calendar.Date) time.Time { return s.Calendar.CloseTime(date) }

// RunDue closes every business date whose close is due, oldest first, and returns the dates it closed. It is what
// the periodic job calls (every minute, say): most calls find nothing due and cost one read. When another instance
// is running a step of the close, RunDue leaves it to that instance and returns what it closed so far without an
// error. A step that fails stops the close of that date — the business date stays, so the later steps and days wait
// — and its error is returned and recorded; the next call retries the failed step.
func (s *Service) RunDue(ctx context.Context) ([]calendar.Date, error) {
	var closed []calendar.Date
	for range maxDays {
		d, err := s.BusinessDate(ctx)
		if err != nil {
			return closed, err
		}
		if s.Clock.Now().Before(s.CloseAt(d)) {
			return closed, nil
		}
		err = s.close(ctx, d)
		if errors.Is(err, errBusy) {
			return closed, nil
		}
		if err != nil {
			return closed, err
		}
		closed = append(closed, d)
	}
	return closed, nil
}

// errBusy: another instance is running a step of the close.
var errBusy = errors.New("eod: another instance is closing the day")

// close runs date's steps in order, each once, then moves the business date to the next working day.
func (s *Service) close(ctx context.Context, date calendar.Date) error {
	for i, st := range s.steps {
		attempt, err := s.claim(ctx, date, st.Name, i)
		if err != nil {
			return err
		}
		if attempt == 0 {
			continue // done before
		}
		result, runErr := s.run(ctx, st, date)
		if err := s.finish(ctx, date, st.Name, attempt, result, runErr); err != nil {
			return err
		}
		if runErr != nil {
			return fmt.Errorf("close of %s: step %s: %w", date, st.Name, runErr)
		}
	}
	next, err := s.Calendar.NextWorkingDay(ctx, date)
	if err != nil {
		return err
	}
	// Guarded: of two instances finishing the same close, one moves the date.
	if _, err := s.DB.Exec(ctx, "UPDATE business_date SET day = ? WHERE id = 1 AND day = ?", next.String(),
		date.String()); err != nil {
		return fmt.Errorf("close of %s: next business date: %w", date, err)
	}
	return nil
}

// run runs a step, turning a panic into its failure: the close records it and stops rather than take the
// instance down.
func (s *Service) run(ctx context.Context, st Step, date calendar.Date) (result string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return st.Run(ctx, date)
}

const (
	statusRunning = "running"
	statusDone    = "done"
	statusFailed  = "failed"
)

// claim makes step this instance's to run for date and returns its attempt number, or 0 when it is done already;
// errBusy when another instance holds it. A step is claimed by inserting its row, or by a guarded change of a
// failed row (or one whose instance let its lease pass): the attempt number in the condition lets only one of two
// instances win.
func (s *Service) claim(ctx context.Context, date calendar.Date, step string, position int) (int, error) {
	now := s.Clock.Now()
	res, err := s.DB.Exec(ctx, `INSERT INTO eod_steps (business_date, step, position, status, attempts, started_at)
		VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (business_date, step) DO NOTHING`,
		date.String(), step, position, statusRunning, db.Micros(now))
	if err != nil {
		return 0, fmt.Errorf("claim %s of %s: %w", step, date, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return 1, nil
	}
	var status string
	var attempts int
	var started int64
	if err := s.DB.QueryRow(ctx, `SELECT status, attempts, started_at FROM eod_steps WHERE business_date = ? AND step = ?`,
		date.String(), step).Scan(&status, &attempts, &started); err != nil {
		return 0, fmt.Errorf("claim %s of %s: %w", step, date, err)
	}
	switch {
	case status == statusDone:
		return 0, nil
	case status == statusRunning && now.Sub(db.FromMicros(started)) < s.lease():
		return 0, errBusy
	}
	res, err = s.DB.Exec(ctx, `UPDATE eod_steps SET status = ?, attempts = ?, started_at = ?, finished_at = NULL,
		result = '', error = '' WHERE business_date = ? AND step = ? AND status = ? AND attempts = ?`,
		statusRunning, attempts+1, db.Micros(now), date.String(), step, status, attempts)
	if err != nil {
		return 0, fmt.Errorf("claim %s of %s: %w", step, date, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, errBusy
	}
	return attempts + 1, nil
}

// finish records how attempt of step ended, if the step is still this instance's.
func (s *Service) finish(ctx context.Context, date calendar.Date, step string, attempt int, result string, runErr error) error {
	status, msg := statusDone, ""
	if runErr != nil {
		status, msg = statusFailed, runErr.Error()
	}
	// Not bounded by the step's context: a step that ran must be recorded even if the caller gave up meanwhile.
	_, err := s.DB.Exec(context.WithoutCancel(ctx), `UPDATE eod_steps SET status = ?, finished_at = ?, result = ?,
		error = ? WHERE business_date = ? AND step = ? AND status = ? AND attempts = ?`,
		status, db.Micros(s.Clock.Now()), result, msg, date.String(), step, statusRunning, attempt)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", step, date, err)
	}
	return nil
}

func (s *Service) lease() time.Duration {
	if s.Lease <= 0 {
		return DefaultLease
	}
	return s.Lease
}
