package app_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/ledger"
)

// TestTwoBanksOnOneDatabaseRunThePeriodicJobsOncePerDueTime: two instances of the bank on one database, both
// running their background work, take a day of the fake clock an hour at a time. The hold expiry, a periodic job,
// runs once for each hour's latest due time, never on both instances, and releases a hold when its time passes.
func TestTwoBanksOnOneDatabaseRunThePeriodicJobsOncePerDueTime(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := clock.NewFake(t0)
		var banks []*app.Bank
		for range 2 {
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			cfg := config(d)
			cfg.Clock = clk
			cfg.Jobs = jobs.Config{Poll: 10 * time.Millisecond, Tick: 5 * time.Millisecond}
			banks = append(banks, open(t, cfg))
		}
		_, a := person(t, banks[0], 1)
		if err := banks[0].Ledger.Run(ctx, ledger.Op{Accounts: []string{a.ID}, Run: func(bt *ledger.Batch) error {
			_, err := bt.PlaceHold(a.ID, 25000, "card", "test", t0.Add(90*time.Minute))
			return err
		}}); err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for _, b := range banks {
			wg.Go(func() { b.Run(runCtx) })
		}
		t.Cleanup(func() { stop(); wg.Wait() })

		d := banks[0].DB
		// River marks a job completed a moment after its work returns (it batches the updates): the loop waits for
		// each hour's job to be enqueued, and the end for every one to be completed.
		enqueued := func(state string) (due []time.Time) {
			t.Helper()
			args := "args::text"
			if d.Engine == db.SQLite {
				args = "json(args)" // River keeps SQLite's binary JSON
			}
			rows, err := d.Query(ctx, `SELECT `+args+` FROM river_job WHERE kind = 'expire_holds' AND CAST(state AS TEXT) LIKE ?`, state)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var raw []byte
				var args struct{ Due time.Time }
				if err := rows.Scan(&raw); err != nil || json.Unmarshal(raw, &args) != nil {
					t.Fatalf("args %s: %v", raw, err)
				}
				due = append(due, args.Due)
			}
			return due
		}
		waitFor := func(what string, cond func() bool) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("timed out waiting for %s", what)
				}
			}
		}
		waitFor("the schedule to be seen", func() bool {
			var n int
			return d.QueryRow(ctx, `SELECT count(*) FROM job_schedules WHERE name = 'expire_holds'`).Scan(&n) == nil && n == 1
		})
		began := time.Now()
		for hour := 1; hour <= 24; hour++ {
			clk.Advance(time.Hour)
			waitFor("the hold expiry of "+clk.Now().Format("15:04"), func() bool { return len(enqueued("%")) >= hour })
			if hour == 2 {
				waitFor("the hold to be released", func() bool {
					after, err := banks[1].Ledger.ByIBAN(ctx, a.IBAN)
					return err == nil && after.Held == 0
				})
			}
		}
		waitFor("every run to complete", func() bool { return len(enqueued("completed")) == 24 })
		t.Logf("a day in %v", time.Since(began))
		time.Sleep(100 * time.Millisecond) // a second run, if there were one, has had time to happen
		due := enqueued("%")
		seen := map[time.Time]bool{}
		for _, d := range due {
			seen[d.UTC()] = true
		}
		if len(due) != 24 || len(seen) != 24 {
			t.Fatalf("the hold expiry ran for %v, want once for each of 24 hours", due)
		}
		for hour := 1; hour <= 24; hour++ {
			if at := t0.Add(time.Duration(hour) * time.Hour); !seen[at] {
				t.Errorf("the hold expiry did not run for %s", at)
			}
		}
	})
}
