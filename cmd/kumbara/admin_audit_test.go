package main

import (
	"os/user"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// TestAdminAuditLogFindsWhatStaffDidByCustomerMemberActionAndDay: every command is audited by the member it names
// and the operating-system user who typed it, and a member with audit.read (compliance) finds the entries by
// customer, member, action or prefix and days, a page at a time; a member without it is refused.
func TestAdminAuditLogFindsWhatStaffDidByCustomerMemberActionAndDay(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		admin := adminAs(t, dsn)
		must := func(args ...string) string {
			t.Helper()
			out, err := admin(args...)
			if err != nil {
				t.Fatalf("admin %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return out
		}
		must("staff", "create", "--username", "auditor", "--name", "Drita Kontrollore", "--branch", "Drejtoria",
			"--roles", "compliance")
		nid := kyc.NewNationalID(time.Date(1988, 6, 1, 0, 0, 0, 0, time.UTC), false, 77).String()
		must("create-customer", "--first", "Luan", "--last", "Çela", "--national-id", nid, "--mobile", "0695550077",
			"--client-number", "300000001")
		iban := regexp.MustCompile(`IBAN (AL\S+)`).FindStringSubmatch(must("open-account", "--client", "300000001",
			"--currency", "ALL"))
		if iban == nil {
			t.Fatal("open-account printed no IBAN")
		}
		must("deposit", "--iban", iban[1], "--amount", "250.00")
		must("block-account", "--iban", iban[1])

		if out, err := admin("audit-log"); err == nil || !strings.Contains(err.Error(), "staff_permission_denied") {
			t.Fatalf("the operator, without audit.read: %v\n%s", err, out)
		}
		audited := func(args ...string) string {
			t.Helper()
			return must(append([]string{"audit-log", "--staff", "auditor"}, args...)...)
		}
		osUser := "os:"
		if u, err := user.Current(); err == nil {
			osUser += u.Username
		}
		out := audited("--customer", "300000001")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 5 {
			t.Fatalf("the customer's entries, with a header:\n%s", out)
		}
		for i, action := range []string{"account.status_changed", "cash.deposited", "account.opened", "customer.created"} {
			l := lines[i+1]
			if !strings.Contains(l, " "+action+" ") || !strings.Contains(l, "staff:operator") ||
				!strings.Contains(l, "300000001") || !strings.Contains(l, osUser) {
				t.Errorf("line %d, want %s by the operator from %s: %s", i+1, action, osUser, l)
			}
		}
		if !strings.Contains(lines[1], iban[1]) || !strings.Contains(lines[1], `{"status":"active"}`) ||
			!strings.Contains(lines[1], `{"status":"blocked"}`) {
			t.Errorf("the status change: %s", lines[1])
		}

		out = audited("--member", "operator", "--action", "staff.")
		if !strings.Contains(out, "staff.created") || !strings.Contains(out, `"username":"auditor"`) ||
			strings.Contains(out, "cash.deposited") {
			t.Errorf("the operator's staff actions:\n%s", out)
		}
		out = audited("--action", "account.opened", "--limit", "1")
		if !strings.Contains(out, "account.opened") || strings.Contains(out, "older entries") {
			t.Errorf("one action:\n%s", out)
		}
		out = audited("--member", "operator", "--limit", "2")
		next := regexp.MustCompile(`older entries: --before (\d+)`).FindStringSubmatch(out)
		if next == nil || strings.Count(out, "staff:operator") != 2 {
			t.Fatalf("a first page of two:\n%s", out)
		}
		if older := audited("--member", "operator", "--limit", "2", "--before", next[1]); strings.Contains(older, " block-account") ||
			!strings.Contains(older, "staff:operator") {
			t.Errorf("the next page:\n%s", older)
		}
		today := calendar.DateOf(time.Now())
		if out := audited("--from", today.String(), "--to", today.String(), "--action", "cash.deposited"); !strings.Contains(out, "cash.deposited") {
			t.Errorf("today's deposits:\n%s", out)
		}
		if out := audited("--from", today.AddDays(1).String()); !strings.Contains(out, "no entries") {
			t.Errorf("tomorrow's entries:\n%s", out)
		}
		if out := audited("--to", today.AddDays(-1).String()); !strings.Contains(out, "no entries") {
			t.Errorf("yesterday's entries:\n%s", out)
		}
		for _, bad := range [][]string{{"--from", "07.12.2026"}, {"--limit", "0"}, {"--limit", "101"}, {"--before", "-1"}} {
			if out, err := admin(append([]string{"audit-log", "--staff", "auditor"}, bad...)...); exitCode(err) != 2 {
				t.Errorf("audit-log %v: %v, want a usage error\n%s", bad, err, out)
			}
		}
		if out, err := admin("audit-log", "--staff", "auditor", "--customer", "399999999"); err == nil ||
			!strings.Contains(err.Error(), "customer_not_found") {
			t.Errorf("an unknown customer: %v\n%s", err, out)
		}
	})
}
