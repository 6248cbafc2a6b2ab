package app

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/jobs"
)

// registerJobs is the bank's one table of background jobs: each kind's worker and each periodic job with its
// schedule on the bank's clock. A feature that needs background work declares its Args type and adds its worker
// here, and its schedule if it is periodic (the close of business, standing orders, interest…); a one-off job is
// enqueued with Jobs.Enqueue in the transaction of the change that causes it.
func (b *Bank) registerJobs() {
	jobs.Handle(b.Jobs, func(ctx context.Context, _ expireHoldsArgs) error { return b.expireHolds(ctx) })
	b.Jobs.AddPeriodic(jobs.Periodic{Name: "expire_holds", Schedule: jobs.Every(30 * time.Second),
		Args: func(due time.Time) jobs.Args { return expireHoldsArgs{Due: due} }})
	// The close of business (package eod): every minute one instance asks whether a business date's close is due;
	// most times it reads one row and returns. A failed step is recorded in eod_steps and retried by the next run.
	jobs.Handle(b.Jobs, func(ctx context.Context, _ closeOfBusinessArgs) error {
		_, err := b.EOD.RunDue(ctx)
		return err
	})
	b.Jobs.AddPeriodic(jobs.Periodic{Name: "close_of_business", Schedule: jobs.Every(time.Minute),
		Args: func(due time.Time) jobs.Args { return closeOfBusinessArgs{Due: due} }})
	b.registerPaymentJobs()
}

// closeOfBusinessArgs runs the close of business of every business date whose close time has passed (eod.RunDue).
type closeOfBusinessArgs struct {
	Due time.Time `json:"due"`
}

func (closeOfBusinessArgs) Kind() string { return "close_of_business" }

// expireHoldsArgs releases the holds whose time has passed. Due, the time it was due, tells one run from another.
type expireHoldsArgs struct {
	Due time.Time `json:"due"`
}

func (expireHoldsArgs) Kind() string { return "expire_holds" }

// expireHoldsBatch is how many holds one transaction releases.
const expireHoldsBatch = 100

// expireHolds releases every hold whose time has passed, a batch per transaction.
func (b *Bank) expireHolds(ctx context.Context) error {
	for {
		n, err := b.Ledger.ExpireHolds(ctx, expireHoldsBatch)
		if err != nil || n < expireHoldsBatch {
			return err
		}
	}
}
