package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/jobs"
)

// noteArgs is a job that records its note.
type noteArgs struct {
	Note string `json:"note"`
}

func (noteArgs) Kind() string { return "test_note" }

// failingArgs is a job whose work always fails.
type failingArgs struct{}

func (failingArgs) Kind() string { return "test_failing" }

// periodicArgs is a periodic job of the test, for one due time.
type periodicArgs struct {
	Name string    `json:"name"`
	Due  time.Time `json:"due"`
}

func (periodicArgs) Kind() string { return "test_periodic" }

// fast is a configuration that works jobs within milliseconds, for tests.
var fast = jobs.Config{Poll: 10 * time.Millisecond, Tick: 5 * time.Millisecond, RetryBase: 100 * time.Millisecond,
	MaxAttempts: 3, StopGrace: 2 * time.Second}

// open migrates River's tables on d (the bank's are already there) and returns a queue whose workers are set by
// register, running until the test ends.
func open(t *testing.T, d *db.DB, clk clock.Clock, obs jobs.Observer, register func(*jobs.Jobs)) *jobs.Jobs {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	j := jobs.New(d, clk, fast, nil, obs)
	register(j)
	if err := j.Open(); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- j.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return j
}

// eventually fails the test unless cond holds within ten seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestAJobEnqueuedInARolledBackTransactionNeverRuns: a job is written with the change that causes it, so a change
// that rolls back leaves no job behind, and one that commits is worked.
func TestAJobEnqueuedInARolledBackTransactionNeverRuns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var notes []string
		j := open(t, d, clock.Real{}, nil, func(j *jobs.Jobs) {
			jobs.Handle(j, func(_ context.Context, a noteArgs) error {
				mu.Lock()
				defer mu.Unlock()
				notes = append(notes, a.Note)
				return nil
			})
		})
		errRollBack := errors.New("the change failed")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := j.Enqueue(ctx, tx, noteArgs{Note: "rolled back"}); err != nil {
				return err
			}
			return errRollBack
		})
		if !errors.Is(err, errRollBack) {
			t.Fatalf("rolled back transaction: %v", err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return j.Enqueue(ctx, tx, noteArgs{Note: "committed"}) }); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the committed job", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(notes) > 0
		})
		var n int
		if err := d.QueryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if n != 1 || len(notes) != 1 || notes[0] != "committed" {
			t.Fatalf("jobs in the table %d, worked %q; want only the committed one", n, notes)
		}
	})
}

// failures counts the jobs that failed for good, as the metric does.
type failures struct {
	mu   sync.Mutex
	kind map[string]int
}

func (f *failures) JobFailed(kind string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kind[kind]++
}

func (f *failures) count(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.kind[kind]
}

// TestAFailingJobRetriesWithBackoffThenShowsAsFailed: a job that keeps failing is tried MaxAttempts times, each
// wait twice the one before; it then fails for good, is counted for the metric and listed for staff, who may try
// it once more or discard it. Only a failed job can be retried or discarded.
func TestAFailingJobRetriesWithBackoffThenShowsAsFailed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		obs := &failures{kind: map[string]int{}}
		var mu sync.Mutex
		var attempts []time.Time
		var notes int
		j := open(t, d, clock.Real{}, obs, func(j *jobs.Jobs) {
			jobs.Handle(j, func(context.Context, failingArgs) error {
				mu.Lock()
				defer mu.Unlock()
				attempts = append(attempts, time.Now())
				return errors.New("the gateway is down")
			})
			jobs.Handle(j, func(context.Context, noteArgs) error {
				mu.Lock()
				defer mu.Unlock()
				notes++
				return nil
			})
		})
		enqueue := func(args jobs.Args) {
			t.Helper()
			if err := d.InTx(ctx, func(tx *db.Tx) error { return j.Enqueue(ctx, tx, args) }); err != nil {
				t.Fatal(err)
			}
		}
		enqueue(failingArgs{})
		eventually(t, "the job to fail for good", func() bool { return obs.count("test_failing") == 1 })
		mu.Lock()
		if len(attempts) != fast.MaxAttempts {
			t.Fatalf("%d attempts, want %d", len(attempts), fast.MaxAttempts)
		}
		// The waits are RetryBase and twice that, give or take a tenth.
		for i, want := range []time.Duration{fast.RetryBase, 2 * fast.RetryBase} {
			if got := attempts[i+1].Sub(attempts[i]); got < want*9/10 {
				t.Errorf("wait before attempt %d = %v, want at least %v", i+2, got, want*9/10)
			}
		}
		mu.Unlock()

		failed, err := j.Failed(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 1 || failed[0].Kind != "test_failing" || failed[0].Attempts != fast.MaxAttempts ||
			!strings.Contains(failed[0].Error, "the gateway is down") || failed[0].FailedAt.IsZero() {
			t.Fatalf("failed jobs = %+v", failed)
		}
		id := failed[0].ID

		// Retried by staff, it is tried once more, and fails for good again.
		if err := j.Retry(ctx, id); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the retried job to fail again", func() bool { return obs.count("test_failing") == 2 })
		mu.Lock()
		if len(attempts) != fast.MaxAttempts+1 {
			t.Errorf("%d attempts after a retry, want %d", len(attempts), fast.MaxAttempts+1)
		}
		mu.Unlock()

		enqueue(noteArgs{Note: "done"})
		eventually(t, "the job that succeeds", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return notes == 1
		})
		var succeeded int64
		if err := d.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = 'test_note'`).Scan(&succeeded); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			do   func() error
			want error
		}{
			{"retry an unknown job", func() error { return j.Retry(ctx, id+1000) }, jobs.ErrJobNotFound},
			{"retry a job that succeeded", func() error { return j.Retry(ctx, succeeded) }, jobs.ErrJobNotFailed},
			{"discard a job that succeeded", func() error { return j.Discard(ctx, succeeded) }, jobs.ErrJobNotFailed},
			{"discard the failed job", func() error { return j.Discard(ctx, id) }, nil},
			{"discard it again", func() error { return j.Discard(ctx, id) }, jobs.ErrJobNotFound},
			{"retry it once discarded", func() error { return j.Retry(ctx, id) }, jobs.ErrJobNotFound},
		} {
			if err := c.do(); !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		if failed, err := j.Failed(ctx, 10); err != nil || len(failed) != 0 {
			t.Fatalf("failed jobs after the discard: %+v, %v", failed, err)
		}
	})
}

// runs records the runs of periodic jobs by name and due time.
type runs struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *runs) record(name string, due time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n[name+" "+due.UTC().Format(time.RFC3339)]++
}

func (r *runs) count(name string, due time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n[name+" "+due.UTC().Format(time.RFC3339)]
}

// TestAPeriodicJobRunsOncePerPeriodOnTwoInstances: two instances of the bank on one database, ticking side by
// side, run an hourly job and a daily one (20:00 in Tirane) through a day of the fake clock: each runs once per due
// time, never twice, and none is missed.
func TestAPeriodicJobRunsOncePerPeriodOnTwoInstances(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		start := time.Date(2026, 12, 7, 0, 0, 0, 0, clock.Tirane)
		clk := clock.NewFake(start.Add(-time.Minute))
		done := &runs{n: map[string]int{}}
		register := func(j *jobs.Jobs) {
			jobs.Handle(j, func(_ context.Context, a periodicArgs) error {
				done.record(a.Name, a.Due)
				return nil
			})
			for _, p := range []struct {
				name     string
				schedule jobs.Schedule
			}{{"hourly", jobs.Every(time.Hour)}, {"close", jobs.Daily(20, 0)}} {
				j.AddPeriodic(jobs.Periodic{Name: p.name, Schedule: p.schedule,
					Args: func(due time.Time) jobs.Args { return periodicArgs{Name: p.name, Due: due} }})
			}
		}
		// Both instances are migrated before either starts, as a deployment does (kumbara migrate, then serve).
		var instances []*db.DB
		for range 2 {
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			instances = append(instances, d)
		}
		for _, d := range instances {
			open(t, d, clk, nil, register)
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		// A schedule first seen starts from there: nothing runs for the due times before.
		eventually(t, "the schedules to be seen", func() bool {
			var n int
			return d.QueryRow(ctx, `SELECT count(*) FROM job_schedules`).Scan(&n) == nil && n == 2
		})

		// A day in steps of 20 minutes, from 00:19 to 23:59.
		for step := 1; step <= 72; step++ {
			now := start.Add(-time.Minute + time.Duration(step)*20*time.Minute)
			clk.Set(now)
			hour := now.Truncate(time.Hour)
			eventually(t, fmt.Sprintf("the hourly job of %s", hour.In(clock.Tirane)), func() bool {
				return done.count("hourly", hour) > 0
			})
		}
		closeAt := time.Date(2026, 12, 7, 20, 0, 0, 0, clock.Tirane)
		eventually(t, "the close of business", func() bool { return done.count("close", closeAt) > 0 })
		time.Sleep(100 * time.Millisecond) // a second run, if there were one, has had time to happen

		for h := start; h.Before(start.Add(24 * time.Hour)); h = h.Add(time.Hour) {
			if n := done.count("hourly", h); n != 1 {
				t.Errorf("hourly job of %s ran %d times, want once", h.In(clock.Tirane).Format("15:04"), n)
			}
		}
		if n := done.count("close", closeAt); n != 1 {
			t.Errorf("close of business ran %d times, want once", n)
		}
		done.mu.Lock()
		defer done.mu.Unlock()
		if len(done.n) != 25 {
			t.Errorf("runs = %v, want 24 hourly and one close", done.n)
		}
	})
}

// slowArgs is a job that takes a moment.
type slowArgs struct{}

func (slowArgs) Kind() string { return "test_slow" }

// TestRunLetsTheJobsBeingWorkedFinishWhenItStops: when the instance shuts down, a job being worked is let finish
// (within StopGrace) and recorded as done, not cut off and tried again.
func TestRunLetsTheJobsBeingWorkedFinishWhenItStops(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		started, finished := make(chan struct{}), make(chan error, 1)
		j := jobs.New(d, clock.Real{}, fast, nil, nil)
		jobs.Handle(j, func(ctx context.Context, _ slowArgs) error {
			close(started)
			select {
			case <-time.After(300 * time.Millisecond):
				finished <- nil
				return nil
			case <-ctx.Done():
				finished <- ctx.Err()
				return ctx.Err()
			}
		})
		if err := j.Open(); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return j.Enqueue(ctx, tx, slowArgs{}) }); err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- j.Run(runCtx) }()
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("the job did not start")
		}
		stop()
		if err := <-done; err != nil {
			t.Fatalf("run: %v", err)
		}
		if err := <-finished; err != nil {
			t.Fatalf("the job was cut off: %v", err)
		}
		var state string
		if err := d.QueryRow(ctx, `SELECT CAST(state AS TEXT) FROM river_job WHERE kind = 'test_slow'`).Scan(&state); err != nil || state != "completed" {
			t.Fatalf("job state %q, %v; want completed", state, err)
		}
	})
}
