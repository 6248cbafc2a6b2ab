package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// maxRetryWait bounds the wait between two attempts of a job.
const maxRetryWait = time.Hour

// backoff is the bank's retry policy: base before the first retry, twice as long before each further one, up to
// maxRetryWait, give or take a tenth so that jobs that failed together (a gateway was down) do not all come back
// in the same instant. River's own policy (attempt⁴ seconds) cannot be shortened for tests.
type backoff struct{ base time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().UTC().Add(b.wait(job.Attempt))
}

// wait is the wait after the attempt-th attempt failed (1 is the first).
func (b backoff) wait(attempt int) time.Duration {
	w := b.base
	for i := 1; i < attempt && w < maxRetryWait; i++ {
		w *= 2
	}
	w = min(w, maxRetryWait)
	return w + time.Duration((rand.Float64()-0.5)*0.2*float64(w))
}
