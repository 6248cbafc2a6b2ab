package tariff_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/tariff"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func all(minor int64) money.Amount { return money.New(minor, money.ALL) }
func eur(minor int64) money.Amount { return money.New(minor, money.EUR) }

// TestAFeeIsTheHandComputedFigure: each figure below was worked out by hand. 0.15 % of 1,234,567.89 ALL is
// 1,851.851835 ALL, i.e. 185,185.1835 minor units, rounded half-up once to 185,185 (1,851.85 ALL), inside the
// bounds 200 and 5,000 ALL; the same rate is 200 ALL on 100,000 ALL (150 is below the lower bound) and 5,000 ALL on
// 5,000,000 ALL (7,500 is above the upper one). Half a minor unit rounds up, just below it down.
func TestAFeeIsTheHandComputedFigure(t *testing.T) {
	credins := tariff.Rate{Scheme: tariff.SchemeAIPS, Charges: tariff.ChargesSHA, Currency: money.ALL,
		Percent: "0.15", Min: 200_00, Max: 5_000_00}
	swift := func(charges string) tariff.Rate {
		r := tariff.Rate{Scheme: tariff.SchemeSWIFT, Charges: charges, Currency: money.EUR, Percent: "0.20",
			Min: 10_00, Max: 150_00}
		if charges == tariff.ChargesOUR {
			r.Correspondent = 20_00
		}
		return r
	}
	for _, tc := range []struct {
		name     string
		rate     tariff.Rate
		amount   money.Amount
		fee      int64
		deducted bool
	}{
		{"0.15 % of 1,234,567.89 ALL", credins, all(1_234_567_89), 1_851_85, false},
		{"below the lower bound", credins, all(100_000_00), 200_00, false},
		{"above the upper bound", credins, all(5_000_000_00), 5_000_00, false},
		{"on the upper bound", credins, all(3_333_333_33), 5_000_00, false},                              // 4,999.999995 rounds to 5,000.00
		{"half a minor unit rounds up", tariff.Rate{Percent: "0.5"}, all(1_00), 1, false},                // 0.5
		{"just below half rounds down", tariff.Rate{Percent: "0.5"}, all(99), 0, false},                  // 0.495
		{"4 decimals of a percent", tariff.Rate{Percent: "0.0125"}, all(1_000_000_00), 12_500, false},    // 125.00
		{"fixed and percent", tariff.Rate{Fixed: 100_00, Percent: "0.1"}, all(12_345_67), 112_35, false}, // 100 + 12.34567
		{"no upper bound", tariff.Rate{Percent: "0.20"}, eur(10_000_000_00), 20_000_00, false},
		{"SHA on SWIFT", swift(tariff.ChargesSHA), eur(10_000_00), 20_00, false},
		{"OUR on SWIFT adds the correspondents'", swift(tariff.ChargesOUR), eur(10_000_00), 40_00, false},
		{"OUR on SWIFT over the bound", swift(tariff.ChargesOUR), eur(1_000_000_00), 170_00, false},
		{"BEN is deducted", swift(tariff.ChargesBEN), eur(10_000_00), 20_00, true},
		{"BEN of a fixed fee", tariff.Rate{Scheme: tariff.SchemeSCT, Charges: tariff.ChargesBEN, Fixed: 1_50}, eur(1_51), 1_50, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.rate.Fee(tc.amount)
			if err != nil || f.Amount != money.New(tc.fee, tc.amount.Currency) || f.Deducted != tc.deducted {
				t.Fatalf("fee %+v, %v; want %d deducted %v", f, err, tc.fee, tc.deducted)
			}
		})
	}
}

// TestABeneficiaryCannotPayAFeeAsLargeAsTheAmount: with BEN the fee comes out of the amount, so an amount the fee
// would take whole is refused, naming the fee.
func TestABeneficiaryCannotPayAFeeAsLargeAsTheAmount(t *testing.T) {
	r := tariff.Rate{Scheme: tariff.SchemeSCT, Charges: tariff.ChargesBEN, Currency: money.EUR, Fixed: 1_50}
	for _, amount := range []int64{1_50, 1_00, 1} {
		_, err := r.Fee(eur(amount))
		e, ok := kumbara.As(err)
		if !errors.Is(err, tariff.ErrAmountBelowFee) || !ok || e.Params["fee"] != "1.50 EUR" || e.Kind != kumbara.KindUnprocessable {
			t.Errorf("BEN of %d: %v", amount, err)
		}
	}
}

func newService(d *db.DB, clk clock.Clock) *tariff.Service { return &tariff.Service{DB: d, Clock: clk} }

// TestANewBankPaysWithTheDefaultTariff: the migration's tariff is in force at once: one rate per scheme, charges
// and currency the scheme carries, with the documented figures.
func TestANewBankPaysWithTheDefaultTariff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(d, clock.NewFake(t0))
		rates, err := s.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, scheme := range tariff.Schemes() {
			for _, charges := range tariff.ChargesAll() {
				for _, c := range tariff.Currencies(scheme) {
					keys = append(keys, scheme+" "+charges+" "+string(c))
				}
			}
		}
		var got []string
		for _, r := range rates {
			got = append(got, r.Scheme+" "+r.Charges+" "+string(r.Currency))
			if r.SetBy != "kumbara" || !r.ValidFrom.Equal(time.UnixMicro(0)) {
				t.Errorf("seeded rate %+v", r)
			}
		}
		if !slices.Equal(got, keys) {
			t.Fatalf("the default tariff holds\n%v\nwant\n%v", got, keys)
		}
		for _, tc := range []struct {
			scheme, charges string
			amount          money.Amount
			fee             int64
		}{
			{tariff.SchemeAECH, tariff.ChargesSHA, all(50_000_00), 100_00},
			{tariff.SchemeAECH, tariff.ChargesOUR, all(50_000_00), 100_00},
			{tariff.SchemeAIPS, tariff.ChargesSHA, all(1_500_000_00), 1_000_00},   // 0.05 % is 750: the lower bound
			{tariff.SchemeAIPS, tariff.ChargesSHA, all(4_000_000_00), 2_000_00},   // 0.05 %
			{tariff.SchemeAIPS, tariff.ChargesSHA, all(90_000_000_00), 10_000_00}, // the upper bound
			{tariff.SchemeInstant, tariff.ChargesSHA, all(3_000_00), 50_00},
			{tariff.SchemeSCT, tariff.ChargesSHA, eur(250_00), 1_50},
			{tariff.SchemeSCTInst, tariff.ChargesSHA, eur(250_00), 2_00},
			{tariff.SchemeSWIFT, tariff.ChargesSHA, eur(2_000_00), 10_00},  // 0.20 % is 4: the lower bound
			{tariff.SchemeSWIFT, tariff.ChargesOUR, eur(20_000_00), 60_00}, // 40 + 20
			{tariff.SchemeSWIFT, tariff.ChargesOUR, money.New(100_000_00, money.USD), 170_00},
			{tariff.SchemeSWIFT, tariff.ChargesOUR, all(1_000_000_00), 4_000_00}, // 2,000 + 2,000
		} {
			f, err := s.Fee(ctx, tc.scheme, tc.charges, tc.amount)
			if err != nil || f.Amount != money.New(tc.fee, tc.amount.Currency) {
				t.Errorf("%s %s %s: %+v, %v; want %d", tc.scheme, tc.charges, tc.amount, f, err, tc.fee)
			}
		}
	})
}

// TestANewVersionReplacesTheOlderOneFromWhenItIsSet: a rate set later is the one in force, for its own scheme,
// charges and currency only; the older versions stay in the history, newest first; two versions set in the same
// instant are told apart by their order.
func TestANewVersionReplacesTheOlderOneFromWhenItIsSet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(t0)
		s := newService(d, clk)
		aech := func(fixed int64) tariff.Rate {
			return tariff.Rate{Scheme: "AECH", Charges: "sha", Currency: "all", Fixed: fixed, SetBy: "backoffice",
				ApprovedBy: "manager"}
		}
		r, err := s.Set(ctx, aech(150_00))
		if err != nil {
			t.Fatal(err)
		}
		if r.Scheme != "aech" || r.Charges != "SHA" || r.Currency != money.ALL || r.ID == "" || !r.ValidFrom.Equal(t0) ||
			r.SetBy != "backoffice" || r.ApprovedBy != "manager" {
			t.Fatalf("set %+v", r)
		}
		fee := func(charges string) int64 {
			t.Helper()
			f, err := s.Fee(ctx, tariff.SchemeAECH, charges, all(10_000_00))
			if err != nil {
				t.Fatal(err)
			}
			return f.Amount.Minor
		}
		if fee(tariff.ChargesSHA) != 150_00 || fee(tariff.ChargesOUR) != 100_00 {
			t.Fatalf("after the first version: SHA %d, OUR %d", fee(tariff.ChargesSHA), fee(tariff.ChargesOUR))
		}
		if _, err := s.Set(ctx, aech(120_00)); err != nil { // the same instant: set later, so in force
			t.Fatal(err)
		}
		if fee(tariff.ChargesSHA) != 120_00 {
			t.Fatalf("the second version of the same instant: %d", fee(tariff.ChargesSHA))
		}
		clk.Advance(time.Hour)
		if _, err := s.Set(ctx, aech(90_00)); err != nil {
			t.Fatal(err)
		}
		if fee(tariff.ChargesSHA) != 90_00 {
			t.Fatalf("an hour later: %d", fee(tariff.ChargesSHA))
		}
		hist, err := s.History(ctx, tariff.SchemeAECH, 10)
		if err != nil {
			t.Fatal(err)
		}
		var fixed []int64
		for _, r := range hist {
			if r.Charges == tariff.ChargesSHA {
				fixed = append(fixed, r.Fixed)
			}
		}
		if !slices.Equal(fixed, []int64{90_00, 120_00, 150_00, 100_00}) {
			t.Fatalf("history of AECH SHA: %v", fixed)
		}
		current, err := s.Current(ctx)
		if err != nil || len(current) != 36 {
			t.Fatalf("current: %d rates, %v", len(current), err)
		}
		if _, err := s.History(ctx, "wire", 10); !errors.Is(err, tariff.ErrSchemeInvalid) {
			t.Fatalf("history of an unknown scheme: %v", err)
		}
	})
}

// TestAPaymentWithoutARateIsRefused: a currency the scheme has no rate in, an unknown scheme or charges, and an
// amount that is not positive are each refused with their own code.
func TestAPaymentWithoutARateIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(d, clock.NewFake(t0))
		for _, tc := range []struct {
			name            string
			scheme, charges string
			amount          money.Amount
			want            error
		}{
			{"SEPA in dollars", tariff.SchemeSCT, tariff.ChargesSHA, money.New(100_00, money.USD), tariff.ErrNoRate},
			{"AECH in euros", tariff.SchemeAECH, tariff.ChargesOUR, eur(100_00), tariff.ErrNoRate},
			{"unknown scheme", "wire", tariff.ChargesSHA, all(100_00), tariff.ErrSchemeInvalid},
			{"unknown charges", tariff.SchemeAECH, "DEBT", all(100_00), tariff.ErrChargesInvalid},
			{"zero", tariff.SchemeAECH, tariff.ChargesSHA, all(0), money.ErrAmountNotPositive},
			{"unknown currency", tariff.SchemeSWIFT, tariff.ChargesSHA, money.New(100, "XAU"), money.ErrUnknownCurrency},
		} {
			if _, err := s.Fee(ctx, tc.scheme, tc.charges, tc.amount); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		if _, err := s.Fee(ctx, tariff.SchemeSCT, tariff.ChargesSHA, money.New(100_00, money.USD)); kumbara.KindOf(err) != kumbara.KindUnprocessable {
			t.Errorf("no rate is a %v", kumbara.KindOf(err))
		}
	})
}

// TestARateThatBreaksARuleIsRefusedWithEveryField: Check (and Set) say every field's problem at once; nothing is
// stored.
func TestARateThatBreaksARuleIsRefusedWithEveryField(t *testing.T) {
	s := &tariff.Service{}
	ok := tariff.Rate{Scheme: tariff.SchemeSWIFT, Charges: tariff.ChargesOUR, Currency: money.EUR, Percent: "0.20",
		Min: 10_00, Max: 150_00, Correspondent: 20_00}
	if err := s.Check(ok); err != nil {
		t.Fatalf("a good rate: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*tariff.Rate)
		fields []kumbara.FieldError
	}{
		{"nothing", func(r *tariff.Rate) { *r = tariff.Rate{} }, []kumbara.FieldError{
			{Field: "scheme", Code: "field_required"}, {Field: "charges", Code: "field_required"},
			{Field: "currency", Code: "field_required"}}},
		{"unknown scheme, charges and currency", func(r *tariff.Rate) { r.Scheme, r.Charges, r.Currency = "wire", "ALL", "XAU" },
			[]kumbara.FieldError{{Field: "scheme", Code: "tariff_scheme_invalid"}, {Field: "charges", Code: "tariff_charges_invalid"},
				{Field: "currency", Code: "unknown_currency"}, {Field: "correspondent", Code: "tariff_correspondent_our"}}},
		{"SEPA in dollars", func(r *tariff.Rate) { r.Scheme, r.Currency, r.Correspondent = tariff.SchemeSCT, money.USD, 0 },
			[]kumbara.FieldError{{Field: "currency", Code: "tariff_currency_scheme"}}},
		{"AIPS in euros", func(r *tariff.Rate) { r.Scheme, r.Correspondent = tariff.SchemeAIPS, 0 },
			[]kumbara.FieldError{{Field: "currency", Code: "tariff_currency_scheme"}}},
		{"percent above 10", func(r *tariff.Rate) { r.Percent = "10.01" }, []kumbara.FieldError{{Field: "percent", Code: "tariff_percent_invalid"}}},
		{"percent with 5 decimals", func(r *tariff.Rate) { r.Percent = "0.12345" }, []kumbara.FieldError{{Field: "percent", Code: "tariff_percent_invalid"}}},
		{"negative percent", func(r *tariff.Rate) { r.Percent = "-0.1" }, []kumbara.FieldError{{Field: "percent", Code: "tariff_percent_invalid"}}},
		{"percent as a float", func(r *tariff.Rate) { r.Percent = "1e-1" }, []kumbara.FieldError{{Field: "percent", Code: "tariff_percent_invalid"}}},
		{"negative amounts", func(r *tariff.Rate) { r.Fixed, r.Min, r.Max = -1, -1, -1 }, []kumbara.FieldError{
			{Field: "fixed", Code: "tariff_amount_invalid"}, {Field: "min", Code: "tariff_amount_invalid"},
			{Field: "max", Code: "tariff_amount_invalid"}}},
		{"too large", func(r *tariff.Rate) { r.Correspondent = tariff.MaxAmount + 1 }, []kumbara.FieldError{{Field: "correspondent", Code: "tariff_amount_invalid"}}},
		{"min above max", func(r *tariff.Rate) { r.Min = 151_00 }, []kumbara.FieldError{{Field: "min", Code: "tariff_min_above_max"}}},
		{"correspondents' on SHA", func(r *tariff.Rate) { r.Charges = tariff.ChargesSHA }, []kumbara.FieldError{{Field: "correspondent", Code: "tariff_correspondent_our"}}},
	} {
		r := ok
		tc.change(&r)
		err := s.Check(r)
		e, isErr := kumbara.As(err)
		if !isErr || e.Code != "validation_failed" || !slices.Equal(e.Fields, tc.fields) {
			t.Errorf("%s: %v %+v, want %+v", tc.name, err, e, tc.fields)
		}
	}
	r := ok
	r.Min = 151_00
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Set(context.Background(), r); kumbara.CodeOf(err) != "validation_failed" {
			t.Fatalf("set a bad rate: %v", err)
		}
		hist, err := s.History(context.Background(), tariff.SchemeSWIFT, 100)
		if err != nil || len(hist) != 21 {
			t.Fatalf("history %d, %v", len(hist), err)
		}
	})
}

// TestSettingARateIsAuditedWithTheVersionItReplaces: the entry names the member the context carries, the rate it
// replaces as before and the new one as after.
func TestSettingARateIsAuditedWithTheVersionItReplaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		checker := audit.StaffActor("manager", "manager")
		ctx := audit.WithOrigin(audit.WithActor(context.Background(), checker), audit.Origin{RequestID: "req-9"})
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Set(ctx, tariff.Rate{Scheme: tariff.SchemeInstant, Charges: tariff.ChargesBEN, Currency: money.ALL,
			Fixed: 30_00, SetBy: "backoffice", ApprovedBy: "manager"}); err != nil {
			t.Fatal(err)
		}
		p, err := audit.Search(context.Background(), d, audit.Filter{Action: tariff.ActionSet})
		if err != nil || len(p.Entries) != 1 {
			t.Fatalf("entries %+v, %v", p.Entries, err)
		}
		e := p.Entries[0]
		if e.Actor != checker || e.RequestID != "req-9" ||
			e.Before != `{"scheme":"instant","charges":"BEN","currency":"ALL","fixed":5000,"percent":"","min":0,"max":0,"correspondent":0,"set_by":"kumbara"}` ||
			e.After != `{"scheme":"instant","charges":"BEN","currency":"ALL","fixed":3000,"percent":"","min":0,"max":0,"correspondent":0,"set_by":"backoffice","approved_by":"manager"}` {
			t.Fatalf("entry %+v", e)
		}
	})
}

// TestAPercentIsReadExactly: a percentage is an exact decimal from 0 to 10 with at most 4 decimals, kept in its
// shortest form with two decimals at least.
func TestAPercentIsReadExactly(t *testing.T) {
	for in, want := range map[string]string{"": "", "0": "", " 0.000 ": "", "0.1": "0.10", "0.15": "0.15",
		"0.0500": "0.05", "1": "1.00", "00.5": "0.50", "0.0125": "0.0125", "10": "10.00", "10.0000": "10.00",
		"9.9999": "9.9999"} {
		if got, err := tariff.ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"10.0001", "11", "100", "-1", "+1", ".5", "1.", "0,15", "1e2", "0.12345", "½", "0x1", " 1 . 5"} {
		if got, err := tariff.ParsePercent(in); !errors.Is(err, tariff.ErrPercentInvalid) {
			t.Errorf("ParsePercent(%q) = %q, %v; want tariff_percent_invalid", in, got, err)
		}
	}
}

// FuzzParsePercent: whatever staff type, reading a percentage never panics, and what it accepts reads again as
// itself and is at most 10 %.
func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"", "0.15", "10", "10.0001", "0.00001", "99", "1.", ".1", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tariff.ParsePercent(s)
		if err != nil {
			return
		}
		again, err := tariff.ParsePercent(got)
		if err != nil || again != got {
			t.Fatalf("%q read as %q, which reads as %q, %v", s, got, again, err)
		}
		if whole, _, _ := strings.Cut(got, "."); len(whole) > 2 || (len(whole) == 2 && got != "10.00") {
			t.Fatalf("%q read as %q, above 10 %%", s, got)
		}
	})
}
