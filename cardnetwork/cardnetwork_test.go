package cardnetwork_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

type fixture struct {
	ctx context.Context
	clk *clock.Fake
	l   *ledger.Ledger
	net *cardnetwork.Sandbox
	iss *issuing.Service
}

func newFixture(t *testing.T, d *db.DB) (*fixture, card.Card, ledger.Account) {
	t.Helper()
	f := &fixture{ctx: context.Background(), clk: clock.NewFake(t0)}
	f.l = ledger.New(d, f.clk)
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	cs := &customer.Service{DB: d, Clock: f.clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	cards := &card.Service{DB: d, Clock: f.clk, Keys: card.DeriveKeys([]byte("0123456789abcdef0123456789abcdef")), BIN: "400000"}
	f.iss = &issuing.Service{DB: d, Clock: f.clk, Ledger: f.l, Cards: cards, FX: &fx.Service{DB: d, Clock: f.clk, Ledger: f.l, Customers: cs}}
	f.net = &cardnetwork.Sandbox{DB: d, Clock: f.clk, Issuer: f.iss, Sleep: func(context.Context, time.Duration) error { return nil }}
	f.iss.Network = f.net
	c, err := cs.CreateIndividual(f.ctx, customer.NewIndividual{NationalID: kyc.NewNationalID(time.Date(1980, 5, 5, 0, 0, 0, 0, time.UTC), true, 7).String(),
		FirstName: "Arta", LastName: "Hoxha", Mobile: "+355691234567"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := cs.OpenAccount(f.ctx, c.ID, money.ALL, ledger.TypeCurrent, "Llogaria")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.l.CashDeposit(f.ctx, a.ID, money.New(500_000, money.ALL), "Depozitë"); err != nil {
		t.Fatal(err)
	}
	k, err := cards.Issue(f.ctx, card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa, PIN: "4826"})
	if err != nil {
		t.Fatal(err)
	}
	return f, k, a
}

func purchase(id, cardID string, minor int64) issuing.Request {
	return issuing.Request{ID: id, CardID: cardID, Amount: money.New(minor, money.ALL), Merchant: "Libraria Adrion",
		MCC: "5942", Country: "AL", CardPresent: true}
}

// TestTheDaysFilePresentsWhatWasAuthorisedAndNotReversed: three authorisations, one reversed, one presented for
// another amount, plus a presentment without authorisation and a refund: the day's file posts four presentments
// once, however often the close runs.
func TestTheDaysFilePresentsWhatWasAuthorisedAndNotReversed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, k, acc := newFixture(t, d)
		for i := 1; i <= 3; i++ {
			if a, err := f.net.Authorise(f.ctx, purchase(fmt.Sprint("A", i), k.ID, 10_000)); err != nil || !a.Approved {
				t.Fatalf("authorise: %+v %v", a, err)
			}
		}
		if err := f.net.Reverse(f.ctx, "A2"); err != nil {
			t.Fatal(err)
		}
		for _, p := range []cardnetwork.Presentment{
			{AuthorisationID: "A3", CardID: k.ID, Amount: money.New(7_500, money.ALL), Merchant: "Libraria Adrion"},
			{CardID: k.ID, Amount: money.New(2_000, money.ALL), Merchant: "Parking Tirana"},
			{CardID: k.ID, Kind: issuing.KindRefund, Amount: money.New(1_000, money.ALL), Merchant: "Libraria Adrion"},
		} {
			if _, err := f.net.Stage(f.ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		day := calendar.DateOf(f.clk.Now())
		res, err := f.net.RunClearing(f.ctx, day)
		if err != nil || res.Presentments != 4 || res.Posted != 4 {
			t.Fatalf("clearing %+v %v", res, err)
		}
		again, err := f.net.RunClearing(f.ctx, day)
		if err != nil || again.Repeated != 4 || again.ID != res.ID {
			t.Errorf("again %+v %v", again, err)
		}
		// 500,000 − 10,000 (A1) − 7,500 (A3) − 2,000 + 1,000
		if a, _ := f.l.Get(f.ctx, acc.ID); a.Balance != 481_500 || a.Held != 0 {
			t.Errorf("balance %d held %d", a.Balance, a.Held)
		}
		breaks, err := f.l.Verify(f.ctx)
		if err != nil || len(breaks) != 0 {
			t.Errorf("verify %v %v", breaks, err)
		}
	})
}

// TestADownNetworkReachesNothing: down, nothing reaches the issuer; up again, it does.
func TestADownNetworkReachesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, k, acc := newFixture(t, d)
		f.net.Set(true, 0)
		if _, err := f.net.Authorise(f.ctx, purchase("A1", k.ID, 1_000)); !errors.Is(err, cardnetwork.ErrDown) {
			t.Fatalf("down: %v", err)
		}
		if a, _ := f.l.Get(f.ctx, acc.ID); a.Held != 0 {
			t.Errorf("held %d", a.Held)
		}
		f.net.Set(false, 30*time.Millisecond)
		if a, err := f.net.Authorise(f.ctx, purchase("A1", k.ID, 1_000)); err != nil || !a.Approved {
			t.Errorf("slow: %+v %v", a, err)
		}
	})
}

// TestTheNetworkKeepsEveryAnswerOnceWithTheIssuers: what the network sent is kept with the issuer's answer, an
// approval and a decline alike, and a repeat of a request keeps the first record.
func TestTheNetworkKeepsEveryAnswerOnceWithTheIssuers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, k, _ := newFixture(t, d)
		for _, id := range []string{"K1", "K1", "K2", "K2"} {
			amount := int64(10_000)
			if id == "K2" {
				amount = 1 << 50 // beyond the daily limit: declined
			}
			if _, err := f.net.Authorise(f.ctx, purchase(id, k.ID, amount)); err != nil {
				t.Fatalf("authorise %s: %v", id, err)
			}
		}
		sent, err := f.net.Recent(f.ctx, 10)
		if err != nil || len(sent) != 2 {
			t.Fatalf("sent %+v (%v), want two", sent, err)
		}
		got := map[string]cardnetwork.Sent{sent[0].ID: sent[0], sent[1].ID: sent[1]}
		if !got["K1"].Approved || got["K2"].Approved || got["K2"].Reason != string(issuing.LimitReached) {
			t.Errorf("kept %+v", got)
		}
	})
}
