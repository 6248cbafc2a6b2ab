package calendar

import (
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
)

// Date is a day of the bank's calendar, in Europe/Tirane, without a time of day: a business date, a value date, a
// holiday. It is stored as its ISO 8601 text (2026-12-07), which sorts as the days do on both engines.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day t falls on in Tirane.
func DateOf(t time.Time) Date {
	y, m, d := t.In(clock.Tirane).Date()
	return Date{y, m, d}
}

// ParseDate reads a date written 2006-01-02; anything else, or a day that does not exist, is ErrDateInvalid.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, ErrDateInvalid
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String is the date as 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Start is midnight at the start of d in Tirane.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, clock.Tirane) }

// AddDays is the date n days after d (before it for a negative n).
func (d Date) AddDays(n int) Date {
	// Noon UTC keeps daylight-saving changes out of the arithmetic.
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return o.Before(d) }

func (d Date) weekend() bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
