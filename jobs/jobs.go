// Package jobs runs the bank's background work from the database, on River (github.com/riverqueue/river): a job is
// a row, written in the same transaction as the change that causes it, and worked by whichever instance takes it
// first; a job that fails is tried again later, waiting twice as long each time, and after its last attempt it
// fails for good and waits for staff (Failed, Retry, Discard; a metric counts it). Periodic jobs are due at times
// of the bank's clock (Every, Daily) and are enqueued exactly once per due time however many instances run: the
// due time each was last enqueued for is kept in the database and moved forward by a guarded update in the
// transaction that enqueues the job (Tick).
//
// River reaches the database through the bank's own pool: database/sql with pgx's driver on PostgreSQL
// (riverdatabasesql) and the single writer connection on SQLite (riversqlite), so a job joins the bank's
// transaction (a *db.Tx) and SQLite's writes stay in one queue. River's tables come from River's own migrator
// (Migrate), run with the bank's migrations.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// Args are a job's arguments: a struct with a Kind() naming its worker, stored as JSON. They are kept in clear and
// shown to staff when the job fails, so they never carry a secret; a kind may set its own insert options (queue,
// priority, uniqueness) with an InsertOpts method (river.JobArgsWithInsertOpts).
type Args = river.JobArgs

// Config tunes how an instance works jobs. A zero field takes its default.
type Config struct {
	// Workers is how many jobs one instance works at once (default 4).
	Workers int
	// Poll is how often an instance looks for jobs that are due (default 1 s). River's database/sql drivers have
	// no LISTEN/NOTIFY, so this is the longest a new job waits for an idle instance.
	Poll time.Duration
	// Tick is how often an instance checks the periodic jobs against the bank's clock (default 1 s).
	Tick time.Duration
	// RetryBase is the wait before a failed job's first retry; each further retry waits twice as long, up to an
	// hour (default 10 s).
	RetryBase time.Duration
	// MaxAttempts is how many times a job is tried before it fails for good (default 10: with the default base,
	// the last attempt comes about an hour and a half after the first).
	MaxAttempts int
	// StopGrace is how long Run, once its context ends, lets the jobs being worked finish before cancelling them
	// (default 10 s).
	StopGrace time.Duration
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Tick <= 0 {
		c.Tick = time.Second
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 10 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.StopGrace <= 0 {
		c.StopGrace = 10 * time.Second
	}
	return c
}

// Observer is told of every job that fails for good, for a metric.
type Observer interface {
	JobFailed(kind string)
}

// Jobs is the bank's job queue. Build it with New, register every worker (Handle) and periodic job (AddPeriodic),
// then Open it; from then on jobs may be enqueued, and Run works them.
type Jobs struct {
	db    *db.DB
	clock clock.Clock
	cfg   Config
	log   *slog.Logger
	obs   Observer

	workers  *river.Workers
	periodic []Periodic
	client   *river.Client[*sql.Tx]
}

// New makes the bank's job queue on d; due times of periodic jobs are read on clk. log and obs may be nil.
func New(d *db.DB, clk clock.Clock, cfg Config, log *slog.Logger, obs Observer) *Jobs {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Jobs{db: d, clock: clk, cfg: cfg.withDefaults(), log: log, obs: obs, workers: river.NewWorkers()}
}

// Handle makes work the worker of the jobs whose Args are a T. A job whose work returns an error is retried (see
// Config.RetryBase), so work must be safe to run again after a failure part way. Register before Open.
func Handle[T Args](j *Jobs, work func(ctx context.Context, args T) error) {
	if j.client != nil {
		panic("jobs: Handle after Open")
	}
	river.AddWorker(j.workers, river.WorkFunc(func(ctx context.Context, job *river.Job[T]) error {
		return work(ctx, job.Args)
	}))
}

// Open makes the queue ready to take jobs, once every worker and periodic job is registered.
func (j *Jobs) Open() error {
	c, err := river.NewClient(driver(j.db), &river.Config{
		Queues:      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: j.cfg.Workers}},
		Workers:     j.workers,
		MaxAttempts: j.cfg.MaxAttempts,
		RetryPolicy: backoff{base: j.cfg.RetryBase},
		// database/sql has no LISTEN/NOTIFY: every instance polls for due jobs.
		PollOnly:          true,
		FetchPollInterval: j.cfg.Poll,
		FetchCooldown:     min(j.cfg.Poll, 100*time.Millisecond),
		// A job that failed for good stays until staff retry or discard it.
		DiscardedJobRetentionPeriod: -1,
		Logger:                      slog.New(warnings{j.log.Handler()}),
	})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	j.client = c
	return nil
}

// Enqueue writes a job in the caller's transaction: it exists, and will be worked, if and only if that transaction
// commits.
func (j *Jobs) Enqueue(ctx context.Context, tx *db.Tx, args Args) error {
	if _, err := j.client.InsertTx(ctx, tx.SQL(), args, nil); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Run works jobs, and enqueues the periodic jobs that come due, until ctx ends; then it stops taking jobs and
// gives those being worked Config.StopGrace to finish before cancelling them (a cancelled job is tried again
// later, by this instance or another). Any number of instances may run side by side.
func (j *Jobs) Run(ctx context.Context) error {
	failed, unsubscribe := j.client.Subscribe(river.EventKindJobFailed)
	defer unsubscribe()
	if !j.start(ctx) {
		return nil
	}
	var wg sync.WaitGroup
	wg.Go(func() { j.tickEvery(ctx) })
	wg.Go(func() { j.watchFailures(ctx, failed) })
	wg.Wait()
	stopCtx, cancel := context.WithTimeout(context.Background(), j.cfg.StopGrace)
	defer cancel()
	if err := j.client.Stop(stopCtx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("jobs: stop: %w", err)
		}
		j.log.Warn("jobs: stop grace passed, cancelling the jobs still running")
		cancelCtx, cancel := context.WithTimeout(context.Background(), j.cfg.StopGrace)
		defer cancel()
		return j.client.StopAndCancel(cancelCtx)
	}
	return nil
}

// start starts River's client, trying again every few seconds while the database does not answer (River checks it
// first), so that an instance started during a database restart still works jobs once it is back. It reports
// false when ctx ended first.
func (j *Jobs) start(ctx context.Context) bool {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		// River's client lives until Stop: a cancelled Start context would cancel the jobs being worked at once.
		err := j.client.Start(context.WithoutCancel(ctx))
		if err == nil {
			return true
		}
		j.log.Error("jobs: start", slog.String("error", err.Error()))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
	}
}

func (j *Jobs) tickEvery(ctx context.Context) {
	t := time.NewTicker(j.cfg.Tick)
	defer t.Stop()
	for {
		if err := j.Tick(ctx); err != nil && ctx.Err() == nil {
			j.log.Error("jobs: periodic", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watchFailures logs and counts the jobs that fail for good; River reports every failed attempt, the last of
// which leaves the job discarded.
func (j *Jobs) watchFailures(ctx context.Context, events <-chan *river.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if ev.Job == nil || ev.Job.State != rivertype.JobStateDiscarded {
				continue
			}
			last := ""
			if n := len(ev.Job.Errors); n > 0 {
				last = ev.Job.Errors[n-1].Error
			}
			j.log.Error("job failed for good", slog.Int64("job", ev.Job.ID), slog.String("kind", ev.Job.Kind),
				slog.Int("attempts", ev.Job.Attempt), slog.String("error", last))
			if j.obs != nil {
				j.obs.JobFailed(ev.Job.Kind)
			}
		}
	}
}

// warnings passes on River's warnings and errors only: its routine reports (a client started, how many jobs a
// producer worked) would fill the bank's log every few seconds.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(as []slog.Attr) slog.Handler { return warnings{w.Handler.WithAttrs(as)} }
func (w warnings) WithGroup(name string) slog.Handler    { return warnings{w.Handler.WithGroup(name)} }

// driver is River's driver on the bank's pool. On SQLite that is the one writer connection: River's writes queue
// with the bank's instead of meeting them as SQLITE_BUSY, as River advises for SQLite.
func driver(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Engine == db.Postgres {
		return riverdatabasesql.New(d.SQL())
	}
	return riversqlite.New(d.SQL())
}

// Migrate brings River's own tables (river_job and the rest) up to date with River's migrator. The bank's migrate
// step runs it after the bank's migrations, on either engine.
func Migrate(ctx context.Context, d *db.DB) error {
	m, err := rivermigrate.New(driver(d), &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return fmt.Errorf("jobs: migrations: %w", err)
	}
	if d.Engine == db.Postgres {
		// One transaction per migration: PostgreSQL refuses a new enum value in the transaction that added it.
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		// One transaction for all, so a new SQLite file is synced once rather than once per migration; a file that
		// another instance is writing (serve, while staff run a command) is waited for, as for the bank's writes.
		// (River deprecates MigrateTx for PostgreSQL's enum migration; SQLite's migrations batch fine.)
		err = d.InTx(ctx, func(tx *db.Tx) error {
			//lint:ignore SA1019 see above: SQLite only
			_, err := m.MigrateTx(ctx, tx.SQL(), rivermigrate.DirectionUp, nil)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}
