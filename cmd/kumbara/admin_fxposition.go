package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
)

// fxPosition shows the bank's FX position as the ledger holds it now (fx.Service.Position): each currency's
// position at the current mid, the total in lek, and the business day's FX results.
func fxPosition(*flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		p, err := b.FX.Position(ctx)
		if err != nil {
			return explain(err)
		}
		writeFXPosition(out, p)
		return nil
	}
}

// writeFXPosition lists p: a position above zero is a currency the bank holds (long), below zero one it owes
// (short); a currency without a current rate has no mid and no value, and the total leaves it out.
func writeFXPosition(out io.Writer, p fx.Position) {
	fmt.Fprintf(out, "FX position at %s, business date %s\n", p.At.In(clock.Tirane).Format("2006-01-02 15:04:05"),
		p.BusinessDate)
	fmt.Fprintf(out, "the day's results: income %s, rounding %s, revaluation %s\n\n", p.Income, p.Rounding,
		p.Revaluation)
	fmt.Fprintln(out, "CURRENCY\tPOSITION\tMID\tVALUE IN ALL")
	for _, l := range p.Lines {
		mid, value := "-", "-"
		if l.Rated() {
			mid, value = l.Mid, l.Value.Decimal()
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", l.Currency, l.Balance.Decimal(), mid, value)
	}
	fmt.Fprintf(out, "\ntotal %s at the current mids: a revaluation now would book %s\n", p.Total, verdict(p.Total))
	if len(p.Unrated) > 0 {
		names := make([]string, len(p.Unrated))
		for i, c := range p.Unrated {
			names[i] = string(c)
		}
		fmt.Fprintf(out, "no current rate for %s: left out of the total\n", strings.Join(names, ", "))
	}
}

// verdict names a revaluation's result.
func verdict(x money.Amount) string {
	switch {
	case x.Minor > 0:
		return "a gain"
	case x.Minor < 0:
		return "a loss"
	}
	return "nothing"
}
