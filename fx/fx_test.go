package fx_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func newService(d *db.DB, clk clock.Clock) *fx.Service { return &fx.Service{DB: d, Clock: clk} }

// codes are err's code and its fields' codes, by field.
func codes(err error) (string, map[string]string) {
	e, ok := kumbara.As(err)
	if !ok {
		return "", nil
	}
	fields := map[string]string{}
	for _, f := range e.Fields {
		fields[f.Field] = f.Code
	}
	return e.Code, fields
}

func rate(c money.Currency, buy, sell string) fx.Rate {
	return fx.Rate{Currency: c, Buy: buy, Sell: sell, PublishedBy: "backoffice", ApprovedBy: "manager"}
}

func count(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM fx_rates").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEveryBadRateIsRefusedWithItsCodeAndNothingStored: each rule of a rate refuses with its own code on its field,
// and nothing is published.
func TestEveryBadRateIsRefusedWithItsCodeAndNothingStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := newService(d, clock.NewFake(t0)), context.Background()
		for _, tc := range []struct {
			name        string
			r           fx.Rate
			field, code string
		}{
			{"no currency", rate("", "97", "99"), "currency", "field_required"},
			{"ALL against itself", rate(money.ALL, "1", "1"), "currency", "fx_currency_invalid"},
			{"a currency the bank does not offer", rate("JPY", "0.6", "0.7"), "currency", "fx_currency_invalid"},
			{"zero buy", rate(money.EUR, "0", "99"), "buy", "fx_rate_invalid"},
			{"zero sell", rate(money.EUR, "97", "0.000000"), "sell", "fx_rate_invalid"},
			{"negative buy", rate(money.EUR, "-97", "99"), "buy", "fx_rate_invalid"},
			{"seven decimals", rate(money.EUR, "97.1234567", "99"), "buy", "fx_rate_invalid"},
			{"an exponent", rate(money.EUR, "9.7e1", "99"), "buy", "fx_rate_invalid"},
			{"a comma", rate(money.EUR, "97,5", "99"), "buy", "fx_rate_invalid"},
			{"empty sell", rate(money.EUR, "97", ""), "sell", "fx_rate_invalid"},
			{"sell below buy", rate(money.EUR, "99", "98.999999"), "sell", "fx_sell_below_buy"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Publish(ctx, tc.r)
				if code, fields := codes(err); code != "validation_failed" || fields[tc.field] != tc.code {
					t.Fatalf("Publish(%+v) = %v %v; want %s on %s", tc.r, code, fields, tc.code, tc.field)
				}
				if err := s.Check(ctx, tc.r); err == nil {
					t.Fatal("Check let it through")
				}
			})
		}
		long := rate(money.EUR, "97", "99")
		long.Reason = strings.Repeat("ë", fx.MaxReason+1)
		if _, err := s.Publish(ctx, long); err == nil {
			t.Fatal("a long reason was published")
		} else if _, fields := codes(err); fields["reason"] != "description_too_long" {
			t.Fatalf("a long reason: %v", fields)
		}
		if n := count(t, d); n != 0 {
			t.Fatalf("%d rates stored", n)
		}
	})
}

// TestAPublishedRateIsKeptExactlyWithItsMid: the rates are kept as exact decimals in one form, the mid is
// (buy + sell) / 2 exactly (a seventh decimal included), and the publication is audited with its maker and checker.
func TestAPublishedRateIsKeptExactlyWithItsMid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		s, ctx := newService(d, clk), context.Background()
		r, err := s.Publish(ctx, rate(" eur ", " 97.5 ", "99.123457"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Currency != money.EUR || r.Buy != "97.50" || r.Sell != "99.123457" || r.Mid != "98.3117285" ||
			!r.ValidFrom.Equal(t0) || !r.ValidUntil.Equal(t0.Add(24*time.Hour)) {
			t.Fatalf("published %+v", r)
		}
		cur, err := s.Current(ctx)
		if err != nil || len(cur) != 1 || cur[0].ID != r.ID || cur[0].Mid != "98.3117285" || cur[0].Buy != "97.50" ||
			cur[0].PublishedBy != "backoffice" || cur[0].ApprovedBy != "manager" {
			t.Fatalf("current %+v, %v", cur, err)
		}
		p, err := audit.Search(ctx, d, audit.Filter{Action: fx.ActionPublish})
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Before != "" {
			t.Fatalf("audit %+v, %v", p.Entries, err)
		}
	})
}

// TestARateMovedBeyondTheBandNeedsAReason: with the previous mid at 100 and a band of 5 %, a mid of exactly 105 or
// 95 needs no reason, 105.000001 and 94.999999 do (fx_rate_reason_required, nothing stored), and with one it is
// published. The first rate of a currency has no band; the band is the configured one.
func TestARateMovedBeyondTheBandNeedsAReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		s, ctx := newService(d, clk), context.Background()
		if _, err := s.Publish(ctx, rate(money.EUR, "99", "101")); err != nil { // mid 100
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, rate(money.USD, "10", "1000")); err != nil {
			t.Fatalf("a first rate: %v", err)
		}
		for _, tc := range []struct {
			buy, sell string
			ok        bool
		}{
			{"104", "106", true},         // mid 105: on the band
			{"94", "96", true},           // mid 95
			{"104", "106.000002", false}, // mid 105.000001
			{"93.999998", "96", false},   // mid 94.999999
		} {
			clk.Advance(time.Minute)
			// Each time against a previous mid of 100 again.
			reset := rate(money.EUR, "99", "101")
			reset.Reason = "back to 100"
			if _, err := s.Publish(ctx, reset); err != nil {
				t.Fatal(err)
			}
			before := count(t, d)
			clk.Advance(time.Minute)
			r := rate(money.EUR, tc.buy, tc.sell)
			_, err := s.Publish(ctx, r)
			checked := s.Check(ctx, r)
			if tc.ok {
				if err != nil || checked != nil {
					t.Fatalf("%s/%s: %v, %v", tc.buy, tc.sell, err, checked)
				}
				continue
			}
			if code, _ := codes(err); code != "fx_rate_reason_required" || kumbara.CodeOf(checked) != code {
				t.Fatalf("%s/%s without a reason: %v, %v", tc.buy, tc.sell, err, checked)
			}
			if e, _ := kumbara.As(err); e.Params["band"] != "5.00" {
				t.Fatalf("band %v", e.Params)
			}
			if n := count(t, d); n != before {
				t.Fatalf("stored %d, was %d", n, before)
			}
			r.Reason = "  Lëvizje e madhe në tregun ndërbankar  "
			got, err := s.Publish(ctx, r)
			if err != nil || got.Reason != "Lëvizje e madhe në tregun ndërbankar" {
				t.Fatalf("with a reason: %+v, %v", got, err)
			}
		}
		narrow := &fx.Service{DB: d, Clock: clk, Config: fx.Config{Band: "0.5"}}
		clk.Advance(time.Minute)
		if _, err := narrow.Publish(ctx, rate(money.USD, "10", "1000")); err != nil {
			t.Fatal(err)
		}
		if _, err := narrow.Publish(ctx, rate(money.USD, "12", "1000")); err != nil { // mid 506 from 505: 0.198 %
			t.Fatalf("a 0.2 %% move under a 0.5 %% band: %v", err)
		}
		if _, err := narrow.Publish(ctx, rate(money.USD, "30", "1000")); kumbara.CodeOf(err) != "fx_rate_reason_required" {
			t.Fatalf("a 1.8 %% move under a 0.5 %% band: %v", err) // mid 515 from 506
		}
	})
}

// TestARateIsCurrentUntilItsValidityPasses: on the fake clock a rate is current until its validity passes (24 h by
// default, or as configured), then no rate of that currency is; a newer publication supersedes the older at once.
func TestARateIsCurrentUntilItsValidityPasses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		s, ctx := &fx.Service{DB: d, Clock: clk, Config: fx.Config{Validity: 2 * time.Hour}}, context.Background()
		if _, err := s.Publish(ctx, rate(money.EUR, "97", "99")); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		usd, err := s.Publish(ctx, rate(money.USD, "90", "92"))
		if err != nil {
			t.Fatal(err)
		}
		currencies := func() []money.Currency {
			t.Helper()
			cur, err := s.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []money.Currency
			for _, r := range cur {
				out = append(out, r.Currency)
			}
			return out
		}
		if got := currencies(); !slices.Equal(got, []money.Currency{money.EUR, money.USD}) {
			t.Fatalf("current %v", got)
		}
		clk.Advance(time.Hour - time.Microsecond)
		if got := currencies(); len(got) != 2 {
			t.Fatalf("a microsecond before EUR expires: %v", got)
		}
		clk.Advance(time.Microsecond)
		if got := currencies(); !slices.Equal(got, []money.Currency{money.USD}) {
			t.Fatalf("EUR expired: %v", got)
		}
		newer, err := s.Publish(ctx, rate(money.USD, "90.5", "92.5"))
		if err != nil {
			t.Fatal(err)
		}
		cur, err := s.Current(ctx)
		if err != nil || len(cur) != 1 || cur[0].ID != newer.ID || cur[0].ID == usd.ID {
			t.Fatalf("superseded: %+v, %v", cur, err)
		}
		clk.Advance(2 * time.Hour)
		if got := currencies(); len(got) != 0 {
			t.Fatalf("everything expired: %v", got)
		}
		if _, err := s.CurrentIn(ctx, money.USD); kumbara.CodeOf(err) != "fx_rate_missing" {
			t.Fatalf("against an expired currency: %v", err)
		}
	})
}

// TestTheHistoryIsEveryPublicationTheNewestFirst: no publication is changed or lost; the history lists them the
// newest first, per currency or all of them, within the limit.
func TestTheHistoryIsEveryPublicationTheNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		s, ctx := newService(d, clk), context.Background()
		var ids []string
		for _, r := range []fx.Rate{rate(money.EUR, "97", "99"), rate(money.USD, "90", "92"),
			rate(money.EUR, "97.2", "99.2"), rate(money.EUR, "97.4", "99.4")} {
			got, err := s.Publish(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, got.ID)
			clk.Advance(time.Minute)
		}
		ids2 := func(rs []fx.Rate) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return out
		}
		eur, err := s.History(ctx, money.EUR, 0)
		if err != nil || !slices.Equal(ids2(eur), []string{ids[3], ids[2], ids[0]}) || eur[2].Buy != "97.00" {
			t.Fatalf("EUR history %+v, %v", eur, err)
		}
		every, err := s.History(ctx, "", 2)
		if err != nil || !slices.Equal(ids2(every), []string{ids[3], ids[2]}) {
			t.Fatalf("history %+v, %v", every, err)
		}
		if _, err := s.History(ctx, money.ALL, 10); kumbara.CodeOf(err) != "fx_currency_invalid" {
			t.Fatalf("ALL's history: %v", err)
		}
	})
}

// TestCrossRatesAreTheHandComputedFigures: with EUR 98/100 and USD 90/92 against ALL (mids 99 and 91):
// EUR in USD buys at 98 / 92 = 1.0652173913… → 1.065217, sells at 100 / 90 = 1.1111… → 1.111111, mid 99 / 91 =
// 1.0879120879… → 1.087912; USD in EUR buys at 90 / 100 = 0.9, sells at 92 / 98 = 0.9387755102… → 0.938776 (half
// up), mid 91 / 99 = 0.919191… → 0.919192; ALL in EUR buys at 1 / 100 = 0.01, sells at 1 / 98 = 0.0102040816… →
// 0.010204, mid 1 / 99 = 0.010101…; EUR in ALL is EUR's own rate.
func TestCrossRatesAreTheHandComputedFigures(t *testing.T) {
	eur := fx.Rate{Currency: money.EUR, Buy: "98.00", Sell: "100.00", Mid: "99.00", ValidUntil: t0.Add(2 * time.Hour)}
	usd := fx.Rate{Currency: money.USD, Buy: "90.00", Sell: "92.00", Mid: "91.00", ValidUntil: t0.Add(time.Hour)}
	all := fx.Rate{Currency: money.ALL}
	for _, tc := range []struct {
		name           string
		a, b           fx.Rate
		buy, sell, mid string
		until          time.Time
	}{
		{"EUR in USD", eur, usd, "1.065217", "1.111111", "1.087912", t0.Add(time.Hour)},
		{"USD in EUR", usd, eur, "0.90", "0.938776", "0.919192", t0.Add(time.Hour)},
		{"ALL in EUR", all, eur, "0.01", "0.010204", "0.010101", t0.Add(2 * time.Hour)},
		{"EUR in ALL", eur, all, "98.00", "100.00", "99.00", t0.Add(2 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fx.Cross(tc.a, tc.b)
			if err != nil || got.Buy != tc.buy || got.Sell != tc.sell || got.Mid != tc.mid || !got.ValidUntil.Equal(tc.until) {
				t.Fatalf("Cross = %+v, %v; want %s/%s/%s until %s", got, err, tc.buy, tc.sell, tc.mid, tc.until)
			}
		})
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := newService(d, clock.NewFake(t0)), context.Background()
		for _, r := range []fx.Rate{rate(money.EUR, "98", "100"), rate(money.USD, "90", "92")} {
			if _, err := s.Publish(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		in, err := s.CurrentIn(ctx, money.EUR)
		if err != nil || len(in) != 2 || in[0].Currency != money.ALL || in[0].Sell != "0.010204" ||
			in[1].Currency != money.USD || in[1].Sell != "0.938776" {
			t.Fatalf("against EUR: %+v, %v", in, err)
		}
		if _, err := s.CurrentIn(ctx, "XYZ"); kumbara.CodeOf(err) != "fx_currency_invalid" {
			t.Fatalf("against XYZ: %v", err)
		}
		if _, err := s.CurrentIn(ctx, money.GBP); kumbara.CodeOf(err) != "fx_rate_missing" {
			t.Fatalf("against GBP without a rate: %v", err)
		}
	})
}

// TestAnAmountBecomesMoneyRoundedOnceHalfUp: the one rounding to minor units: half a minor unit rounds away from
// zero, just below it down.
func TestAnAmountBecomesMoneyRoundedOnceHalfUp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cur  money.Currency
		want int64
	}{
		{"1065.2175", money.USD, 1065_22}, {"1065.2149999", money.USD, 1065_21}, {"0.005", money.EUR, 1},
		{"0.0049", money.EUR, 0}, {"-0.005", money.EUR, -1}, {"9800", money.ALL, 9800_00},
	} {
		d, _, err := apd.NewFromString(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fx.ToMinor(d, tc.cur)
		if err != nil || got != money.New(tc.want, tc.cur) {
			t.Errorf("ToMinor(%s %s) = %v, %v; want %d", tc.in, tc.cur, got, err, tc.want)
		}
	}
}
