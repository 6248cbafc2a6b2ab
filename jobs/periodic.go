package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// Schedule gives a periodic job's latest due time at or before now, on the bank's clock.
type Schedule func(now time.Time) time.Time

// Every is due at each multiple of d since midnight UTC: Every(time.Hour) on the hour, Every(time.Minute) on the
// minute.
func Every(d time.Duration) Schedule {
	return func(now time.Time) time.Time { return now.UTC().Truncate(d) }
}

// Daily is due every day at hour:minute in Tirane (the close of business at 20:00, say). Whether the day is a
// working day is the job's own question (package calendar).
func Daily(hour, minute int) Schedule {
	return func(now time.Time) time.Time {
		t := now.In(clock.Tirane)
		due := time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, clock.Tirane)
		if due.After(t) {
			due = time.Date(t.Year(), t.Month(), t.Day()-1, hour, minute, 0, 0, clock.Tirane)
		}
		return due.UTC()
	}
}

// Periodic is a job enqueued once at each due time of its Schedule.
type Periodic struct {
	// Name is the job's stable name: the database keeps, under it, the due time it was last enqueued for.
	Name     string
	Schedule Schedule
	// Args makes the job for one due time.
	Args func(due time.Time) Args
}

// AddPeriodic registers p. Register before Open. A periodic job first runs at its first due time after an
// instance first saw it; one that was not enqueued at a due time (no instance was running) runs once, for its
// latest due time, when an instance next ticks: a job that must make up every missed period (the close of
// business replays missed days) does so itself.
func (j *Jobs) AddPeriodic(p Periodic) {
	if j.client != nil {
		panic("jobs: AddPeriodic after Open")
	}
	for _, q := range j.periodic {
		if q.Name == p.Name {
			panic("jobs: periodic job " + p.Name + " registered twice")
		}
	}
	j.periodic = append(j.periodic, p)
}

// Tick enqueues every periodic job that has come due, on the bank's clock, since it was last enqueued. Run calls
// it every Config.Tick; every instance does, and a job is enqueued once per due time all the same.
func (j *Jobs) Tick(ctx context.Context) error {
	now := j.clock.Now()
	var errs []error
	for _, p := range j.periodic {
		if err := j.tick(ctx, p, p.Schedule(now)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
		}
	}
	return errors.Join(errs...)
}

// tick enqueues p for due unless it was already enqueued for due or later. The read spares the common case, not
// due yet, a write; the guarded update decides, in the transaction that enqueues the job, which of the instances
// that saw the same due time enqueues it: PostgreSQL re-checks the condition once the row lock is released, and
// SQLite has a single writer.
func (j *Jobs) tick(ctx context.Context, p Periodic, due time.Time) error {
	var last int64
	err := j.db.QueryRow(ctx, `SELECT last_due FROM job_schedules WHERE name = ?`, p.Name).Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = j.db.Exec(ctx, `INSERT INTO job_schedules (name, last_due) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
			p.Name, db.Micros(due))
		return err
	case err != nil:
		return err
	case db.Micros(due) <= last:
		return nil
	}
	return j.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE job_schedules SET last_due = ? WHERE name = ? AND last_due < ?`,
			db.Micros(due), p.Name, db.Micros(due))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // another instance enqueued it
		}
		return j.Enqueue(ctx, tx, p.Args(due))
	})
}
