package fx_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The days of the position's tests: Monday 2 and Tuesday 3 March 2026, both working days, closing at 20:00.
var (
	monday  = calendar.Date{Year: 2026, Month: time.March, Day: 2}
	tuesday = calendar.Date{Year: 2026, Month: time.March, Day: 3}
)

// tirane is a time of the position's tests' days, in Tirane.
func tirane(d calendar.Date, h, m int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, clock.Tirane)
}

// posFixture is the conversions' fixture as the bank wires it for the position: the ledger values what is posted
// after the close on the next working day, and the close of business (eod) keeps the business date and runs the
// revaluation as its step. The clock starts on Monday at 09:00 in Tirane, with boardRates published then (each
// current for 24 hours).
type posFixture struct {
	*convFixture
	days *eod.Service
}

func newPosFixture(t testing.TB, d *db.DB) *posFixture {
	t.Helper()
	f := &convFixture{ctx: context.Background(), d: d, clk: clock.NewFake(tirane(monday, 9, 0))}
	cal := &calendar.Service{DB: d, Clock: f.clk}
	f.l = ledger.New(d, f.clk)
	f.l.Calendar = cal
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
		Branch: "0001", BIC: "KUMBALT0XXX"}}
	days := &eod.Service{DB: d, Clock: f.clk, Calendar: cal}
	f.s = &fx.Service{DB: d, Clock: f.clk, Ledger: f.l, Customers: f.cs, Days: days}
	days.Register("fx_revaluation", func(ctx context.Context, date calendar.Date) (string, error) {
		rv, err := f.s.Revalue(ctx, date)
		return rv.String(), err
	})
	for _, c := range money.Currencies()[1:] {
		r := boardRates[c]
		f.publish(t, c, r[0], r[1])
	}
	// The bank's business date starts on Monday, as a bank that starts then reads it.
	if date, err := days.BusinessDate(f.ctx); err != nil || date != monday {
		t.Fatalf("business date %s, %v", date, err)
	}
	return &posFixture{convFixture: f, days: days}
}

// convert has a new individual with the funds given convert: sell (or, with buy true, buy) amount of from's or
// to's currency. It returns the conversion.
func (f *posFixture) convert(t testing.TB, from, to money.Currency, amount string, buy bool, funds int64) fx.Conversion {
	t.Helper()
	id, a := f.customer(t, false, map[money.Currency]int64{from: funds, to: 0})
	r := fx.QuoteRequest{FromAccountID: a[from].ID, ToAccountID: a[to].ID, SellAmount: amount}
	if buy {
		r = fx.QuoteRequest{FromAccountID: a[from].ID, ToAccountID: a[to].ID, BuyAmount: amount}
	}
	q, err := f.s.Quote(f.ctx, id, r)
	if err != nil {
		t.Fatalf("quote %s→%s %s: %v", from, to, amount, err)
	}
	c, _, err := f.s.Execute(f.ctx, id, q.ID)
	if err != nil {
		t.Fatalf("execute %s→%s %s: %v", from, to, amount, err)
	}
	return c
}

// mondaysConversions are the two conversions every test of the position starts from, at EUR mid 98.60 and USD
// mid 92.20:
//
//	a customer sells 1,234.57 EUR at 97.80: 1,234.57 × 97.80 = 120,740.946 → 120,740.95 lek to the customer;
//	  at mid 1,234.57 × 98.60 = 121,728.602, so the bank books 121,728.602 − 120,740.95 = 987.652 → 987.65:
//	  EUR position +1,234.57, lek position −120,740.95 − 987.65 = −121,728.60;
//	a customer buys 500.00 USD at 93.15: 46,575.00 lek from the customer; at mid 500 × 92.20 = 46,100.00, so
//	  the bank books 475.00: USD position −500.00, lek position −121,728.60 + 46,575.00 − 475.00 = −75,628.60.
//
// At the mids of the day the positions sum to 121,728.602 − 46,100.00 − 75,628.60 = 0.002 lek.
func (f *posFixture) mondaysConversions(t testing.TB) []fx.Conversion {
	t.Helper()
	return []fx.Conversion{
		f.convert(t, money.EUR, money.ALL, "1234.57", false, 200_000),
		f.convert(t, money.ALL, money.USD, "500.00", true, 10_000_000),
	}
}

// at moves the clock to t.
func (f *posFixture) at(t time.Time) { f.clk.Set(t) }

// revaluations are the entries the revaluation booked, with what each moved to the revaluation account.
func (f *posFixture) revaluations(t testing.TB) map[string]int64 {
	t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT e.id, p.amount FROM journal_entries e JOIN postings p ON p.entry_id = e.id
		JOIN accounts a ON a.id = p.account_id WHERE e.kind = 'fx_revaluation' AND a.gl_code = ?`,
		ledger.GLCode(ledger.TypeFXRevaluation, money.ALL))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var x int64
		if err := rows.Scan(&id, &x); err != nil {
			t.Fatal(err)
		}
		out[id] = x
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// positions are the balances of the position accounts, by currency, in minor units.
func (f *posFixture) positions(t testing.TB) map[money.Currency]int64 {
	t.Helper()
	out := map[money.Currency]int64{}
	for _, c := range money.Currencies() {
		out[c] = f.gl(t, ledger.TypeFXPosition, c)
	}
	return out
}

func (f *posFixture) revalue(t testing.TB, date calendar.Date) fx.Revaluation {
	t.Helper()
	rv, err := f.s.Revalue(f.ctx, date)
	if err != nil {
		t.Fatalf("Revalue(%s): %v", date, err)
	}
	return rv
}

// TestTheCloseRevaluesThePositionsAtTheClosingMids: after mondaysConversions, staff publish the closing rates at
// 18:00 and the close revalues at 20:00; each case's result is computed by hand from the positions EUR +1,234.57,
// USD −500.00, ALL −75,628.60. A gain or a loss moves from the lek position to the revaluation account in one entry
// the bank describes in either language, after which the positions sum to zero at the closing mids; a result that
// rounds to zero books nothing. The ledger stays sound.
func TestTheCloseRevaluesThePositionsAtTheClosingMids(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rates map[money.Currency][2]string // published at 18:00
		want  int64                        // X, lek minor units
	}{
		// 1,234.57 × 99.00 − 500 × 92.20 − 75,628.60 = 122,222.43 − 46,100.00 − 75,628.60 = +493.83.
		{"the euro up to mid 99.00: a gain", map[money.Currency][2]string{money.EUR: {"98.20", "99.80"}}, 49_383},
		// The bank owes dollars: 1,234.57 × 98.60 − 500 × 93.00 − 75,628.60 = 121,728.602 − 46,500.00 − 75,628.60
		// = −399.998 → −400.00.
		{"the dollar up to mid 93.00: a loss", map[money.Currency][2]string{money.USD: {"92.00", "94.00"}}, -40_000},
		// 122,222.43 − 46,500.00 − 75,628.60 = +93.83.
		{"both up", map[money.Currency][2]string{money.EUR: {"98.20", "99.80"}, money.USD: {"92.00", "94.00"}}, 9_383},
		// The day's mids: 0.002 → 0.00, nothing to book.
		{"the mids of the day: flat", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newPosFixture(t, d)
				f.mondaysConversions(t)
				if got, want := fmt.Sprint(f.positions(t)), fmt.Sprint(map[money.Currency]int64{money.ALL: -7_562_860,
					money.EUR: 123_457, money.USD: -50_000, money.GBP: 0, money.CHF: 0, money.AUD: 0, money.CAD: 0}); got != want {
					t.Fatalf("positions %s, want %s", got, want)
				}
				f.at(tirane(monday, 18, 0))
				for c, r := range tc.rates {
					f.publish(t, c, r[0], r[1])
				}
				f.at(tirane(monday, 20, 0).Add(30 * time.Second))
				lekBefore := f.gl(t, ledger.TypeFXPosition, money.ALL)
				rv := f.revalue(t, monday)
				if rv.Result != money.New(tc.want, money.ALL) || rv.Replayed || !rv.At.Equal(tirane(monday, 20, 0)) {
					t.Fatalf("revaluation %+v, want %d", rv, tc.want)
				}
				booked := f.revaluations(t)
				if f.gl(t, ledger.TypeFXPosition, money.ALL) != lekBefore-tc.want ||
					f.gl(t, ledger.TypeFXRevaluation, money.ALL) != tc.want {
					t.Fatalf("lek position %d (was %d), revaluation account %d; want %d moved",
						f.gl(t, ledger.TypeFXPosition, money.ALL), lekBefore, f.gl(t, ledger.TypeFXRevaluation, money.ALL), tc.want)
				}
				if tc.want == 0 {
					if len(booked) != 0 || rv.EntryID != "" || !strings.Contains(rv.String(), "nothing to book") {
						t.Fatalf("flat: booked %v, %q", booked, rv)
					}
				} else {
					if len(booked) != 1 || booked[rv.EntryID] != tc.want {
						t.Fatalf("booked %v, want entry %s with %d", booked, rv.EntryID, tc.want)
					}
					kind := map[bool]string{true: "gain ", false: "loss "}[tc.want > 0]
					if s := rv.String(); !strings.HasPrefix(s, kind) || !strings.Contains(s, "1234.57 EUR at ") ||
						!strings.Contains(s, rv.EntryID) {
						t.Errorf("result line %q", s)
					}
					checkRevaluationText(t, f, rv)
				}
				// Revalued, the positions sum to zero at the closing mids (to the lek's rounding).
				p, err := f.s.Position(f.ctx)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total.Minor != 0 {
					t.Errorf("after the revaluation the positions sum to %s at the closing mids", p.Total)
				}
				f.sound(t)
			})
		})
	}
}

// checkRevaluationText: the revaluation's postings read "Rivlerësim…" in Albanian (the stored description is the
// catalogue's) and "Revaluation…" in English.
func checkRevaluationText(t *testing.T, f *posFixture, rv fx.Revaluation) {
	t.Helper()
	acct, err := f.l.GL(f.ctx, ledger.GLCode(ledger.TypeFXRevaluation, money.ALL))
	if err != nil {
		t.Fatal(err)
	}
	page, err := f.l.History(f.ctx, acct.ID, ledger.HistoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustNew()
	for _, line := range page.Lines {
		if line.EntryID != rv.EntryID {
			continue
		}
		want := "Rivlerësim i pozicionit valutor të bankës për " + rv.Date.String()
		if line.Description != want || line.Describe(cat, i18n.SQ) != want ||
			line.Describe(cat, i18n.EN) != "Revaluation of the bank's FX position for "+rv.Date.String() {
			t.Errorf("line %q, in Albanian %q, in English %q", line.Description, line.Describe(cat, i18n.SQ),
				line.Describe(cat, i18n.EN))
		}
		return
	}
	t.Errorf("no line of entry %s on the revaluation account", rv.EntryID)
}

// TestTheRevaluationBooksOncePerBusinessDate: the close's step run again for a date it revalued — after a failure
// to record it, or by two instances at once — books nothing more: one entry, the repeats answering it.
func TestTheRevaluationBooksOncePerBusinessDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPosFixture(t, d)
		f.mondaysConversions(t)
		f.at(tirane(monday, 18, 0))
		f.publish(t, money.EUR, "98.20", "99.80")
		f.at(tirane(monday, 20, 1))
		const n = 6
		var wg sync.WaitGroup
		results, errs := make([]fx.Revaluation, n), make([]error, n)
		for i := range n {
			wg.Go(func() { results[i], errs[i] = f.s.Revalue(f.ctx, monday) })
		}
		wg.Wait()
		first := 0
		for i := range n {
			if errs[i] != nil || results[i].EntryID != results[0].EntryID || results[i].Result.Minor != 49_383 {
				t.Fatalf("run %d: %+v, %v", i, results[i], errs[i])
			}
			if !results[i].Replayed {
				first++
			}
		}
		if first != 1 {
			t.Fatalf("%d runs booked, want 1", first)
		}
		again := f.revalue(t, monday)
		if !again.Replayed || again.EntryID != results[0].EntryID || again.Result.Minor != 49_383 ||
			!strings.Contains(again.String(), "booked before") {
			t.Fatalf("a later run: %+v (%s)", again, again)
		}
		if booked := f.revaluations(t); len(booked) != 1 || f.gl(t, ledger.TypeFXRevaluation, money.ALL) != 49_383 {
			t.Fatalf("booked %v", booked)
		}
		f.sound(t)
	})
}

// TestNothingToRevalueWithoutAPosition: a bank without conversions has no position; its close books nothing and
// needs no rate, even with every rate expired.
func TestNothingToRevalueWithoutAPosition(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPosFixture(t, d)
		f.at(tirane(tuesday, 20, 0)) // Monday's rates expired at 09:00
		rv := f.revalue(t, tuesday)
		if rv.Result.Minor != 0 || rv.EntryID != "" || rv.String() != "flat at the closing mids (no position in a currency): nothing to book" {
			t.Fatalf("revaluation %+v (%s)", rv, rv)
		}
		if booked := f.revaluations(t); len(booked) != 0 {
			t.Fatalf("booked %v", booked)
		}
	})
}

// TestAPositionWithoutAClosingRateHoldsTheClose: on Tuesday nobody publishes rates, so Monday's expire at 09:00;
// the position shows the euro and the dollar without a value, and Tuesday's close fails for the want of a EUR rate
// (fx_rate_missing, naming it), booking nothing and leaving the business date. Staff publish EUR and USD after the
// close; the close, tried again, values the positions at them.
func TestAPositionWithoutAClosingRateHoldsTheClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPosFixture(t, d)
		f.mondaysConversions(t)
		f.at(tirane(monday, 20, 0))
		if closed, err := f.days.RunDue(f.ctx); err != nil || fmt.Sprint(closed) != "[2026-03-02]" {
			t.Fatalf("Monday's close: %v, %v", closed, err)
		}
		// Monday's mids: 0.002 → nothing booked.
		if booked := f.revaluations(t); len(booked) != 0 {
			t.Fatalf("booked %v on Monday", booked)
		}
		f.at(tirane(tuesday, 12, 0))
		p, err := f.s.Position(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(p.Unrated) != "[EUR USD]" || p.Total.Minor != -7_562_860 || p.BusinessDate != tuesday {
			t.Fatalf("position without rates: unrated %v, total %s, day %s", p.Unrated, p.Total, p.BusinessDate)
		}
		for _, l := range p.Lines {
			if (l.Currency == money.EUR || l.Currency == money.USD) && (l.Rated() || l.Value.Minor != 0) {
				t.Errorf("%s valued without a rate: %+v", l.Currency, l)
			}
		}
		f.at(tirane(tuesday, 20, 0))
		_, err = f.days.RunDue(f.ctx)
		if kumbara.CodeOf(err) != "fx_rate_missing" || !strings.Contains(err.Error(), "no EUR rate current at the close (2026-03-03 20:00)") ||
			!strings.Contains(err.Error(), "1234.57 EUR") {
			t.Fatalf("Tuesday's close: %v, want fx_rate_missing about EUR", err)
		}
		if date, _ := f.days.BusinessDate(f.ctx); date != tuesday {
			t.Fatalf("business date %s after the failed close", date)
		}
		// Published after the close: EUR mid 99.00, USD mid 92.20. 1,234.57 × 99.00 − 46,100.00 − 75,628.60 = 493.83.
		f.at(tirane(tuesday, 20, 40))
		f.publish(t, money.EUR, "98.20", "99.80")
		f.publish(t, money.USD, "91.25", "93.15")
		f.at(tirane(tuesday, 20, 41))
		if closed, err := f.days.RunDue(f.ctx); err != nil || fmt.Sprint(closed) != "[2026-03-03]" {
			t.Fatalf("Tuesday's close tried again: %v, %v", closed, err)
		}
		if booked := f.revaluations(t); len(booked) != 1 || f.gl(t, ledger.TypeFXRevaluation, money.ALL) != 49_383 {
			t.Fatalf("booked %v", booked)
		}
		runs, err := f.days.History(f.ctx, 1)
		if err != nil || len(runs) != 1 || runs[0].Attempts != 2 || !strings.HasPrefix(runs[0].Result, "gain 493.83 ALL booked") {
			t.Fatalf("Tuesday's step: %+v, %v", runs, err)
		}
		f.sound(t)
	})
}

// TestALateRevaluationValuesItsOwnDaysPositions: Monday's close did not run at 20:00 (the bank was down); by the
// time it does, on Tuesday at 10:30, new rates are out and a customer has bought euros. Monday's revaluation still
// values Monday's positions (what was valued on Monday) at Monday's closing mids, and Tuesday's books the rest:
//
//	Monday, closing EUR mid 98.80 (published at 18:00), USD 92.20: 1,234.57 × 98.80 − 46,100.00 − 75,628.60 =
//	  121,975.516 − 121,728.60 = 246.916 → +246.92.
//	Tuesday 10:05, at EUR 98.20/99.80: a customer buys 100.00 EUR for 9,980.00 lek, the bank books 80.00: EUR
//	  position 1,134.57, lek position −75,628.60 + 9,900.00 − 246.92 (Monday's revaluation) = −65,975.52.
//	Tuesday, closing EUR mid 99.00, USD 92.20: 112,322.43 − 46,100.00 − 65,975.52 = +246.91.
//
// Counting Tuesday's purchase in Monday's positions would have made Monday's result 266.92.
func TestALateRevaluationValuesItsOwnDaysPositions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPosFixture(t, d)
		f.mondaysConversions(t)
		f.at(tirane(monday, 18, 0))
		f.publish(t, money.EUR, "98.40", "99.20")
		f.at(tirane(tuesday, 10, 0))
		f.publish(t, money.EUR, "98.20", "99.80")
		f.publish(t, money.USD, "91.25", "93.15")
		f.at(tirane(tuesday, 10, 5))
		f.convert(t, money.ALL, money.EUR, "100.00", true, 1_000_000)
		f.at(tirane(tuesday, 10, 30))
		if closed, err := f.days.RunDue(f.ctx); err != nil || fmt.Sprint(closed) != "[2026-03-02]" {
			t.Fatalf("Monday's late close: %v, %v", closed, err)
		}
		if got := f.gl(t, ledger.TypeFXRevaluation, money.ALL); got != 24_692 {
			t.Fatalf("Monday's revaluation %d, want 24692", got)
		}
		f.at(tirane(tuesday, 20, 0))
		if closed, err := f.days.RunDue(f.ctx); err != nil || fmt.Sprint(closed) != "[2026-03-03]" {
			t.Fatalf("Tuesday's close: %v, %v", closed, err)
		}
		booked := f.revaluations(t)
		var amounts []int64
		for _, x := range booked {
			amounts = append(amounts, x)
		}
		if len(booked) != 2 || f.gl(t, ledger.TypeFXRevaluation, money.ALL) != 24_692+24_691 {
			t.Fatalf("booked %v, want 24692 and 24691", amounts)
		}
		if got := f.positions(t); got[money.EUR] != 113_457 || got[money.ALL] != -6_597_552-24_691 {
			t.Fatalf("positions %v", got)
		}
		p, err := f.s.Position(f.ctx)
		if err != nil || p.Total.Minor != 0 {
			t.Fatalf("after both closes the positions sum to %s at Tuesday's mids (%v)", p.Total, err)
		}
		f.sound(t)
	})
}

// TestThePositionShowsEachCurrencyAtTheCurrentMidAndTheDaysResults: after mondaysConversions the position is each
// currency's balance valued at the current mid, summing to 0.002 → 0.00 lek, with the day's income 987.65 + 475.00
// = 1,462.65 and no rounding (both amounts rounded by less than half a cent of a lek); when the euro's mid moves to
// 99.00 the total is at once the gain a close would book (493.83). After the close the new business day shows
// Monday's revaluation — booked after Monday's books closed — and no income until its first conversion.
func TestThePositionShowsEachCurrencyAtTheCurrentMidAndTheDaysResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newPosFixture(t, d)
		convs := f.mondaysConversions(t)
		position := func() fx.Position {
			t.Helper()
			p, err := f.s.Position(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		line := func(p fx.Position, c money.Currency) fx.PositionLine {
			for _, l := range p.Lines {
				if l.Currency == c {
					return l
				}
			}
			t.Fatalf("no line for %s", c)
			return fx.PositionLine{}
		}
		p := position()
		if len(p.Lines) != len(money.Currencies()) || p.Lines[0].Currency != money.ALL || p.BusinessDate != monday {
			t.Fatalf("position %+v", p)
		}
		for _, tc := range []struct {
			c            money.Currency
			balance, mid string
			value        int64
		}{
			{money.ALL, "-75628.60 ALL", "1.00", -7_562_860},
			{money.EUR, "1234.57 EUR", "98.60", 12_172_860}, // 121,728.602 → 121,728.60
			{money.USD, "-500.00 USD", "92.20", -4_610_000},
			{money.GBP, "0.00 GBP", "115.00", 0},
		} {
			if l := line(p, tc.c); l.Balance.String() != tc.balance || l.Mid != tc.mid || l.Value != money.New(tc.value, money.ALL) {
				t.Errorf("%s: %+v, want %s at %s = %d", tc.c, l, tc.balance, tc.mid, tc.value)
			}
		}
		if p.Total.Minor != 0 || len(p.Unrated) != 0 {
			t.Errorf("total %s, unrated %v", p.Total, p.Unrated)
		}
		if p.Income.Minor != 146_265 || p.Income.Minor != convs[0].Income+convs[1].Income || p.Rounding.Minor != 0 ||
			p.Revaluation.Minor != 0 {
			t.Errorf("the day's income %s, rounding %s, revaluation %s; want 1462.65, 0, 0", p.Income, p.Rounding,
				p.Revaluation)
		}
		f.at(tirane(monday, 18, 0))
		f.publish(t, money.EUR, "98.20", "99.80")
		if p := position(); p.Total.Minor != 49_383 || line(p, money.EUR).Mid != "99.00" {
			t.Fatalf("at EUR mid 99.00 the total is %s", p.Total)
		}
		f.at(tirane(monday, 20, 0))
		if closed, err := f.days.RunDue(f.ctx); err != nil || fmt.Sprint(closed) != "[2026-03-02]" {
			t.Fatalf("Monday's close: %v, %v", closed, err)
		}
		p = position()
		if p.BusinessDate != tuesday || p.Total.Minor != 0 || p.Income.Minor != 0 || p.Revaluation.Minor != 49_383 ||
			line(p, money.ALL).Balance.Minor != -7_562_860-49_383 {
			t.Fatalf("Tuesday's position after Monday's close: %+v", p)
		}
		f.at(tirane(tuesday, 8, 30)) // before Monday's rates expire
		c := f.convert(t, money.ALL, money.EUR, "100.00", true, 1_000_000)
		if p := position(); p.Income.Minor != c.Income || c.Income != 8_000 || p.Revaluation.Minor != 49_383 {
			t.Fatalf("Tuesday's income %s after buying 100 EUR at 99.80 (mid 99.00), want 80.00", p.Income)
		}
	})
}

// A position and a revaluation need the business days: without them Revalue says so rather than guess a close.
func TestRevaluingNeedsTheBusinessDays(t *testing.T) {
	s := &fx.Service{}
	if _, err := s.Revalue(context.Background(), monday); err == nil || errors.Is(err, fx.ErrNoRate) {
		t.Fatalf("Revalue without days: %v", err)
	}
}
