package money_test

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara/money"
)

func TestTypedAmountsReadAsPeopleWriteThem(t *testing.T) {
	for _, c := range []struct {
		typed string
		mark  rune // the page's decimal mark: ',' Albanian, '.' English
		want  string
		err   error
	}{
		{"1250", ',', "1250", nil},
		{"1250,50", ',', "1250.50", nil},
		{"1250.50", ',', "1250.50", nil},
		{"1.250,50", ',', "1250.50", nil},
		{"1,250.50", ',', "1250.50", nil},
		{"1 250,50", ',', "1250.50", nil},
		{"1\u00a0250,50", ',', "1250.50", nil},
		{" 1500 ", ',', "1500", nil},
		{"1.250", ',', "1250", nil},
		{"1,250", '.', "1250", nil},
		{"1.250.000", ',', "1250000", nil},
		{"1,250,000.5", '.', "1250000.5", nil},
		{"0,5", ',', "0.5", nil},
		{"1250,5", '.', "1250.5", nil},
		{"1,250", ',', "", money.ErrAmountAmbiguous},
		{"1.250", '.', "", money.ErrAmountAmbiguous},
		{"", ',', "", nil},
		{"12,50,00", ',', "", money.ErrInvalidAmount},
		{"1.25.0", ',', "", money.ErrInvalidAmount},
		{"1,2500.50", ',', "", money.ErrInvalidAmount},
		{"1.250.50,5,0", ',', "", money.ErrInvalidAmount},
		{"1250,", ',', "", money.ErrInvalidAmount},
		{",50", ',', "", money.ErrInvalidAmount},
		{"12a", ',', "", money.ErrInvalidAmount},
		{"1e3", '.', "", money.ErrInvalidAmount},
		{"-", ',', "", money.ErrInvalidAmount},
	} {
		got, err := money.Typed(c.typed, c.mark)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("Typed(%q, %q) = %q, %v; want %q, %v", c.typed, c.mark, got, err, c.want, c.err)
		}
	}
}

// FuzzTyped: whatever is typed, Typed answers a decimal string the services can read, or an error of its own.
func FuzzTyped(f *testing.F) {
	for _, s := range []string{"1.250,50", "1,250", "1 250", "12,50,00", "-1,5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, mark := range []rune{',', '.'} {
			got, err := money.Typed(s, mark)
			if err != nil {
				if !errors.Is(err, money.ErrInvalidAmount) && !errors.Is(err, money.ErrAmountAmbiguous) {
					t.Fatalf("Typed(%q) = %v", s, err)
				}
				continue
			}
			if got == "" {
				continue
			}
			// ParseDecimal refuses more than 40 characters outright; below that, only what an amount may be.
			if _, perr := money.ParseDecimal(got, money.EUR); perr != nil && !errors.Is(perr, money.ErrTooManyDecimals) &&
				!errors.Is(perr, money.ErrAmountOutOfRange) && len(got) <= 40 {
				t.Fatalf("Typed(%q) = %q, which ParseDecimal refuses with %v", s, got, perr)
			}
		}
	})
}
