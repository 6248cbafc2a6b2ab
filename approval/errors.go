package approval

import "github.com/kumbara/kumbara"

var (
	// ErrNotFound is an unknown request.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "approval_not_found")
	// ErrOwnRequest refuses a member approving or rejecting the request they made: four-eyes means two people.
	ErrOwnRequest = kumbara.NewError(kumbara.KindForbidden, "approval_own_request")
	// ErrDecided is a request already approved, executed, failed or rejected: a second checker finds it so.
	ErrDecided = kumbara.NewError(kumbara.KindConflict, "approval_decided")
	// ErrExpired is a request past its 24 hours: the maker asks again.
	ErrExpired = kumbara.NewError(kumbara.KindConflict, "approval_expired")
	// ErrPayloadChanged is a request whose payload is not the one the checker was shown (its SHA-256 differs
	// from the hash approved, or from the hash taken when it was made): it cannot be approved.
	ErrPayloadChanged = kumbara.NewError(kumbara.KindConflict, "approval_payload_changed")
	// ErrReasonRequired is a rejection without a reason (at least 3 characters).
	ErrReasonRequired = kumbara.NewError(kumbara.KindInvalid, "approval_reason_required").Field("reason")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrOwnRequest, ErrDecided, ErrExpired, ErrPayloadChanged, ErrReasonRequired}
}
