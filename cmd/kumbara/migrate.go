package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/ledger"
)

// openMigrated parses a command's shared flags and opens its database with the schema up to date: the bank's
// migrations, then River's for the job queue.
func openMigrated(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer) (*db.DB, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return openMigratedDB(ctx, c)
}

// openMigratedDB opens the database c names with the schema up to date.
func openMigratedDB(ctx context.Context, c config) (*db.DB, error) {
	d, err := db.Open(ctx, c.db)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, d); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	d, err := openMigrated(ctx, "migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := ledger.New(d, clock.Real{}).EnsureGL(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is up to date\n", d.Engine)
	return nil
}

func verify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	d, err := openMigrated(ctx, "verify", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	store := &ledger.Store{DB: d}
	breaks, err := store.Verify(ctx)
	if err != nil {
		return err
	}
	totals, err := store.Totals(ctx)
	if err != nil {
		return err
	}
	for _, b := range breaks {
		fmt.Fprintln(stdout, "BROKEN", b)
	}
	if len(breaks) > 0 {
		return failedCheck{fmt.Errorf("%d ledger invariant(s) broken", len(breaks))}
	}
	fmt.Fprintf(stdout, "ledger OK: every invariant holds (currency totals: %v)\n", totals)
	return nil
}
