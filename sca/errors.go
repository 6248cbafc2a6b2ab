package sca

import "github.com/kumbara/kumbara"

// Confirming payments (the one-time codes themselves answer with package auth's codes: otp_invalid, otp_expired…).
var (
	// ErrConfirmationMismatch is a proof made for another payment than the one it is meant to confirm.
	ErrConfirmationMismatch = kumbara.NewError(kumbara.KindConflict, "confirmation_mismatch")
	// ErrMethodInvalid is the field code of a confirmation method the bank does not know.
	ErrMethodInvalid = kumbara.NewError(kumbara.KindInvalid, "method_invalid")
	// ErrMethodUnavailable is a known method this bank does not offer (no devices or passkeys).
	ErrMethodUnavailable = kumbara.NewError(kumbara.KindUnprocessable, "method_unavailable")
)

// Trusted beneficiaries (RTS Art. 13).
var (
	ErrBeneficiaryNotFound     = kumbara.NewError(kumbara.KindNotFound, "beneficiary_not_found")
	ErrTrustedBeneficiaryLimit = kumbara.NewError(kumbara.KindConflict, "trusted_beneficiary_limit") // MaxTrusted
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{
		ErrConfirmationMismatch, ErrMethodInvalid, ErrMethodUnavailable,
		ErrBeneficiaryNotFound, ErrTrustedBeneficiaryLimit,
	}
}
