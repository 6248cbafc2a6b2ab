package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
)

// adminCommand is one staff command of `kumbara admin`. Every command goes through the same domain services as the
// API, so staff are held to the same rules (password policy, balanced postings, no posting to a blocked account);
// a command only translates its flags into one service call and the answer into lines for staff.
type adminCommand struct {
	name    string
	summary string // one line for `kumbara admin help`
	// flags declares the command's own flags on fs and returns what runs the command with their values.
	flags func(fs *flag.FlagSet) adminRun
}

// adminRun runs a command on the bank, writing what staff read to out (a tabwriter: cells end with \t).
type adminRun func(ctx context.Context, b *app.Bank, out io.Writer) error

// adminCommands is the table of staff commands, by area.
func adminCommands() []adminCommand {
	var all []adminCommand
	for _, area := range [][]adminCommand{customerCommands(), channelCommands(), accountCommands(), cardCommands(), calendarCommands(), eodCommands()} {
		all = append(all, area...)
	}
	return all
}

// admin runs one staff command: `kumbara admin <command> [flags]`.
func admin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmds := adminCommands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		adminHelp(stdout, cmds)
		if len(args) == 0 {
			return usageError{errors.New("no admin command")}
		}
		return nil
	}
	i := indexOf(cmds, args[0])
	if i < 0 {
		fmt.Fprintf(stderr, "unknown admin command %q\n\n", args[0])
		adminHelp(stderr, cmds)
		return usageError{fmt.Errorf("unknown admin command %q", args[0])}
	}
	var c config
	run, err := parseAdmin(cmds[i], &c, args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	b, err := openBank(ctx, &c, clock.Real{}, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	out := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	defer out.Flush()
	return run(ctx, b, out)
}

// parseAdmin parses a command's flags and the bank's settings (into c). Its -h shows the command's own flags; the
// bank's settings are the same for every command and are only named.
func parseAdmin(cmd adminCommand, c *config, args []string, getenv func(string) string, stderr io.Writer) (adminRun, error) {
	own := flag.NewFlagSet("admin "+cmd.name, flag.ContinueOnError)
	run := cmd.flags(own)
	fs := flag.NewFlagSet("admin "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs, getenv)
	var shared []string
	fs.VisitAll(func(f *flag.Flag) { shared = append(shared, "--"+f.Name) })
	own.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kumbara admin %s [flags]\n\n%s.\n\n", cmd.name, cmd.summary)
		own.SetOutput(stderr)
		own.PrintDefaults()
		fmt.Fprintf(stderr, "\nand the bank's settings, as for kumbara serve: %s\n", strings.Join(shared, " "))
	}
	return run, parse(fs, args)
}

func adminHelp(w io.Writer, cmds []adminCommand) {
	fmt.Fprint(w, "usage: kumbara admin <command> [flags]   (kumbara admin <command> -h lists its flags)\n\nstaff commands:\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
}

func indexOf(cmds []adminCommand, name string) int {
	for i, c := range cmds {
		if c.name == name {
			return i
		}
	}
	return -1
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
