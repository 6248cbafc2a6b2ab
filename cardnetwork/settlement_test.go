package cardnetwork_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// gl is the balance of the bank's GL account of typ in c.
func gl(t *testing.T, f *fixture, typ string, c money.Currency) int64 {
	t.Helper()
	a, err := f.l.GL(f.ctx, ledger.GLCode(typ, c))
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// TestEachFilesSettlementEmptiesCardSettlementIntoTheNostro: day one clears two purchases and a refund in lek and a
// presentment in euros of a card the bank does not know (an exception, owed all the same); the network's report
// matches the issuer's totals and each currency is posted card_settlement → the nostro, leaving card_settlement at
// zero. A chargeback won the next morning is credited in day two's settlement, whose net the issuer receives.
// Running either day's clearing again posts nothing twice.
func TestEachFilesSettlementEmptiesCardSettlementIntoTheNostro(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, k, acc := newFixture(t, d)
		for _, r := range []issuing.Request{purchase("A1", k.ID, 10_000), purchase("A2", k.ID, 20_000)} {
			if a, err := f.net.Authorise(f.ctx, r); err != nil || !a.Approved {
				t.Fatalf("authorise: %+v %v", a, err)
			}
		}
		for _, p := range []cardnetwork.Presentment{
			{CardID: k.ID, Kind: issuing.KindRefund, Amount: money.New(1_000, money.ALL), Merchant: "Libraria Adrion"},
			{CardID: "card-of-another-bank", Amount: money.New(5_000, money.EUR), Merchant: "Hotel Roma"},
		} {
			if _, err := f.net.Stage(f.ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		day1 := calendar.DateOf(f.clk.Now())
		res, err := f.net.RunClearing(f.ctx, day1)
		if err != nil || res.Posted != 3 || res.Exceptions != 1 || res.Settlement.Settled != 2 || res.Settlement.Breaks != 0 {
			t.Fatalf("day one: %+v %v", res, err)
		}
		for _, c := range []struct {
			cur          money.Currency
			card, nostro int64
		}{{money.ALL, 0, 29_000}, {money.EUR, 0, 5_000}} {
			if got := gl(t, f, ledger.TypeCardSettlement, c.cur); got != c.card {
				t.Errorf("card_settlement:%s %d after day one", c.cur, got)
			}
			if got := gl(t, f, ledger.TypeSettlement, c.cur); got != c.nostro {
				t.Errorf("the %s nostro moved %d, want %d", c.cur, got, c.nostro)
			}
		}

		f.clk.Advance(2 * time.Hour)
		clearings, err := f.iss.Clearings(f.ctx, k.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var a1 string
		for _, c := range clearings {
			if c.AuthorisationID == "A1" {
				a1 = c.ID
			}
		}
		dp, err := f.iss.OpenDispute(f.ctx, a1, "Nuk u dorëzua", "backoffice")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.iss.DecideDispute(f.ctx, dp.ID, true, "manager"); err != nil {
			t.Fatal(err)
		}
		if got := gl(t, f, ledger.TypeCardSettlement, money.ALL); got != -10_000 {
			t.Fatalf("card_settlement:ALL %d after the chargeback", got)
		}
		f.clk.Advance(22 * time.Hour)
		if a, err := f.net.Authorise(f.ctx, purchase("A3", k.ID, 5_000)); err != nil || !a.Approved {
			t.Fatalf("authorise: %+v %v", a, err)
		}
		day2 := calendar.DateOf(f.clk.Now())
		res, err = f.net.RunClearing(f.ctx, day2)
		if err != nil || res.Settlement.Settled != 1 || res.Settlement.Breaks != 0 {
			t.Fatalf("day two: %+v %v", res, err)
		}
		// 29,000 paid on day one, 5,000 − 10,000 received on day two.
		if got := gl(t, f, ledger.TypeSettlement, money.ALL); got != 24_000 {
			t.Errorf("the lek nostro %d after day two", got)
		}
		entries, err := f.l.Entries(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []calendar.Date{day1, day2} {
			again, err := f.net.RunClearing(f.ctx, day)
			if err != nil || again.Settlement.Settled != 0 || again.Settlement.Repeated == 0 {
				t.Errorf("%s again: %+v %v", day, again, err)
			}
		}
		if n, _ := f.l.Entries(f.ctx); n != entries {
			t.Errorf("%d entries after running the days again, %d before", n, entries)
		}
		for _, c := range []money.Currency{money.ALL, money.EUR} {
			if got := gl(t, f, ledger.TypeCardSettlement, c); got != 0 {
				t.Errorf("card_settlement:%s %d after a clean day", c, got)
			}
		}
		// 500,000 − 10,000 − 20,000 + 1,000 + 10,000 (charged back) − 5,000
		if a, _ := f.l.Get(f.ctx, acc.ID); a.Balance != 476_000 {
			t.Errorf("the customer's balance %d", a.Balance)
		}
		if breaks, err := f.l.Verify(f.ctx); err != nil || len(breaks) != 0 {
			t.Errorf("verify %v %v", breaks, err)
		}
	})
}

// TestASettlementFigureThatDiffersIsABreakNotAPosting: the network reports 45.00 for a file whose presentments the
// issuer posted at 40.00: nothing moves, the break is kept with both figures; the network's corrected report
// settles it, once.
func TestASettlementFigureThatDiffersIsABreakNotAPosting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, k, _ := newFixture(t, d)
		if _, err := f.iss.Clear(f.ctx, issuing.Format(issuing.File{ID: "F-3", BusinessDate: calendar.DateOf(f.clk.Now()),
			Presentments: []issuing.Presentment{{ID: "P-3", CardID: k.ID, Kind: issuing.KindPurchase,
				Amount: money.New(4_000, money.ALL), MCC: "5942", Merchant: "Libraria Adrion"}}})); err != nil {
			t.Fatal(err)
		}
		entries, _ := f.l.Entries(f.ctx)
		for _, c := range []struct {
			name                      string
			report                    int64
			settled, breaks, repeated int
			cardSettlement            int64
		}{
			{"the network's figure differs", 4_500, 0, 1, 0, 4_000},
			{"the same figure again", 4_500, 0, 1, 0, 4_000},
			{"the network corrects it", 4_000, 1, 0, 0, 0},
			{"the corrected report again", 4_000, 0, 0, 1, 0},
		} {
			res, err := f.iss.Settle(f.ctx, issuing.Settlement{FileID: "F-3", Nets: []money.Amount{money.New(c.report, money.ALL)}})
			if err != nil || res.Settled != c.settled || res.Breaks != c.breaks || res.Repeated != c.repeated {
				t.Fatalf("%s: %+v %v", c.name, res, err)
			}
			if got := gl(t, f, ledger.TypeCardSettlement, money.ALL); got != c.cardSettlement {
				t.Errorf("%s: card_settlement %d", c.name, got)
			}
			if c.breaks > 0 {
				breaks, err := f.iss.Settlements(f.ctx, issuing.SettlementBreak, 10)
				if err != nil || len(breaks) != 1 || breaks[0].Theirs != 4_500 || breaks[0].Ours != 4_000 || breaks[0].EntryID != "" {
					t.Errorf("%s: breaks %+v %v", c.name, breaks, err)
				}
				if n, _ := f.l.Entries(f.ctx); n != entries {
					t.Errorf("%s: a break posted", c.name)
				}
			}
		}
		if breaks, _ := f.iss.Settlements(f.ctx, issuing.SettlementBreak, 10); len(breaks) != 0 {
			t.Errorf("breaks left: %+v", breaks)
		}
		if _, err := f.iss.Settle(f.ctx, issuing.Settlement{FileID: "F-none"}); !errors.Is(err, issuing.ErrClearingNotFound) {
			t.Errorf("a report of a file never received: %v", err)
		}
		if breaks, err := f.l.Verify(f.ctx); err != nil || len(breaks) != 0 {
			t.Errorf("verify %v %v", breaks, err)
		}
	})
}
