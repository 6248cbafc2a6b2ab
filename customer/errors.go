package customer

import "github.com/kumbara/kumbara"

var (
	ErrNotFound        = kumbara.NewError(kumbara.KindNotFound, "customer_not_found")
	ErrExists          = kumbara.NewError(kumbara.KindConflict, "customer_exists") // same national ID, NIPT or client number
	ErrTooManyAccounts = kumbara.NewError(kumbara.KindUnprocessable, "too_many_accounts")
	// ErrEmailInvalid is an email address that is not one (user@domain, no display name).
	ErrEmailInvalid = kumbara.NewError(kumbara.KindInvalid, "email_invalid").Field("email")
	// ErrContactUnchanged is a change of contact details that changes nothing.
	ErrContactUnchanged = kumbara.NewError(kumbara.KindInvalid, "contact_unchanged")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrExists, ErrTooManyAccounts, ErrEmailInvalid, ErrContactUnchanged}
}
