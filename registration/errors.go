package registration

import "github.com/kumbara/kumbara"

var (
	// ErrFailed is every way of not proving who one is: an unknown customer, a wrong card or PIN, a wrong, used or
	// expired unique code. One answer for all, so an outsider learns nothing about which client numbers exist.
	ErrFailed = kumbara.NewError(kumbara.KindUnauthorized, "registration_failed")
	// The reasons a customer who did prove who they are may not register.
	ErrContractMissing = kumbara.NewError(kumbara.KindUnprocessable, "registration_contract_missing")
	ErrPhoneMissing    = kumbara.NewError(kumbara.KindUnprocessable, "registration_phone_missing")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrFailed, ErrContractMissing, ErrPhoneMissing}
}
