package uniquecode

import "github.com/kumbara/kumbara"

var (
	ErrInvalid = kumbara.NewError(kumbara.KindUnauthorized, "unique_code_invalid") // wrong, revoked, or no code at all
	ErrExpired = kumbara.NewError(kumbara.KindUnauthorized, "unique_code_expired")
	ErrUsed    = kumbara.NewError(kumbara.KindUnauthorized, "unique_code_used")
	ErrBlocked = kumbara.NewError(kumbara.KindForbidden, "unique_code_blocked") // out of tries
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrInvalid, ErrExpired, ErrUsed, ErrBlocked}
}
