package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// TestAdminOpensACreditCardOnASecondMembersApprovalAndASupplementaryCard: `cards open-credit` refuses bad input
// with its code and otherwise waits for a second member; once approved, the customer has a credit card, on which
// `cards supplementary` issues a card for another holder at once.
func TestAdminOpensACreditCardOnASecondMembersApprovalAndASupplementaryCard(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		admin := adminAs(t, dsn)
		ok := func(args ...string) string {
			t.Helper()
			out, err := admin(args...)
			if err != nil {
				t.Fatalf("admin %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return out
		}
		refused := func(want string, args ...string) {
			t.Helper()
			out, err := admin(args...)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("admin %s: %v (%s), want a refusal with %q", strings.Join(args, " "), err, out, want)
			}
		}
		nid := kyc.NewNationalID(time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC), true, 301).String()
		ok("create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid, "--mobile", "0695551234",
			"--client-number", "200000001")

		open := []string{"cards", "open-credit", "--customer", "200000001", "--limit", "100000.00", "--cash-limit", "20000",
			"--cycle", "end"}
		refused("credit_limit_invalid", "cards", "open-credit", "--customer", "200000001", "--limit", "0")
		refused("credit_limit_invalid", "cards", "open-credit", "--customer", "200000001", "--limit", "100", "--cash-limit", "100.01")
		refused("credit_cycle_invalid", "cards", "open-credit", "--customer", "200000001", "--limit", "100", "--cycle", "mid")
		refused("customer_not_found", "cards", "open-credit", "--customer", "299999999", "--limit", "100")
		m := regexp.MustCompile(`request (\S+) waits for a second member's approval .*hash ([0-9a-f]{64})`).
			FindStringSubmatch(ok(open...))
		if m == nil {
			t.Fatal("cards open-credit did not wait for a second member")
		}
		if out := ok("cards", "search", "--client", "200000001"); strings.Contains(out, "credit") {
			t.Fatalf("a credit card before the approval:\n%s", out)
		}
		refused("staff_permission_denied", "approve", m[1])
		ok("staff", "create", "--username", "checker", "--name", "Dritan Menaxheri", "--branch", "Tiranë Qendër", "--roles", "manager")
		var cout, cerr bytes.Buffer
		env := func(k string) string {
			return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32), "KUMBARA_STAFF": "checker"}[k]
		}
		if err := run(context.Background(), []string{"admin", "approve", m[1], "--hash", m[2]}, env, &cout, &cerr); err != nil ||
			!strings.Contains(cout.String(), "approved and done: credit.open") {
			t.Fatalf("approve as checker: %v\n%s%s", err, cout.String(), cerr.String())
		}
		credit := regexp.MustCompile(`(?m)^(\S+)\s+credit\s+4000 00\*\* \*\*\*\* \d{4}\s+MIRELA GJOKA`).
			FindStringSubmatch(ok("cards", "search", "--client", "200000001"))
		if credit == nil {
			t.Fatal("no credit card after the approval")
		}

		refused("validation_failed", "cards", "supplementary", "--card", credit[1])
		out := ok("cards", "supplementary", "--card", credit[1], "--holder", "Arta Gjoka")
		if !regexp.MustCompile(`issued supplementary visa card \S+\s+4000 00\*\* \*\*\*\* \d{4}\s+ARTA GJOKA`).MatchString(out) {
			t.Fatalf("cards supplementary: %s", out)
		}
		if out := ok("cards", "search", "--client", "200000001"); !strings.Contains(out, "credit (supplementary)") {
			t.Fatalf("cards search does not show the supplementary card:\n%s", out)
		}
	})
}
