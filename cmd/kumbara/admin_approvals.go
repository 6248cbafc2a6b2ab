package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
)

// approvalCommands are four-eyes at the command line: the requests waiting for a second member, and that member
// approving or rejecting one.
func approvalCommands() []adminCommand {
	return []adminCommand{
		{name: "approvals", permission: staff.ApprovalsRead,
			summary: "list the requests waiting for a second member (--status for others)", flags: listApprovals},
		{name: "approve", permission: staff.ApprovalsDecide,
			summary: "approve another member's request and run it: kumbara admin approve ID [--hash H]", flags: approve, arg: "id"},
		{name: "reject", permission: staff.ApprovalsDecide,
			summary: "reject another member's request: kumbara admin reject ID --reason R", flags: reject, arg: "id"},
	}
}

// outcome writes what an operation did: done (done, with %s for its Ref) or waiting for a second member.
func outcome(out io.Writer, o operation.Outcome, err error, done string) error {
	if err != nil {
		return explain(err)
	}
	if r := o.Pending; r != nil {
		fmt.Fprintf(out, "request %s waits for a second member's approval (until %s Tirana time)\thash %s\n", r.ID,
			r.ExpiresAt.In(clock.Tirane).Format("2006-01-02 15:04"), r.Hash)
		return nil
	}
	if strings.Contains(done, "%s") {
		done = fmt.Sprintf(done, o.Ref)
	}
	fmt.Fprintln(out, done)
	return nil
}

func listApprovals(fs *flag.FlagSet) adminRun {
	status := fs.String("status", approval.Pending, "pending, approved, executed, failed, rejected, expired, or all")
	limit := fs.Int("limit", 50, "how many, the newest first")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		st := strings.ToLower(trimmed(status))
		if st == "all" {
			st = ""
		}
		list, err := b.Approvals.List(ctx, op.Member, approval.Filter{Status: st, Limit: *limit})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "ID\tKIND\tMAKER\tASKED\tSTATUS\tHASH\tPAYLOAD")
		for _, r := range list {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Maker,
				r.CreatedAt.In(clock.Tirane).Format("2006-01-02 15:04"), describe(r), r.Hash, r.Payload)
		}
		return nil
	}
}

// describe is r's state with who decided it and why, as staff read it in a list.
func describe(r approval.Request) string {
	switch r.Status {
	case approval.Rejected:
		return fmt.Sprintf("rejected by %s: %s", r.Checker, r.Reason)
	case approval.Executed, approval.Failed:
		return fmt.Sprintf("%s (%s) by %s", r.Status, r.Result, r.Checker)
	}
	return r.Status
}

func approve(fs *flag.FlagSet) adminRun {
	id := fs.String("id", "", "the request's id (required)")
	hash := fs.String("hash", "", "the payload's SHA-256 as listed by approvals (optional: the stored payload must still match the hash taken when it was asked)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		r, err := b.Operations.Approve(ctx, op.Member, trimmed(id), trimmed(hash))
		if err != nil {
			return explain(err)
		}
		if r.Status == approval.Failed {
			return fmt.Errorf("request %s approved, but the %s was refused when it ran: %s", r.ID, r.Kind, r.Result)
		}
		fmt.Fprintf(out, "request %s approved and done: %s %s\n", r.ID, r.Kind, r.Result)
		return nil
	}
}

func reject(fs *flag.FlagSet) adminRun {
	id := fs.String("id", "", "the request's id (required)")
	reason := fs.String("reason", "", "why it is rejected, for its maker (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		r, err := b.Operations.Reject(ctx, op.Member, trimmed(id), *reason)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "request %s rejected\n", r.ID)
		return nil
	}
}
