package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := db.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if err := ledger.New(d, clock.Real{}).EnsureGL(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is up to date\n", d.Engine)
	return nil
}

func verify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := db.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
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
