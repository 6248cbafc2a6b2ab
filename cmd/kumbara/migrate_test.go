package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// TestMigrateBringsTheBankAndItsJobQueueUpToDate: `kumbara migrate` applies the bank's migrations and River's (the
// job queue's tables), and running it again changes nothing.
func TestMigrateBringsTheBankAndItsJobQueueUpToDate(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		getenv := func(k string) string { return map[string]string{"KUMBARA_DB": dsn}[k] }
		for range 2 {
			var out bytes.Buffer
			if err := run(ctx, []string{"migrate"}, getenv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "is up to date") {
				t.Fatalf("migrate: %v %s", err, out.String())
			}
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		for _, table := range []string{"accounts", "job_schedules", "river_job", "river_leader", "river_queue"} {
			var n int
			if err := d.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				t.Errorf("%s after migrate: %v", table, err)
			}
		}
	})
}
