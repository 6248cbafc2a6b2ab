package fx_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// ask makes a request or fails the test.
func (f *convFixture) ask(t testing.TB, customerID string, in fx.RequestInput) fx.Request {
	t.Helper()
	r, err := f.s.Ask(f.ctx, customerID, in)
	if err != nil {
		t.Fatalf("Ask %+v: %v", in, err)
	}
	return r
}

// propose answers request id with rate, valid for two hours, or fails the test.
func (f *convFixture) propose(t testing.TB, id, rate string) fx.Request {
	t.Helper()
	r, err := f.s.Propose(f.ctx, fx.Offer{RequestID: id, Rate: rate, ValidUntil: f.clk.Now().Add(2 * time.Hour),
		ProposedBy: "desk"})
	if err != nil {
		t.Fatalf("Propose %s at %s: %v", id, rate, err)
	}
	return r
}

// wantCode fails unless err is a domain error with code, about field when field is set.
func wantCode(t testing.TB, what string, err error, code, field string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || e.Kind == kumbara.KindInternal {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
	if field == "" {
		if e.Code != code {
			t.Fatalf("%s: %v, want %s", what, err, code)
		}
		return
	}
	for _, fe := range e.Fields {
		if fe.Code == code && fe.Field == field {
			return
		}
	}
	t.Fatalf("%s: %v (fields %+v), want %s on %s", what, err, e.Fields, code, field)
}

// TestAPreferentialRequestIsWorthAtLeastTenThousandEuros: a request is worth at least 10,000 EUR at the mid rates,
// in whatever currency its amount is (EUR mid 98.60, USD mid 92.20: 986,000.00 ALL, 10,694.15 USD rounded up);
// below it, and every other bad request, is refused with its code on its field and nothing is kept; a good one
// waits for the bank, for two days, and is in the audit log as the customer's.
func TestAPreferentialRequestIsWorthAtLeastTenThousandEuros(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.ALL: 0, money.EUR: 0, money.USD: 0})
		_, o := f.customer(t, false, map[money.Currency]int64{money.EUR: 0})
		lek, eur, usd := a[money.ALL].ID, a[money.EUR].ID, a[money.USD].ID
		for _, tc := range []struct {
			name        string
			in          fx.RequestInput
			code, field string
		}{
			{"euros just under", fx.RequestInput{FromAccountID: eur, ToAccountID: lek, SellAmount: "9999.99"},
				"fx_request_below_minimum", "sell_amount"},
			{"lek just under", fx.RequestInput{FromAccountID: eur, ToAccountID: lek, BuyAmount: "985999.99"},
				"fx_request_below_minimum", "buy_amount"},
			{"dollars just under", fx.RequestInput{FromAccountID: lek, ToAccountID: usd, BuyAmount: "10694.14"},
				"fx_request_below_minimum", "buy_amount"},
			{"too many decimals", fx.RequestInput{FromAccountID: eur, ToAccountID: lek, SellAmount: "10000.001"},
				"amount_too_many_decimals", "sell_amount"},
			{"zero", fx.RequestInput{FromAccountID: eur, ToAccountID: lek, SellAmount: "0"}, "amount_not_positive",
				"sell_amount"},
			{"same currency", fx.RequestInput{FromAccountID: eur, ToAccountID: eur, SellAmount: "20000"},
				"fx_same_currency", "to_account_id"},
			{"another customer's account", fx.RequestInput{FromAccountID: o[money.EUR].ID, ToAccountID: lek,
				SellAmount: "20000"}, "account_not_found", "from_account_id"},
			{"both amounts", fx.RequestInput{FromAccountID: eur, ToAccountID: lek, SellAmount: "20000",
				BuyAmount: "1"}, "validation_failed", "buy_amount"},
			{"no amount", fx.RequestInput{FromAccountID: eur, ToAccountID: lek}, "field_required", "sell_amount"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.s.Ask(f.ctx, id, tc.in)
				wantCode(t, tc.name, err, tc.code, tc.field)
			})
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM fx_requests").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d requests kept (%v)", n, err)
		}
		// The minimum itself, in each currency; the money need not be there yet.
		for _, in := range []fx.RequestInput{
			{FromAccountID: eur, ToAccountID: lek, SellAmount: "10000"},
			{FromAccountID: eur, ToAccountID: lek, BuyAmount: "986000"},
			{FromAccountID: lek, ToAccountID: usd, BuyAmount: "10694.15"},
		} {
			r := f.ask(t, id, in)
			if r.Status != fx.Requested || !r.ExpiresAt.Equal(f.clk.Now().Add(48*time.Hour)) ||
				r.Segment != fx.Individual {
				t.Fatalf("request %+v", r)
			}
		}
		list, err := f.s.Requests(f.ctx, id, 0)
		if err != nil || len(list) != 3 || list[0].Amount.String() != "10694.15 USD" || list[0].Side != fx.SideBuy {
			t.Fatalf("Requests = %+v, %v", list, err)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: fx.ActionRequestCreated})
		if err != nil || len(p.Entries) != 3 || p.Entries[0].Actor != audit.Customer(id) ||
			p.Entries[0].CustomerID != id {
			t.Fatalf("entries %+v, %v", p.Entries, err)
		}
	})
}

// TestAConfirmedRequestExecutesAtTheProposedRate: executing posts as a quote does, at the rate staff proposed:
// the amount the customer did not give rounded once half-up, the spread against the mid rates booked as FX
// income and the rounding as FX rounding (computed by hand below), one conversion among the customer's
// conversions, and every currency still sums to zero.
func TestAConfirmedRequestExecutesAtTheProposedRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.ALL: 200_000_000, money.EUR: 5_000_000,
			money.USD: 0})
		for _, tc := range []struct {
			name             string
			in               fx.RequestInput
			rate             string
			sell, buy        string
			income, rounding int64
		}{
			// 12,000 × 98.40 = 1,180,800.00 lek; at mid 1,183,200.00: 2,400.00 the bank's.
			{"sell euros for lek", fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
				SellAmount: "12000"}, "98.40", "12000.00 EUR", "1180800.00 ALL", 240_000, 0},
			// 10,000 × 99.00 = 990,000.00 lek; at mid 986,000.00: 4,000.00.
			{"buy euros with lek", fx.RequestInput{FromAccountID: a[money.ALL].ID, ToAccountID: a[money.EUR].ID,
				BuyAmount: "10000"}, "99", "990000.00 ALL", "10000.00 EUR", 400_000, 0},
			// 10,000.33 × 1.065 = 10,650.35145 → 10,650.35 USD. At mid: 986,032.538 − 981,962.27 = 4,070.268 →
			// 4,070.27, of which 0.00145 USD × 92.20 = 0.13369 → 0.13 is the rounding's.
			{"euros to dollars", fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.USD].ID,
				SellAmount: "10000.33"}, "1.065", "10000.33 EUR", "10650.35 USD", 407_014, 13},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := f.ask(t, id, tc.in)
				if _, _, err := f.s.ExecuteRequest(f.ctx, id, r.ID, ""); kumbara.CodeOf(err) != "fx_request_not_confirmed" {
					t.Fatalf("before the bank's rate: %v", err)
				}
				r = f.propose(t, r.ID, tc.rate)
				if r.Status != fx.Confirmed || r.ProposedBy != "desk" {
					t.Fatalf("proposed %+v", r)
				}
				income, rounding := f.gl(t, ledger.TypeFXIncome, money.ALL), f.gl(t, ledger.TypeFXRounding, money.ALL)
				_, c, err := f.s.PreviewRequest(f.ctx, id, r.ID, "")
				if err != nil || c.Sell.String() != tc.sell || c.Buy.String() != tc.buy {
					t.Fatalf("preview %s → %s, %v", c.Sell, c.Buy, err)
				}
				done, replayed, err := f.s.ExecuteRequest(f.ctx, id, r.ID, "")
				if err != nil || replayed || done.Status != fx.Executed || done.ConversionID == "" {
					t.Fatalf("ExecuteRequest = %+v, %v, %v", done, replayed, err)
				}
				got := fmt.Sprint(done.ExecutedSell, " ", done.ExecutedBuy)
				if want := tc.sell + " " + tc.buy; got != want {
					t.Fatalf("executed %s, want %s", got, want)
				}
				conv, err := f.s.Get(f.ctx, id, done.ConversionID)
				if err != nil || conv.Status != fx.Executed || conv.EntryID == "" || conv.Rate != r.Rate ||
					conv.Income != tc.income || conv.Rounding != tc.rounding || conv.Factor != "" {
					t.Fatalf("conversion %+v, %v", conv, err)
				}
				if d := f.gl(t, ledger.TypeFXIncome, money.ALL) - income; d != tc.income {
					t.Errorf("FX income moved %d, want %d", d, tc.income)
				}
				if d := f.gl(t, ledger.TypeFXRounding, money.ALL) - rounding; d != tc.rounding {
					t.Errorf("FX rounding moved %d, want %d", d, tc.rounding)
				}
			})
		}
		list, err := f.s.Conversions(f.ctx, id, 0)
		if err != nil || len(list) != 3 {
			t.Fatalf("Conversions = %d, %v", len(list), err)
		}
		// 2,000,000 − 990,000 lek + 1,180,800; 50,000 − 12,000 − 10,000.33 + 10,000 euros.
		if got := f.balance(t, a[money.ALL].ID); got != 200_000_000-99_000_000+118_080_000 {
			t.Errorf("lek %d", got)
		}
		if got := f.balance(t, a[money.EUR].ID); got != 5_000_000-1_200_000-1_000_033+1_000_000 {
			t.Errorf("euros %d", got)
		}
		if got := f.balance(t, a[money.USD].ID); got != 1_065_035 {
			t.Errorf("dollars %d", got)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: fx.ActionRequestExecuted})
		if err != nil || len(p.Entries) != 3 || p.Entries[0].Actor != audit.Customer(id) {
			t.Fatalf("entries %+v, %v", p.Entries, err)
		}
		f.sound(t)
	})
}

// TestTheExecutedAmountMayChangeByTheSegmentsShare: an individual changes the requested amount by at most 10 %, a
// business by at most 20 %, never below the minimum; one cent beyond is refused with the range allowed, and
// nothing moves.
func TestTheExecutedAmountMayChangeByTheSegmentsShare(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		for _, tc := range []struct {
			name      string
			business  bool
			requested string
			refused   []string // each refused with its code
			codes     []string
			ok        string
		}{
			{"individual up", false, "20000", []string{"22000.01", "22200"},
				[]string{"fx_request_amount_out_of_range", "fx_request_amount_out_of_range"}, "22000"},
			{"individual down", false, "20000", []string{"17999.99"}, []string{"fx_request_amount_out_of_range"},
				"18000"},
			{"never below the minimum", false, "10500", []string{"9450", "9999.99"},
				[]string{"fx_request_below_minimum", "fx_request_below_minimum"}, "10000"},
			{"business up", true, "20000", []string{"24000.01"}, []string{"fx_request_amount_out_of_range"}, "24000"},
			{"business down", true, "20000", []string{"15999.99"}, []string{"fx_request_amount_out_of_range"}, "16000"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				id, a := f.customer(t, tc.business, map[money.Currency]int64{money.EUR: 3_000_000, money.ALL: 0})
				r := f.ask(t, id, fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
					SellAmount: tc.requested})
				f.propose(t, r.ID, "98.20")
				for i, amount := range tc.refused {
					_, _, err := f.s.ExecuteRequest(f.ctx, id, r.ID, amount)
					wantCode(t, amount, err, tc.codes[i], "amount")
				}
				if f.balance(t, a[money.ALL].ID) != 0 {
					t.Fatal("money moved")
				}
				done, _, err := f.s.ExecuteRequest(f.ctx, id, r.ID, tc.ok)
				if err != nil || done.ExecutedSell.Decimal() != money.New(mustMinor(t, tc.ok), money.EUR).Decimal() {
					t.Fatalf("executing %s: %+v, %v", tc.ok, done, err)
				}
			})
		}
		f.sound(t)
	})
}

func mustMinor(t testing.TB, s string) int64 {
	t.Helper()
	a, err := money.ParseDecimal(s, money.EUR)
	if err != nil {
		t.Fatal(err)
	}
	return a.Minor
}

// TestARequestIsCancelledWhileOpenAndNotAfter: the customer cancels a request waiting for the bank or one the
// bank confirmed; a cancelled one cannot be answered or executed, cancelling it again changes nothing, an
// executed one cannot be cancelled, and another customer's is not found.
func TestARequestIsCancelledWhileOpenAndNotAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 3_000_000, money.ALL: 0})
		other, _ := f.customer(t, false, map[money.Currency]int64{money.ALL: 0})
		in := fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID, SellAmount: "15000"}

		waiting := f.ask(t, id, in)
		if _, err := f.s.CancelRequest(f.ctx, other, waiting.ID); kumbara.CodeOf(err) != "fx_request_not_found" ||
			kumbara.KindOf(err) != kumbara.KindNotFound {
			t.Fatalf("another customer's: %v", err)
		}
		c, err := f.s.CancelRequest(f.ctx, id, waiting.ID)
		if err != nil || c.Status != fx.Cancelled || c.CancelledAt.IsZero() {
			t.Fatalf("cancel = %+v, %v", c, err)
		}
		if again, err := f.s.CancelRequest(f.ctx, id, waiting.ID); err != nil || again.Status != fx.Cancelled {
			t.Fatalf("cancel again = %+v, %v", again, err)
		}
		_, err = f.s.Propose(f.ctx, fx.Offer{RequestID: waiting.ID, Rate: "98.30", ValidUntil: f.clk.Now().Add(time.Hour)})
		wantCode(t, "proposing for a cancelled one", err, "fx_request_cancelled", "")

		confirmed := f.ask(t, id, in)
		f.propose(t, confirmed.ID, "98.30")
		if c, err := f.s.CancelRequest(f.ctx, id, confirmed.ID); err != nil || c.Status != fx.Cancelled {
			t.Fatalf("cancel a confirmed one = %+v, %v", c, err)
		}
		_, _, err = f.s.ExecuteRequest(f.ctx, id, confirmed.ID, "")
		wantCode(t, "executing a cancelled one", err, "fx_request_cancelled", "")

		done := f.ask(t, id, in)
		f.propose(t, done.ID, "98.30")
		if _, _, err := f.s.ExecuteRequest(f.ctx, id, done.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CancelRequest(f.ctx, id, done.ID)
		wantCode(t, "cancelling an executed one", err, "fx_request_executed", "")
		_, _, err = f.s.ExecuteRequest(f.ctx, id, done.ID, "15500")
		wantCode(t, "executing it again for another amount", err, "fx_request_executed", "")
		if again, replayed, err := f.s.ExecuteRequest(f.ctx, id, done.ID, "15000.00"); err != nil || !replayed ||
			again.Status != fx.Executed {
			t.Fatalf("executing it again for the same amount: %+v, %v, %v", again, replayed, err)
		}
		if got := f.balance(t, a[money.EUR].ID); got != 3_000_000-1_500_000 {
			t.Fatalf("euros %d", got)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: fx.ActionRequestCancelled})
		if err != nil || len(p.Entries) != 2 {
			t.Fatalf("cancellations %+v, %v", p.Entries, err)
		}
		f.sound(t)
	})
}

// TestRequestsExpireWithTheClock: a request nobody answers expires after two days and can no longer be answered;
// a confirmed one expires when its rate's validity ends, and can then be neither executed nor cancelled.
func TestRequestsExpireWithTheClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 3_000_000, money.ALL: 0})
		in := fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID, SellAmount: "15000"}
		unanswered := f.ask(t, id, in)
		f.clk.Advance(48*time.Hour - time.Second)
		if r, _ := f.s.GetRequest(f.ctx, id, unanswered.ID); r.Status != fx.Requested {
			t.Fatalf("a second before: %s", r.Status)
		}
		f.clk.Advance(time.Second)
		if r, _ := f.s.GetRequest(f.ctx, id, unanswered.ID); r.Status != fx.Expired {
			t.Fatalf("two days later: %s", r.Status)
		}
		_, err := f.s.Propose(f.ctx, fx.Offer{RequestID: unanswered.ID, Rate: "98.30", ValidUntil: f.clk.Now().Add(time.Hour)})
		wantCode(t, "answering it", err, "fx_request_expired", "")

		// The rates are a day old: publish today's.
		for _, c := range money.Currencies()[1:] {
			f.publish(t, c, boardRates[c][0], boardRates[c][1])
		}
		confirmed := f.ask(t, id, in)
		f.propose(t, confirmed.ID, "98.30")
		f.clk.Advance(2 * time.Hour)
		if r, _ := f.s.GetRequest(f.ctx, id, confirmed.ID); r.Status != fx.Expired {
			t.Fatalf("past its rate's validity: %s", r.Status)
		}
		_, _, err = f.s.ExecuteRequest(f.ctx, id, confirmed.ID, "")
		wantCode(t, "executing it", err, "fx_request_expired", "")
		_, err = f.s.CancelRequest(f.ctx, id, confirmed.ID)
		wantCode(t, "cancelling it", err, "fx_request_expired", "")
		if f.balance(t, a[money.EUR].ID) != 3_000_000 {
			t.Fatal("money moved")
		}
	})
}

// TestBadOffersAreRefusedBeforeAnyoneReliesOnThem: a rate that is not a rate, one more than 5 % from the pair's
// mid (a mistyped figure), a validity in the past or beyond seven days, a request answered already, and none at
// all.
func TestBadOffersAreRefusedBeforeAnyoneReliesOnThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 0, money.ALL: 0})
		r := f.ask(t, id, fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
			SellAmount: "15000"})
		now := f.clk.Now()
		for _, tc := range []struct {
			name        string
			o           fx.Offer
			code, field string
		}{
			{"not a rate", fx.Offer{RequestID: r.ID, Rate: "98,30", ValidUntil: now.Add(time.Hour)},
				"fx_rate_invalid", "rate"},
			// Mid 98.60: 5 % is 4.93; 93.66 is 4.94 away.
			{"a mistyped figure", fx.Offer{RequestID: r.ID, Rate: "93.66", ValidUntil: now.Add(time.Hour)},
				"fx_offer_rate_out_of_band", ""},
			{"in the past", fx.Offer{RequestID: r.ID, Rate: "98.30", ValidUntil: now}, "fx_offer_valid_until_invalid",
				"valid_until"},
			{"beyond a week", fx.Offer{RequestID: r.ID, Rate: "98.30", ValidUntil: now.Add(7*24*time.Hour + time.Second)},
				"fx_offer_valid_until_invalid", "valid_until"},
			{"no request", fx.Offer{RequestID: "nope", Rate: "98.30", ValidUntil: now.Add(time.Hour)},
				"fx_request_not_found", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.s.Propose(f.ctx, tc.o)
				wantCode(t, tc.name, err, tc.code, tc.field)
			})
		}
		f.propose(t, r.ID, "93.67")
		_, err := f.s.Propose(f.ctx, fx.Offer{RequestID: r.ID, Rate: "98.30", ValidUntil: now.Add(time.Hour)})
		wantCode(t, "answered already", err, "fx_request_answered", "")
	})
}

// TestExecutingOneRequestManyTimesAtOnceMovesTheMoneyOnce: eight executions of one request at the same time
// answer the same conversion and the money moves once; of a cancellation and an execution at once exactly one
// happens.
func TestExecutingOneRequestManyTimesAtOnceMovesTheMoneyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 20_000_000, money.ALL: 0})
		in := fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID, SellAmount: "20000"}
		r := f.ask(t, id, in)
		f.propose(t, r.ID, "98.25")
		var wg sync.WaitGroup
		results := make([]fx.Request, 8)
		errs := make([]error, 8)
		for i := range results {
			wg.Go(func() { results[i], _, errs[i] = f.s.ExecuteRequest(f.ctx, id, r.ID, "21000") })
		}
		wg.Wait()
		for i := range results {
			if errs[i] != nil || results[i].ConversionID != results[0].ConversionID || results[i].Status != fx.Executed {
				t.Fatalf("execution %d: %v %+v", i, errs[i], results[i])
			}
		}
		if got := f.balance(t, a[money.EUR].ID); got != 20_000_000-2_100_000 {
			t.Fatalf("euros %d after eight executions", got)
		}
		if list, _ := f.s.Conversions(f.ctx, id, 0); len(list) != 1 {
			t.Fatalf("%d conversions", len(list))
		}

		for round := range 4 {
			r := f.ask(t, id, in)
			f.propose(t, r.ID, "98.25")
			var cancelErr, execErr error
			var wg sync.WaitGroup
			wg.Go(func() { _, cancelErr = f.s.CancelRequest(f.ctx, id, r.ID) })
			wg.Go(func() { _, _, execErr = f.s.ExecuteRequest(f.ctx, id, r.ID, "") })
			wg.Wait()
			got, err := f.s.GetRequest(f.ctx, id, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch got.Status {
			case fx.Cancelled:
				if !errors.Is(execErr, fx.ErrRequestCancelled) || cancelErr != nil {
					t.Fatalf("round %d cancelled: execute %v, cancel %v", round, execErr, cancelErr)
				}
			case fx.Executed:
				if !errors.Is(cancelErr, fx.ErrRequestExecuted) || execErr != nil {
					t.Fatalf("round %d executed: execute %v, cancel %v", round, execErr, cancelErr)
				}
			default:
				t.Fatalf("round %d: %s (execute %v, cancel %v)", round, got.Status, execErr, cancelErr)
			}
		}
		f.sound(t)
	})
}

// TestStaffSeeTheRequestsWaitingForThemFirst: the bank's list puts the requests waiting for a rate first, the
// longest waiting first, then the confirmed ones, then the rest, the newest first.
func TestStaffSeeTheRequestsWaitingForThemFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 0, money.ALL: 0})
		in := fx.RequestInput{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID, SellAmount: "15000"}
		var ids []string
		for range 5 {
			ids = append(ids, f.ask(t, id, in).ID)
			f.clk.Advance(time.Minute)
		}
		f.propose(t, ids[1], "98.30")
		if _, err := f.s.CancelRequest(f.ctx, id, ids[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CancelRequest(f.ctx, id, ids[4]); err != nil {
			t.Fatal(err)
		}
		list, err := f.s.AllRequests(f.ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list {
			got = append(got, r.ID)
		}
		want := []string{ids[0], ids[3], ids[1], ids[4], ids[2]}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("order %v, want %v", got, want)
		}
	})
}
