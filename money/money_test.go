package money

import (
	"math"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
)

// wantInvalid fails unless err is a validation error with code, reported on field.
func wantInvalid(t *testing.T, err error, code, field string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok {
		t.Fatalf("error = %v, want a domain error %s", err, code)
	}
	if e.Kind != kumbara.KindInvalid || e.Code != code {
		t.Fatalf("error = kind %d code %q, want KindInvalid %q", e.Kind, e.Code, code)
	}
	if len(e.Fields) != 1 || e.Fields[0].Field != field || e.Fields[0].Code != code {
		t.Fatalf("fields = %+v, want one %s/%s", e.Fields, field, code)
	}
}

func TestParseDecimalAcceptsPlainDecimals(t *testing.T) {
	for _, c := range []struct {
		in   string
		cur  Currency
		want int64
	}{
		{"1250", ALL, 125000},
		{"1250.5", ALL, 125050},
		{"1250.50", EUR, 125050},
		{"0", USD, 0},
		{"0.01", GBP, 1},
		{"0.1", CHF, 10},
		{"007.5", AUD, 750},
		{"-1.5", CAD, -150},
		{"-0", ALL, 0},
		{"-0.00", ALL, 0},
		{"92233720368547758.07", ALL, math.MaxInt64},
		{"-92233720368547758.07", ALL, -math.MaxInt64},
		{"92233720368547758", EUR, 9223372036854775800},
		{strings.Repeat("0", 37) + "1.5", ALL, 150}, // 40 characters: the longest accepted
	} {
		t.Run(c.in, func(t *testing.T) {
			a, err := ParseDecimal(c.in, c.cur)
			if err != nil {
				t.Fatalf("ParseDecimal(%q, %s): %v", c.in, c.cur, err)
			}
			if a.Minor != c.want || a.Currency != c.cur {
				t.Fatalf("ParseDecimal(%q, %s) = %+v, want %d %s", c.in, c.cur, a, c.want, c.cur)
			}
		})
	}
}

func TestParseDecimalRefusesMalformedAmounts(t *testing.T) {
	for _, c := range []struct {
		name, in, code string
	}{
		{"empty", "", "invalid_amount"},
		{"sign only", "-", "invalid_amount"},
		{"leading plus", "+1", "invalid_amount"},
		{"two minus signs", "--1", "invalid_amount"},
		{"minus after digits", "1-", "invalid_amount"},
		{"dot without decimals", "1.", "invalid_amount"},
		{"dot without integer part", ".5", "invalid_amount"},
		{"negative dot without integer part", "-.5", "invalid_amount"},
		{"dot alone", ".", "invalid_amount"},
		{"two dots", "1.2.3", "invalid_amount"},
		{"exponent", "1e3", "invalid_amount"},
		{"upper-case exponent", "1E3", "invalid_amount"},
		{"leading space", " 1", "invalid_amount"},
		{"trailing space", "1 ", "invalid_amount"},
		{"decimal comma", "1,5", "invalid_amount"},
		{"thousands separator", "1,250.00", "invalid_amount"},
		{"apostrophe separator", "1'250", "invalid_amount"},
		{"underscore separator", "1_250", "invalid_amount"},
		{"hexadecimal", "0x10", "invalid_amount"},
		{"infinity", "Inf", "invalid_amount"},
		{"not a number", "NaN", "invalid_amount"},
		{"arabic-indic digit", "\u0661", "invalid_amount"},
		{"fullwidth digit", "\uff11", "invalid_amount"},
		{"nul byte", "1\x00", "invalid_amount"},
		{"longer than 40 characters", strings.Repeat("0", 38) + "1.5", "invalid_amount"},
		{"three decimals", "1.005", "amount_too_many_decimals"},
		{"three zero decimals", "1.000", "amount_too_many_decimals"},
		{"negative three decimals", "-0.001", "amount_too_many_decimals"},
		{"one minor unit above MaxInt64", "92233720368547758.08", "amount_out_of_range"},
		{"far above MaxInt64", "99999999999999999999", "amount_out_of_range"},
		{"one minor unit below -MaxInt64", "-92233720368547758.08", "amount_out_of_range"},
		{"far below -MaxInt64", "-99999999999999999999.99", "amount_out_of_range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ParseDecimal(c.in, ALL)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %+v, want %s", c.in, a, c.code)
			}
			wantInvalid(t, err, c.code, "amount")
			if a != (Amount{}) {
				t.Fatalf("ParseDecimal(%q) returned %+v with its error, want the zero Amount", c.in, a)
			}
		})
	}
}

func TestParseDecimalRefusesUnknownCurrencyBeforeTheAmount(t *testing.T) {
	for _, cur := range []Currency{"", "all", "XXX", "BTC", "EURO"} {
		_, err := ParseDecimal("x", cur)
		wantInvalid(t, err, "unknown_currency", "currency")
	}
}

func TestParsePositiveRefusesZeroAndNegatives(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64  // when accepted
		code string // when refused
	}{
		{"0.01", 1, ""},
		{"1250.50", 125050, ""},
		{"92233720368547758.07", math.MaxInt64, ""},
		{"0", 0, "amount_not_positive"},
		{"0.00", 0, "amount_not_positive"},
		{"-0", 0, "amount_not_positive"},
		{"-0.01", 0, "amount_not_positive"},
		{"-1250", 0, "amount_not_positive"},
		{"1.001", 0, "amount_too_many_decimals"},
		{"+1", 0, "invalid_amount"},
		{"92233720368547758.08", 0, "amount_out_of_range"},
	} {
		t.Run(c.in, func(t *testing.T) {
			a, err := ParsePositive(c.in, EUR)
			if c.code != "" {
				wantInvalid(t, err, c.code, "amount")
				if a != (Amount{}) {
					t.Fatalf("ParsePositive(%q) returned %+v with its error", c.in, a)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePositive(%q): %v", c.in, err)
			}
			if a != New(c.want, EUR) {
				t.Fatalf("ParsePositive(%q) = %+v, want %d EUR", c.in, a, c.want)
			}
		})
	}
}

func TestParseCurrencyAcceptsOnlyOfferedUpperCaseCodes(t *testing.T) {
	for _, c := range Currencies() {
		got, err := ParseCurrency(string(c))
		if err != nil || got != c {
			t.Errorf("ParseCurrency(%q) = %q, %v", c, got, err)
		}
		if !c.Valid() || c.MinorUnits() != 2 || len(c.Numeric()) != 3 {
			t.Errorf("%s: Valid %v, MinorUnits %d, Numeric %q", c, c.Valid(), c.MinorUnits(), c.Numeric())
		}
	}
	for _, in := range []string{"", "all", "Eur", " ALL", "ALL ", "XXX", "JPY", "BTC", "EURO", "008"} {
		got, err := ParseCurrency(in)
		if got != "" {
			t.Errorf("ParseCurrency(%q) = %q with error", in, got)
		}
		wantInvalid(t, err, "unknown_currency", "currency")
		if Currency(in).Valid() {
			t.Errorf("Currency(%q).Valid() = true", in)
		}
	}
}

func TestCurrencyNumericCodesAreISO4217(t *testing.T) {
	for c, want := range map[Currency]string{ALL: "008", EUR: "978", USD: "840", GBP: "826", CHF: "756", AUD: "036", CAD: "124"} {
		if got := c.Numeric(); got != want {
			t.Errorf("%s.Numeric() = %q, want %q", c, got, want)
		}
	}
	if len(Currencies()) != 7 {
		t.Errorf("Currencies() = %v, want the 7 offered", Currencies())
	}
}

func TestFormatMinorWritesPlainDecimals(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		decimals int
		want     string
	}{
		{0, 2, "0.00"},
		{1, 2, "0.01"},
		{10, 2, "0.10"},
		{99, 2, "0.99"},
		{100, 2, "1.00"},
		{125050, 2, "1250.50"},
		{-1, 2, "-0.01"},
		{-125050, 2, "-1250.50"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{-math.MaxInt64, 2, "-92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
		{math.MinInt64, 0, "-9223372036854775808"},
		{1234, 0, "1234"},
		{-7, 0, "-7"},
		{5, 3, "0.005"},
	} {
		if got := FormatMinor(c.minor, c.decimals); got != c.want {
			t.Errorf("FormatMinor(%d, %d) = %q, want %q", c.minor, c.decimals, got, c.want)
		}
	}
}

func TestAmountRendersDecimalAndCurrency(t *testing.T) {
	a := New(125050, ALL)
	if got := a.Decimal(); got != "1250.50" {
		t.Errorf("Decimal() = %q", got)
	}
	if got := a.String(); got != "1250.50 ALL" {
		t.Errorf("String() = %q", got)
	}
	if got := New(-5, EUR).String(); got != "-0.05 EUR" {
		t.Errorf("String() = %q", got)
	}
}

func TestFormatMinorRoundTripsThroughParseDecimal(t *testing.T) {
	for _, minor := range []int64{0, 1, -1, 99, 100, -100, 125050, 1 << 40, math.MaxInt64, -math.MaxInt64} {
		s := New(minor, USD).Decimal()
		a, err := ParseDecimal(s, USD)
		if err != nil || a.Minor != minor {
			t.Errorf("ParseDecimal(FormatMinor(%d)) = %q → %+v, %v", minor, s, a, err)
		}
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1250", "1250.5", "1250.50", "0", "-0", "-1.5", "+1", "1.", ".5", "1e3", " 1", "1,5",
		"1.005", "92233720368547758.07", "92233720368547758.08", "-92233720368547758.08", "007.50", "", "-",
		strings.Repeat("9", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseDecimal(s, ALL)
		if err != nil {
			if e, ok := kumbara.As(err); !ok || e.Kind != kumbara.KindInvalid {
				t.Fatalf("ParseDecimal(%q) error %v is not a validation error", s, err)
			}
			if a != (Amount{}) {
				t.Fatalf("ParseDecimal(%q) returned %+v with its error", s, a)
			}
			return
		}
		if a.Currency != ALL {
			t.Fatalf("ParseDecimal(%q) currency = %q", s, a.Currency)
		}
		back := a.Decimal()
		b, err := ParseDecimal(back, ALL)
		if err != nil {
			t.Fatalf("ParseDecimal(%q) = %d, formatted %q, which does not parse: %v", s, a.Minor, back, err)
		}
		if b.Minor != a.Minor {
			t.Fatalf("ParseDecimal(%q) = %d, formatted %q, parses back to %d", s, a.Minor, back, b.Minor)
		}
		if p, err := ParsePositive(s, ALL); (err == nil) != (a.Minor > 0) || (err == nil && p != a) {
			t.Fatalf("ParsePositive(%q) = %+v, %v; ParseDecimal gave %d", s, p, err, a.Minor)
		}
	})
}
