package beneficiary

import "github.com/kumbara/kumbara"

// The codes of the beneficiaries' address book. A field's problem comes back inside validation_failed, each field
// with its own code (these, iban_invalid, bic_invalid, field_required, and the free-text rule's codes on the
// names and address lines); the others stand alone.
var (
	// ErrNotFound is a beneficiary the customer does not have: unknown, or another customer's.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "saved_beneficiary_not_found")
	// ErrLimit is an address book that holds MaxPerCustomer beneficiaries already (parameter max).
	ErrLimit = kumbara.NewError(kumbara.KindUnprocessable, "beneficiary_limit")
	// ErrDuplicate is a beneficiary whose account the customer has saved already: the same IBAN, or the same
	// account number at the same bank (BIC).
	ErrDuplicate = kumbara.NewError(kumbara.KindConflict, "beneficiary_duplicate")
	// ErrAccountMissing is a beneficiary with neither an IBAN nor an account number.
	ErrAccountMissing = kumbara.NewError(kumbara.KindInvalid, "beneficiary_account_missing").Field("iban")
	// ErrAccountBoth is a beneficiary with an IBAN and an account number: one identifies the account.
	ErrAccountBoth = kumbara.NewError(kumbara.KindInvalid, "beneficiary_account_both").Field("account_number")
	// ErrAccountNumberInvalid is an account number that is not 1–34 letters and digits (spaces and dashes dropped).
	ErrAccountNumberInvalid = kumbara.NewError(kumbara.KindInvalid, "beneficiary_account_number_invalid").
				Field("account_number")
	// ErrCountryInvalid is a country that is not an ISO 3166-1 alpha-2 code of a country.
	ErrCountryInvalid = kumbara.NewError(kumbara.KindInvalid, "beneficiary_country_invalid").Field("address.country")
	// ErrPhoneInvalid is a phone number that is neither an Albanian mobile nor an international number (+ and 7–15
	// digits).
	ErrPhoneInvalid = kumbara.NewError(kumbara.KindInvalid, "beneficiary_phone_invalid").Field("phone")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrLimit, ErrDuplicate, ErrAccountMissing, ErrAccountBoth,
		ErrAccountNumberInvalid, ErrCountryInvalid, ErrPhoneInvalid}
}
