package jobs

import "github.com/kumbara/kumbara"

// The codes of the jobs.
var (
	// ErrJobNotFound is a job the bank does not have (any more).
	ErrJobNotFound = kumbara.NewError(kumbara.KindNotFound, "job_not_found")
	// ErrJobNotFailed is a retry or a discard of a job that has not failed for good: only a failed job waits for
	// staff.
	ErrJobNotFailed = kumbara.NewError(kumbara.KindConflict, "job_not_failed")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrJobNotFound, ErrJobNotFailed}
}
