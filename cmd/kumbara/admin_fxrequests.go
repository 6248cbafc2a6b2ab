package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/staff"
)

// fxRequestCommands answer customers' requests for a preferential rate (X5): the list, and a proposal, which waits
// for a second member (`kumbara admin approve`) when the request is worth more than the bank's four-eyes amount.
func fxRequestCommands() []adminCommand {
	return []adminCommand{
		{name: "fx requests", permission: staff.PaymentsRead,
			summary: "list the customers' requests for a preferential rate, those waiting for the bank first",
			flags:   listFXRequests},
		{name: "fx propose", permission: staff.RatesSet,
			summary: "propose a preferential rate: --request ID --rate 98.40 --valid-until \"2026-03-02 16:00\" (Tirana time; a second member approves a large one)",
			flags:   proposeFXRate},
	}
}

func listFXRequests(fs *flag.FlagSet) adminRun {
	limit := fs.Int("limit", 100, "how many (at most 500)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		list, err := b.FX.AllRequests(ctx, *limit)
		if err != nil {
			return explain(err)
		}
		at := func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.In(clock.Tirane).Format("2006-01-02 15:04")
		}
		fmt.Fprintln(out, "ID\tCLIENT\tEXCHANGE\tAMOUNT\tGIVEN\tSTATUS\tRATE\tVALID UNTIL\tASKED")
		for _, q := range list {
			client := "-"
			if c, err := b.Customers.Get(ctx, q.CustomerID); err == nil {
				client = c.ClientNumber
			}
			rate := "-"
			if q.Rate != "" {
				rate = "1 " + string(q.Base) + " = " + q.Rate + " " + string(q.Quoted)
			}
			fmt.Fprintf(out, "%s\t%s\t%s→%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.ID, client, q.Sell, q.Buy, q.Amount,
				q.Side, q.Status, rate, at(q.ValidUntil), at(q.CreatedAt))
		}
		return nil
	}
}

func proposeFXRate(fs *flag.FlagSet) adminRun {
	request := fs.String("request", "", "the request's id, as `fx requests` lists it (required)")
	rate := fs.String("rate", "", "one base in quoted, as the request's pair reads (1 EUR = 98.40 ALL: 98.40; required)")
	until := fs.String("valid-until", "", "until when the customer may execute it: \"2006-01-02 15:04\" in Tirana's time, or RFC 3339 (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		t, err := parseUntil(trimmed(until))
		if err != nil {
			return explain(err)
		}
		o, err := b.Operations.ProposeRate(ctx, op.Member, fx.Offer{RequestID: trimmed(request), Rate: trimmed(rate),
			ValidUntil: t})
		return outcome(out, o, err, "preferential rate proposed: request %s confirmed")
	}
}

// parseUntil reads a validity as staff type it: RFC 3339, or a date and time in Tirana's ("2026-03-02 16:00").
func parseUntil(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), clock.Tirane); err == nil {
			return t, nil
		}
	}
	return time.Time{}, kumbara.ErrValidationFailed.WithFields(fx.ErrOfferValidUntil.At("valid_until"))
}
