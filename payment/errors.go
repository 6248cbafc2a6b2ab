package payment

import "github.com/kumbara/kumbara"

// The codes of payments to and from other banks. A field's problem comes back inside validation_failed, each field
// with its own code; the others stand alone.
var (
	// ErrNotFound is a payment the customer does not have: unknown, or another customer's.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "payment_not_found")
	// ErrChargesInvalid is a charges option other than OUR, SHA and BEN.
	ErrChargesInvalid = kumbara.NewError(kumbara.KindInvalid, "payment_charges_invalid").Field("charges")
	// ErrChargesUnsupported is a charges option the scheme does not take: SEPA's charges are always shared.
	ErrChargesUnsupported = kumbara.NewError(kumbara.KindInvalid, "payment_charges_unsupported").Field("charges")
	// ErrNotDomestic is a domestic payment to an IBAN outside Albania.
	ErrNotDomestic = kumbara.NewError(kumbara.KindInvalid, "payment_not_domestic").Field("beneficiary.iban")
	// ErrNotSEPA is a SEPA payment to an IBAN of a country outside the SEPA schemes.
	ErrNotSEPA = kumbara.NewError(kumbara.KindInvalid, "payment_not_sepa").Field("beneficiary.iban")
	// ErrOwnBank is a payment to another bank whose beneficiary banks here: an in-bank transfer pays them.
	ErrOwnBank = kumbara.NewError(kumbara.KindUnprocessable, "payment_own_bank").Field("beneficiary.iban")
	// ErrPurposeCategoryInvalid is a purpose category outside PurposeCategories.
	ErrPurposeCategoryInvalid = kumbara.NewError(kumbara.KindInvalid, "payment_purpose_category_invalid").
					Field("purpose_category")
	// ErrBeneficiaryCategoryInvalid is a beneficiary category outside BeneficiaryCategories.
	ErrBeneficiaryCategoryInvalid = kumbara.NewError(kumbara.KindInvalid, "payment_beneficiary_category_invalid").
					Field("beneficiary_category")
	// ErrTermsNotAccepted is an international payment whose terms the customer did not accept.
	ErrTermsNotAccepted = kumbara.NewError(kumbara.KindInvalid, "payment_terms_not_accepted").Field("terms_accepted")
	// ErrCurrencyUnsupported is a currency the type's schemes do not carry (parameter currency: the one they do).
	ErrCurrencyUnsupported = kumbara.NewError(kumbara.KindUnprocessable, "payment_currency_unsupported").Field("currency")
	// ErrCurrencyConversion is a payment in a currency other than its account's that the bank cannot exchange:
	// no FX service, no current rate for one of the currencies, or a line of a bulk file (signed over one total
	// in the account's currency) (parameter currency: the account's).
	ErrCurrencyConversion = kumbara.NewError(kumbara.KindUnprocessable, "payment_currency_conversion").Field("currency")
	// ErrCutOffPassed is a payment asked for today when today's cut-off has passed or the bank is closed today
	// (parameter value_date: the day it could be value-dated).
	ErrCutOffPassed = kumbara.NewError(kumbara.KindUnprocessable, "payment_cutoff_passed")
	// ErrStrongDeviceRequired is an international payment confirmed with anything but a trusted device or a
	// passkey (T6: "only from a trusted device").
	ErrStrongDeviceRequired = kumbara.NewError(kumbara.KindForbidden, "payment_trusted_device_required")
	// ErrNotPending is a confirmation of a payment that no longer waits for one.
	ErrNotPending = kumbara.NewError(kumbara.KindConflict, "payment_not_pending")
	// ErrExpired is a confirmation of a payment whose time to be confirmed has passed.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "payment_expired")
	// ErrUnavailable is a payment to another bank while the bank has no way to the clearing house configured.
	ErrUnavailable = kumbara.NewError(kumbara.KindUnavailable, "payments_unavailable")
	// ErrMessageDuplicate is a message from the clearing side whose id was received before.
	ErrMessageDuplicate = kumbara.NewError(kumbara.KindConflict, "clearing_message_duplicate")
	// ErrMessageUnknown is a message of a kind the bank does not take from the clearing side.
	ErrMessageUnknown = kumbara.NewError(kumbara.KindUnprocessable, "clearing_message_unknown")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrChargesInvalid, ErrChargesUnsupported, ErrNotDomestic, ErrNotSEPA,
		ErrOwnBank, ErrPurposeCategoryInvalid, ErrBeneficiaryCategoryInvalid, ErrTermsNotAccepted,
		ErrCurrencyUnsupported, ErrCurrencyConversion, ErrCutOffPassed, ErrStrongDeviceRequired, ErrNotPending,
		ErrExpired, ErrUnavailable, ErrMessageDuplicate, ErrMessageUnknown}
}
