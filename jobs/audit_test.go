package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/jobs"
)

// Staff retrying or discarding a failed job is audited in the same transaction, with the job as it failed; a
// refused decision (a job that has not failed, or none) leaves no entry.
func TestStaffDecisionsOnFailedJobsAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		admin := audit.StaffActor("admin", "admin")
		ctx := audit.WithActor(context.Background(), admin)
		obs := &failures{kind: map[string]int{}}
		j := open(t, d, clock.Real{}, obs, func(j *jobs.Jobs) {
			jobs.Handle(j, func(context.Context, failingArgs) error { return errors.New("the gateway is down") })
		})
		if err := d.InTx(ctx, func(tx *db.Tx) error { return j.Enqueue(ctx, tx, failingArgs{}) }); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the job to fail for good", func() bool { return obs.count("test_failing") == 1 })
		failed, err := j.Failed(ctx, 1)
		if err != nil || len(failed) != 1 {
			t.Fatalf("failed %+v, %v", failed, err)
		}
		id := failed[0].ID
		entries := func(action string) []audit.Entry {
			t.Helper()
			p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
			if err != nil {
				t.Fatal(err)
			}
			return p.Entries
		}
		check := func(action string, attempts int) {
			t.Helper()
			es := entries(action)
			if len(es) != 1 || es[0].Actor != admin || es[0].After != "" {
				t.Fatalf("%s: %+v", action, es)
			}
			var before struct {
				ID       int64
				Kind     string
				Attempts int
				Error    string
			}
			if err := json.Unmarshal([]byte(es[0].Before), &before); err != nil {
				t.Fatal(err)
			}
			if before.ID != id || before.Kind != "test_failing" || before.Attempts != attempts ||
				before.Error != "the gateway is down" {
				t.Fatalf("%s: before %s", action, es[0].Before)
			}
		}
		if err := j.Retry(ctx, id); err != nil {
			t.Fatal(err)
		}
		check(jobs.ActionRetried, fast.MaxAttempts)
		if err := j.Retry(ctx, id+1000); !errors.Is(err, jobs.ErrJobNotFound) {
			t.Fatalf("retry of nothing: %v", err)
		}
		eventually(t, "the retried job to fail again", func() bool { return obs.count("test_failing") == 2 })
		if err := j.Discard(ctx, id); err != nil {
			t.Fatal(err)
		}
		check(jobs.ActionDiscarded, fast.MaxAttempts+1)
		if err := j.Discard(ctx, id); !errors.Is(err, jobs.ErrJobNotFound) {
			t.Fatalf("discarded twice: %v", err)
		}
		if n, m := len(entries(jobs.ActionRetried)), len(entries(jobs.ActionDiscarded)); n != 1 || m != 1 {
			t.Fatalf("%d retries and %d discards recorded after refusals, want 1 each", n, m)
		}
	})
}
