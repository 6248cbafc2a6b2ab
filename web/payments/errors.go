package payments

import "github.com/kumbara/kumbara"

// The payment pages' own refusals: what the pages carry between steps (seal.go). The payment service knows
// nothing of them.
var (
	// ErrTampered refuses a review whose seal does not match what it carries.
	ErrTampered = kumbara.NewError(kumbara.KindInvalid, "web_pay_tampered")
	// ErrExpired refuses a review older than reviewFor.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "web_pay_expired")
	// ErrCodeExpired, ErrCodeUsed and ErrCodeTried are the payment pages' words for a confirmation code that no
	// longer works (auth's otp_expired, otp_used, otp_too_many_attempts): the payment service sends no new code for
	// a payment, so they point to making the payment again rather than to a new code.
	ErrCodeExpired = kumbara.NewError(kumbara.KindUnauthorized, "web_pay_code_expired")
	ErrCodeUsed    = kumbara.NewError(kumbara.KindUnauthorized, "web_pay_code_used")
	ErrCodeTried   = kumbara.NewError(kumbara.KindUnauthorized, "web_pay_code_tried")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrTampered, ErrExpired, ErrCodeExpired, ErrCodeUsed, ErrCodeTried}
}
