package i18n

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the bank's time zone must resolve on machines without a zoneinfo database
)

// minorUnits is the number of decimals of every currency the bank holds (ALL, EUR, USD, GBP, CHF, AUD, CAD). CLDR
// formats ALL with no decimals, which is why amounts are formatted here rather than by a locale library.
const minorUnits = 2

// FormatAmount formats an amount given in minor units with the separators of lang and the ISO currency code after
// it: sq "1.234,50 ALL", en "1,234.50 ALL". It works on integers only, so no amount is ever rounded for display.
func FormatAmount(minor int64, currency string, lang Lang) string {
	thousands, decimal := byte('.'), byte(',')
	if lang == EN {
		thousands, decimal = ',', '.'
	}

	negative := minor < 0
	// Negate in uint64: -math.MinInt64 does not fit in an int64.
	abs := uint64(minor)
	if negative {
		abs = -abs
	}
	const scale = 100 // 10^minorUnits
	whole := strconv.FormatUint(abs/scale, 10)
	fraction := abs % scale

	out := make([]byte, 0, len(whole)+len(whole)/3+minorUnits+len(currency)+3)
	if negative {
		out = append(out, '-')
	}
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, thousands)
		}
		out = append(out, whole[i])
	}
	out = append(out, decimal, byte('0'+fraction/10), byte('0'+fraction%10))
	if currency != "" {
		out = append(out, ' ')
		out = append(out, currency...)
	}
	return string(out)
}

// tirane is the bank's business time zone: a date shown to a customer is the date in Albania, whatever the
// server's zone.
var tirane = loadTirane()

func loadTirane() *time.Location {
	loc, err := time.LoadLocation("Europe/Tirane")
	if err != nil {
		// Unreachable with time/tzdata embedded, unless ZONEINFO points at a broken file; Central European Time
		// without summer time is then closer than UTC.
		return time.FixedZone("CET", 60*60)
	}
	return loc
}

// FormatDate formats the calendar date of t in Europe/Tirane: sq "02.01.2006", en "2 Jan 2006".
func FormatDate(t time.Time, lang Lang) string {
	t = t.In(tirane)
	if lang == EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// FormatDateTime formats t's date (as FormatDate) and its time to the minute in Europe/Tirane: sq
// "02.01.2006 15:04", en "2 Jan 2006 15:04". SMS alerts say when something happened this way.
func FormatDateTime(t time.Time, lang Lang) string {
	return FormatDate(t, lang) + " " + t.In(tirane).Format("15:04")
}

// FormatRate writes an exchange rate as customers read it, "1 EUR = 99,40 ALL" in Albanian and "1 EUR = 99.40 ALL"
// in English: rate is the exact decimal as the bank keeps it ("99.40", "1.049919"), written by FormatDecimal.
func FormatRate(base, rate, quoted string, lang Lang) string {
	return "1 " + base + " = " + FormatDecimal(rate, lang) + " " + quoted
}

// FormatDecimal writes a decimal string as the bank keeps rates ("1234.5678") in lang's way: the decimal comma and
// thousands grouped with dots in Albanian ("1.234,5678"), the decimal point and commas in English ("1,234.5678").
// Every decimal is kept: a rate is never rounded for display. Anything that is not such a decimal is given back as
// it is.
func FormatDecimal(d string, lang Lang) string {
	whole, frac, _ := strings.Cut(d, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return d
	}
	thousands, mark := ".", ","
	if lang == EN {
		thousands, mark = ",", "."
	}
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString(mark)
		b.WriteString(frac)
	}
	return b.String()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
