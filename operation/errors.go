package operation

import "github.com/kumbara/kumbara"

var (
	// ErrReasonRequired is a reversal or a cash withdrawal held for approval without a reason the checker can
	// weigh (3 to 200 characters).
	ErrReasonRequired = kumbara.NewError(kumbara.KindInvalid, "operation_reason_required").Field("reason")
	// ErrStale is an approved change whose starting point moved since it was asked for (the customer's contact
	// details were changed meanwhile): it is not applied over a state the checker did not see.
	ErrStale = kumbara.NewError(kumbara.KindConflict, "operation_stale")
	// ErrPending is a change asked for while the same change waits for a second member already (a dispute's
	// decision): the first is approved or rejected before another is asked.
	ErrPending = kumbara.NewError(kumbara.KindConflict, "operation_pending")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error { return []*kumbara.Error{ErrReasonRequired, ErrStale, ErrPending} }
