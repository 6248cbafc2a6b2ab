package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/password"
)

// TestTheDemoCardsHavePendingAndCompletedPurchasesOnce: seeded with the issuer, twice, 100000001's credit card has
// two completed and two pending purchases and its debit card one of each, through the issuer's authorisations and
// clearing (the second seed repeats them and posts nothing again); the ledger verifies.
func TestTheDemoCardsHavePendingAndCompletedPurchasesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := app.New(ctx, app.Config{DB: d, Clock: clock.NewFake(time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)),
			Secret: bytes.Repeat([]byte{0x4b}, 32), Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
				Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000", Hasher: password.ForTests})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		deps := demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms, Credit: s.Credit,
			Cards: s.Cards, Issuing: s.Issuing}
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.Customers.ByClientNumber(ctx, "100000001")
		if err != nil {
			t.Fatal(err)
		}
		cards, _ := s.Cards.List(ctx, c.ID)
		want := map[card.Kind][2]int{card.Credit: {2, 2}, card.Debit: {1, 1}} // pending, completed
		for _, k := range cards {
			pending, err1 := s.Issuing.Transactions(ctx, c.ID, k.ID, issuing.Pending, 0)
			completed, err2 := s.Issuing.Transactions(ctx, c.ID, k.ID, issuing.Completed, 0)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if got := [2]int{len(pending), len(completed)}; got != want[k.Kind] {
				t.Errorf("%s card: %d pending, %d completed, want %v", k.Kind, got[0], got[1], want[k.Kind])
			}
		}
		breaks, err := s.Ledger.Verify(ctx)
		if err != nil || len(breaks) > 0 {
			t.Fatalf("ledger verify: %v %v", breaks, err)
		}
	})
}
