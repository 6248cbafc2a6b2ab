package creditcard_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// testConfig makes interest easy to compute by hand: 36.5 % a year is 0.1 % a day on the revolving balance, and
// 73 % a year is 0.2 % a day on cash (actual/365).
func testConfig() creditcard.Config {
	return creditcard.Config{MinimumPercent: "0.10", MinimumFloor: 100000, DueDays: 20, PurchaseRate: "0.365",
		CashRate: "0.73", LateFee: 150000, CashFeePercent: "0.03", CashFeeMin: 50000, PointsPer100: 1,
		Offers: []creditcard.Offer{{ID: "3m", Months: 3, FeePercent: "0.03"}, {ID: "6m", Months: 6, FeePercent: "0.05"}}}
}

type fixture struct {
	ctx      context.Context
	d        *db.DB
	clk      *clock.Fake
	ledger   *ledger.Ledger
	cards    *card.Service
	cs       *customer.Service
	s        *creditcard.Service
	alice    customer.Customer
	bob      customer.Customer
	current  ledger.Account // Alice's ALL current account, 50,000.00 ALL
	bobAcc   ledger.Account
	clearing ledger.Account
}

// at is a time in Tirana.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, clock.Tirane) }

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(at(2026, 1, 5, 9))
	l := ledger.New(d, clk)
	if err := l.EnsureGL(ctx); err != nil {
		t.Fatal(err)
	}
	cs := &customer.Service{DB: d, Clock: clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
		Branch: "0001", BIC: "KUMBALT0XXX"}}
	cards := &card.Service{DB: d, Clock: clk, Keys: card.DeriveKeys(bytes.Repeat([]byte{7}, 32)), BIN: "400000"}
	f := &fixture{ctx: ctx, d: d, clk: clk, ledger: l, cards: cards, cs: cs,
		s: &creditcard.Service{DB: d, Clock: clk, Ledger: l, Customers: cs, Cards: cards,
			Calendar: &calendar.Service{DB: d, Clock: clk}, Config: testConfig()}}
	person := func(n int) (customer.Customer, ledger.Account) {
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{
			NationalID: kyc.NewNationalID(time.Date(1985, 5, n, 0, 0, 0, 0, time.UTC), n%2 == 0, n).String(),
			FirstName:  "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", n), ContractVersion: "002"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := cs.OpenAccount(ctx, c.ID, money.ALL, ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.CashDeposit(ctx, a.ID, money.New(5000000, money.ALL), ""); err != nil {
			t.Fatal(err)
		}
		return c, a
	}
	f.alice, f.current = person(1)
	f.bob, f.bobAcc = person(2)
	var err error
	if f.clearing, err = l.GL(ctx, ledger.GLCode(ledger.TypeClearing, money.ALL)); err != nil {
		t.Fatal(err)
	}
	return f
}

// open opens Alice a credit card of 100,000.00 ALL with a cash limit of 20,000.00, cut at the end of the month.
func (f *fixture) open(t *testing.T) (creditcard.Credit, card.Card) {
	t.Helper()
	cr, c, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: f.alice.ID, Limit: 10000000, CashLimit: 2000000,
		Cycle: creditcard.CycleEnd, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return cr, c
}

// purchase posts a settled purchase on the credit account, as the card network's clearing does.
func (f *fixture) purchase(t *testing.T, cr creditcard.Credit, amount int64) string {
	t.Helper()
	id, err := f.ledger.Post(f.ctx, ledger.Entry{Kind: creditcard.KindPurchase, Description: "Dyqani", Legs: []ledger.Leg{
		{AccountID: cr.AccountID, Amount: -amount, Description: "Dyqani"},
		{AccountID: f.clearing.ID, Amount: amount, Description: "Dyqani"}}})
	if err != nil {
		t.Fatalf("purchase: %v", err)
	}
	return id
}

func (f *fixture) balance(t *testing.T, id string) int64 {
	t.Helper()
	a, err := f.ledger.Get(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// endOfDay runs the credit card steps of the close of business of day, at 20:00.
func (f *fixture) endOfDay(t *testing.T, day calendar.Date) {
	t.Helper()
	f.clk.Set(day.Start().Add(20 * time.Hour))
	if _, err := f.s.RunStatements(f.ctx, day); err != nil {
		t.Fatalf("statements %s: %v", day, err)
	}
	if _, err := f.s.RunDue(f.ctx, day); err != nil {
		t.Fatalf("due %s: %v", day, err)
	}
}

func (f *fixture) sound(t *testing.T) {
	t.Helper()
	breaks, err := f.ledger.Verify(f.ctx)
	if err != nil || len(breaks) > 0 {
		t.Fatalf("ledger verify: %v %v", breaks, err)
	}
}

func code(err error) string {
	if e, ok := kumbara.As(err); ok {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
