package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/password"
)

// TestArbenHasACreditCardWithPurchasesAndLastMonthsStatement: seeded on 7 December, Arben's credit card was opened
// on 2 November, bought 4,580.00 + 12,990.00 + 23,400.00 = 40,970.00 in November (the statement of 30 November:
// first cycle, no interest, minimum 5 % = 2,048.50, due 21 December as the 20th is a Sunday) and 8,990.00 + 6,500.00 since; the ledger
// verifies, with the months of history too.
func TestArbenHasACreditCardWithPurchasesAndLastMonthsStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := app.New(ctx, app.Config{DB: d, Clock: clock.NewFake(now), Secret: bytes.Repeat([]byte{0x4b}, 32),
			Bank:    customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"},
			CardBIN: "400000", Hasher: password.ForTests})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if err := demo.Seed(ctx, demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms,
			History: true, Credit: s.Credit}); err != nil {
			t.Fatal(err)
		}
		arben, err := s.Customers.ByClientNumber(ctx, "100000001")
		if err != nil {
			t.Fatal(err)
		}
		cards, err := s.Credit.List(ctx, arben.ID)
		if err != nil || len(cards) != 1 {
			t.Fatalf("credit cards %v, %v", cards, err)
		}
		sum, err := s.Credit.Summary(ctx, arben.ID, cards[0].CardID)
		if err != nil || sum.Debt != 4097000+899000+650000 || sum.Last == nil {
			t.Fatalf("summary %+v, %v", sum, err)
		}
		if st := sum.Last; st.CutDate.String() != "2026-11-30" || st.TotalDue != 4097000 || st.MinimumDue != 204850 ||
			st.DueDate.String() != "2026-12-21" || st.Interest != 0 || st.Points != 409 {
			t.Fatalf("statement %+v", st)
		}
		breaks, err := s.Ledger.Verify(ctx)
		if err != nil || len(breaks) > 0 {
			t.Fatalf("verify: %v %v", breaks, err)
		}
	})
}
