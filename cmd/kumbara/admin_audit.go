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
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/staff"
)

// auditCommands read the audit log; `kumbara audit verify` checks its chain.
func auditCommands() []adminCommand {
	return []adminCommand{
		{name: "audit-log", permission: staff.AuditRead, flags: searchAudit,
			summary: "search the audit log by customer, member of staff, action and days, newest first"},
	}
}

func searchAudit(fs *flag.FlagSet) adminRun {
	client := fs.String("customer", "", "entries about this customer (client number)")
	// Not --staff: that names the member running the command, who needs audit.read.
	member := fs.String("member", "", "entries by this member of staff (username)")
	action := fs.String("action", "", `this action, or every action under a prefix ending in "." (staff.)`)
	from := fs.String("from", "", "entries from this day on, YYYY-MM-DD in Tirane")
	to := fs.String("to", "", "entries up to and including this day, YYYY-MM-DD in Tirane")
	limit := fs.Int("limit", 50, fmt.Sprintf("entries to list, 1 to %d", audit.MaxPage))
	before := fs.Int64("before", 0, "entries older than this sequence number (the next page, as the last line says)")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		f := audit.Filter{Staff: strings.ToLower(trimmed(member)), Action: trimmed(action), Before: *before,
			Limit: *limit}
		if *limit < 1 || *limit > audit.MaxPage {
			return usageError{fmt.Errorf("--limit must be 1 to %d", audit.MaxPage)}
		}
		if *before < 0 {
			return usageError{errors.New("--before is a sequence number from an earlier page")}
		}
		var err error
		if f.From, err = dayFlag("from", *from, 0); err != nil {
			return err
		}
		if f.To, err = dayFlag("to", *to, 1); err != nil {
			return err
		}
		if n := trimmed(client); n != "" {
			c, err := b.Customers.ByClientNumber(ctx, n)
			if err != nil {
				return explain(err)
			}
			f.CustomerID = c.ID
		}
		page, err := b.Audit.Search(ctx, f)
		if err != nil {
			return err
		}
		printAudit(ctx, b, page, out)
		return nil
	}
}

// dayFlag reads a day flag as the start of that day in Tirane, or of the day after when next is 1 (an --to that
// includes its day); empty is the zero time, no bound.
func dayFlag(name, v string, next int) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--%s must be a day, YYYY-MM-DD", name)}
	}
	return d.AddDays(next).Start(), nil
}

// printAudit writes a page of entries, one a line, naming customers by client number and accounts by IBAN, and
// the flag that reads the next page.
func printAudit(ctx context.Context, b *app.Bank, page audit.Page, out io.Writer) {
	if len(page.Entries) == 0 {
		fmt.Fprintln(out, "no entries")
		return
	}
	names := auditNames{b: b, clients: map[string]string{}, ibans: map[string]string{}}
	fmt.Fprintf(out, "SEQ\tAT\tACTOR\tROLE\tACTION\tCUSTOMER\tACCOUNT\tRESULT\tFROM\tBEFORE\tAFTER\n")
	for _, e := range page.Entries {
		fmt.Fprintf(out, "%d\t%s\t%s:%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq,
			e.At.In(clock.Tirane).Format(time.DateTime), e.Actor.Kind, e.Actor.ID, dash(e.Actor.Role), e.Action,
			dash(names.client(ctx, e.CustomerID)), dash(names.iban(ctx, e.AccountID)), e.Result, dash(e.Client),
			dash(e.Before), dash(e.After))
	}
	if page.Next != 0 {
		fmt.Fprintf(out, "older entries: --before %d\n", page.Next)
	}
}

// auditNames finds, once each, how staff know the customers and accounts of a page.
type auditNames struct {
	b       *app.Bank
	clients map[string]string
	ibans   map[string]string
}

func (n auditNames) client(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.clients[id]; ok {
		return v
	}
	v := id // a customer the bank does not know by that id is shown by it
	if c, err := n.b.Customers.Get(ctx, id); err == nil {
		v = c.ClientNumber
	} else if !errors.Is(err, customer.ErrNotFound) {
		v = id + " (?)"
	}
	n.clients[id] = v
	return v
}

func (n auditNames) iban(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.ibans[id]; ok {
		return v
	}
	v := id
	if a, err := n.b.Ledger.Get(ctx, id); err == nil && a.IBAN != "" {
		v = a.IBAN
	}
	n.ibans[id] = v
	return v
}

// dash stands for an empty cell, so the columns stay aligned.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
