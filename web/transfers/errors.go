package transfers

import "github.com/kumbara/kumbara"

// The transfer pages' own refusals: what the pages carry between steps (seal.go) and the payee check's answer
// about the customer's own account. The transfer service knows nothing of them.
var (
	// ErrTampered refuses a review or payee reference whose seal does not match what it carries.
	ErrTampered = kumbara.NewError(kumbara.KindInvalid, "web_tr_tampered")
	// ErrExpired refuses a review older than reviewFor.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "web_tr_expired")
	// ErrPayeeExpired refuses a payee check older than payeeFor.
	ErrPayeeExpired = kumbara.NewError(kumbara.KindGone, "web_tr_payee_expired")
	// ErrOwnPayee is a payee who is the customer: "between my accounts" is the way to move that money.
	ErrOwnPayee = kumbara.NewError(kumbara.KindUnprocessable, "web_tr_own_payee")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrTampered, ErrExpired, ErrPayeeExpired, ErrOwnPayee}
}
