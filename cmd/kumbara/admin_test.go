package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// TestAdminCommandsRunAStaffDay walks the staff's command line on both engines: create a customer and a business,
// open accounts, take a cash deposit and pay a withdrawal, set an initial password, block and unblock, reverse an
// entry, read the sandbox inbox, and finish with `verify`.
func TestAdminCommandsRunAStaffDay(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(engine.String(), func(t *testing.T) {
			dsn := dbtest.SQLiteDSN(t)
			if engine == db.Postgres {
				dsn = dbtest.PostgresDSN(t)
			}
			adminDay(t, dsn)
		})
	}
}

func adminDay(t *testing.T, dsn string) {
	ctx := context.Background()
	getenv := func(name string) string {
		if name == "KUMBARA_DB" {
			return dsn
		}
		return ""
	}
	admin := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &errOut); err != nil {
			t.Fatalf("admin %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	refused := func(want string, args ...string) {
		t.Helper()
		err := run(ctx, append([]string{"admin"}, args...), getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("admin %s: got %v, want an error containing %q", strings.Join(args, " "), err, want)
		}
	}

	nid := kyc.NewNationalID(time.Date(1990, 4, 9, 0, 0, 0, 0, time.UTC), true, 321).String()
	out := admin("create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid, "--mobile", "069 555 1234",
		"--client-number", "200000001", "--email", "mirela@example.al")
	if !strings.Contains(out, "client number 200000001") {
		t.Fatalf("create-customer: %s", out)
	}
	refused("national_id_invalid", "create-customer", "--first", "A", "--last", "B", "--national-id", "X123", "--mobile", "0695551234")
	refused("customer_exists", "create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid,
		"--mobile", "069 555 1234", "--client-number", "200000001")
	out = admin("create-business", "--name", "Çajra e Mirës Shpk", "--nipt", string(kyc.NewNIPT('L', 22334455)),
		"--mobile", "0681112233", "--representative", "200000001")
	if !strings.Contains(out, "created business") {
		t.Fatalf("create-business: %s", out)
	}

	out = admin("open-account", "--client", "200000001", "--currency", "ALL")
	ibanRe := regexp.MustCompile(`IBAN (AL\d{2}9990001\d{17})`)
	m := ibanRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("open-account printed no IBAN in the bank's code: %s", out)
	}
	acc := m[1]
	refused("unknown_currency", "open-account", "--client", "200000001", "--currency", "XXX")

	admin("deposit", "--iban", acc, "--amount", "5000.00")
	out = admin("withdraw", "--iban", acc, "--amount", "1200.50")
	entry := regexp.MustCompile(`entry (\S+)`).FindStringSubmatch(out)
	if entry == nil {
		t.Fatalf("withdraw: %s", out)
	}
	refused("insufficient_funds", "withdraw", "--iban", acc, "--amount", "999999.00")
	refused("amount_too_many_decimals", "deposit", "--iban", acc, "--amount", "1.001")
	if out := admin("accounts", "--client", "200000001"); !strings.Contains(out, "3799.50 ALL") {
		t.Fatalf("balance after deposit and withdrawal:\n%s", out)
	}
	admin("reverse", "--entry", entry[1], "--reason", "Gabim i arkëtarit")
	refused("already_reversed", "reverse", "--entry", entry[1])
	if out := admin("accounts", "--client", "200000001"); !strings.Contains(out, "5000.00 ALL") {
		t.Fatalf("balance after the reversal:\n%s", out)
	}

	admin("block-account", "--iban", acc)
	refused("account_blocked", "deposit", "--iban", acc, "--amount", "1.00")
	admin("unblock-account", "--iban", acc)
	admin("set-overdraft", "--iban", acc, "--limit", "1000.00")
	admin("withdraw", "--iban", acc, "--amount", "5500.00")

	refused("password_policy", "set-password", "--client", "200000001", "--password", "abc")
	admin("set-password", "--client", "200000001", "--password", "Fillim2026x")
	admin("unblock", "--client", "200000001")
	if out := admin("inbox"); !strings.Contains(out, "MESSAGE") {
		t.Fatalf("inbox: %s", out)
	}
	if out := admin("gl"); !strings.Contains(out, "vault:ALL") {
		t.Fatalf("gl: %s", out)
	}
	var vout bytes.Buffer
	if err := run(ctx, []string{"verify"}, getenv, &vout, io.Discard); err != nil {
		t.Fatalf("verify: %v\n%s", err, vout.String())
	}
	if err := run(ctx, []string{"admin", "no-such-command"}, getenv, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Fatalf("unknown admin command: %v", err)
	}
	if err := run(ctx, []string{"admin", "gl", "--bank-code", "12"}, getenv, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Fatalf("bad bank code: %v", err)
	}
}
