package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// Staff run the clearing side's day from the command line: a payment comes in through the sandbox, the day's
// messages list it, the business day reconciles with no break, and a report changed by hand — given as a file —
// leaves a break that `clearing breaks` shows with both sides.
func TestAdminReconcilesTheClearingHousesReport(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		getenv := staffed(t, func(k string) string {
			return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32),
				"KUMBARA_PAYMENT_SANDBOX": "true"}[k]
		})
		admin := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"admin"}, args...), getenv, &out, &errOut)
			return out.String() + errOut.String(), err
		}
		must := func(args ...string) string {
			t.Helper()
			out, err := admin(args...)
			if err != nil {
				t.Fatalf("admin %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return out
		}
		nid := kyc.NewNationalID(time.Date(1985, 3, 1, 0, 0, 0, 0, time.UTC), true, 31).String()
		must("create-customer", "--first", "Ardit", "--last", "Kola", "--national-id", nid, "--mobile", "0695550031",
			"--client-number", "300000031")
		iban := regexp.MustCompile(`IBAN (AL\S+)`).FindStringSubmatch(must("open-account", "--client", "300000031",
			"--currency", "ALL"))
		if iban == nil {
			t.Fatal("open-account printed no IBAN")
		}
		must("clearing", "inbound", "--iban", iban[1], "--amount", "1500.00", "--name", "Alba Trade")
		// The business day whose books hold what posts now: today, or after the close the next day.
		now := time.Now().In(clock.Tirane)
		day := calendar.DateOf(now)
		if now.Hour() >= 20 {
			day = day.AddDays(1)
		}
		out := must("clearing", "messages", "--date", calendar.DateOf(now).String())
		if !regexp.MustCompile(`in\s+\S+\s+pacs\.008\.001\.08\s+-\s+processed\s+1\s+1\s+1500\.00 ALL`).MatchString(out) {
			t.Errorf("clearing messages:\n%s", out)
		}
		if out := must("clearing", "reconcile", "--date", day.String()); !strings.Contains(out,
			"ALL: 1 entries on report") || !strings.Contains(out, "1 settlement postings, 1 matched, 0 breaks") {
			t.Errorf("clearing reconcile:\n%s", out)
		}
		report := must("clearing", "report", "--date", day.String(), "--currency", "ALL")
		changed := regexp.MustCompile(`(<Ntry><NtryRef>[^<]*</NtryRef><Amt Ccy="ALL">)1500\.00<`).
			ReplaceAllString(report, "${1}1500.50<")
		if changed == report {
			t.Fatalf("the report has no entry of 1500.00:\n%s", report)
		}
		file := filepath.Join(t.TempDir(), "camt053.xml")
		if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := admin("clearing", "reconcile", "--date", day.String(), "--file", file); err == nil ||
			!strings.Contains(err.Error(), "iso_control_sum_mismatch") {
			t.Errorf("a report whose balances do not add up: %v\n%s", err, out)
		}
		fixed := regexp.MustCompile(`(<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="ALL">)1500\.00<`).
			ReplaceAllString(changed, "${1}1500.50<")
		if err := os.WriteFile(file, []byte(fixed), 0o600); err != nil {
			t.Fatal(err)
		}
		must("clearing", "reconcile", "--date", day.String(), "--file", file)
		out = must("clearing", "breaks", "--date", day.String())
		if !regexp.MustCompile(`amount_differs\s+tx \S+\s+payment \S+\s+theirs: CRDT 1500\.50 ALL \S+ \S+\s+ours: CRDT 1500\.00 ALL entry \S+ \(payment_in\)`).MatchString(out) {
			t.Errorf("clearing breaks:\n%s", out)
		}
		if out, err := admin("clearing", "reconcile"); err == nil || !strings.Contains(out+err.Error(), "--date is required") {
			t.Errorf("without --date: %v\n%s", err, out)
		}
		if out, err := admin("clearing", "return", "--tx", "NOSUCHTX"); err == nil || !strings.Contains(err.Error(), "no payment") {
			t.Errorf("returning a payment never settled: %v\n%s", err, out)
		}
	})
}

// What staff change on the clearing side from the command line is in the audit log under their name, from the
// operating-system user who typed it: `audit-log --action clearing.` and `--action clearinghouse.` list it.
func TestAdminClearingActionsAreInTheAuditLog(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		getenv := staffed(t, func(k string) string {
			return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32),
				"KUMBARA_PAYMENT_SANDBOX": "true"}[k]
		})
		must := func(args ...string) string {
			t.Helper()
			var out, errOut bytes.Buffer
			if err := run(context.Background(), append([]string{"admin"}, args...), getenv, &out, &errOut); err != nil {
				t.Fatalf("admin %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
			}
			return out.String()
		}
		nid := kyc.NewNationalID(time.Date(1986, 4, 1, 0, 0, 0, 0, time.UTC), false, 32).String()
		must("create-customer", "--first", "Besa", "--last", "Kola", "--national-id", nid, "--mobile", "0695550032",
			"--client-number", "300000032")
		iban := regexp.MustCompile(`IBAN (AL\S+)`).FindStringSubmatch(must("open-account", "--client", "300000032",
			"--currency", "ALL"))
		if iban == nil {
			t.Fatal("open-account printed no IBAN")
		}
		must("clearing", "reject", "--iban", "AL35202111090000000001234567", "--reason", "AC01")
		must("clearing", "set", "--down", "--delay", "2s")
		must("clearing", "set")
		must("clearing", "session")
		must("clearing", "dispatch")
		must("clearing", "inbound", "--iban", iban[1], "--amount", "1500.00", "--name", "Alba Trade")
		now := time.Now().In(clock.Tirane)
		day := calendar.DateOf(now)
		if now.Hour() >= 20 {
			day = day.AddDays(1)
		}
		must("clearing", "reconcile", "--date", day.String())
		must("clearing", "messages", "--date", day.String()) // a read: no entry
		must("staff", "create", "--username", "auditor", "--name", "Drita Kontrollore", "--branch", "Drejtoria",
			"--roles", "compliance")
		var lines []string
		for _, prefix := range []string{"clearinghouse.", "clearing."} {
			out := must("audit-log", "--staff", "auditor", "--action", prefix)
			lines = append(lines, strings.Split(strings.TrimSpace(out), "\n")[1:]...)
		}
		want := []string{"clearinghouse.inbound", "clearinghouse.set", "clearinghouse.set", "clearinghouse.rejecting",
			"clearing.reconciled", "clearing.dispatched", "clearing.session_run"}
		if len(lines) != len(want) {
			t.Fatalf("%d entries, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
		}
		for i, action := range want {
			if l := lines[i]; !strings.Contains(l, " "+action+" ") || !strings.Contains(l, "staff:operator") ||
				!strings.Contains(l, " ok ") || !strings.Contains(l, " os:") {
				t.Errorf("entry %d is not %s by the operator from the command line: %s", i+1, action, l)
			}
		}
		if !strings.Contains(lines[1], `{"down":false,"delay_ms":0}`) || !strings.Contains(lines[2], `{"down":true,"delay_ms":2000}`) {
			t.Errorf("the sandbox's settings before and after:\n%s\n%s", lines[1], lines[2])
		}
	})
}
