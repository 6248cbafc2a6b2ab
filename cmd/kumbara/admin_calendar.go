package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/staff"
)

// calendarCommands look after the business calendar: the year's holidays, and the two whose dates are announced
// each year, which staff enter.
func calendarCommands() []adminCommand {
	return []adminCommand{
		{name: "holidays", permission: staff.CalendarRead, summary: "list a year's public holidays and the days they are observed", flags: listHolidays},
		{name: "announce-holiday", permission: staff.CalendarManage, summary: "enter the announced date of Eid al-Fitr or Eid al-Adha", flags: announceHoliday},
		{name: "withdraw-holiday", permission: staff.CalendarManage, summary: "remove an announced holiday of a year (to correct its date)", flags: withdrawHoliday},
		{name: "value-date", permission: staff.CalendarRead, summary: "the value date of a transaction made at a given time", flags: valueDate},
	}
}

func listHolidays(fs *flag.FlagSet) adminRun {
	year := fs.Int("year", 0, "the year (default: this year)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		y := *year
		if y == 0 {
			y = calendar.DateOf(b.Clock.Now()).Year
		}
		hs, err := b.Calendar.Holidays(ctx, y)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "DATE\tOBSERVED\tHOLIDAY\tNAME\n")
		for _, h := range hs {
			name := b.Catalogue.Message(i18n.SQ, h.Name, nil)
			if h.Announced {
				name += " (e shpallur)"
			}
			fmt.Fprintf(out, "%s %s\t%s\t%s\t%s\n", h.Date, h.Date.Weekday().String()[:3], h.Observed, h.Name, name)
		}
		return nil
	}
}

func announceHoliday(fs *flag.FlagSet) adminRun {
	name := fs.String("name", "", "holiday_eid_al_fitr or holiday_eid_al_adha (required)")
	date := fs.String("date", "", "the announced date, YYYY-MM-DD (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		d, err := calendar.ParseDate(trimmed(date))
		if err != nil {
			return explain(err)
		}
		if err := b.Calendar.Announce(ctx, trimmed(name), d); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "announced %s on %s\n", trimmed(name), d)
		return nil
	}
}

func withdrawHoliday(fs *flag.FlagSet) adminRun {
	name := fs.String("name", "", "holiday_eid_al_fitr or holiday_eid_al_adha (required)")
	year := fs.String("year", "", "the year (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		y, err := strconv.Atoi(trimmed(year))
		if err != nil {
			return explain(calendar.ErrDateInvalid)
		}
		if err := b.Calendar.Withdraw(ctx, trimmed(name), y); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "withdrew %s of %d\n", trimmed(name), y)
		return nil
	}
}

func valueDate(fs *flag.FlagSet) adminRun {
	at := fs.String("at", "", "the time, YYYY-MM-DDTHH:MM in Tirane (default: now)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		t := b.Clock.Now()
		if s := trimmed(at); s != "" {
			var err error
			if t, err = time.ParseInLocation("2006-01-02T15:04", s, clock.Tirane); err != nil {
				return explain(calendar.ErrDateInvalid)
			}
		}
		d, err := b.Calendar.ValueDate(ctx, t)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "value date %s (%s)\n", d, d.Weekday())
		return nil
	}
}
