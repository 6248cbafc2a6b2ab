package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db/dbtest"
)

// Staff publish an exchange rate from the command line: a bad rate is refused with its code, a good one waits for
// a second member, who approves it with `kumbara admin approve`, and it is then current; a move beyond the band
// needs --reason.
func TestAdminPublishesAnExchangeRateThroughFourEyes(t *testing.T) {
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
		approve := func(id, hash string) {
			t.Helper()
			var cout, cerr bytes.Buffer
			env := func(k string) string {
				return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32),
					"KUMBARA_STAFF": "checker"}[k]
			}
			if err := run(context.Background(), []string{"admin", "approve", id, "--hash", hash}, env, &cout, &cerr); err != nil ||
				!strings.Contains(cout.String(), "approved and done: fx.publish") {
				t.Fatalf("approve as checker: %v\n%s%s", err, cout.String(), cerr.String())
			}
		}
		pending := regexp.MustCompile(`request (\S+) waits for a second member's approval .*hash ([0-9a-f]{64})`)

		refused("validation_failed; currency: fx_currency_invalid", "fx", "publish", "--currency", "ALL", "--buy", "1", "--sell", "1")
		refused("validation_failed; sell: fx_sell_below_buy", "fx", "publish", "--currency", "EUR", "--buy", "99", "--sell", "98")
		refused("fx_rate_invalid", "fx", "publish", "--currency", "EUR", "--buy", "97.1234567", "--sell", "99")
		out := ok("fx", "publish", "--currency", "eur", "--buy", "97.8", "--sell", "99.40")
		m := pending.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("fx publish: %s", out)
		}
		if out := ok("fx", "rates"); strings.Contains(out, "EUR") {
			t.Fatalf("a rate current before approval:\n%s", out)
		}
		refused("staff_permission_denied", "approve", m[1]) // the maker may not decide
		ok("staff", "create", "--username", "checker", "--name", "Dritan Menaxheri", "--branch", "Tiranë Qendër", "--roles", "manager")
		approve(m[1], m[2])
		if out := ok("fx", "rates"); !regexp.MustCompile(`EUR\s+97\.80\s+99\.40\s+98\.60\s+\S+ \S+\s+\S+ \S+\s+operator\s+checker\s+-`).MatchString(out) {
			t.Fatalf("fx rates after approval:\n%s", out)
		}

		refused("fx_rate_reason_required", "fx", "publish", "--currency", "EUR", "--buy", "90", "--sell", "91")
		m = pending.FindStringSubmatch(ok("fx", "publish", "--currency", "EUR", "--buy", "90", "--sell", "91", "--reason", "Rënie e euros"))
		if m == nil {
			t.Fatal("no request for the rate with a reason")
		}
		approve(m[1], m[2])
		if out := ok("fx", "rates", "--history", "--currency", "EUR"); strings.Count(out, "\n") != 3 ||
			!regexp.MustCompile(`EUR\s+90\.00\s+91\.00\s+90\.50.*Rënie e euros`).MatchString(out) {
			t.Fatalf("fx rates --history:\n%s", out)
		}
	})
}
