package card

import "github.com/kumbara/kumbara"

var (
	ErrNotFound    = kumbara.NewError(kumbara.KindNotFound, "card_not_found")
	ErrPINInvalid  = kumbara.NewError(kumbara.KindUnauthorized, "card_pin_invalid")
	ErrPINBlocked  = kumbara.NewError(kumbara.KindForbidden, "card_pin_blocked") // the third wrong PIN, until a branch unblocks it
	ErrTypeInvalid = kumbara.NewError(kumbara.KindInvalid, "card_type_invalid").Field("type")
	// ErrPINWeak covers a malformed PIN too: to a customer choosing one, "not 4 digits" and "too easy" are the same
	// instruction — pick another.
	ErrPINWeak = kumbara.NewError(kumbara.KindInvalid, "card_pin_weak").Field("pin")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrPINInvalid, ErrPINBlocked, ErrTypeInvalid, ErrPINWeak}
}
