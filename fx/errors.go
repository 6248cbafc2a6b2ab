package fx

import "github.com/kumbara/kumbara"

// The codes of FX rates. A rate staff publish that breaks a rule comes back as validation_failed with each
// field's problem (these); a rate moved beyond the band without a reason is ErrReasonRequired on its own.
var (
	// ErrCurrencyInvalid is a currency the bank does not offer, or ALL, the base every rate is quoted in.
	ErrCurrencyInvalid = kumbara.NewError(kumbara.KindInvalid, "fx_currency_invalid").Field("currency")
	// ErrRateInvalid is a buy or sell rate that is not a positive exact decimal with at most 6 decimals.
	ErrRateInvalid = kumbara.NewError(kumbara.KindInvalid, "fx_rate_invalid").Field("buy")
	// ErrSellBelowBuy is a sell rate below the buy rate: the bank would sell for less than it buys.
	ErrSellBelowBuy = kumbara.NewError(kumbara.KindInvalid, "fx_sell_below_buy").Field("sell")
	// ErrReasonRequired is a rate whose mid moved beyond the configured band around the previous published mid
	// without a reason the checker can weigh (parameter band: the band in percent).
	ErrReasonRequired = kumbara.NewError(kumbara.KindInvalid, "fx_rate_reason_required").Field("reason")
	// ErrNoRate is a currency the bank has no current rate for: nothing is quoted in it.
	ErrNoRate = kumbara.NewError(kumbara.KindUnprocessable, "fx_rate_missing").Field("currency")
	// ErrSameCurrency is a conversion between two accounts, or two currencies, of the same currency: nothing to
	// convert (an own transfer moves it).
	ErrSameCurrency = kumbara.NewError(kumbara.KindInvalid, "fx_same_currency").Field("to_account_id")
	// ErrQuoteNotFound is a quote that is not the customer's, or none at all.
	ErrQuoteNotFound = kumbara.NewError(kumbara.KindNotFound, "fx_quote_not_found")
	// ErrQuoteExpired is a quote confirmed after its expiry: the customer asks for a new one.
	ErrQuoteExpired = kumbara.NewError(kumbara.KindConflict, "fx_quote_expired")
	// ErrQuoteChanged is a quote confirmed after the bank published a new rate for one of its currencies: its
	// rate is no longer the bank's, and the customer asks for a new one.
	ErrQuoteChanged = kumbara.NewError(kumbara.KindConflict, "fx_quote_changed")
)

// The codes of preferential rate requests (X5).
var (
	// ErrRequestBelowMinimum is a request, or an execution, worth less than the bank's minimum at the mid rates
	// (parameter minimum: "10000.00 EUR").
	ErrRequestBelowMinimum = kumbara.NewError(kumbara.KindUnprocessable, "fx_request_below_minimum").Field("amount")
	// ErrRequestAmountOutOfRange is an execution whose amount moved further from the requested one than the
	// customer's segment allows (parameters percent, min and max: the amounts allowed).
	ErrRequestAmountOutOfRange = kumbara.NewError(kumbara.KindUnprocessable, "fx_request_amount_out_of_range").Field("amount")
	// ErrRequestNotFound is a request that is not the customer's, or none at all.
	ErrRequestNotFound = kumbara.NewError(kumbara.KindNotFound, "fx_request_not_found")
	// ErrRequestExecuted is a request executed already: it cannot be cancelled, answered or executed for another
	// amount.
	ErrRequestExecuted = kumbara.NewError(kumbara.KindConflict, "fx_request_executed")
	// ErrRequestCancelled is a request the customer cancelled: nothing more happens to it.
	ErrRequestCancelled = kumbara.NewError(kumbara.KindConflict, "fx_request_cancelled")
	// ErrRequestExpired is a request nobody answered in time, or a confirmed one past its rate's validity.
	ErrRequestExpired = kumbara.NewError(kumbara.KindConflict, "fx_request_expired")
	// ErrRequestNotConfirmed is a request executed before the bank proposed its rate.
	ErrRequestNotConfirmed = kumbara.NewError(kumbara.KindConflict, "fx_request_not_confirmed")
	// ErrRequestAnswered is a rate proposed for a request the bank has answered already.
	ErrRequestAnswered = kumbara.NewError(kumbara.KindConflict, "fx_request_answered")
	// ErrOfferValidUntil is a proposed rate's validity that is not in the future, or further than the bank allows
	// (parameter hours).
	ErrOfferValidUntil = kumbara.NewError(kumbara.KindInvalid, "fx_offer_valid_until_invalid").Field("valid_until")
	// ErrOfferOutOfBand is a proposed rate further from the pair's mid rate than the band (parameter band, in
	// percent): a mistyped figure, refused before anyone relies on it.
	ErrOfferOutOfBand = kumbara.NewError(kumbara.KindInvalid, "fx_offer_rate_out_of_band").Field("rate")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrCurrencyInvalid, ErrRateInvalid, ErrSellBelowBuy, ErrReasonRequired, ErrNoRate,
		ErrSameCurrency, ErrQuoteNotFound, ErrQuoteExpired, ErrQuoteChanged,
		ErrRequestBelowMinimum, ErrRequestAmountOutOfRange, ErrRequestNotFound, ErrRequestExecuted,
		ErrRequestCancelled, ErrRequestExpired, ErrRequestNotConfirmed, ErrRequestAnswered, ErrOfferValidUntil,
		ErrOfferOutOfBand}
}
