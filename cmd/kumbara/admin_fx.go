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
	"github.com/kumbara/kumbara/staff"
)

// fxCommands keep the bank's exchange rates: every new rate waits for a second member, who approves it with
// `kumbara admin approve`, as the tariff's do.
func fxCommands() []adminCommand {
	return []adminCommand{
		{name: "fx rates", permission: staff.PaymentsRead,
			summary: "list the exchange rates valid now, or with --history the publications, the newest first",
			flags:   listFXRates},
		{name: "fx publish", permission: staff.RatesSet,
			summary: "ask for a new exchange rate: --currency EUR --buy 97.50 --sell 99.50 [--reason R] (a second member approves it)",
			flags:   publishFXRate},
		{name: "fx position", permission: staff.LedgerRead,
			summary: "the bank's FX position now: each currency at the current mid, the total in lek, the day's FX results",
			flags:   fxPosition},
	}
}

func listFXRates(fs *flag.FlagSet) adminRun {
	history := fs.Bool("history", false, "list the publications, the newest first, expired ones too")
	currency := fs.String("currency", "", "with --history: one currency's publications (default: every currency's)")
	limit := fs.Int("limit", 20, "with --history: how many (at most 100)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		var rates []fx.Rate
		var err error
		if *history {
			rates, err = b.FX.History(ctx, money.Currency(strings.ToUpper(trimmed(currency))), *limit)
		} else {
			rates, err = b.FX.Current(ctx)
		}
		if err != nil {
			return explain(err)
		}
		writeFXRates(out, rates)
		return nil
	}
}

// writeFXRates lists rates against ALL, times in Tirana's.
func writeFXRates(out io.Writer, rates []fx.Rate) {
	fmt.Fprintln(out, "CURRENCY\tBUY\tSELL\tMID\tFROM\tUNTIL\tPUBLISHED BY\tAPPROVED BY\tREASON")
	at := func(r fx.Rate, until bool) string {
		t := r.ValidFrom
		if until {
			t = r.ValidUntil
		}
		return t.In(clock.Tirane).Format("2006-01-02 15:04")
	}
	for _, r := range rates {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Currency, r.Buy, r.Sell, r.Mid, at(r, false),
			at(r, true), r.PublishedBy, dashed(r.ApprovedBy), dashed(r.Reason))
	}
}

func publishFXRate(fs *flag.FlagSet) adminRun {
	currency := fs.String("currency", "", "the currency priced in lek, one the bank offers (required)")
	buy := fs.String("buy", "", "what the bank pays in lek for one unit, e.g. 97.50 (at most 6 decimals; required)")
	sell := fs.String("sell", "", "what the bank asks in lek for one unit, not below --buy (required)")
	reason := fs.String("reason", "", "why: required when the mid moves beyond the band around the previous rate")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		r := fx.Rate{Currency: money.Currency(trimmed(currency)), Buy: *buy, Sell: *sell, Reason: *reason}
		o, err := b.Operations.PublishRate(ctx, op.Member, r)
		return outcome(out, o, err, "fx rate published")
	}
}
