// Command kumbara is the whole bank in one binary: `serve` runs the API (and, with --demo, a seeded demo bank),
// `migrate` applies the schema, `admin` is the staff's command line, `verify` checks the ledger's invariants, and
// `bench` drives authenticated transfers over HTTP and reports throughput and latency.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if errors.As(err, &helpShown{}) {
		return
	}
	if err != nil {
		if !errors.As(err, &flagSaid{}) {
			fmt.Fprintln(os.Stderr, "kumbara:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError is a command line the program cannot understand.
type usageError struct{ error }

// flagSaid is a usage error the flag package has already printed, with the command's flags: main says no more.
type flagSaid struct{ error }

// helpShown means -h was asked for and the flag package printed the help: nothing else to do.
type helpShown struct{}

func (helpShown) Error() string { return "help shown" }

// failedCheck is a check (verify) that ran and found problems: exit status 1 without a stack of errors.
type failedCheck struct{ error }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

const usage = `usage: kumbara <command> [flags]

commands:
  serve    run the bank (add --demo for a seeded demo bank)
  migrate  apply database migrations
  admin    staff operations (kumbara admin help)
  verify   check every ledger invariant; exits 1 on any break
  audit    audit verify: recompute the audit log's hash chain; exits 1 naming the first bad entry
  bench    load test: authenticated transfers (or, with --fx, conversions) over HTTP
`

// run is main without the process: arguments, environment and output are passed in, so tests run it end to end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{errors.New("no command")}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr, nil)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "admin":
		return admin(ctx, args[1:], getenv, stdout, stderr)
	case "verify":
		return verify(ctx, args[1:], getenv, stdout, stderr)
	case "audit":
		return auditCmd(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return bench(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Errorf("unknown command %q", args[0])}
	}
}
