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
		// An older demo bank: no debit cards; 100000001 has a credit card, which is not a debit card.
		deps := demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms, Credit: s.Credit}
		if err := demo.Seed(ctx, deps); err != nil {
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
			all, err := s.Cards.List(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var cards []card.Card
			for _, k := range all {
				if k.Kind == card.Debit {
					cards = append(cards, k)
				}
			}
			if len(cards) != 1 {
				t.Fatalf("%s has %d debit cards", client, len(cards))
			}
			accounts, _ := s.Ledger.ListByCustomer(ctx, c.ID)
			var first ledger.Account
			for _, a := range accounts {
				if a.Currency == money.ALL && a.Type == ledger.TypeCurrent {
					first = a
					break
				}
			}
			k := cards[0]
			if k.Status != card.Active || first.ID == "" || k.AccountID != first.ID {
				t.Fatalf("%s's card %+v, first ALL current account %s", client, k, first.ID)
			}
			if err := s.Cards.VerifyPIN(ctx, k.ID, demo.CardPIN); err != nil {
				t.Fatalf("%s's card PIN: %v", client, err)
			}
		}
	})
}
