package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/kumbara/kumbara/audit"
)

const auditUsage = `usage: kumbara audit verify [--head SEQ:HASH] [--db DB]

  verify   recompute the audit log's hash chain; exits 1 naming the first deleted, edited or reordered entry.
           --head is a head the bank published earlier (its "audit head" log line, or the kumbara_audit_head
           metric): the log must still hold it, so a cut-off or rewritten tail is found too.
`

// auditCmd is `kumbara audit`: the checks of the audit log.
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stdout, auditUsage)
			return nil
		}
		fmt.Fprint(stderr, auditUsage)
		return usageError{errors.New("kumbara audit: want verify")}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	head := fs.String("head", "", "a published head, SEQ:HASH, that the log must still hold")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var published audit.Head
	if *head != "" {
		h, err := audit.ParseHead(*head)
		if err != nil {
			return usageError{fmt.Errorf("--head: %w", err)}
		}
		published = h
	}
	d, err := openMigratedDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	got, err := audit.Verify(ctx, d, published)
	var broken *audit.Broken
	if errors.As(err, &broken) {
		fmt.Fprintln(stdout, "BROKEN", broken)
		return failedCheck{fmt.Errorf("the audit log is broken at entry %d", broken.Seq)}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit OK: %d entries chain to head %s\n", got.Seq, got)
	return nil
}
