package threeds

import "github.com/kumbara/kumbara"

// The codes of 3-D Secure approvals. A field's problem comes back inside validation_failed.
var (
	// ErrNotFound is an approval the customer does not have: unknown, or another customer's; or, to the network,
	// a reference it never asked about.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "threeds_approval_not_found")
	// ErrNotPending is a decision on an approval that was already approved or rejected.
	ErrNotPending = kumbara.NewError(kumbara.KindConflict, "threeds_approval_not_pending")
	// ErrExpired is a decision on an approval whose time (5 minutes) has passed.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "threeds_approval_expired")
	// ErrCardUnknown is a request from the network for a card the bank did not issue.
	ErrCardUnknown = kumbara.NewError(kumbara.KindNotFound, "threeds_card_unknown")
	// ErrCardRefused is a request for a card that cannot buy: blocked, lost, replaced, closed or expired.
	ErrCardRefused = kumbara.NewError(kumbara.KindUnprocessable, "threeds_card_refused")
	// ErrReferenceConflict is the network's reference asked again for another purchase than the first time.
	ErrReferenceConflict = kumbara.NewError(kumbara.KindConflict, "threeds_reference_conflict")
	// ErrFilterInvalid is a list filter other than pending, history, approved, rejected and expired.
	ErrFilterInvalid = kumbara.NewError(kumbara.KindInvalid, "threeds_filter_invalid").Field("status")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrNotPending, ErrExpired, ErrCardUnknown, ErrCardRefused,
		ErrReferenceConflict, ErrFilterInvalid}
}
