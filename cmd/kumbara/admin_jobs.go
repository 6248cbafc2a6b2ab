package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/staff"
)

// jobCommands look after the background jobs that failed for good: each waits for staff to try it once more (once
// its cause is fixed) or to discard it (dealt with otherwise).
func jobCommands() []adminCommand {
	return []adminCommand{
		{name: "jobs", permission: staff.JobsRead, summary: "list the background jobs that failed for good, the latest first", flags: listFailedJobs},
		{name: "jobs retry", permission: staff.JobsManage, summary: "try a failed job once more: kumbara admin jobs retry ID", flags: retryJob, arg: "id"},
		{name: "jobs discard", permission: staff.JobsManage, summary: "discard a failed job, dealt with otherwise: kumbara admin jobs discard ID",
			flags: discardJob, arg: "id"},
	}
}

func listFailedJobs(fs *flag.FlagSet) adminRun {
	limit := fs.Int("limit", 50, "how many to list")
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		failed, err := b.Jobs.Failed(ctx, max(*limit, 1))
		if err != nil {
			return err
		}
		if len(failed) == 0 {
			fmt.Fprintln(out, "no failed jobs")
			return nil
		}
		fmt.Fprintf(out, "ID\tKIND\tATTEMPTS\tFAILED AT\tERROR\tARGS\n")
		for _, f := range failed {
			fmt.Fprintf(out, "%d\t%s\t%d\t%s\t%s\t%s\n", f.ID, f.Kind, f.Attempts,
				f.FailedAt.In(clock.Tirane).Format(time.DateTime), oneLine(f.Error), f.Args)
		}
		return nil
	}
}

func retryJob(fs *flag.FlagSet) adminRun {
	id := jobID(fs)
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		n, err := id()
		if err != nil {
			return err
		}
		if err := b.Jobs.Retry(ctx, n); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "job %d will be tried once more\n", n)
		return nil
	}
}

func discardJob(fs *flag.FlagSet) adminRun {
	id := jobID(fs)
	return func(ctx context.Context, b *app.Bank, _ operator, out io.Writer) error {
		n, err := id()
		if err != nil {
			return err
		}
		if err := b.Jobs.Discard(ctx, n); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "job %d discarded\n", n)
		return nil
	}
}

// jobID declares --id, the job a command is about (also given as the command's one argument).
func jobID(fs *flag.FlagSet) func() (int64, error) {
	s := fs.String("id", "", "the job's ID, from kumbara admin jobs (required)")
	return func() (int64, error) {
		n, err := strconv.ParseInt(trimmed(s), 10, 64)
		if err != nil || n <= 0 {
			return 0, usageError{errors.New("a job ID is required: the number kumbara admin jobs shows")}
		}
		return n, nil
	}
}

// oneLine keeps an error on its table row.
func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' || r == '\t' {
			return s[:i] + "…"
		}
	}
	return s
}
