package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestTheCloseSettlesTheCardSchemeToTheNostroWithoutABreak: a card purchase of the day is cleared at the close
// (card_clearing) and its settlement posted card_settlement → the nostro, leaving card_settlement at zero; the
// clearing side's reconciliation of the same close sees no break for it, and the ledger holds.
func TestTheCloseSettlesTheCardSchemeToTheNostroWithoutABreak(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := config(d)
		clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Tirane))
		cfg.Clock, cfg.CloseOfBusiness, cfg.PaymentSandbox = clk, 18*time.Hour+30*time.Minute, true
		b := open(t, cfg)
		c, a := person(t, b, 1)
		k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa, PIN: "4826"})
		if err != nil {
			t.Fatal(err)
		}
		if ans, err := b.CardNetwork.Authorise(ctx, issuing.Request{ID: "A1", CardID: k.ID, Amount: money.New(25_000, money.ALL),
			Merchant: "Libraria Adrion", MCC: "5942", Country: "AL", CardPresent: true}); err != nil || !ans.Approved {
			t.Fatalf("authorise: %+v %v", ans, err)
		}
		if _, err := b.EOD.BusinessDate(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Set(time.Date(2026, 12, 2, 18, 45, 0, 0, clock.Tirane))
		if _, err := b.EOD.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		history, err := b.EOD.History(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range history {
			switch h.Step {
			case "card_clearing":
				if !strings.Contains(h.Result, "1 currencies settled, 0 breaks") {
					t.Errorf("card_clearing: %q", h.Result)
				}
			case "reconcile_clearing":
				// No payment moved: the card scheme's posting on the nostro is not the clearing side's.
				if h.Result != "nothing settled" {
					t.Errorf("reconcile_clearing: %q", h.Result)
				}
			}
		}
		for typ, want := range map[string]int64{ledger.TypeCardSettlement: 0, ledger.TypeSettlement: 25_000} {
			if g, err := b.Ledger.GL(ctx, ledger.GLCode(typ, money.ALL)); err != nil || g.Balance != want {
				t.Errorf("%s:ALL %d, want %d (%v)", typ, g.Balance, want, err)
			}
		}
		if breaks, err := b.Ledger.Verify(ctx); err != nil || len(breaks) != 0 {
			t.Errorf("verify %v %v", breaks, err)
		}
	})
}
