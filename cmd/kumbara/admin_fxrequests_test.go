package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Staff answer customers' requests for a preferential rate from the command line: `fx requests` lists them, the
// one waiting first; `fx propose` refuses a bad rate or validity with its code, confirms a request under the
// four-eyes amount at once, and holds one above it for a second member, who approves it with `approve`.
func TestAdminProposesPreferentialRates(t *testing.T) {
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
		pending := regexp.MustCompile(`request (\S+) waits for a second member's approval .*hash ([0-9a-f]{64})`)
		ok("staff", "create", "--username", "checker", "--name", "Dritan Menaxheri", "--branch", "Tiranë Qendër", "--roles", "manager")
		approve := func(id, hash string) {
			t.Helper()
			var cout, cerr bytes.Buffer
			env := func(k string) string {
				return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32),
					"KUMBARA_STAFF": "checker"}[k]
			}
			if err := run(context.Background(), []string{"admin", "approve", id, "--hash", hash}, env, &cout, &cerr); err != nil {
				t.Fatalf("approve as checker: %v\n%s%s", err, cout.String(), cerr.String())
			}
		}
		m := pending.FindStringSubmatch(ok("fx", "publish", "--currency", "EUR", "--buy", "97.80", "--sell", "99.40"))
		if m == nil {
			t.Fatal("no pending rate")
		}
		approve(m[1], m[2])

		// A customer with lek and euros, asking as the internet branch would.
		nid := kyc.NewNationalID(time.Date(1988, 2, 3, 0, 0, 0, 0, time.UTC), false, 77).String()
		ok("create-customer", "--first", "Ilir", "--last", "Shehu", "--national-id", nid, "--mobile", "069 555 7777",
			"--client-number", "200000077")
		ok("open-account", "--client", "200000077", "--currency", "ALL")
		ok("open-account", "--client", "200000077", "--currency", "EUR")
		var c config
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.register(fs, func(k string) string {
			return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32)}[k]
		})
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		b, err := openBank(ctx, &c, clock.Real{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		cust, err := b.Customers.ByClientNumber(ctx, "200000077")
		if err != nil {
			t.Fatal(err)
		}
		accounts, err := b.Ledger.ListByCustomer(ctx, cust.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := fx.RequestInput{}
		for _, a := range accounts {
			if a.Currency == money.EUR {
				in.FromAccountID = a.ID
			} else if a.Type == ledger.TypeCurrent {
				in.ToAccountID = a.ID
			}
		}
		in.SellAmount = "20000"
		small, err := b.FX.Ask(ctx, cust.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		in.SellAmount = "150000"
		big, err := b.FX.Ask(ctx, cust.ID, in)
		if err != nil {
			t.Fatal(err)
		}

		out := ok("fx", "requests")
		if !regexp.MustCompile(small.ID+`\s+200000077\s+EUR→ALL\s+20000\.00 EUR\s+sell\s+requested\s+-`).MatchString(out) ||
			strings.Index(out, small.ID) > strings.Index(out, big.ID) {
			t.Fatalf("fx requests:\n%s", out)
		}
		until := time.Now().Add(2 * time.Hour).In(clock.Tirane).Format("2006-01-02 15:04")
		refused("fx_rate_invalid", "fx", "propose", "--request", small.ID, "--rate", "98,4", "--valid-until", until)
		refused("fx_offer_rate_out_of_band", "fx", "propose", "--request", small.ID, "--rate", "90", "--valid-until", until)
		refused("valid_until: fx_offer_valid_until_invalid", "fx", "propose", "--request", small.ID, "--rate", "98.4",
			"--valid-until", "tomorrow")
		refused("fx_request_not_found", "fx", "propose", "--request", "nope", "--rate", "98.4", "--valid-until", until)
		if out := ok("fx", "propose", "--request", small.ID, "--rate", "98.4", "--valid-until", until); !strings.Contains(out,
			"preferential rate proposed: request "+small.ID+" confirmed") {
			t.Fatalf("fx propose: %s", out)
		}
		m = pending.FindStringSubmatch(ok("fx", "propose", "--request", big.ID, "--rate", "98.45", "--valid-until", until))
		if m == nil {
			t.Fatal("the big request's rate does not wait for a second member")
		}
		approve(m[1], m[2])
		out = ok("fx", "requests")
		for _, want := range []string{small.ID + `\s+200000077\s+EUR→ALL\s+20000\.00 EUR\s+sell\s+confirmed\s+1 EUR = 98\.40 ALL`,
			big.ID + `\s+200000077\s+EUR→ALL\s+150000\.00 EUR\s+sell\s+confirmed\s+1 EUR = 98\.45 ALL`} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Fatalf("fx requests after proposing, want %s:\n%s", want, out)
			}
		}
		if got, err := b.FX.RequestByID(ctx, big.ID); err != nil || got.ProposedBy != "operator" || got.ApprovedBy != "checker" {
			t.Fatalf("the big request: %+v, %v", got, err)
		}
	})
}
