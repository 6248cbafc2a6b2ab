package outbox

import "github.com/kumbara/kumbara"

var (
	// ErrDuplicate is a message whose id is already in the outbox.
	ErrDuplicate = kumbara.NewError(kumbara.KindConflict, "duplicate_message")
	// ErrTooLarge is the field code of attachments over MaxAttachmentBytes together.
	ErrTooLarge = kumbara.NewError(kumbara.KindInvalid, "too_large")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrDuplicate, ErrTooLarge}
}
