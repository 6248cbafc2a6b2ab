package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
)

// clearingCommands run the clearing side by hand: a clearing session now, and the clearing-house sandbox's
// inbound payments and behaviour (a bank running the sandbox: --payment-sandbox, as serve --demo does).
func clearingCommands() []adminCommand {
	return []adminCommand{
		{name: "clearing session", permission: staff.ClearingOperate, summary: "run the next clearing session (AECH) now: send every domestic payment waiting for it", flags: clearingSession},
		{name: "clearing dispatch", permission: staff.ClearingOperate, summary: "send what may leave now and deliver the messages that wait (what the dispatcher does every few seconds)", flags: clearingDispatch},
		{name: "clearing inbound", permission: staff.ClearingOperate, summary: "sandbox: another bank sends a customer a payment (pacs.008)", flags: clearingInbound},
		{name: "clearing reject", permission: staff.ClearingOperate, summary: "sandbox: reject payments to an IBAN with a reason code (AC01…), or stop with --reason ''", flags: clearingReject},
		{name: "clearing set", permission: staff.ClearingOperate, summary: "sandbox: make the clearing house down or up, and slow by a delay", flags: clearingSet},
	}
}

func clearingSession(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		n, err := b.Payments.RunSession(ctx)
		if err != nil {
			return fmt.Errorf("clearing session: %w", err)
		}
		if b.ClearingHouse != nil {
			if _, err := b.ClearingHouse.Work(ctx); err != nil {
				return fmt.Errorf("clearing house: %w", err)
			}
		}
		fmt.Fprintf(out, "sent %d payments\n", n)
		return nil
	}
}

func clearingDispatch(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if err := b.Payments.Dispatch(ctx); err != nil {
			return fmt.Errorf("dispatch: %w", err)
		}
		fmt.Fprintln(out, "dispatched")
		return nil
	}
}

var errNoSandbox = errors.New("the clearing-house sandbox is not on: give --payment-sandbox (KUMBARA_PAYMENT_SANDBOX=true), as serve --demo does")

func clearingInbound(fs *flag.FlagSet) adminRun {
	ib := fs.String("iban", "", "the customer's IBAN (required)")
	amount := fs.String("amount", "", "the amount, e.g. 1500.00 (required)")
	cur := fs.String("currency", "ALL", "the currency")
	name := fs.String("name", "", "the payer's name (required)")
	text := fs.String("remittance", "", "the payer's description")
	scheme := fs.String("scheme", "aech", "aech, aips, instant, sct, sct_inst or swift")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if b.ClearingHouse == nil {
			return errNoSandbox
		}
		to, err := iban.Parse(trimmed(ib))
		if err != nil {
			return explain(err)
		}
		c, err := money.ParseCurrency(strings.ToUpper(trimmed(cur)))
		if err != nil {
			return explain(err)
		}
		a, err := money.ParsePositive(trimmed(amount), c)
		if err != nil {
			return explain(err)
		}
		if trimmed(name) == "" {
			return errors.New("--name is required")
		}
		id, err := b.ClearingHouse.Inject(ctx, clearinghouse.Inbound{IBAN: to, Amount: a, Name: trimmed(name),
			Remittance: trimmed(text), Scheme: trimmed(scheme)})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "sent message %s: %s to %s\n", id, a, to.Printable())
		return nil
	}
}

func clearingReject(fs *flag.FlagSet) adminRun {
	ib := fs.String("iban", "", "the beneficiary's IBAN at another bank (required)")
	reason := fs.String("reason", "AC01", "an ISO 20022 status reason code; empty stops rejecting")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if b.ClearingHouse == nil {
			return errNoSandbox
		}
		to, err := iban.Parse(trimmed(ib))
		if err != nil {
			return explain(err)
		}
		if err := b.ClearingHouse.Reject(ctx, to, strings.ToUpper(trimmed(reason))); err != nil {
			return err
		}
		fmt.Fprintf(out, "payments to %s: %s\n", to.Printable(), orAccepted(trimmed(reason)))
		return nil
	}
}

func orAccepted(reason string) string {
	if reason == "" {
		return "settled"
	}
	return "rejected with " + strings.ToUpper(reason)
}

func clearingSet(fs *flag.FlagSet) adminRun {
	down := fs.Bool("down", false, "the clearing house takes no message")
	delay := fs.Duration("delay", 0, "how long it takes to take a message, e.g. 3s")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if b.ClearingHouse == nil {
			return errNoSandbox
		}
		if *delay < 0 || *delay > time.Minute {
			return errors.New("--delay must be between 0 and 1m")
		}
		if err := b.ClearingHouse.Set(ctx, clearinghouse.Settings{Down: *down, Delay: *delay}); err != nil {
			return err
		}
		fmt.Fprintf(out, "clearing house: down %v, delay %s\n", *down, *delay)
		return nil
	}
}
