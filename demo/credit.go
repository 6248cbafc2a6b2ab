package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// CreditCardPIN is the PIN of the demo credit card (it confirms the internet-purchase limit).
const CreditCardPIN = "4739"

// cardSettlement is the demo's stand-in for the card network's settlement account: the demo purchases are booked
// against it, in the past, so no other account's postings go back in time.
const cardSettlement = "card_settlement"

// seedCredit gives a customer a credit card of 200,000.00 ALL (cash 40,000.00) whose first cycle started on the
// 2nd of last month, with three settled purchases last month and last month's statement, and two purchases this
// month: booked on a clock of their own set back to those days, through the same services staff and the card
// network use.
func seedCredit(ctx context.Context, d Deps, customerID string) error {
	now := d.Customers.Clock.Now().In(clock.Tirane)
	first := time.Date(now.Year(), now.Month(), 1, 10, 0, 0, 0, clock.Tirane)
	// The card is opened now, its first cycle from the 2nd of last month (as a card taken over from another
	// system): its account comes after the customer's others.
	cr, _, err := d.Credit.Open(ctx, creditcard.OpenRequest{CustomerID: customerID, Limit: 20000000,
		CashLimit: 4000000, Cycle: creditcard.CycleEnd, Type: card.Visa, Contactless: true, PIN: CreditCardPIN,
		OpenedOn: calendar.DateOf(first.AddDate(0, -1, 1))})
	if err != nil {
		return err
	}
	clk := clock.NewFake(first.AddDate(0, -1, 1))
	l := ledger.New(d.Ledger.DB, clk)
	s := &creditcard.Service{DB: d.Credit.DB, Clock: clk, Ledger: l, Cards: d.Credit.Cards, Calendar: d.Credit.Calendar,
		Config: d.Credit.Config, Customers: d.Credit.Customers}
	gl, err := settlementGL(ctx, l, clk.Now())
	if err != nil {
		return err
	}
	buy := func(at time.Time, merchant string, minor int64) error {
		clk.Set(at)
		_, err := l.Post(ctx, ledger.Entry{Kind: creditcard.KindPurchase, Description: merchant, Legs: []ledger.Leg{
			{AccountID: cr.AccountID, Amount: -minor, Description: merchant},
			{AccountID: gl.ID, Amount: minor, Description: merchant}}})
		return err
	}
	last := first.AddDate(0, -1, 0)
	for _, p := range []struct {
		day      int
		merchant string
		minor    int64
	}{{5, "Conad Tirana", 458000}, {12, "Zara Toptani", 1299000}, {20, "Hotel Tirana International", 2340000}} {
		if err := buy(last.AddDate(0, 0, p.day-1), p.merchant, p.minor); err != nil {
			return err
		}
	}
	cut := calendar.DateOf(first.AddDate(0, 0, -1))
	clk.Set(cut.Start().Add(20 * time.Hour))
	if _, err := s.RunStatements(ctx, cut); err != nil {
		return err
	}
	// This month's purchases, spread before now.
	if span := now.Sub(first); span > time.Hour {
		if err := buy(first.Add(span/3), "Neptun Elektronikë", 899000); err != nil {
			return err
		}
		if err := buy(first.Add(2*span/3), "Karburant Kastrati", 650000); err != nil {
			return err
		}
	}
	return nil
}

// settlementGL is the demo's card settlement GL account in ALL, opened when missing.
func settlementGL(ctx context.Context, l *ledger.Ledger, now time.Time) (ledger.Account, error) {
	code := ledger.GLCode(cardSettlement, money.ALL)
	a, err := l.GL(ctx, code)
	if !errors.Is(err, ledger.ErrAccountNotFound) {
		return a, err
	}
	err = l.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := ledger.Open(ctx, tx, now, ledger.NewAccount{GLCode: code, Number: "GL-" + code,
			Currency: money.ALL, Type: cardSettlement, Name: code})
		return err
	})
	if err != nil {
		return ledger.Account{}, fmt.Errorf("card settlement account: %w", err)
	}
	return l.GL(ctx, code)
}
