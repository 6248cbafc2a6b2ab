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

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrCurrencyInvalid, ErrRateInvalid, ErrSellBelowBuy, ErrReasonRequired, ErrNoRate,
		ErrSameCurrency, ErrQuoteNotFound, ErrQuoteExpired, ErrQuoteChanged}
}
