package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db/dbtest"
)

// Staff keep the directory of banks and the tariff from the command line: a bank is put, changed, deactivated and
// reactivated at once, each refusal named; a new rate waits for a second member, whose approval puts it in force.
func TestAdminKeepsTheBanksAndTheTariff(t *testing.T) {
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

		if out := ok("banks", "put", "--code", "212", "--bic", "CDISALTR", "--name", "Credins Bank", "--instant"); !strings.Contains(out, "bank 212 CDISALTR Credins Bank") {
			t.Fatalf("banks put: %s", out)
		}
		ok("banks", "put", "--code", "205", "--bic", "NCBAALTX", "--name", "Banka Kombëtare Tregtare")
		ok("banks", "put", "--code", "205", "--bic", "NCBAALTX", "--name", "BKT", "--instant")
		refused("validation_failed; code: bank_code_invalid; bic: bic_invalid", "banks", "put", "--code", "21", "--bic", "x", "--name", "X")
		refused("validation_failed; code: bank_code_own", "banks", "put", "--code", "999", "--bic", "SGSBALTX", "--name", "X")
		refused("bank_bic_taken", "banks", "put", "--code", "213", "--bic", "CDISALTR200", "--name", "X")
		if out := ok("banks", "deactivate", "212"); !strings.Contains(out, "bank 212 takes no payments now") {
			t.Fatalf("banks deactivate: %s", out)
		}
		refused("bank_unknown", "banks", "deactivate", "--code", "208")
		out := ok("banks")
		if !regexp.MustCompile(`205\s+NCBAALTX\s+BKT\s+yes\s+yes`).MatchString(out) ||
			!regexp.MustCompile(`212\s+CDISALTR\s+Credins Bank\s+yes\s+no`).MatchString(out) {
			t.Fatalf("banks:\n%s", out)
		}
		ok("banks", "activate", "212")
		if out := ok("banks"); !regexp.MustCompile(`212\s+CDISALTR\s+Credins Bank\s+yes\s+yes`).MatchString(out) {
			t.Fatalf("banks after reactivating:\n%s", out)
		}

		if out := ok("tariff"); !regexp.MustCompile(`aech\s+SHA\s+ALL\s+100\.00\s+-\s+0\.00\s+-\s+0\.00\s+\(default\)\s+kumbara\s+-`).MatchString(out) ||
			!regexp.MustCompile(`swift\s+OUR\s+EUR\s+0\.00\s+0\.20\s+10\.00\s+150\.00\s+20\.00`).MatchString(out) {
			t.Fatalf("tariff:\n%s", out)
		}
		refused("validation_failed; currency: tariff_currency_scheme", "tariff", "set", "--scheme", "aech", "--charges", "SHA",
			"--currency", "EUR", "--fixed", "1.00")
		refused("amount_too_many_decimals; fixed", "tariff", "set", "--scheme", "aech", "--charges", "SHA",
			"--currency", "ALL", "--fixed", "1.001")
		refused("validation_failed; min: tariff_min_above_max", "tariff", "set", "--scheme", "swift", "--charges", "OUR",
			"--currency", "USD", "--percent", "0.25", "--min", "200", "--max", "150", "--correspondent", "25")
		out = ok("tariff", "set", "--scheme", "swift", "--charges", "OUR", "--currency", "USD", "--percent", "0.25",
			"--min", "12.50", "--max", "200", "--correspondent", "25")
		m := regexp.MustCompile(`request (\S+) waits for a second member's approval .*hash ([0-9a-f]{64})`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("tariff set: %s", out)
		}
		if out := ok("tariff"); !regexp.MustCompile(`swift\s+OUR\s+USD\s+0\.00\s+0\.20\s+10\.00\s+150\.00\s+20\.00`).MatchString(out) {
			t.Fatalf("the tariff changed before approval:\n%s", out)
		}
		refused("staff_permission_denied", "approve", m[1])

		ok("staff", "create", "--username", "checker", "--name", "Dritan Menaxheri", "--branch", "Tiranë Qendër", "--roles", "manager")
		var cout, cerr bytes.Buffer
		env := func(k string) string {
			switch k {
			case "KUMBARA_DB":
				return dsn
			case "KUMBARA_SECRET":
				return strings.Repeat("ab", 32)
			case "KUMBARA_STAFF":
				return "checker"
			}
			return ""
		}
		if err := run(context.Background(), []string{"admin", "approve", m[1], "--hash", m[2]}, env, &cout, &cerr); err != nil ||
			!strings.Contains(cout.String(), "approved and done: tariff.set") {
			t.Fatalf("approve as checker: %v\n%s%s", err, cout.String(), cerr.String())
		}
		if out := ok("tariff"); !regexp.MustCompile(`swift\s+OUR\s+USD\s+0\.00\s+0\.25\s+12\.50\s+200\.00\s+25\.00\s+\S+ \S+\s+operator\s+checker`).MatchString(out) {
			t.Fatalf("the tariff after approval:\n%s", out)
		}
		if out := ok("tariff", "history", "--scheme", "swift", "--limit", "2"); strings.Count(out, "\n") != 3 || !strings.Contains(out, "0.25") {
			t.Fatalf("tariff history:\n%s", out)
		}
	})
}

// Staff issue a bank a credential for name checks from the command line, its token printed once on a line of its
// own; they list the bank's credentials without it and revoke one, after which it authenticates nothing. A member
// without the directory's permission is refused, and so are an unknown bank and an unknown credential.
func TestAdminIssuesListsAndRevokesABanksCredentials(t *testing.T) {
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
		ok("banks", "put", "--code", "212", "--bic", "CDISALTR", "--name", "Credins Bank")
		out := ok("banks", "credential", "issue", "212")
		m := regexp.MustCompile(`credential (\S+) issued to bank 212.*\n(kvop_[A-Za-z0-9_-]{43})\n`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("banks credential issue: %s", out)
		}
		id, token := m[1], m[2]
		ok("banks", "credential", "issue", "--code", "212")
		out = ok("banks", "credential", "list", "212")
		if strings.Count(out, "\n") != 3 || strings.Contains(out, token) ||
			!regexp.MustCompile(regexp.QuoteMeta(id)+`\s+\S+ \S+\s+operator\s+-\s+-`).MatchString(out) {
			t.Fatalf("banks credential list:\n%s", out)
		}
		if out := ok("banks", "credential", "revoke", id); !strings.Contains(out, "credential "+id+" of bank 212 revoked") {
			t.Fatalf("banks credential revoke: %s", out)
		}
		if out := ok("banks", "credential", "list", "212"); !regexp.MustCompile(regexp.QuoteMeta(id) + `\s+\S+ \S+\s+operator\s+\S+ \S+\s+operator`).MatchString(out) {
			t.Fatalf("the list after revoking:\n%s", out)
		}
		refused("bank_unknown", "banks", "credential", "issue", "217")
		refused("bank_unknown", "banks", "credential", "list", "217")
		refused("bank_credential_not_found", "banks", "credential", "revoke", "0190a0c8-0000-7000-8000-000000000000")

		ok("staff", "create", "--username", "arka", "--name", "Blerta Kola", "--branch", "Tiranë Qendër", "--roles", "teller")
		teller := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			env := func(k string) string {
				return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32), "KUMBARA_STAFF": "arka"}[k]
			}
			err := run(context.Background(), append([]string{"admin"}, args...), env, &out, &errOut)
			return out.String() + errOut.String(), err
		}
		if out, err := teller("banks", "credential", "issue", "212"); err == nil || !strings.Contains(err.Error(), "staff_permission_denied") {
			t.Fatalf("a teller issuing a credential: %v\n%s", err, out)
		}
		if out, err := teller("banks", "credential", "list", "212"); err != nil || strings.Count(out, "\n") != 3 {
			t.Fatalf("a teller listing the credentials: %v\n%s", err, out)
		}
	})
}
