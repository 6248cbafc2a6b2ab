package bankdir

import "github.com/kumbara/kumbara"

// The codes of the bank directory. A payment's lookup answers ErrUnknown, ErrInactive or ErrOwnBank about the
// IBAN (or the BIC) it was given; staff keeping the directory get validation_failed with each field's problem
// (these, bic_invalid, field_required and the free-text rule's codes on the name) or ErrBICTaken. A bank asking
// this bank's name checks with a VoP credential that does not hold gets ErrCredentialInvalid.
var (
	// ErrUnknown is an IBAN (or a BIC) of a bank that is not in the directory: the bank cannot be paid.
	ErrUnknown = kumbara.NewError(kumbara.KindUnprocessable, "bank_unknown").Field("iban")
	// ErrInactive is a bank the directory holds but does not take payments to now.
	ErrInactive = kumbara.NewError(kumbara.KindUnprocessable, "bank_inactive").Field("iban")
	// ErrOwnBank is an IBAN (or a BIC) of this bank: the account is paid as a transfer within the bank.
	ErrOwnBank = kumbara.NewError(kumbara.KindUnprocessable, "bank_own").Field("iban")
	// ErrCodeInvalid is a bank code that is not 3 digits.
	ErrCodeInvalid = kumbara.NewError(kumbara.KindInvalid, "bank_code_invalid").Field("code")
	// ErrOwnCode is this bank's own code or BIC entered as another bank's.
	ErrOwnCode = kumbara.NewError(kumbara.KindInvalid, "bank_code_own").Field("code")
	// ErrBICCountry is a BIC whose country (its 5th and 6th letters) is not Albania's.
	ErrBICCountry = kumbara.NewError(kumbara.KindInvalid, "bank_bic_country").Field("bic")
	// ErrBICTaken is a BIC whose first 8 characters name another bank of the directory.
	ErrBICTaken = kumbara.NewError(kumbara.KindConflict, "bank_bic_taken").Field("bic")
	// ErrCredentialInvalid is a name check asked by another bank without a VoP credential's token, or with one that
	// is no credential's or was revoked: alike, so that the answer tells nothing of which.
	ErrCredentialInvalid = kumbara.NewError(kumbara.KindUnauthorized, "bank_credential_invalid")
	// ErrCredentialNotFound is a VoP credential staff named that does not exist.
	ErrCredentialNotFound = kumbara.NewError(kumbara.KindNotFound, "bank_credential_not_found").Field("id")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrUnknown, ErrInactive, ErrOwnBank, ErrCodeInvalid, ErrOwnCode, ErrBICCountry, ErrBICTaken,
		ErrCredentialInvalid, ErrCredentialNotFound}
}
