package fx_test

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// boardRates are the rates every conversion test starts from (buy, sell in lek).
var boardRates = map[money.Currency][2]string{
	money.EUR: {"97.80", "99.40"}, money.USD: {"91.25", "93.15"}, money.GBP: {"113.10", "116.90"},
	money.CHF: {"100.05", "103.35"}, money.AUD: {"58.40", "61.20"}, money.CAD: {"64.15", "66.85"},
}

// convFixture is the FX service wired as the bank wires it, with the ledger's group commit running, a fake clock on
// a Monday morning, and boardRates published.
type convFixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	l   *ledger.Ledger
	cs  *customer.Service
	s   *fx.Service
	n   int
}

func newConvFixture(t testing.TB, d *db.DB) *convFixture {
	t.Helper()
	f := &convFixture{ctx: context.Background(), d: d, clk: clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))}
	f.l = ledger.New(d, f.clk)
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001",
		BIC: "KUMBALT0XXX"}}
	f.s = &fx.Service{DB: d, Clock: f.clk, Ledger: f.l, Customers: f.cs}
	for _, c := range money.Currencies()[1:] {
		r := boardRates[c]
		f.publish(t, c, r[0], r[1])
	}
	return f
}

func (f *convFixture) publish(t testing.TB, c money.Currency, buy, sell string) {
	t.Helper()
	if _, err := f.s.Publish(f.ctx, fx.Rate{Currency: c, Buy: buy, Sell: sell, Reason: "test", PublishedBy: "desk",
		ApprovedBy: "manager"}); err != nil {
		t.Fatalf("publish %s: %v", c, err)
	}
}

// customer opens an individual (or a business) with an account in each currency given, each with minor units of
// cash in it.
func (f *convFixture) customer(t testing.TB, business bool, funds map[money.Currency]int64) (string, map[money.Currency]ledger.Account) {
	t.Helper()
	f.n++
	var c customer.Customer
	var err error
	if business {
		c, err = f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('L', 10000000+f.n).String(), CompanyName: "Ndërtimi shpk",
			Mobile: fmt.Sprintf("+35568%07d", f.n)})
	} else {
		birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, f.n*37)
		c, err = f.cs.CreateIndividual(f.ctx, customer.NewIndividual{NationalID: kyc.NewNationalID(birth, f.n%2 == 0,
			f.n%1000).String(), FirstName: "Arta", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", f.n)})
	}
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	accounts := map[money.Currency]ledger.Account{}
	for cur, minor := range funds {
		a, err := f.cs.OpenAccount(f.ctx, c.ID, cur, ledger.TypeCurrent, "Llogaria "+string(cur))
		if err != nil {
			t.Fatalf("open account: %v", err)
		}
		if minor > 0 {
			if _, err := f.l.CashDeposit(f.ctx, a.ID, money.New(minor, cur), ""); err != nil {
				t.Fatalf("deposit: %v", err)
			}
		}
		accounts[cur] = a
	}
	return c.ID, accounts
}

func (f *convFixture) balance(t testing.TB, id string) int64 {
	t.Helper()
	a, err := f.l.Get(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func (f *convFixture) gl(t testing.TB, typ string, c money.Currency) int64 {
	t.Helper()
	a, err := f.l.GL(f.ctx, ledger.GLCode(typ, c))
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// sound fails on any broken ledger invariant or currency whose balances do not sum to zero (kumbara verify).
func (f *convFixture) sound(t testing.TB) {
	t.Helper()
	breaks, err := f.l.Verify(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range breaks {
		t.Errorf("ledger invariant broken: %s", b)
	}
	totals, err := f.l.Totals(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for cur, sum := range totals {
		if sum != 0 {
			t.Errorf("balances in %s sum to %d, want 0", cur, sum)
		}
	}
}

// TestAQuoteGivesTheHandComputedFigures: the rate, both amounts and what the bank books, computed by hand from
// EUR 97.80/99.40 (mid 98.60) and USD 91.25/93.15 (mid 92.20), for every kind of conversion, either amount given,
// the segments and the tiers.
func TestAQuoteGivesTheHandComputedFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		pid, p := f.customer(t, false, map[money.Currency]int64{money.ALL: 500_000_000, money.EUR: 5_000_000,
			money.USD: 1_000_000})
		bid, b := f.customer(t, true, map[money.Currency]int64{money.ALL: 100_000, money.EUR: 0})
		for _, tc := range []struct {
			name                     string
			customer                 string
			from, to                 ledger.Account
			sellAmount, buyAmount    string
			rate                     string
			base                     money.Currency
			sell, buy                string
			income, rounding, factor string
		}{
			// 100 × 99.40 = 9,940.00 lek; at mid 9,860.00: 80.00 the bank's.
			{"buy 100 EUR with lek", pid, p[money.ALL], p[money.EUR], "", "100", "99.40", money.EUR, "9940.00 ALL",
				"100.00 EUR", "8000", "0", "1"},
			{"sell 100 EUR for lek", pid, p[money.EUR], p[money.ALL], "100", "", "97.80", money.EUR, "100.00 EUR",
				"9780.00 ALL", "8000", "0", "1"},
			// 1,000 / 99.40 = 10.0603621… → 10.06 EUR. At mid: 1,000 − 991.916 = 8.084 → 8.08 lek, of which the
			// 0.0003621… EUR kept × 98.60 = 0.0357… → 0.04 is the rounding's.
			{"lek given to buy EUR", pid, p[money.ALL], p[money.EUR], "1000", "", "99.40", money.EUR, "1000.00 ALL",
				"10.06 EUR", "804", "4", "1"},
			// 0.02 × 91.25 = 1.825 → 1.83 lek (half-up, the customer's way): 1.844 − 1.83 = 0.014 → 0.01, and
			// the rounding gave the customer 0.005 → −0.01 (half away from zero).
			{"half a lek rounds up", pid, p[money.USD], p[money.ALL], "0.02", "", "91.25", money.USD, "0.02 USD",
				"1.83 ALL", "2", "-1", "1"},
			// 0.02 × 93.15 = 1.863 → 1.86 lek: the bank got 1.86 − 1.844 = 0.016 → 0.02, the rounding −0.003 → 0.00.
			{"lek for a bought amount", pid, p[money.ALL], p[money.USD], "", "0.02", "93.15", money.USD, "1.86 ALL",
				"0.02 USD", "2", "0", "1"},
			// 97.80 / 93.15 = 1.0499194… → 1.049919; 10 EUR → 10.49919 → 10.50 USD. At mid: 986.00 − 968.10 =
			// 17.90; the rounding 0.00081 USD × 92.20 = −0.074682 → −0.07.
			{"cross EUR to USD", pid, p[money.EUR], p[money.USD], "10", "", "1.049919", money.EUR, "10.00 EUR",
				"10.50 USD", "1797", "-7", "1"},
			// From 1,000,000 lek an individual pays 80 % of the spread: 98.60 − 0.80 × 0.80 = 97.96.
			{"a large amount's tier", pid, p[money.EUR], p[money.ALL], "20000", "", "97.96", money.EUR,
				"20000.00 EUR", "1959200.00 ALL", "1280000", "0", "0.8"},
			// A business pays 90 %: 98.60 + 0.80 × 0.90 = 99.32.
			{"a business's rate", bid, b[money.ALL], b[money.EUR], "", "10", "99.32", money.EUR, "993.20 ALL",
				"10.00 EUR", "720", "0", "0.9"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := f.s.Quote(f.ctx, tc.customer, fx.QuoteRequest{FromAccountID: tc.from.ID,
					ToAccountID: tc.to.ID, SellAmount: tc.sellAmount, BuyAmount: tc.buyAmount})
				if err != nil {
					t.Fatalf("Quote: %v", err)
				}
				got := fmt.Sprint(c.Rate, " ", c.Base, " ", c.Sell, " ", c.Buy, " ", c.Income, " ", c.Rounding, " ", c.Factor)
				want := fmt.Sprint(tc.rate, " ", tc.base, " ", tc.sell, " ", tc.buy, " ", tc.income, " ", tc.rounding,
					" ", tc.factor)
				if got != want {
					t.Fatalf("quote %s\n want %s", got, want)
				}
				if !c.ExpiresAt.Equal(f.clk.Now().Add(30*time.Second)) || c.Status != fx.Quoted {
					t.Fatalf("status %s, expires %v", c.Status, c.ExpiresAt)
				}
			})
		}
	})
}

// TestExecutingAQuoteMovesTheMoneyThroughTheFXPositions: buying 100 EUR with lek posts one entry: 9,940.00 lek
// from the customer to the lek position, 100 EUR from the EUR position to the customer, and the 80.00 spread from
// the lek position to FX income; every currency still sums to zero.
func TestExecutingAQuoteMovesTheMoneyThroughTheFXPositions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.ALL: 1_000_000, money.EUR: 0})
		q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: a[money.ALL].ID, ToAccountID: a[money.EUR].ID,
			BuyAmount: "100.00", Description: "Pushime"})
		if err != nil {
			t.Fatal(err)
		}
		c, replayed, err := f.s.Execute(f.ctx, id, q.ID)
		if err != nil || replayed {
			t.Fatalf("Execute = %v, replayed %v", err, replayed)
		}
		if c.Status != fx.Executed || c.EntryID == "" || c.ExecutedAt.IsZero() || c.ValueDate.IsZero() {
			t.Fatalf("conversion %+v", c)
		}
		for _, tc := range []struct {
			what      string
			got, want int64
		}{
			{"customer's lek", f.balance(t, a[money.ALL].ID), 1_000_000 - 994_000},
			{"customer's euros", f.balance(t, a[money.EUR].ID), 10_000},
			{"lek position", f.gl(t, ledger.TypeFXPosition, money.ALL), 994_000 - 8_000},
			{"euro position", f.gl(t, ledger.TypeFXPosition, money.EUR), -10_000},
			{"FX income", f.gl(t, ledger.TypeFXIncome, money.ALL), 8_000},
			{"FX rounding", f.gl(t, ledger.TypeFXRounding, money.ALL), 0},
		} {
			if tc.got != tc.want {
				t.Errorf("%s = %d, want %d", tc.what, tc.got, tc.want)
			}
		}
		lines, err := f.l.History(f.ctx, a[money.EUR].ID, ledger.HistoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(lines.Lines) != 1 || lines.Lines[0].Description != "Pushime" {
			t.Fatalf("history of the euro account: %+v", lines.Lines)
		}
		f.sound(t)
		list, err := f.s.Conversions(f.ctx, id, 0)
		if err != nil || len(list) != 1 || list[0].ID != c.ID || list[0].EntryID != c.EntryID {
			t.Fatalf("Conversions = %v, %v", list, err)
		}
	})
}

// TestAQuoteLapsesAfterThirtySecondsAndANewRateChangesIt: a quote is confirmed within 30 seconds of the rate it
// holds; later, or after the bank publishes a new rate for one of its currencies, it is refused and nothing moves.
func TestAQuoteLapsesAfterThirtySecondsAndANewRateChangesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.ALL: 1_000_000, money.EUR: 0, money.USD: 0})
		quote := func(to money.Currency) fx.Conversion {
			q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: a[money.ALL].ID, ToAccountID: a[to].ID,
				SellAmount: "100"})
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		late := quote(money.EUR)
		f.clk.Advance(30 * time.Second)
		if _, _, err := f.s.Execute(f.ctx, id, late.ID); kumbara.CodeOf(err) != "fx_quote_expired" {
			t.Fatalf("30 s later: %v, want fx_quote_expired", err)
		}
		if got, _ := f.s.Get(f.ctx, id, late.ID); got.Status != fx.Expired {
			t.Fatalf("status %s, want expired", got.Status)
		}
		inTime := quote(money.EUR)
		f.clk.Advance(29 * time.Second)
		if _, _, err := f.s.Execute(f.ctx, id, inTime.ID); err != nil {
			t.Fatalf("29 s later: %v", err)
		}
		changed := quote(money.USD)
		f.publish(t, money.USD, "91.30", "93.20")
		if _, _, err := f.s.Execute(f.ctx, id, changed.ID); kumbara.CodeOf(err) != "fx_quote_changed" {
			t.Fatalf("after a new USD rate: %v, want fx_quote_changed", err)
		}
		if got := f.balance(t, a[money.USD].ID); got != 0 {
			t.Fatalf("USD account %d after refusals", got)
		}
		f.sound(t)
	})
}

// TestConfirmingOneQuoteManyTimesAtOnceMovesTheMoneyOnce: eight confirmations of one quote at the same time (a
// double tap, a retried request) answer the same conversion, and the money moves once.
func TestConfirmingOneQuoteManyTimesAtOnceMovesTheMoneyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 100_000, money.ALL: 0})
		q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
			SellAmount: "250.55"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]fx.Conversion, 8)
		errs := make([]error, 8)
		for i := range results {
			wg.Go(func() { results[i], _, errs[i] = f.s.Execute(f.ctx, id, q.ID) })
		}
		wg.Wait()
		for i := range results {
			if errs[i] != nil || results[i].EntryID != results[0].EntryID || results[i].Status != fx.Executed {
				t.Fatalf("confirmation %d: %v %+v", i, errs[i], results[i])
			}
		}
		if _, replayed, err := f.s.Execute(f.ctx, id, q.ID); err != nil || !replayed {
			t.Fatalf("a later repeat: replayed %v, %v", replayed, err)
		}
		// Without a description the bank describes it, in each reader's language; the stored Albanian is the
		// catalogue's.
		page, err := f.l.History(f.ctx, a[money.ALL].ID, ledger.HistoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		line := page.Lines[0]
		want := "Këmbim valutor 250.55 EUR → 24503.79 ALL (1 EUR = 97.80 ALL)"
		if line.Description != want || line.Describe(cat, i18n.SQ) != want ||
			line.Describe(cat, i18n.EN) != "Currency exchange 250.55 EUR → 24503.79 ALL (1 EUR = 97.80 ALL)" {
			t.Fatalf("line %q, in Albanian %q, in English %q", line.Description, line.Describe(cat, i18n.SQ),
				line.Describe(cat, i18n.EN))
		}
		// 250.55 × 97.80 = 24,503.79 lek.
		if got, want := f.balance(t, a[money.ALL].ID), int64(2_450_379); got != want {
			t.Fatalf("lek account %d, want %d", got, want)
		}
		if got := f.balance(t, a[money.EUR].ID); got != 100_000-25_055 {
			t.Fatalf("euro account %d", got)
		}
		f.sound(t)
	})
}

// TestBadConversionsAreRefusedWithTheirCodeAndChangeNothing: each bad request has its own code on its field, no
// quote is kept, and no money moves; another customer's quote or account is not found.
func TestBadConversionsAreRefusedWithTheirCodeAndChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.ALL: 100_000, money.EUR: 5_000, money.USD: 0})
		other, o := f.customer(t, false, map[money.Currency]int64{money.ALL: 0, money.EUR: 0})
		all2, err := f.cs.OpenAccount(f.ctx, id, money.ALL, ledger.TypeCurrent, "Kursime")
		if err != nil {
			t.Fatal(err)
		}
		blocked, err := f.cs.OpenAccount(f.ctx, id, money.GBP, ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.d.InTx(f.ctx, func(tx *db.Tx) error {
			return ledger.SetStatus(f.ctx, tx, f.clk.Now(), blocked.ID, ledger.Blocked)
		}); err != nil {
			t.Fatal(err)
		}
		lek, eur := a[money.ALL].ID, a[money.EUR].ID
		for _, tc := range []struct {
			name        string
			r           fx.QuoteRequest
			code, field string
		}{
			{"too many decimals", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "10.001"},
				"amount_too_many_decimals", "sell_amount"},
			{"zero", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "0"}, "amount_not_positive",
				"sell_amount"},
			{"negative", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, BuyAmount: "-5"},
				"amount_not_positive", "buy_amount"},
			{"not a number", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "1e3"},
				"invalid_amount", "sell_amount"},
			{"over the balance", fx.QuoteRequest{FromAccountID: eur, ToAccountID: lek, SellAmount: "50.01"},
				"insufficient_funds", "sell_amount"},
			{"over the balance, bought side", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, BuyAmount: "11"},
				"insufficient_funds", "buy_amount"},
			{"too little to convert", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "0.01"},
				"amount_not_positive", "sell_amount"},
			{"same currency", fx.QuoteRequest{FromAccountID: lek, ToAccountID: all2.ID, SellAmount: "10"},
				"fx_same_currency", "to_account_id"},
			{"another customer's source", fx.QuoteRequest{FromAccountID: o[money.EUR].ID, ToAccountID: lek,
				SellAmount: "1"}, "account_not_found", "from_account_id"},
			{"another customer's destination", fx.QuoteRequest{FromAccountID: lek, ToAccountID: o[money.EUR].ID,
				SellAmount: "1"}, "account_not_found", "to_account_id"},
			{"a blocked account", fx.QuoteRequest{FromAccountID: lek, ToAccountID: blocked.ID, SellAmount: "1"},
				"account_blocked", "to_account_id"},
			{"both amounts", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "1", BuyAmount: "1"},
				"validation_failed", "buy_amount"},
			{"no amount", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur}, "field_required", "sell_amount"},
			{"no source", fx.QuoteRequest{ToAccountID: eur, SellAmount: "1"}, "field_required", "from_account_id"},
			{"a description with markup", fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "1",
				Description: "<b>"}, "description_invalid_characters", "description"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.s.Quote(f.ctx, id, tc.r)
				e, ok := kumbara.As(err)
				if !ok {
					t.Fatalf("Quote = %v, want %s", err, tc.code)
				}
				found := false
				for _, fe := range e.Fields {
					found = found || (fe.Code == tc.code && fe.Field == tc.field)
				}
				if !found || e.Kind == kumbara.KindInternal {
					t.Fatalf("Quote = %v (%s, fields %+v), want %s on %s", err, e.Code, e.Fields,
						tc.code, tc.field)
				}
			})
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM fx_conversions").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d quotes kept (%v)", n, err)
		}
		q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: lek, ToAccountID: eur, SellAmount: "100"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, customer, quote string }{
			{"another customer's quote", other, q.ID}, {"no such quote", id, "nope"}, {"a NUL", id, "a\x00b"},
		} {
			if _, _, err := f.s.Execute(f.ctx, tc.customer, tc.quote); kumbara.CodeOf(err) != "fx_quote_not_found" ||
				kumbara.KindOf(err) != kumbara.KindNotFound {
				t.Fatalf("%s: %v, want fx_quote_not_found", tc.name, err)
			}
		}
		if f.balance(t, lek) != 100_000 || f.balance(t, eur) != 5_000 {
			t.Fatal("money moved")
		}
		f.sound(t)
	})
}

// TestEveryPairRoundsOnceHalfUpAndBooksTheDifference: for every pair of the bank's currencies, both ways, either
// amount given, and amounts where the half matters, the amount the customer did not give is the other times or
// over the rate, rounded once half-up (computed here with exact fractions); the bank's income and rounding add up
// to the value at mid of what it got less what it gave, rounded once; and after executing every one of them each
// currency still sums to zero.
func TestEveryPairRoundsOnceHalfUpAndBooksTheDifference(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		funds := map[money.Currency]int64{}
		for _, c := range money.Currencies() {
			funds[c] = 100_000_000
		}
		id, a := f.customer(t, false, funds)
		rates, err := f.s.Current(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		mids := map[money.Currency]*big.Rat{money.ALL: big.NewRat(1, 1)}
		for _, r := range rates {
			mids[r.Currency] = rat(r.Mid)
		}
		for _, sell := range money.Currencies() {
			for _, buy := range money.Currencies() {
				if sell == buy {
					continue
				}
				for _, amount := range []string{"0.02", "0.05", "1.15", "12.35", "999.99"} {
					for _, side := range []string{"sell", "buy"} {
						r := fx.QuoteRequest{FromAccountID: a[sell].ID, ToAccountID: a[buy].ID, SellAmount: amount}
						if side == "buy" {
							r = fx.QuoteRequest{FromAccountID: a[sell].ID, ToAccountID: a[buy].ID, BuyAmount: amount}
						}
						q, err := f.s.Quote(f.ctx, id, r)
						if kumbara.CodeOf(err) == "amount_not_positive" {
							continue // a few hundredths of a lek buy no cent
						}
						if err != nil {
							t.Fatalf("%s→%s %s %s: %v", sell, buy, side, amount, err)
						}
						checkRounding(t, q, mids)
						if _, _, err := f.s.Execute(f.ctx, id, q.ID); err != nil {
							t.Fatalf("execute %s→%s: %v", sell, buy, err)
						}
					}
				}
			}
		}
		f.sound(t)
	})
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// halfUp is r rounded half away from zero to hundredths, in hundredths.
func halfUp(r *big.Rat) int64 {
	x := new(big.Rat).Mul(r, big.NewRat(100, 1))
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom()).Int64()
	if neg {
		return -n
	}
	return n
}

func checkRounding(t *testing.T, q fx.Conversion, mids map[money.Currency]*big.Rat) {
	t.Helper()
	rate := rat(q.Rate)
	cents := func(a money.Amount) *big.Rat { return big.NewRat(a.Minor, 100) }
	// perSold: how many bought units one sold unit gives.
	perSold := rate
	if q.Base == q.Buy.Currency {
		perSold = new(big.Rat).Inv(rate)
	}
	if q.Side == fx.SideSell {
		if want := halfUp(new(big.Rat).Mul(cents(q.Sell), perSold)); q.Buy.Minor != want {
			t.Fatalf("%+v: bought %d, want %d", q.Price, q.Buy.Minor, want)
		}
	} else if want := halfUp(new(big.Rat).Quo(cents(q.Buy), perSold)); q.Sell.Minor != want {
		t.Fatalf("%+v: sold %d, want %d", q.Price, q.Sell.Minor, want)
	}
	got := new(big.Rat).Mul(cents(q.Sell), mids[q.Sell.Currency])
	gave := new(big.Rat).Mul(cents(q.Buy), mids[q.Buy.Currency])
	if want := halfUp(new(big.Rat).Sub(got, gave)); q.Income+q.Rounding != want {
		t.Fatalf("%s→%s: income %d + rounding %d, want %d", q.Sell, q.Buy, q.Income, q.Rounding, want)
	}
}
