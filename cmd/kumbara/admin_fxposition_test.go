package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/password"
)

// Staff read the bank's FX position from the command line: after a customer sells 1,234.57 EUR at 97.80 and
// another buys 500.00 USD at 93.15 (mids 98.60 and 92.20), each currency's position at its mid, a total that rounds
// to nothing (121,728.602 − 46,100.00 − 75,628.60 = 0.002) and the day's income 987.65 + 475.00. It is the bank's
// books: a teller may not read it.
func TestAdminShowsTheFXPosition(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		admin := adminAs(t, dsn)
		ctx := context.Background()
		secret, _ := hex.DecodeString(strings.Repeat("ab", 32))
		b, err := app.New(ctx, app.Config{DSN: dsn, Clock: clock.Real{}, Secret: secret, Hasher: password.ForTests,
			Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		for c, r := range map[money.Currency][2]string{money.EUR: {"97.80", "99.40"}, money.USD: {"91.25", "93.15"}} {
			if _, err := b.FX.Publish(ctx, fx.Rate{Currency: c, Buy: r[0], Sell: r[1], PublishedBy: "operator",
				ApprovedBy: "checker"}); err != nil {
				t.Fatal(err)
			}
		}
		convert := func(n int, from, to money.Currency, funds int64, r fx.QuoteRequest) {
			t.Helper()
			birth := time.Date(1980, 1, n, 0, 0, 0, 0, time.UTC)
			c, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{FirstName: "Arta", LastName: "Hoxha",
				NationalID: kyc.NewNationalID(birth, true, n).String(), BirthDate: birth, Mobile: fmt.Sprintf("+35569%07d", n)})
			if err != nil {
				t.Fatal(err)
			}
			src, err := b.Customers.OpenAccount(ctx, c.ID, from, ledger.TypeCurrent, "")
			if err != nil {
				t.Fatal(err)
			}
			dst, err := b.Customers.OpenAccount(ctx, c.ID, to, ledger.TypeCurrent, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Ledger.CashDeposit(ctx, src.ID, money.New(funds, from), ""); err != nil {
				t.Fatal(err)
			}
			r.FromAccountID, r.ToAccountID = src.ID, dst.ID
			q, err := b.FX.Quote(ctx, c.ID, r)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := b.FX.Execute(ctx, c.ID, q.ID); err != nil {
				t.Fatal(err)
			}
		}
		convert(1, money.EUR, money.ALL, 200_000, fx.QuoteRequest{SellAmount: "1234.57"})
		convert(2, money.ALL, money.USD, 10_000_000, fx.QuoteRequest{BuyAmount: "500"})

		out, err := admin("fx", "position")
		if err != nil {
			t.Fatalf("fx position: %v\n%s", err, out)
		}
		for _, want := range []string{`the day's results: income 1462\.65 ALL, rounding 0\.00 ALL, revaluation 0\.00 ALL`,
			`ALL\s+-75628\.60\s+1\.00\s+-75628\.60\n`, `EUR\s+1234\.57\s+98\.60\s+121728\.60\n`,
			`USD\s+-500\.00\s+92\.20\s+-46100\.00\n`, `GBP\s+0\.00\s+-\s+-\n`,
			`total 0\.00 ALL at the current mids: a revaluation now would book nothing`} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("fx position lacks %s:\n%s", want, out)
			}
		}

		if out, err := admin("staff", "create", "--username", "arka", "--name", "Arta Arkëtare", "--branch",
			"Tiranë Qendër", "--roles", "teller"); err != nil {
			t.Fatalf("staff create: %v\n%s", err, out)
		}
		var tout, terr bytes.Buffer
		env := func(k string) string {
			return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32),
				"KUMBARA_STAFF": "arka"}[k]
		}
		if err := run(ctx, []string{"admin", "fx", "position"}, env, &tout, &terr); err == nil ||
			!strings.Contains(err.Error(), "staff_permission_denied") {
			t.Fatalf("a teller reads the position: %v\n%s", err, tout.String())
		}
	})
}
