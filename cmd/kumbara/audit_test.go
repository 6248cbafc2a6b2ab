package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// TestAuditVerifyNamesTheFirstBadEntry: `kumbara audit verify` passes an untouched log, exits 1 naming an edited
// entry, and finds a cut-off tail against a head published before the cut.
func TestAuditVerifyNamesTheFirstBadEntry(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		getenv := func(k string) string { return map[string]string{"KUMBARA_DB": dsn}[k] }
		verify := func(args ...string) (string, error) {
			var out bytes.Buffer
			err := run(ctx, append([]string{"audit", "verify"}, args...), getenv, &out, &out)
			return out.String(), err
		}
		if out, err := verify(); err != nil || !strings.Contains(out, "audit OK: 0 entries") {
			t.Fatalf("an empty log: %v %s", err, out)
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		for i := range 4 {
			if err := audit.Record(ctx, d, time.Date(2026, 12, 7, 9, i, 0, 0, time.UTC),
				audit.Entry{Actor: audit.System("test"), Action: "test.entry"}); err != nil {
				t.Fatal(err)
			}
		}
		out, err := verify()
		if err != nil || !strings.Contains(out, "audit OK: 4 entries") {
			t.Fatalf("an untouched log: %v %s", err, out)
		}
		head, err := audit.CurrentHead(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_log SET action = 'test.edited' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		out, err = verify()
		if exitCode(err) != 1 || !strings.Contains(out, "BROKEN audit entry 2:") {
			t.Fatalf("an edited entry: exit %d, %s", exitCode(err), out)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_log SET action = 'test.entry' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DELETE FROM audit_log WHERE seq = 4`,
			`UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)`} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if out, err := verify(); err != nil {
			t.Fatalf("a cut tail alone looks whole: %v %s", err, out)
		}
		out, err = verify("--head", head.String())
		if exitCode(err) != 1 || !strings.Contains(out, "BROKEN audit entry 4:") {
			t.Fatalf("a cut tail against the published head: exit %d, %s", exitCode(err), out)
		}
		if _, err := verify("--head", "nonsense"); exitCode(err) != 2 {
			t.Fatalf("a malformed head: exit %d", exitCode(err))
		}
	})
}
