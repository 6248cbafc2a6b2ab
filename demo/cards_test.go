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
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/password"
)

// TestEveryDemoIndividualHasAnActiveDebitCardOnTheirFirstALLAccount: seeding with cards, twice, gives each demo
// individual one active debit card with the published PIN on their first ALL current account; a demo bank seeded
// before cards existed gets them at its next seed.
func TestEveryDemoIndividualHasAnActiveDebitCardOnTheirFirstALLAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := app.New(ctx, app.Config{DB: d, Clock: clock.NewFake(time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)),
			Secret: bytes.Repeat([]byte{0x4b}, 32), Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
				Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000", Hasher: password.ForTests})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		deps := demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms}
		if err := demo.Seed(ctx, deps); err != nil { // an older demo bank: no cards
			t.Fatal(err)
		}
		deps.Cards = s.Cards
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatal(err)
			}
		}
		for _, client := range []string{"100000001", "100000002", "100000003"} {
			c, err := s.Customers.ByClientNumber(ctx, client)
			if err != nil {
				t.Fatal(err)
			}
			cards, err := s.Cards.List(ctx, c.ID)
			if err != nil || len(cards) != 1 {
				t.Fatalf("%s has %d cards (%v)", client, len(cards), err)
			}
			accounts, _ := s.Ledger.ListByCustomer(ctx, c.ID)
			k := cards[0]
			if k.Kind != card.Debit || k.Status != card.Active || k.AccountID != accounts[0].ID ||
				accounts[0].Currency != money.ALL || accounts[0].Type != ledger.TypeCurrent {
				t.Fatalf("%s's card %+v", client, k)
			}
			if err := s.Cards.VerifyPIN(ctx, k.ID, demo.CardPIN); err != nil {
				t.Fatalf("%s's card PIN: %v", client, err)
			}
		}
	})
}
