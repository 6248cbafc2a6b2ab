package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/staff"
)

// eodCommands show the business date and the close of business, and close what is due (as the periodic job does).
func eodCommands() []adminCommand {
	return []adminCommand{
		{name: "eod", permission: staff.CalendarRead, summary: "the business date and each day's end-of-day steps with their results", flags: listEOD},
		{name: "eod-run", permission: staff.CalendarManage, summary: "close every business date whose close of business is due, as the periodic job does", flags: runEOD},
	}
}

func listEOD(fs *flag.FlagSet) adminRun {
	days := fs.Int("days", 10, fmt.Sprintf("how many of the latest closes to show (at most %d)", eod.MaxDays))
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		d, err := b.EOD.BusinessDate(ctx)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "business date %s (%s), closes at %s\n", d, d.Weekday(),
			b.EOD.CloseAt(d).In(clock.Tirane).Format("2006-01-02 15:04"))
		fmt.Fprintf(out, "steps: %s\n\n", strings.Join(b.EOD.Steps(), ", "))
		runs, err := b.EOD.History(ctx, *days)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "DATE\tSTEP\tSTATUS\tATTEMPTS\tSTARTED\tFINISHED\tRESULT\n")
		for _, r := range runs {
			finished, result := "-", r.Result
			if !r.FinishedAt.IsZero() {
				finished = r.FinishedAt.In(clock.Tirane).Format(time.DateTime)
			}
			if r.Error != "" {
				result = "error: " + r.Error
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.Date, r.Step, r.Status, r.Attempts,
				r.StartedAt.In(clock.Tirane).Format(time.DateTime), finished, result)
		}
		return nil
	}
}

func runEOD(*flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		closed, err := b.EOD.RunDue(ctx)
		for _, d := range closed {
			fmt.Fprintf(out, "closed %s\n", d)
		}
		if err != nil {
			return explain(err)
		}
		if len(closed) == 0 {
			fmt.Fprintln(out, "nothing due")
		}
		return nil
	}
}
