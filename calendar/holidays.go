package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
)

// Holiday is a public holiday of Albania: the day it falls on and the day it is observed, which differ when it
// falls on a weekend (the next Monday is free instead; see observe). Name is a catalogue key (holiday_new_year…),
// so the back office shows it in the reader's language.
type Holiday struct {
	Name     string
	Date     Date
	Observed Date
	// Announced marks the holidays whose dates are announced each year (the two Eids), kept in the database.
	Announced bool
}

// fixed are the holidays set by law (Ligji 132/2015 "Për festat zyrtare dhe ditët përkujtimore"), each computed
// by github.com/rickar/cal: a day of a month, or an offset from Easter (Julian for the Orthodox one). Easter
// Sundays are holidays too, but a Sunday is never a working day; the Mondays after them are.
var fixed = []*cal.Holiday{
	dayOf("holiday_new_year", time.January, 1),
	dayOf("holiday_new_year_2", time.January, 2),
	dayOf("holiday_summer_day", time.March, 14),
	dayOf("holiday_nevruz", time.March, 22),
	{Name: "holiday_catholic_easter_monday", Type: cal.ObservancePublic, Offset: 1, Func: cal.CalcEasterOffset},
	{Name: "holiday_orthodox_easter_monday", Type: cal.ObservancePublic, Offset: 1, Julian: true, Func: cal.CalcEasterOffset},
	dayOf("holiday_labour_day", time.May, 1),
	dayOf("holiday_mother_teresa", time.September, 5),
	dayOf("holiday_independence", time.November, 28),
	dayOf("holiday_liberation", time.November, 29),
	dayOf("holiday_youth_day", time.December, 8),
	dayOf("holiday_christmas", time.December, 25),
}

// AnnouncedNames are the holidays whose dates the Muslim Community of Albania announces each year, which staff
// enter (Announce).
var AnnouncedNames = []string{"holiday_eid_al_fitr", "holiday_eid_al_adha"}

// Names are the catalogue keys of every holiday's name, the law's and the announced ones.
func Names() []string {
	out := make([]string, 0, len(fixed)+len(AnnouncedNames))
	for _, f := range fixed {
		out = append(out, f.Name)
	}
	return append(out, AnnouncedNames...)
}

// Texts are the catalogue keys of the names the calendar shows, for the registry of texts (package errcodes).
func Texts() []string { return Names() }

func dayOf(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
}

// observe sets each holiday's observed day. A weekday holiday is observed on its day; one on a weekend moves to the
// next Monday (the law: "kur festat zyrtare bien të shtunë ose të diel, dita e hënë pasardhëse është ditë
// pushimi"), and on past it while that day is itself a weekday holiday (22 March on a Sunday before an Easter
// Monday). Two holidays of one weekend (28 and 29 November) share their Monday, as the law words it.
func observe(hs []Holiday) {
	own := map[Date]bool{}
	for _, h := range hs {
		if !h.Date.weekend() {
			own[h.Date] = true
		}
	}
	for i := range hs {
		h := &hs[i]
		h.Observed = h.Date
		if !h.Date.weekend() {
			continue
		}
		d := h.Date.AddDays(1)
		for d.weekend() || own[d] {
			d = d.AddDays(1)
		}
		h.Observed = d
	}
}

// lawHolidays are the fixed holidays of year, in no particular order.
func lawHolidays(year int) []Holiday {
	out := make([]Holiday, 0, len(fixed))
	for _, f := range fixed {
		actual, _ := f.Calc(year)
		out = append(out, Holiday{Name: f.Name, Date: Date{actual.Year(), actual.Month(), actual.Day()}})
	}
	return out
}
