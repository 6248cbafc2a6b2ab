package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/staff"
	"github.com/skip2/go-qrcode"
)

// staffCommands look after the bank's staff. The bank's first member, an administrator, is created by the
// operator on the server with `staff create` before anyone can name a member; every later member is created by a
// member with staff.manage.
func staffCommands() []adminCommand {
	return []adminCommand{
		{name: "staff create", permission: staff.StaffManage, bootstrap: true,
			summary: "create a member of staff (shows the TOTP enrolment and initial password once)", flags: createStaff},
		{name: "staff list", permission: staff.StaffRead, summary: "list the bank's staff", flags: listStaff},
		{name: "staff unblock", permission: staff.StaffUnblock,
			summary: "lift a member's lockout after five failed logins", flags: staffChange("unblocked", (*staff.Service).Unblock)},
		{name: "staff deactivate", permission: staff.StaffManage,
			summary: "deactivate a member for good: their sessions end", flags: staffChange("deactivated", (*staff.Service).Deactivate)},
		{name: "staff reset-totp", permission: staff.StaffManage,
			summary: "give a member a new TOTP secret (shown once); the old one stops working", flags: resetTOTP},
	}
}

func createStaff(fs *flag.FlagSet) adminRun {
	username := fs.String("username", "", "the member's username: 3 to 32 of a-z, 0-9, '.', '-', '_' (required)")
	name := fs.String("name", "", "the member's full name (required)")
	branch := fs.String("branch", "", "the member's branch (required)")
	roles := fs.String("roles", "", "comma-separated roles: teller, service, backoffice, manager, compliance, admin (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		rs, err := staff.ParseRoles(*roles)
		if err != nil {
			return explain(err)
		}
		var by *staff.Member
		if op.Member.ID != "" {
			by = &op.Member
		}
		c, err := b.Staff.Create(ctx, by, staff.NewMember{Username: *username, FullName: *name, Branch: *branch,
			Roles: rs})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "created %s\t%s\t%s\t%s\n", c.Member.Username, c.Member.FullName, c.Member.Branch,
			rolesOf(c.Member))
		fmt.Fprintf(out, "initial password (to be changed at the first login): %s\n", c.Password)
		enrolment(out, c.Enrolment)
		return nil
	}
}

// enrolment shows a TOTP secret the one time it is shown: the otpauth:// URI and its QR code, drawn in the
// terminal for the member to scan with an authenticator app.
func enrolment(out io.Writer, e staff.Enrolment) {
	fmt.Fprintf(out, "TOTP secret: %s\n%s\n", e.Secret, e.URI)
	if qr, err := qrcode.New(e.URI, qrcode.Medium); err == nil {
		fmt.Fprint(out, qr.ToSmallString(false))
	}
	fmt.Fprintln(out, "Scan it now: this is the only time the secret and the password are shown.")
}

func listStaff(*flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		members, err := b.Staff.List(ctx, op.Member)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "USERNAME\tNAME\tBRANCH\tROLES\tSTATE\tSINCE")
		for _, m := range members {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Username, m.FullName, m.Branch, rolesOf(m), state(m),
				m.CreatedAt.In(clock.Tirane).Format("2006-01-02"))
		}
		return nil
	}
}

func rolesOf(m staff.Member) string {
	names := make([]string, len(m.Roles))
	for i, r := range m.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

func state(m staff.Member) string {
	switch {
	case !m.Active:
		return "deactivated"
	case m.Locked:
		return "locked"
	}
	return "active"
}

// usernameFlag declares --username, the member a command is about.
func usernameFlag(fs *flag.FlagSet) func() (string, error) {
	u := fs.String("username", "", "the member's username (required)")
	return func() (string, error) {
		if v := trimmed(u); v != "" {
			return v, nil
		}
		return "", usageError{errors.New("--username is required")}
	}
}

// staffChange unblocks or deactivates a member with change, and says it is done.
func staffChange(done string, change func(*staff.Service, context.Context, staff.Member, string) (staff.Member, error)) func(*flag.FlagSet) adminRun {
	return func(fs *flag.FlagSet) adminRun {
		username := usernameFlag(fs)
		return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
			u, err := username()
			if err != nil {
				return err
			}
			m, err := change(b.Staff, ctx, op.Member, u)
			if err != nil {
				return explain(err)
			}
			fmt.Fprintf(out, "%s %s\n", m.Username, done)
			return nil
		}
	}
}

func resetTOTP(fs *flag.FlagSet) adminRun {
	username := usernameFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		u, err := username()
		if err != nil {
			return err
		}
		m, e, err := b.Staff.ResetTOTP(ctx, op.Member, u)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "new TOTP secret for %s; their sessions have ended\n", m.Username)
		enrolment(out, e)
		return nil
	}
}
