package statement

import (
	"strconv"
	"strings"
	"sync"
	"time"

	// The bank's time zone must load on machines without a system zoneinfo
	// database (scratch containers, CI images).
	_ "time/tzdata"
)

// Lang selects the language of a document's labels and number and date formats.
type Lang string

// The languages a document can be rendered in. The zero value renders Albanian.
const (
	Albanian Lang = "sq"
	English  Lang = "en"
)

func (l Lang) normalize() (Lang, bool) {
	switch l {
	case "", Albanian:
		return Albanian, true
	case English:
		return English, true
	}
	return l, false
}

// FormatAmount formats minor units the Albanian way ("1.234,50") for sq, the
// English way ("1,234.50") for en; negative with a leading minus. Any other
// language formats the Albanian way, the bank's default.
//
// Every currency the bank offers has two minor units, so the decimal point is
// always two digits from the right; the digits come straight from the integer,
// never through a float, so no amount is ever rounded.
func FormatAmount(minor int64, lang Lang) string {
	group, decimal := byte('.'), byte(',')
	if lang == English {
		group, decimal = ',', '.'
	}
	neg := minor < 0
	mag := uint64(minor)
	if neg {
		// -minor overflows for math.MinInt64; the two's complement of the
		// bits as an unsigned number is the magnitude for every value.
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	whole, frac := digits[:len(digits)-2], digits[len(digits)-2:]

	b := make([]byte, 0, len(digits)+len(digits)/3+2)
	if neg {
		b = append(b, '-')
	}
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, group)
		}
		b = append(b, whole[i])
	}
	b = append(b, decimal)
	b = append(b, frac...)
	return string(b)
}

// tirane is the bank's time zone: customers read every time in it, whatever
// zone the caller's time.Time carries.
var tirane = sync.OnceValues(func() (*time.Location, error) {
	return time.LoadLocation("Europe/Tirane")
})

// formatDate writes t's calendar day, in the zone t carries, as the pages do (i18n.FormatDate): "02.01.2006" in
// Albanian, "2 Jan 2006" in English.
func formatDate(t time.Time, lang Lang) string {
	if lang == English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// calendarDate drops the clock and zone of a date-only value. Statement
// periods are calendar days chosen by the customer; converting them between
// zones could move a boundary midnight to the day before or after.
func calendarDate(t time.Time, lang Lang) string {
	y, m, d := t.Date()
	return formatDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), lang)
}

// formatIBAN prints an IBAN in the ISO 13616 paper format, groups of four,
// which is how customers compare it with their cards and contracts.
func formatIBAN(iban string) string {
	compact := strings.ToUpper(strings.Join(strings.Fields(iban), ""))
	var b strings.Builder
	for i, r := range compact {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
