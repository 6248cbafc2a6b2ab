package idempotency

import "github.com/kumbara/kumbara"

var (
	// ErrReused is one key used for two different requests.
	ErrReused = kumbara.NewError(kumbara.KindConflict, "idempotency_key_reused")
	// ErrInProgress is a repeat that arrives while the first request under its key is still running. The
	// catalogue has its message, but nothing returns it yet: a repeat inside one group commit is found under lock
	// and answered with the first request's result.
	ErrInProgress = kumbara.NewError(kumbara.KindConflict, "idempotency_in_progress")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error { return []*kumbara.Error{ErrReused, ErrInProgress} }
