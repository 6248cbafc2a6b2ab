package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/jobs"
	"github.com/prometheus/client_golang/prometheus"
)

// gatewayArgs is a job of the test whose work always fails.
type gatewayArgs struct {
	To string `json:"to"`
}

func (gatewayArgs) Kind() string { return "test_gateway" }

// failJob has a queue whose only worker always fails work the jobs due on dsn until one of them fails for good,
// as a job of the bank would when, say, a gateway stays down; the failure is counted in metrics as serve counts
// it. With job 0 it enqueues a new one first.
func failJob(t *testing.T, dsn string, job int64, metrics *httpx.Metrics) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	failed := make(chan struct{}, 1)
	j := jobs.New(d, clock.Real{}, jobs.Config{Poll: 10 * time.Millisecond, MaxAttempts: 1}, nil,
		failureSignal{bankMetrics{metrics}, failed})
	jobs.Handle(j, func(context.Context, gatewayArgs) error { return errors.New("the SMS gateway answers 503") })
	if err := j.Open(); err != nil {
		t.Fatal(err)
	}
	if job == 0 {
		if err := d.InTx(ctx, func(tx *db.Tx) error { return j.Enqueue(ctx, tx, gatewayArgs{To: "+355690000000"}) }); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- j.Run(runCtx) }()
	select {
	case <-failed:
	case <-time.After(10 * time.Second):
		t.Error("the job did not fail")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// failureSignal counts a failed job in the metrics and signals it.
type failureSignal struct {
	bankMetrics
	failed chan struct{}
}

func (f failureSignal) JobFailed(kind string) {
	f.bankMetrics.JobFailed(kind)
	select {
	case f.failed <- struct{}{}:
	default:
	}
}

// failedJobsMetric reads kumbara_jobs_failed_total for the test's kind from the metrics' exposition.
func failedJobsMetric(t *testing.T, m *httpx.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return regexp.MustCompile(`(?m)^kumbara_jobs_failed_total\{kind="test_gateway"\} (\d+)$`).FindString(rec.Body.String())
}

// TestAdminListsRetriesAndDiscardsFailedJobs: `kumbara admin jobs` lists the jobs that failed for good with their
// error, and the metric counts it; `jobs retry ID` gives it another attempt and `jobs discard ID` removes it, each
// only for a failed job.
func TestAdminListsRetriesAndDiscardsFailedJobs(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		admin := adminAs(t, dsn)
		if out, err := admin("jobs"); err != nil || !strings.Contains(out, "no failed jobs") {
			t.Fatalf("jobs on a new bank: %v %s", err, out)
		}
		metrics, err := httpx.NewMetrics(prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		failJob(t, dsn, 0, metrics)
		if got := failedJobsMetric(t, metrics); !strings.HasSuffix(got, " 1") {
			t.Errorf("metric after a failure: %q, want 1", got)
		}
		out, err := admin("jobs")
		row := regexp.MustCompile(`(?m)^(\d+)\s+test_gateway\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+the SMS gateway answers 503\s+\{"to": ?"\+355690000000"\}$`).
			FindStringSubmatch(out)
		if err != nil || row == nil {
			t.Fatalf("jobs after a failure: %v\n%s", err, out)
		}
		id := row[1]

		for _, c := range []struct {
			args []string
			want string // in the output, or in the error when refused
			ok   bool
		}{
			{[]string{"jobs", "retry", id}, "job " + id + " will be tried once more", true},
			{[]string{"jobs"}, "no failed jobs", true},
			{[]string{"jobs", "discard", id}, "job_not_failed", false},
			{[]string{"jobs", "retry", "--id", id}, "job_not_failed", false},
			{[]string{"jobs", "retry", "99999"}, "job_not_found", false},
			{[]string{"jobs", "retry"}, "a job ID is required", false},
			{[]string{"jobs", "discard", "abc"}, "a job ID is required", false},
		} {
			out, err := admin(c.args...)
			got := out
			switch {
			case !c.ok && err == nil:
				t.Errorf("%v: %s, want a refusal", c.args, out)
				continue
			case !c.ok:
				got = err.Error()
			case err != nil:
				t.Errorf("%v: %v\n%s", c.args, err, out)
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("%v: %q, want %q", c.args, got, c.want)
			}
		}

		failJob(t, dsn, 1, metrics) // the retried job fails again
		if got := failedJobsMetric(t, metrics); !strings.HasSuffix(got, " 2") {
			t.Errorf("metric after the retry failed: %q, want 2", got)
		}
		if out, err := admin("jobs"); err != nil || !strings.Contains(out, id+" ") {
			t.Fatalf("jobs after the retry failed: %v %s", err, out)
		}
		if out, err := admin("jobs", "discard", id); err != nil || !strings.Contains(out, "job "+id+" discarded") {
			t.Fatalf("discard: %v %s", err, out)
		}
		if out, err := admin("jobs"); err != nil || !strings.Contains(out, "no failed jobs") {
			t.Fatalf("jobs after the discard: %v %s", err, out)
		}
	})
}
