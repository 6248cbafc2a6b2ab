package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/staff"
)

// clearingCommands run the clearing side by hand: a clearing session now, a day's messages, the reconciliation of
// a business day's settlement report with the books and its breaks, and the clearing-house sandbox's inbound
// payments, returns, reports and behaviour (a bank running the sandbox: --payment-sandbox, as serve --demo does).
func clearingCommands() []adminCommand {
	return []adminCommand{
		{name: "clearing session", permission: staff.ClearingOperate, summary: "run the next clearing session (AECH) now: send every domestic payment waiting for it", flags: clearingSession},
		{name: "clearing dispatch", permission: staff.ClearingOperate, summary: "send what may leave now and deliver the messages that wait (what the dispatcher does every few seconds)", flags: clearingDispatch},
		{name: "clearing inbound", permission: staff.ClearingOperate, summary: "sandbox: another bank sends a customer a payment (pacs.008)", flags: clearingInbound},
		{name: "clearing reject", permission: staff.ClearingOperate, summary: "sandbox: reject payments to an IBAN with a reason code (AC01…), or stop with --reason ''", flags: clearingReject},
		{name: "clearing set", permission: staff.ClearingOperate, summary: "sandbox: make the clearing house down or up, and slow by a delay", flags: clearingSet},
		{name: "clearing messages", permission: staff.PaymentsRead, summary: "a day's clearing messages out and in, the sessions and what waits to leave: --date YYYY-MM-DD", flags: clearingMessages},
		{name: "clearing reconcile", permission: staff.ClearingOperate, summary: "reconcile a business day's settlement report with the books: --date YYYY-MM-DD [--file camt053.xml]", flags: clearingReconcile},
		{name: "clearing breaks", permission: staff.PaymentsRead, summary: "a business day's reconciliation and its breaks, with the entries on each side: --date YYYY-MM-DD", flags: clearingBreaks},
		{name: "clearing report", permission: staff.ClearingOperate, summary: "sandbox: print the clearing house's settlement report (camt.053) of a business day: --date --currency", flags: clearingReport},
		{name: "clearing return", permission: staff.ClearingOperate, summary: "sandbox: the beneficiary's bank returns a settled payment: --tx TXID --reason AC04", flags: clearingReturn},
	}
}

// clearingDay reads a --date flag as a day; it is required.
func clearingDay(v *string) (calendar.Date, error) {
	if trimmed(v) == "" {
		return calendar.Date{}, usageError{errors.New("--date is required")}
	}
	d, err := calendar.ParseDate(trimmed(v))
	return d, explain(err)
}

func clearingMessages(fs *flag.FlagSet) adminRun {
	date := fs.String("date", "", "the day, YYYY-MM-DD (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		day, err := clearingDay(date)
		if err != nil {
			return err
		}
		d, err := b.Payments.Sessions(ctx, day)
		if err != nil {
			return explain(err)
		}
		var times []string
		for _, t := range d.Sessions {
			times = append(times, t.In(clock.Tirane).Format("15:04"))
		}
		if len(times) == 0 {
			times = []string{"none (the bank is closed)"}
		}
		fmt.Fprintf(out, "%s: sessions %s; %d payments held for the next session\n", day, strings.Join(times, ", "), d.Waiting)
		fmt.Fprintf(out, "%d messages wait for the clearing house to take them\n", len(d.Pending))
		fmt.Fprintln(out, "WRITTEN\tDIRECTION\tMESSAGE\tNAME\tSCHEME\tSTATUS\tATTEMPTS\tTRANSACTIONS\tTOTAL\tLAST ERROR")
		for _, m := range append(d.Pending, d.Messages...) {
			total := "-"
			if m.Total.Minor != 0 {
				total = m.Total.String()
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", m.CreatedAt.In(clock.Tirane).Format("2006-01-02 15:04:05"),
				m.Direction, m.ID, m.Name, orDash(m.Scheme), m.Status, m.Attempts, m.Count, total, orDash(m.LastError))
		}
		if d.More {
			fmt.Fprintf(out, "(the first %d messages of the day)\n", payment.MaxDayMessages)
		}
		return nil
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func clearingReconcile(fs *flag.FlagSet) adminRun {
	date := fs.String("date", "", "the business day, YYYY-MM-DD (required)")
	file := fs.String("file", "", "a settlement report (camt.053) to reconcile instead of asking the clearing side for it")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		day, err := clearingDay(date)
		if err != nil {
			return err
		}
		var results []payment.Result
		if path := trimmed(file); path != "" {
			doc, err := readReport(path)
			if err != nil {
				return err
			}
			r, err := b.Payments.Reconcile(ctx, day, doc)
			if err != nil {
				return explain(err)
			}
			results = []payment.Result{r}
		} else {
			if _, ok := b.Payments.Clearing.(payment.SettlementReporter); !ok {
				return errors.New("the clearing side gives no settlement report: give one with --file")
			}
			if results, err = b.Payments.ReconcileNow(ctx, day); err != nil {
				return explain(err)
			}
		}
		if len(results) == 0 {
			fmt.Fprintf(out, "%s: nothing settled on either side\n", day)
		}
		for _, r := range results {
			printResult(out, r)
		}
		return nil
	}
}

// readReport reads a settlement report from a file, no larger than a document the bank reads.
func readReport(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := io.ReadAll(io.LimitReader(f, iso20022.MaxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(doc) > iso20022.MaxDocument {
		return nil, explain(iso20022.ErrTooLarge)
	}
	return doc, nil
}

// printResult prints a currency's reconciliation of a day and its breaks, each with what each side holds.
func printResult(out io.Writer, r payment.Result) {
	fmt.Fprintf(out, "%s %s: %d entries on report %s, %d settlement postings, %d matched, %d breaks (balance %s to %s)\n",
		r.Day, r.Currency, r.Theirs, r.Statement, r.Ours, r.Matched, r.BreakCount, r.Opening, r.Closing)
	for _, k := range r.Breaks {
		theirs, ours := "-", "-"
		if t := k.Theirs; t != nil {
			theirs = fmt.Sprintf("%s %s %s %s", creditDebit(t.Credit), t.Amount, t.Reference, t.Booked)
		}
		if o := k.Ours; o != nil {
			ours = fmt.Sprintf("%s %s entry %s (%s) %s", creditDebit(o.Credit), o.Amount, o.EntryID, o.Kind,
				o.PostedAt.In(clock.Tirane).Format("2006-01-02 15:04:05"))
		}
		fmt.Fprintf(out, "  %s\ttx %s\tpayment %s\ttheirs: %s\tours: %s\n", k.Kind, k.TxID, orDash(k.PaymentID), theirs, ours)
	}
}

func creditDebit(credit bool) string {
	if credit {
		return "CRDT"
	}
	return "DBIT"
}

func clearingBreaks(fs *flag.FlagSet) adminRun {
	date := fs.String("date", "", "the business day, YYYY-MM-DD (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		day, err := clearingDay(date)
		if err != nil {
			return err
		}
		results, err := b.Payments.Reconciliation(ctx, day)
		if err != nil {
			return explain(err)
		}
		if len(results) == 0 {
			fmt.Fprintf(out, "%s: not reconciled, or nothing settled\n", day)
		}
		for _, r := range results {
			printResult(out, r)
		}
		return nil
	}
}

func clearingReport(fs *flag.FlagSet) adminRun {
	date := fs.String("date", "", "the business day, YYYY-MM-DD (required)")
	cur := fs.String("currency", "ALL", "the settlement account's currency")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if b.ClearingHouse == nil {
			return errNoSandbox
		}
		day, err := clearingDay(date)
		if err != nil {
			return err
		}
		c, err := money.ParseCurrency(strings.ToUpper(trimmed(cur)))
		if err != nil {
			return explain(err)
		}
		from, to, err := b.Payments.Window(ctx, day)
		if err != nil {
			return err
		}
		doc, err := b.ClearingHouse.SettlementReport(ctx, c, from, to)
		if err != nil {
			return err
		}
		_, err = out.Write(append(doc, '\n'))
		return err
	}
}

func clearingReturn(fs *flag.FlagSet) adminRun {
	tx := fs.String("tx", "", "the transaction id of the bank's settled payment (required)")
	reason := fs.String("reason", "AC04", "an ISO 20022 return reason code")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		if b.ClearingHouse == nil {
			return errNoSandbox
		}
		if trimmed(tx) == "" {
			return usageError{errors.New("--tx is required")}
		}
		id, err := b.ClearingHouse.Return(ctx, trimmed(tx), strings.ToUpper(trimmed(reason)))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "returned %s with %s in message %s\n", trimmed(tx), strings.ToUpper(trimmed(reason)), id)
		return nil
	}
}

func clearingSession(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		run, err := b.Payments.RunSessionNow(ctx)
		if err != nil {
			return fmt.Errorf("clearing session: %w", err)
		}
		if b.ClearingHouse != nil {
			if _, err := b.ClearingHouse.Work(ctx); err != nil {
				return fmt.Errorf("clearing house: %w", err)
			}
		}
		fmt.Fprintf(out, "sent %d payments\n", run.Sent)
		if run.Waiting > 0 {
			fmt.Fprintf(out, "%d messages wait for the clearing house to take them\n", run.Waiting)
		}
		return nil
	}
}

func clearingDispatch(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		run, err := b.Payments.DispatchNow(ctx)
		if err != nil {
			return fmt.Errorf("dispatch: %w", err)
		}
		fmt.Fprintln(out, "dispatched")
		if run.Waiting > 0 {
			fmt.Fprintf(out, "%d messages wait for the clearing house to take them\n", run.Waiting)
		}
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
