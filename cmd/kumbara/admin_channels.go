package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/uniquecode"
)

// channelCommands look after a customer's access to digital banking (A1, A14, A16, R1, A10) and show the sandbox's
// messages.
func channelCommands() []adminCommand {
	return []adminCommand{
		{name: "set-password", permission: staff.ChannelManage, summary: "set an initial password, which must be changed at first login", flags: setPassword},
		{name: "unblock", permission: staff.ChannelManage, summary: "lift a channel blocked by failed logins", flags: unblockChannel},
		{name: "block-channel", permission: staff.ChannelManage, summary: "block the digital channel now: sessions end, logins are refused until unblock",
			flags: channelChange("blocked", (*operation.Service).BlockChannel)},
		{name: "close-channel", permission: staff.ChannelManage, summary: "close the digital channel: sessions end, logins are refused",
			flags: channelChange("closed", (*operation.Service).CloseChannel)},
		{name: "reactivate-channel", permission: staff.ChannelManage,
			summary: "reopen a closed channel; the same password works again (a second member approves)", flags: reactivateChannel},
		{name: "issue-code", permission: staff.UniqueCodeIssue, summary: "issue a unique code for registration or password recovery (shown once)",
			flags: issueCode},
		{name: "inbox", permission: staff.MessagesRead, summary: "show the sandbox's SMS and email", flags: inbox},
	}
}

func setPassword(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	pw := fs.String("password", "", "the initial password (the bank's password rules apply)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		if err := b.Operations.SetPassword(ctx, op.Member, cu.ID, *pw); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "initial password set for %s; it must be changed at first login\n", cu.ClientNumber)
		return nil
	}
}

func unblockChannel(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		if err := b.Operations.UnblockChannel(ctx, op.Member, cu.ID); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "channel unblocked for %s\n", cu.ClientNumber)
		return nil
	}
}

// channelChange blocks or closes (A16) a customer's digital channel with change, and says it is done.
func channelChange(done string, change func(*operation.Service, context.Context, staff.Member, string) error) func(*flag.FlagSet) adminRun {
	return func(fs *flag.FlagSet) adminRun {
		client := newClientFlag(fs)
		return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
			cu, err := client.customer(ctx, b)
			if err != nil {
				return err
			}
			if err := change(b.Operations, ctx, op.Member, cu.ID); err != nil {
				return explain(err)
			}
			fmt.Fprintf(out, "digital channel %s for %s\n", done, cu.ClientNumber)
			return nil
		}
	}
}

func reactivateChannel(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		o, err := b.Operations.ReactivateChannel(ctx, op.Member, cu.ID)
		return outcome(out, o, err, "digital channel reactivated for "+cu.ClientNumber)
	}
}

func issueCode(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	purpose := fs.String("purpose", string(uniquecode.Registration), "registration or recovery")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		p := uniquecode.Registration
		if v := trimmed(purpose); v != "" {
			p = uniquecode.Purpose(strings.ToLower(v))
		}
		code, expires, err := b.Operations.IssueCode(ctx, op.Member, cu.ID, p)
		if err != nil {
			return explain(err)
		}
		// The one place the code exists in clear: staff hand it to the customer now, as only its hash is kept.
		fmt.Fprintf(out, "unique code for %s (%s): %s\n", cu.ClientNumber, p, uniquecode.Format(code))
		fmt.Fprintf(out, "valid until %s Tirana time; single use — issuing another code for %s revokes this one\n",
			expires.In(clock.Tirane).Format("2006-01-02 15:04"), p)
		return nil
	}
}

func inbox(fs *flag.FlagSet) adminRun {
	limit := fs.Int("limit", 20, "how many messages, newest first")
	to := fs.String("to", "", "only the messages to this phone number or email address")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		msgs, err := b.Sandbox.Inbox(ctx, *limit)
		if v := trimmed(to); v != "" {
			msgs, err = b.Sandbox.InboxFor(ctx, v, *limit)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "TIME\tCHANNEL\tTO\tMESSAGE")
		for _, m := range msgs {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", m.CreatedAt.In(clock.Tirane).Format("2006-01-02 15:04:05"), m.Channel,
				m.Recipient, m.Body)
		}
		return nil
	}
}
