package tariff

import "github.com/kumbara/kumbara"

// The codes of the tariff. A payment's fee answers ErrNoRate or ErrAmountBelowFee; a rate staff set that breaks a
// rule comes back as validation_failed with each field's problem (these, unknown_currency).
var (
	// ErrNoRate is a payment whose scheme, charges and currency the tariff has no rate for: it cannot be priced,
	// so it is not offered.
	ErrNoRate = kumbara.NewError(kumbara.KindUnprocessable, "tariff_missing")
	// ErrAmountBelowFee is a payment whose beneficiary pays the charges (BEN) of an amount the fee would take
	// whole (parameter fee: the fee, with its currency).
	ErrAmountBelowFee = kumbara.NewError(kumbara.KindUnprocessable, "tariff_amount_below_fee").Field("amount")
	// ErrSchemeInvalid is a scheme that is not one of Schemes.
	ErrSchemeInvalid = kumbara.NewError(kumbara.KindInvalid, "tariff_scheme_invalid").Field("scheme")
	// ErrChargesInvalid is charges that are not OUR, SHA or BEN.
	ErrChargesInvalid = kumbara.NewError(kumbara.KindInvalid, "tariff_charges_invalid").Field("charges")
	// ErrCurrencyScheme is a currency the scheme does not carry (ALL for the domestic schemes, EUR for SEPA).
	ErrCurrencyScheme = kumbara.NewError(kumbara.KindInvalid, "tariff_currency_scheme").Field("currency")
	// ErrPercentInvalid is a percentage that is not an exact decimal from 0 to 10 with at most 4 decimals.
	ErrPercentInvalid = kumbara.NewError(kumbara.KindInvalid, "tariff_percent_invalid").Field("percent")
	// ErrAmountInvalid is a fixed fee, bound or correspondents' charge that is negative or beyond MaxAmount.
	ErrAmountInvalid = kumbara.NewError(kumbara.KindInvalid, "tariff_amount_invalid").Field("fixed")
	// ErrMinAboveMax is a lower bound above the upper one.
	ErrMinAboveMax = kumbara.NewError(kumbara.KindInvalid, "tariff_min_above_max").Field("min")
	// ErrCorrespondentNotOUR is correspondents' charges on a rate other than OUR on swift, the one they are for.
	ErrCorrespondentNotOUR = kumbara.NewError(kumbara.KindInvalid, "tariff_correspondent_our").Field("correspondent")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNoRate, ErrAmountBelowFee, ErrSchemeInvalid, ErrChargesInvalid, ErrCurrencyScheme,
		ErrPercentInvalid, ErrAmountInvalid, ErrMinAboveMax, ErrCorrespondentNotOUR}
}
