package passkey

import "github.com/kumbara/kumbara"

var (
	// ErrInvalid is every failed login or confirmation with a passkey: a refused assertion, an unknown, used or
	// expired ceremony, a cloned authenticator.
	ErrInvalid            = kumbara.NewError(kumbara.KindUnauthorized, "passkey_invalid")
	ErrRegistrationFailed = kumbara.NewError(kumbara.KindInvalid, "passkey_registration_failed")
	ErrNotFound           = kumbara.NewError(kumbara.KindNotFound, "passkey_not_found") // unknown, or another customer's
	ErrNameInvalid        = kumbara.NewError(kumbara.KindInvalid, "passkey_name_invalid").Field("name")
	ErrLimit              = kumbara.NewError(kumbara.KindUnprocessable, "passkey_limit") // MaxPerCustomer reached
	ErrNone               = kumbara.NewError(kumbara.KindUnprocessable, "passkey_none")  // nothing to confirm a payment with
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrInvalid, ErrRegistrationFailed, ErrNotFound, ErrNameInvalid, ErrLimit, ErrNone}
}
