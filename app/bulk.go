package app

import (
	"context"

	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/jobs"
)

// buildBulk makes the bulk payments business customers upload, on the payment service, and the job that makes a
// confirmed batch's payments when the request that confirmed it could not finish them.
func (b *Bank) buildBulk() {
	b.Bulk = &bulk.Service{Payments: b.Payments, Jobs: b.Jobs, Config: bulk.DefaultConfig(), Log: b.logger}
	jobs.Handle(b.Jobs, func(ctx context.Context, args bulk.ProcessArgs) error {
		return b.Bulk.Process(ctx, args.BatchID)
	})
}
