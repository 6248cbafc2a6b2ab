// Package calendar is the bank's business calendar in Europe/Tirane: which days are working days (weekends and
// Albania's public holidays are not), the next working day, the value date of a transaction made at a given time
// (T14: after the close of business it is the next working day's), the cut-offs of the working day (the domestic
// transfers' 14:00, Z7) and the nightly update when business customers make no financial transactions (21:00–24:00,
// Z7). The holidays set by law are computed (github.com/rickar/cal, both Easters); the two whose dates are announced
// each year, Eid al-Fitr and Eid al-Adha, are entered by staff and kept in the database.
package calendar

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// The times of the bank's day, in Tirane.
const (
	// DefaultCloseOfBusiness is when the bank's books close for the day unless configured otherwise: a transaction
	// from then on is booked with the next working day's value date (T14; "pas orës 20:00 … veprime të ditës
	// pasardhëse të punës").
	DefaultCloseOfBusiness = 20 * time.Hour
	// DomesticCutOff is the last time of a working day a domestic transfer to another bank is sent that day (Z7:
	// "Transferta Brenda Vendit deri në 14.00").
	DomesticCutOff = 14 * time.Hour
	// BusinessPauseStart is when the daily update of the books starts, lasting until midnight, during which business
	// customers make no financial transactions (Z7: "procesit ditor të përditësimit që fillon në orën 21.00 dhe zgjat
	// deri në mesnatë").
	BusinessPauseStart = 21 * time.Hour
)

// reloadAfter is how long a year's holidays are used before they are read again, so that a holiday staff announce
// on one instance reaches the others within it.
const reloadAfter = time.Minute

// Service answers the calendar's questions. Its zero CloseOfBusiness is DefaultCloseOfBusiness.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// CloseOfBusiness is the time of day the books close (T14).
	CloseOfBusiness time.Duration

	mu    sync.Mutex
	years map[int]year
}

// year is one year's holidays as read, and the days they make free.
type year struct {
	holidays []Holiday
	off      map[Date]bool
	read     time.Time
}

// Holidays are the public holidays of y in date order, the announced ones among them.
func (s *Service) Holidays(ctx context.Context, y int) ([]Holiday, error) {
	yr, err := s.year(ctx, y)
	if err != nil {
		return nil, err
	}
	return slices.Clone(yr.holidays), nil
}

// IsWorkingDay reports whether d is a working day: a weekday that is not a public holiday (or a holiday's observed
// day).
func (s *Service) IsWorkingDay(ctx context.Context, d Date) (bool, error) {
	if d.weekend() {
		return false, nil
	}
	yr, err := s.year(ctx, d.Year)
	if err != nil {
		return false, err
	}
	return !yr.off[d], nil
}

// NextWorkingDay is the first working day after d.
func (s *Service) NextWorkingDay(ctx context.Context, d Date) (Date, error) {
	// A year has at most a couple of weeks' worth of holidays in a row with its weekends; a month is a safe bound.
	for range 31 {
		d = d.AddDays(1)
		ok, err := s.IsWorkingDay(ctx, d)
		if err != nil || ok {
			return d, err
		}
	}
	return Date{}, fmt.Errorf("calendar: no working day in the month after %s", d)
}

// ValueDate is the value date of a transaction made at t: the day itself when it is a working day and t is before
// the close of business, else the next working day (T14).
func (s *Service) ValueDate(ctx context.Context, t time.Time) (Date, error) {
	return s.ValueDateBy(ctx, t, s.closeOfBusiness())
}

// ValueDateBy is the value date of something made at t that must be in by cutOff on a working day (a domestic
// transfer to another bank: DomesticCutOff): the day itself when it is a working day and t is before cutOff, else
// the next working day.
func (s *Service) ValueDateBy(ctx context.Context, t time.Time, cutOff time.Duration) (Date, error) {
	d := DateOf(t)
	ok, err := s.IsWorkingDay(ctx, d)
	if err != nil {
		return Date{}, err
	}
	if ok && timeOfDay(t) < cutOff {
		return d, nil
	}
	return s.NextWorkingDay(ctx, d)
}

// AfterClose reports whether t is at or after the close of business of its day, when a transaction is booked with
// the next working day's value date (and the receipt says so).
func (s *Service) AfterClose(t time.Time) bool { return timeOfDay(t) >= s.closeOfBusiness() }

// CheckBusinessHours refuses a business customer's financial transaction at t during the nightly update of the
// books, 21:00 to midnight in Tirane, with ErrBusinessHoursClosed (Z7).
func CheckBusinessHours(t time.Time) error {
	if timeOfDay(t) >= BusinessPauseStart {
		return ErrBusinessHoursClosed
	}
	return nil
}

// CloseTime is when the books of d close: the close of business by the clock on the wall in Tirane that day (on
// the days daylight saving starts or ends too).
func (s *Service) CloseTime(d Date) time.Time {
	c := s.closeOfBusiness()
	return time.Date(d.Year, d.Month, d.Day, int(c/time.Hour), int(c%time.Hour/time.Minute), int(c%time.Minute/time.Second),
		int(c%time.Second), clock.Tirane)
}

func (s *Service) closeOfBusiness() time.Duration {
	if s.CloseOfBusiness == 0 {
		return DefaultCloseOfBusiness
	}
	return s.CloseOfBusiness
}

// timeOfDay is how long after midnight in Tirane t is, by the clock on the wall: on the days daylight saving
// starts or ends, 20:00 is still 20 hours.
func timeOfDay(t time.Time) time.Duration {
	h, m, sec := t.In(clock.Tirane).Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second +
		time.Duration(t.Nanosecond())
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

// year is y's holidays, read again once reloadAfter has passed or the announced ones changed here.
func (s *Service) year(ctx context.Context, y int) (year, error) {
	now := s.now()
	s.mu.Lock()
	yr, ok := s.years[y]
	s.mu.Unlock()
	if ok && now.Sub(yr.read) < reloadAfter && !now.Before(yr.read) {
		return yr, nil
	}
	announced, err := s.announced(ctx, y)
	if err != nil {
		return year{}, err
	}
	hs := append(lawHolidays(y), announced...)
	slices.SortStableFunc(hs, func(a, b Holiday) int {
		if a.Date == b.Date {
			return 0
		}
		if a.Date.Before(b.Date) {
			return -1
		}
		return 1
	})
	observe(hs)
	yr = year{holidays: hs, off: map[Date]bool{}, read: now}
	for _, h := range hs {
		yr.off[h.Date], yr.off[h.Observed] = true, true
	}
	s.mu.Lock()
	if s.years == nil {
		s.years = map[int]year{}
	}
	s.years[y] = yr
	s.mu.Unlock()
	return yr, nil
}

// forget drops what was read of y, after a change to its announced holidays.
func (s *Service) forget(y int) {
	s.mu.Lock()
	delete(s.years, y)
	s.mu.Unlock()
}
