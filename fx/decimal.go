package fx

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara/money"
)

// MaxDecimals is how many decimals a published rate may have.
const MaxDecimals = 6

// CrossDecimals is how many decimals a cross rate is given to: a quotient of two rates is rarely finite, so it is
// rounded once, half-up, to as many decimals as a published rate may have.
const CrossDecimals = MaxDecimals

// exact is the context of the arithmetic that must be exact (sums, halves of rates of at most 6 decimals): any
// rounding is an error. wide is the one of quotients, rounded afterwards. Both round half-up, the bank's one
// rounding. (Functions rather than variables: a context is a value the package never shares.)
func exact() *apd.Context {
	c := wide()
	c.Traps |= apd.Inexact | apd.Rounded
	return c
}

func wide() *apd.Context {
	c := apd.BaseContext.WithPrecision(40)
	c.Rounding = apd.RoundHalfUp
	return c
}

// parseRate reads a rate as staff type it ("98.5", " 97.123456 "): a positive exact decimal, digits with at most
// one decimal point and at most MaxDecimals decimals, no sign or exponent; anything else is ErrRateInvalid.
func parseRate(s string) (*apd.Decimal, error) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (dot && frac == "") || len(frac) > MaxDecimals || !digits(whole) ||
		!digits(frac) {
		return nil, ErrRateInvalid
	}
	d, _, err := apd.NewFromString(s)
	if err != nil || d.Sign() <= 0 {
		return nil, ErrRateInvalid
	}
	return d, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decimalText is d in the one form rates are written in: plain decimal notation, no trailing zeros beyond two
// decimals ("98.50", "1.065217", "100.00").
func decimalText(d *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(d)
	if r.Exponent > -2 {
		if _, err := exact().Quantize(&r, &r, -2); err != nil {
			// Unreachable: adding zeros to a number of at most 40 digits is exact().
			return d.Text('f')
		}
	}
	return r.Text('f')
}

// mustRate is a rate this package wrote (a stored row, a computed mid): unreadable is a broken row.
func mustRate(s string) (*apd.Decimal, error) {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return nil, fmt.Errorf("fx: stored rate %q: %w", s, err)
	}
	return d, nil
}

// mid is (buy + sell) / 2, exactly: a half of a number of at most 6 decimals has at most 7.
func mid(buy, sell *apd.Decimal) (*apd.Decimal, error) {
	var m apd.Decimal
	if _, err := exact().Add(&m, buy, sell); err != nil {
		return nil, fmt.Errorf("fx mid: %w", err)
	}
	if _, err := exact().Quo(&m, &m, apd.New(2, 0)); err != nil {
		return nil, fmt.Errorf("fx mid: %w", err)
	}
	return &m, nil
}

// quo is a / b rounded once, half-up, to CrossDecimals decimals.
func quo(a, b *apd.Decimal) (*apd.Decimal, error) {
	var q apd.Decimal
	if _, err := wide().Quo(&q, a, b); err != nil {
		return nil, fmt.Errorf("fx cross: %w", err)
	}
	if _, err := wide().Quantize(&q, &q, -CrossDecimals); err != nil {
		return nil, fmt.Errorf("fx cross: %w", err)
	}
	return &q, nil
}

// ToMinor is the one place an exact decimal amount of currency c becomes money: rounded once, half-up (away from
// zero on a half), to c's minor units. The rounding difference is d minus the result, for the caller to book.
func ToMinor(d *apd.Decimal, c money.Currency) (money.Amount, error) {
	if !c.Valid() {
		return money.Amount{}, money.ErrUnknownCurrency
	}
	var r apd.Decimal
	if _, err := wide().Quantize(&r, d, -int32(c.MinorUnits())); err != nil {
		return money.Amount{}, money.ErrAmountOutOfRange
	}
	if !r.Coeff.IsInt64() {
		return money.Amount{}, money.ErrAmountOutOfRange
	}
	minor := r.Coeff.Int64()
	if r.Negative {
		minor = -minor
	}
	return money.New(minor, c), nil
}
