package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/password"
)

// TestTheDemoPublishesRatesForEveryCurrencyThroughFourEyes: the demo bank has a current rate for every currency it
// offers but ALL, asked for by the back office and approved by a manager, EUR around 97–100 lek; seeding again
// publishes nothing new while they are current, and once they have expired a new start publishes them again.
func TestTheDemoPublishesRatesForEveryCurrencyThroughFourEyes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, clk := context.Background(), clock.NewFake(now)
		b, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: make([]byte, 32), Hasher: password.ForTests,
			Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		deps := demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms, Staff: b.Staff,
			Operations: b.Operations}
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatalf("Seed: %v", err)
			}
		}
		cur, err := b.FX.Current(ctx)
		if err != nil || len(cur) != len(money.Currencies())-1 {
			t.Fatalf("current %+v, %v", cur, err)
		}
		for _, r := range cur {
			if r.PublishedBy != "backoffice" || r.ApprovedBy != "manager" {
				t.Errorf("%s published by %q, approved by %q", r.Currency, r.PublishedBy, r.ApprovedBy)
			}
			if r.Currency == money.EUR && (r.Buy < "97" || r.Sell > "99.99") {
				t.Errorf("EUR %s/%s", r.Buy, r.Sell)
			}
		}
		if hist, err := b.FX.History(ctx, "", 100); err != nil || len(hist) != len(cur) {
			t.Fatalf("seeding twice published %d, %v", len(hist), err)
		}
		clk.Advance(25 * time.Hour)
		if err := demo.Seed(ctx, deps); err != nil {
			t.Fatal(err)
		}
		if cur, err := b.FX.Current(ctx); err != nil || len(cur) != len(money.Currencies())-1 {
			t.Fatalf("after a day: %+v, %v", cur, err)
		}
	})
}
