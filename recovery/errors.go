package recovery

import "github.com/kumbara/kumbara"

var (
	// ErrFailed is every way of not proving who one is: an unknown customer, one who never registered, a wrong
	// card or PIN (a blocked PIN too), a wrong, used or expired unique code, a document or previous password that
	// is not the customer's. One answer for all, so an outsider learns nothing about which customers exist.
	ErrFailed = kumbara.NewError(kumbara.KindUnauthorized, "recovery_failed")
	// ErrCardWrong refuses a password change (A12) whose card digits or PIN are wrong, on the fields card_last6
	// and card_pin.
	ErrCardWrong = kumbara.NewError(kumbara.KindInvalid, "password_card_wrong")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrFailed, ErrCardWrong}
}
