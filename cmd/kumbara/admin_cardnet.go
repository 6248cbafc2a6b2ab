package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
)

// cardNetworkCommands run the card network's side by hand: the day's clearing file now (with the sandbox:
// --payment-sandbox, as serve --demo does), a card's authorisations and presentments, and the disputes
// (chargebacks) staff raise and record the network's decision on. No number or PIN is ever printed.
func cardNetworkCommands() []adminCommand {
	return []adminCommand{
		{name: "cards clearing", permission: staff.ClearingOperate, summary: "sandbox: build and deliver the card network's clearing file of a business date and its settlement report now (--date, default today)", flags: cardsClearing},
		{name: "cards authorisations", permission: staff.PaymentsRead, summary: "a card's authorisations and presentments, newest first: --card ID", flags: cardsAuthorisations},
		{name: "cards settlements", permission: staff.PaymentsRead, summary: "the clearing files' settlements per currency, newest first, the network's figure beside the bank's: [--status settled|break]", flags: cardsSettlements},
		{name: "cards disputes", permission: staff.PaymentsRead, summary: "disputes (chargebacks), newest first: [--status open|won|lost]", flags: cardsDisputes},
		{name: "cards dispute open", permission: staff.ClearingOperate, summary: "raise a chargeback on a posted card presentment: --clearing ID --reason TEXT", flags: cardsDisputeOpen},
		{name: "cards dispute decide", permission: staff.ClearingOperate, summary: "propose the network's decision on a dispute, for a second member to approve: --id ID --won=true|false", flags: cardsDisputeDecide},
	}
}

func cardsClearing(fs *flag.FlagSet) adminRun {
	date := fs.String("date", "", "the business date, YYYY-MM-DD (default: today in Tirane)")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		if b.CardNetwork == nil {
			return errors.New("the card network sandbox is off (start with --payment-sandbox): a real network delivers its own files")
		}
		day := calendar.DateOf(b.Clock.Now())
		if trimmed(date) != "" {
			d, err := calendar.ParseDate(trimmed(date))
			if err != nil {
				return explain(err)
			}
			day = d
		}
		res, err := b.CardNetwork.RunClearing(ctx, day)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "file %s of %s: %d presentments, %d posted, %d exceptions, %d posted before\n", res.ID,
			res.BusinessDate, res.Presentments, res.Posted, res.Exceptions, res.Repeated)
		st := res.Settlement
		fmt.Fprintf(out, "settlement: %d currencies settled, %d breaks, %d settled before\n", st.Settled, st.Breaks,
			st.Repeated)
		return nil
	}
}

func cardsAuthorisations(fs *flag.FlagSet) adminRun {
	id := fs.String("card", "", "the card's id (required)")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		if trimmed(id) == "" {
			return usageError{errors.New("--card is required")}
		}
		auths, err := b.Issuing.Authorisations(ctx, trimmed(id), 0)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "TIME\tAUTHORISATION\tKIND\tAMOUNT\tHELD\tMERCHANT\tMCC\tCOUNTRY\tSTATUS\tHOLD\tREASON")
		for _, a := range auths {
			reason := string(a.Reason)
			if a.Control != "" {
				reason += " (" + a.Control + ")"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.At.In(clock.Tirane).Format("2006-01-02 15:04:05"),
				a.ID, a.Kind, a.Amount, a.AccountAmount, a.Merchant, a.MCC, a.Country, a.Status, orDash(a.HoldStatus), orDash(reason))
		}
		cl, err := b.Issuing.Clearings(ctx, trimmed(id), 0)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "TIME\tPRESENTMENT\tAUTHORISATION\tKIND\tAMOUNT\tPOSTED\tMERCHANT\tOUTCOME\tFILE")
		for _, c := range cl {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.At.In(clock.Tirane).Format("2006-01-02 15:04:05"),
				c.ID, orDash(c.AuthorisationID), c.Kind, c.Amount, c.AccountAmount, c.Merchant, c.Outcome, c.FileID)
		}
		return nil
	}
}

func cardsSettlements(fs *flag.FlagSet) adminRun {
	status := fs.String("status", "", "settled or break (default: every one)")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		list, err := b.Issuing.Settlements(ctx, trimmed(status), 100)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "DATE\tFILE\tCURRENCY\tNETWORK\tBANK\tSTATUS\tENTRY")
		for _, c := range list {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.BusinessDate, c.FileID, c.Currency,
				money.New(c.Theirs, c.Currency), money.New(c.Ours, c.Currency), c.Status, orDash(c.EntryID))
		}
		return nil
	}
}

func cardsDisputes(fs *flag.FlagSet) adminRun {
	status := fs.String("status", "", "open, won or lost (default: every one)")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		list, err := b.Issuing.Disputes(ctx, trimmed(status), 100)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "OPENED\tDISPUTE\tPRESENTMENT\tCARD\tSTATUS\tOPENED BY\tDECIDED BY\tREASON")
		for _, d := range list {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.OpenedAt.In(clock.Tirane).Format("2006-01-02 15:04"),
				d.ID, d.ClearingID, d.CardID, d.Status, d.OpenedBy, orDash(d.DecidedBy), d.Reason)
		}
		return nil
	}
}

func cardsDisputeOpen(fs *flag.FlagSet) adminRun {
	clearing := fs.String("clearing", "", "the presentment's id (required)")
	reason := fs.String("reason", "", "why the customer disputes it (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if trimmed(clearing) == "" {
			return usageError{errors.New("--clearing is required")}
		}
		d, err := b.Operations.OpenDispute(ctx, op.Member, trimmed(clearing), *reason)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "dispute %s open on %s\n", d.ID, d.ClearingID)
		return nil
	}
}

func cardsDisputeDecide(fs *flag.FlagSet) adminRun {
	id := fs.String("id", "", "the dispute's id (required)")
	won := fs.Bool("won", false, "the network decided for the cardholder (the chargeback is credited)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if trimmed(id) == "" {
			return usageError{errors.New("--id is required")}
		}
		o, err := b.Operations.DecideDispute(ctx, op.Member, trimmed(id), *won)
		return outcome(out, o, err, "dispute decided: %s")
	}
}
