package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/staff"
)

// adminCommand is one staff command of `kumbara admin`. Every command goes through the same domain services as the
// API, so staff are held to the same rules (password policy, balanced postings, no posting to a blocked account);
// a command only translates its flags into one service call and the answer into lines for staff.
//
// Every command is run by a named member of staff (--staff or KUMBARA_STAFF) and declares the permission it
// needs, which that member's roles must grant before anything is done; the one exception is creating the bank's
// first member (bootstrap), which the operator does while the bank has no staff at all.
type adminCommand struct {
	name       string // one word, an area and a word ("staff create"), or an area, a part and a word ("banks credential issue")
	permission staff.Permission
	bootstrap  bool   // may run without --staff while the bank has no staff (the first administrator)
	summary    string // one line for `kumbara admin help`
	// flags declares the command's own flags on fs and returns what runs the command with their values.
	flags func(fs *flag.FlagSet) adminRun
	// arg, if set, is the flag the command's one argument stands for: `jobs retry 42` is `jobs retry --id 42`.
	arg string
}

// adminRun runs a command on the bank for op, writing what staff read to out (a tabwriter: cells end with \t).
type adminRun func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error

// operator is who runs a command: the member of staff it names and the operating-system user who typed it, kept
// together for the audit of staff actions. Member is the zero Member only while the first one is created.
type operator struct {
	Member staff.Member
	OSUser string
}

// adminRecord is what a command did and who did it, for the audit of staff actions.
type adminRecord struct {
	Command string
	Staff   string // the member's username; empty for the first member's creation
	OSUser  string
}

// adminCommands is the table of staff commands, by area.
func adminCommands() []adminCommand {
	var all []adminCommand
	for _, area := range [][]adminCommand{customerCommands(), channelCommands(), accountCommands(), cardCommands(),
		calendarCommands(), eodCommands(), staffCommands(), jobCommands(), approvalCommands(), auditCommands(),
		paymentCommands(), clearingCommands(), fxCommands(), fxRequestCommands(), cardNetworkCommands()} {
		all = append(all, area...)
	}
	return all
}

// admin runs one staff command: `kumbara admin <command> [flags]`.
func admin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	_, err := runAdmin(ctx, args, getenv, stdout, stderr)
	return err
}

// runAdmin runs one staff command and returns what it did and who did it.
func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (adminRecord, error) {
	cmds := adminCommands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		adminHelp(stdout, cmds)
		if len(args) == 0 {
			return adminRecord{}, usageError{errors.New("no admin command")}
		}
		return adminRecord{}, nil
	}
	i, n := lookup(cmds, args)
	if i < 0 {
		fmt.Fprintf(stderr, "unknown admin command %q\n\n", strings.Join(args[:n], " "))
		adminHelp(stderr, cmds)
		return adminRecord{}, usageError{fmt.Errorf("unknown admin command %q", strings.Join(args[:n], " "))}
	}
	cmd := cmds[i]
	var c config
	var staffName string
	run, err := parseAdmin(cmd, &c, &staffName, args[n:], getenv, stderr)
	if err != nil {
		return adminRecord{}, err
	}
	if staffName == "" && !cmd.bootstrap {
		return adminRecord{}, usageError{errors.New("--staff (KUMBARA_STAFF) is required: the username of the member of staff running the command")}
	}
	rec := adminRecord{Command: cmd.name, Staff: staffName, OSUser: osUser(getenv)}
	b, err := openBank(ctx, &c, clock.Real{}, nil)
	if err != nil {
		return rec, err
	}
	defer b.Close()
	op := operator{OSUser: rec.OSUser}
	// What the command changes is audited as a request of its own: one id for its entries, and the operating-system
	// user who typed it as the client ("os:USER"), beside the member it names.
	ctx = audit.WithOrigin(ctx, audit.Origin{RequestID: rand.Text(), Client: "os:" + rec.OSUser})
	if staffName != "" {
		if op.Member, err = b.Staff.Acting(ctx, staffName); err != nil {
			return rec, explain(err)
		}
		if err := op.Member.Require(cmd.permission); err != nil {
			return rec, explain(err)
		}
		rec.Staff = op.Member.Username
		ctx = audit.WithActor(ctx, op.Member.Actor())
	}
	out := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	defer out.Flush()
	return rec, run(ctx, b, op, out)
}

// osUser is the operating-system user running the command: recorded with the member of staff it names, since
// anyone on the server who holds the bank's secret could name any member.
func osUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	return fmt.Sprintf("uid:%d", os.Getuid())
}

// parseAdmin parses a command's flags, the member of staff running it (--staff) and the bank's settings (into c).
// Its -h shows the command's own flags; the bank's settings are the same for every command and are only named. A
// command's own flag may have the name of a setting (staff create's --branch, the member's branch): the setting
// then keeps its environment variable or default.
func parseAdmin(cmd adminCommand, c *config, staffName *string, args []string, getenv func(string) string, stderr io.Writer) (adminRun, error) {
	if cmd.arg != "" && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args = append([]string{"--" + cmd.arg, args[0]}, args[1:]...)
	}
	own := flag.NewFlagSet("admin "+cmd.name, flag.ContinueOnError)
	run := cmd.flags(own)
	settings := flag.NewFlagSet("settings", flag.ContinueOnError)
	c.register(settings, getenv)
	settings.StringVar(staffName, "staff", getenv("KUMBARA_STAFF"),
		"username of the member of staff running the command, whose roles must allow it (KUMBARA_STAFF)")
	fs := flag.NewFlagSet("admin "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var shared []string
	settings.VisitAll(func(f *flag.Flag) {
		if own.Lookup(f.Name) != nil {
			return
		}
		fs.Var(f.Value, f.Name, f.Usage)
		if f.Name != "staff" {
			shared = append(shared, "--"+f.Name)
		}
	})
	own.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kumbara admin %s [flags]\n\n%s.\n\n", cmd.name, cmd.summary)
		own.SetOutput(stderr)
		own.PrintDefaults()
		fmt.Fprintf(stderr, "\nand --staff USERNAME (KUMBARA_STAFF), which needs %s", cmd.permission)
		if cmd.bootstrap {
			fmt.Fprint(stderr, " (not needed for the bank's first member)")
		}
		fmt.Fprintf(stderr, ", and the bank's settings, as for kumbara serve: %s\n", strings.Join(shared, " "))
	}
	err := parse(fs, args)
	*staffName = strings.TrimSpace(*staffName)
	return run, err
}

func adminHelp(w io.Writer, cmds []adminCommand) {
	fmt.Fprint(w, "usage: kumbara admin <command> [flags]   (kumbara admin <command> -h lists its flags)\n\nstaff commands:\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
}

// lookup finds the command args begin with (up to three words, the longest that names one) and how many words
// name it; -1 when none does.
func lookup(cmds []adminCommand, args []string) (index, words int) {
	for n := min(3, len(args)); n >= 1; n-- {
		name := strings.Join(args[:n], " ")
		for i, c := range cmds {
			if c.name == name {
				return i, n
			}
		}
	}
	return -1, 1
}

// clientFlag declares --client, the customer a command is about; customer finds them.
type clientFlag struct{ number *string }

func newClientFlag(fs *flag.FlagSet) clientFlag {
	return clientFlag{fs.String("client", "", "the customer's client number (required)")}
}

func (f clientFlag) customer(ctx context.Context, b *app.Bank) (customer.Customer, error) {
	n := strings.TrimSpace(*f.number)
	if n == "" {
		return customer.Customer{}, usageError{errors.New("--client is required")}
	}
	c, err := b.Customers.ByClientNumber(ctx, n)
	return c, explain(err)
}

// ibanFlag declares --iban, the customer account a command is about; account finds it.
type ibanFlag struct{ iban *string }

func newIBANFlag(fs *flag.FlagSet) ibanFlag {
	return ibanFlag{fs.String("iban", "", "the account's IBAN, spaces allowed (required)")}
}

func (f ibanFlag) account(ctx context.Context, b *app.Bank) (ledger.Account, error) {
	v := strings.TrimSpace(*f.iban)
	if v == "" {
		return ledger.Account{}, usageError{errors.New("--iban is required")}
	}
	a, err := b.Ledger.ByIBAN(ctx, strings.ToUpper(strings.ReplaceAll(v, " ", "")))
	return a, explain(err)
}

// trimmed reads a text flag without the spaces around it.
func trimmed(s *string) string { return strings.TrimSpace(*s) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// explain turns a domain error into a sentence for staff: the code and the fields at fault. nil stays nil.
func explain(err error) error {
	e, ok := kumbara.As(err)
	if !ok {
		return err
	}
	msg := e.Code
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Field, f.Code)
	}
	return errors.New(msg)
}
