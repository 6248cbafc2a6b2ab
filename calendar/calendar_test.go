package calendar_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
)

// at is a wall-clock time in Tirane.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Tirane)
}

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newService(d *db.DB) *calendar.Service {
	return &calendar.Service{DB: d, Clock: clock.NewFake(at(2026, 12, 7, 9, 0))}
}

// The holidays of 2026, computed by hand from the law and the announced Eids: a weekend holiday is observed on
// the next Monday, and 28 and 29 November (Saturday and Sunday) share Monday the 30th.
func TestTheHolidaysOf2026AreTheLawsWithWeekendOnesObservedOnMonday(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		hs, err := newService(d).Holidays(context.Background(), 2026)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ name, date, observed string }{
			{"holiday_new_year", "2026-01-01", "2026-01-01"},
			{"holiday_new_year_2", "2026-01-02", "2026-01-02"},
			{"holiday_summer_day", "2026-03-14", "2026-03-16"},
			{"holiday_eid_al_fitr", "2026-03-20", "2026-03-20"},
			{"holiday_nevruz", "2026-03-22", "2026-03-23"},
			{"holiday_catholic_easter_monday", "2026-04-06", "2026-04-06"},
			{"holiday_orthodox_easter_monday", "2026-04-13", "2026-04-13"},
			{"holiday_labour_day", "2026-05-01", "2026-05-01"},
			{"holiday_eid_al_adha", "2026-05-27", "2026-05-27"},
			{"holiday_mother_teresa", "2026-09-05", "2026-09-07"},
			{"holiday_independence", "2026-11-28", "2026-11-30"},
			{"holiday_liberation", "2026-11-29", "2026-11-30"},
			{"holiday_youth_day", "2026-12-08", "2026-12-08"},
			{"holiday_christmas", "2026-12-25", "2026-12-25"},
		}
		if len(hs) != len(want) {
			t.Fatalf("%d holidays, want %d: %v", len(hs), len(want), hs)
		}
		for i, w := range want {
			h := hs[i]
			if h.Name != w.name || h.Date.String() != w.date || h.Observed.String() != w.observed {
				t.Errorf("holiday %d: %s %s observed %s, want %s %s observed %s", i, h.Name, h.Date, h.Observed,
					w.name, w.date, w.observed)
			}
			if h.Announced != (w.name == "holiday_eid_al_fitr" || w.name == "holiday_eid_al_adha") {
				t.Errorf("%s: announced %v", h.Name, h.Announced)
			}
		}
	})
}

func TestBothEastersAreComputed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		for _, c := range []struct {
			year              int
			catholic, ortodox string
		}{
			{2025, "2025-04-21", "2025-04-21"}, // the same Sunday: one Monday
			{2026, "2026-04-06", "2026-04-13"},
			{2027, "2027-03-29", "2027-05-03"},
			{2028, "2028-04-17", "2028-04-17"},
			{2030, "2030-04-22", "2030-04-29"},
		} {
			hs, err := s.Holidays(context.Background(), c.year)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, h := range hs {
				got[h.Name] = h.Date.String()
			}
			if got["holiday_catholic_easter_monday"] != c.catholic || got["holiday_orthodox_easter_monday"] != c.ortodox {
				t.Errorf("%d: Easter Mondays %s and %s, want %s and %s", c.year, got["holiday_catholic_easter_monday"],
					got["holiday_orthodox_easter_monday"], c.catholic, c.ortodox)
			}
		}
	})
}

// A weekend holiday whose Monday is a holiday of its own moves on: 1 January 2023 (Sunday) to Tuesday the 3rd,
// 28 November 2027 (Sunday, before Liberation Day on Monday) to Tuesday the 30th.
func TestAWeekendHolidayWhoseMondayIsAHolidayMovesToTheNextWorkingDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		for _, c := range []struct{ name, date, observed string }{
			{"holiday_new_year", "2023-01-01", "2023-01-03"},
			{"holiday_independence", "2027-11-28", "2027-11-30"},
			{"holiday_eid_al_adha", "2027-05-16", "2027-05-17"},
		} {
			day := date(t, c.date)
			hs, err := s.Holidays(context.Background(), day.Year)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, h := range hs {
				if h.Name == c.name {
					found = true
					if h.Date.String() != c.date || h.Observed.String() != c.observed {
						t.Errorf("%s %d: %s observed %s, want %s observed %s", c.name, day.Year, h.Date, h.Observed, c.date, c.observed)
					}
				}
			}
			if !found {
				t.Errorf("%s: not a holiday of %d", c.name, day.Year)
			}
		}
	})
}

// 2026 has 261 weekdays; 13 of them are holidays or observed days (13 holidays and observances on weekdays, the
// 30th of November counting once): 248 working days. December has 23 weekdays less the 8th and the 25th.
func TestWorkingDaysOf2026CountedByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		count := func(from, to calendar.Date) int {
			n := 0
			for day := from; !day.After(to); day = day.AddDays(1) {
				ok, err := s.IsWorkingDay(context.Background(), day)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					n++
				}
			}
			return n
		}
		if n := count(date(t, "2026-01-01"), date(t, "2026-12-31")); n != 248 {
			t.Errorf("2026: %d working days, want 248", n)
		}
		if n := count(date(t, "2026-12-01"), date(t, "2026-12-31")); n != 21 {
			t.Errorf("December 2026: %d working days, want 21", n)
		}
	})
}

func TestValueDateFollowsTheCloseOfBusinessAndTheCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		for _, c := range []struct {
			name string
			at   time.Time
			want string
		}{
			{"a working day before the close", at(2026, 12, 7, 19, 59), "2026-12-07"},
			{"at the close, before Youth Day", at(2026, 12, 7, 20, 0), "2026-12-09"},
			{"Friday evening", at(2026, 12, 4, 20, 30), "2026-12-07"},
			{"Saturday morning", at(2026, 12, 5, 10, 0), "2026-12-07"},
			{"Christmas Eve late", at(2026, 12, 24, 21, 0), "2026-12-28"},
			{"before a long weekend", at(2026, 11, 27, 20, 0), "2026-12-01"},
			{"a holiday on a weekday", at(2026, 12, 25, 9, 0), "2026-12-28"},
			{"just after midnight", at(2026, 12, 8, 0, 1), "2026-12-09"},
			{"the Monday after summer time ends", at(2026, 10, 26, 19, 30), "2026-10-26"},
			{"the Monday after summer time starts", at(2026, 3, 30, 20, 0), "2026-03-31"},
			// 1 January 2027 is a Friday; the 2nd, a Saturday, is observed on Monday the 4th.
			{"New Year's Eve", at(2026, 12, 31, 22, 0), "2027-01-05"},
		} {
			got, err := s.ValueDate(context.Background(), c.at)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != c.want {
				t.Errorf("%s (%s): value date %s, want %s", c.name, c.at, got, c.want)
			}
			if after := s.AfterClose(c.at); after != (c.at.Hour() >= 20) {
				t.Errorf("%s: after close %v", c.name, after)
			}
		}
		// The time is the bank's, whatever zone the caller's clock is in.
		if got, _ := s.ValueDate(context.Background(), time.Date(2026, 12, 7, 18, 59, 0, 0, time.UTC)); got.String() != "2026-12-07" {
			t.Errorf("18:59 UTC (19:59 in Tirane): %s", got)
		}
		if got, _ := s.ValueDate(context.Background(), time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)); got.String() != "2026-12-09" {
			t.Errorf("19:00 UTC (20:00 in Tirane): %s", got)
		}
	})
}

func TestACloseOfBusinessOfItsOwnAndTheDomesticCutOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		s.CloseOfBusiness = 18 * time.Hour
		if got, _ := s.ValueDate(context.Background(), at(2026, 12, 7, 18, 0)); got.String() != "2026-12-09" {
			t.Errorf("close at 18:00: %s", got)
		}
		for _, c := range []struct {
			at   time.Time
			want string
		}{
			{at(2026, 12, 7, 13, 59), "2026-12-07"},
			{at(2026, 12, 7, 14, 0), "2026-12-09"},
			{at(2026, 12, 6, 11, 0), "2026-12-07"},
		} {
			got, err := s.ValueDateBy(context.Background(), c.at, calendar.DomesticCutOff)
			if err != nil || got.String() != c.want {
				t.Errorf("domestic at %s: %s, %v; want %s", c.at, got, err, c.want)
			}
		}
	})
}

func TestBusinessCustomersMakeNoFinancialTransactionsFrom21ToMidnight(t *testing.T) {
	for _, c := range []struct {
		at      time.Time
		refused bool
	}{
		{at(2026, 12, 7, 20, 59), false},
		{at(2026, 12, 7, 21, 0), true},
		{at(2026, 12, 7, 23, 59), true},
		{at(2026, 12, 8, 0, 0), false},
		{time.Date(2026, 12, 7, 20, 30, 0, 0, time.UTC), true}, // 21:30 in Tirane
		{at(2026, 7, 1, 21, 15), true},                         // summer time
	} {
		err := calendar.CheckBusinessHours(c.at)
		if refused := errors.Is(err, calendar.ErrBusinessHoursClosed); refused != c.refused || (err != nil && !refused) {
			t.Errorf("%s: %v, refused want %v", c.at, err, c.refused)
		}
	}
}

func TestStaffAnnounceAndWithdrawTheEids(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(at(2028, 1, 10, 9, 0))
		s := &calendar.Service{DB: d, Clock: clk}
		other := &calendar.Service{DB: d, Clock: clk} // another instance of the bank
		fitr := date(t, "2028-02-28")                 // a Monday
		for _, svc := range []*calendar.Service{s, other} {
			if ok, _ := svc.IsWorkingDay(ctx, fitr); !ok {
				t.Fatal("not yet announced, yet not a working day")
			}
		}
		if err := s.Announce(ctx, "holiday_eid_al_fitr", fitr); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.IsWorkingDay(ctx, fitr); ok {
			t.Error("an announced holiday is still a working day here")
		}
		if ok, _ := other.IsWorkingDay(ctx, fitr); !ok {
			t.Error("another instance should read the year again only after a minute")
		}
		clk.Advance(time.Minute)
		if ok, _ := other.IsWorkingDay(ctx, fitr); ok {
			t.Error("another instance still works on the announced holiday after a minute")
		}
		for _, c := range []struct {
			name string
			day  calendar.Date
			want error
		}{
			{"holiday_eid_al_fitr", date(t, "2028-03-01"), calendar.ErrHolidayExists},
			{"holiday_christmas", date(t, "2028-03-01"), calendar.ErrHolidayNameInvalid},
			{"", date(t, "2028-03-01"), calendar.ErrHolidayNameInvalid},
			{"holiday_eid_al_adha", calendar.Date{Year: 2028, Month: 2, Day: 30}, calendar.ErrDateInvalid},
			{"holiday_eid_al_adha", calendar.Date{}, calendar.ErrDateInvalid},
		} {
			if err := s.Announce(ctx, c.name, c.day); !errors.Is(err, c.want) {
				t.Errorf("announce %q %s: %v, want %v", c.name, c.day, err, c.want)
			}
		}
		if err := s.Withdraw(ctx, "holiday_eid_al_fitr", 2028); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.IsWorkingDay(ctx, fitr); !ok {
			t.Error("a withdrawn holiday is still off")
		}
		if err := s.Withdraw(ctx, "holiday_eid_al_fitr", 2028); !errors.Is(err, calendar.ErrHolidayNotFound) {
			t.Errorf("withdraw twice: %v", err)
		}
	})
}

func TestParseDateRefusesWhatIsNotADay(t *testing.T) {
	for _, s := range []string{"", "2026-02-30", "2026-13-01", "07.12.2026", "2026-12-7", "2026-12-07T00:00:00Z", " 2026-12-07"} {
		if _, err := calendar.ParseDate(s); !errors.Is(err, calendar.ErrDateInvalid) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if d, err := calendar.ParseDate("2028-02-29"); err != nil || d.String() != "2028-02-29" || d.Weekday() != time.Tuesday {
		t.Errorf("leap day: %v %v", d, err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-07", "2026-02-30", "", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Errorf("%q read as %s", s, d)
		}
		if back, err := calendar.ParseDate(d.String()); err != nil || back != d {
			t.Errorf("%s does not read back: %v %v", d, back, err)
		}
	})
}

func TestEveryHolidayHasANameInBothLanguages(t *testing.T) {
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range calendar.Names() {
		for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
			if msg := c.Message(lang, name, nil); msg == name || msg == c.Message(lang, "internal", nil) {
				t.Errorf("%s/%s has no name: %q", lang, name, msg)
			}
		}
	}
}

// The books close by the wall clock in Tirane: 20:00 is 19:00 UTC in winter and 18:00 UTC in summer, also on the
// days the clocks change, and a close of the bank's own is kept to the minute.
func TestTheCloseOfBusinessIsByTheWallClockInTirane(t *testing.T) {
	cases := []struct {
		day   string
		close time.Duration
		want  time.Time
	}{
		{"2026-12-07", 0, time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)},
		{"2026-07-01", 0, time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC)},
		{"2026-03-29", 0, time.Date(2026, 3, 29, 18, 0, 0, 0, time.UTC)},
		{"2026-10-25", 0, time.Date(2026, 10, 25, 19, 0, 0, 0, time.UTC)},
		{"2026-12-07", 18*time.Hour + 30*time.Minute, time.Date(2026, 12, 7, 17, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		s := &calendar.Service{CloseOfBusiness: c.close}
		if got := s.CloseTime(date(t, c.day)); !got.Equal(c.want) {
			t.Errorf("close of %s (%s): %s, want %s", c.day, c.close, got.UTC(), c.want)
		}
		if !s.AfterClose(c.want) || s.AfterClose(c.want.Add(-time.Second)) {
			t.Errorf("AfterClose disagrees with CloseTime on %s", c.day)
		}
	}
}
