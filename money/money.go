// Package money holds amounts of money as integer minor units of an ISO 4217 currency. There are no floats here:
// amounts are parsed from and formatted to decimal strings digit by digit.
package money

import (
	"math"
	"strconv"
	"strings"
)

// Currency is an ISO 4217 alphabetic code the bank offers.
type Currency string

// The currencies the bank offers (FEATURES F2). All have two minor units.
const (
	ALL Currency = "ALL"
	AUD Currency = "AUD"
	CAD Currency = "CAD"
	CHF Currency = "CHF"
	EUR Currency = "EUR"
	GBP Currency = "GBP"
	USD Currency = "USD"
)

type currencyInfo struct {
	numeric    string
	minorUnits int
}

var currencies = map[Currency]currencyInfo{
	ALL: {"008", 2},
	AUD: {"036", 2},
	CAD: {"124", 2},
	CHF: {"756", 2},
	EUR: {"978", 2},
	GBP: {"826", 2},
	USD: {"840", 2},
}

// Currencies lists the offered currencies in a stable order.
func Currencies() []Currency { return []Currency{ALL, EUR, USD, GBP, CHF, AUD, CAD} }

// ParseCurrency accepts an offered ISO 4217 alphabetic code (upper case).
func ParseCurrency(s string) (Currency, error) {
	c := Currency(s)
	if _, ok := currencies[c]; !ok {
		return "", ErrUnknownCurrency
	}
	return c, nil
}

// MinorUnits is the number of decimals of the currency.
func (c Currency) MinorUnits() int { return currencies[c].minorUnits }

// Numeric is the ISO 4217 numeric code ("008" for ALL), used in EMV QR and ISO 20022 messages.
func (c Currency) Numeric() string { return currencies[c].numeric }

// Valid reports whether c is an offered currency.
func (c Currency) Valid() bool { _, ok := currencies[c]; return ok }

// Amount is a quantity of money in minor units of Currency.
type Amount struct {
	Minor    int64
	Currency Currency
}

// New returns an amount of minor units.
func New(minor int64, c Currency) Amount { return Amount{Minor: minor, Currency: c} }

// String renders "1250.00 ALL".
func (a Amount) String() string {
	return FormatMinor(a.Minor, a.Currency.MinorUnits()) + " " + string(a.Currency)
}

// Decimal renders the plain decimal string the API carries ("1250.00").
func (a Amount) Decimal() string { return FormatMinor(a.Minor, a.Currency.MinorUnits()) }

// FormatMinor renders minor units as a plain decimal string with the given number of decimals.
func FormatMinor(minor int64, decimals int) string {
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-(minor + 1)) + 1 // safe for math.MinInt64
	}
	digits := strconv.FormatUint(u, 10)
	if decimals > 0 {
		for len(digits) <= decimals {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// ParseDecimal reads a decimal string ("1250", "1250.5", "1250.50") into minor units of c. It refuses signs other
// than a leading '-', exponents, separators, more decimals than the currency has, and values beyond int64.
func ParseDecimal(s string, c Currency) (Amount, error) {
	if !c.Valid() {
		return Amount{}, ErrUnknownCurrency
	}
	if len(s) == 0 || len(s) > 40 {
		return Amount{}, ErrInvalidAmount
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return Amount{}, ErrInvalidAmount
	}
	dec := c.MinorUnits()
	if len(frac) > dec {
		return Amount{}, ErrTooManyDecimals
	}
	frac += strings.Repeat("0", dec-len(frac))
	var v uint64
	for _, ch := range intPart + frac {
		d := uint64(ch - '0')
		if v > (math.MaxInt64-d)/10 {
			return Amount{}, ErrAmountOutOfRange
		}
		v = v*10 + d
	}
	minor := int64(v)
	if neg {
		minor = -minor
	}
	return Amount{Minor: minor, Currency: c}, nil
}

// ParsePositive is ParseDecimal for amounts a customer asks to move: they must be greater than zero.
func ParsePositive(s string, c Currency) (Amount, error) {
	a, err := ParseDecimal(s, c)
	if err != nil {
		return a, err
	}
	if a.Minor <= 0 {
		return Amount{}, ErrAmountNotPositive
	}
	return a, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
