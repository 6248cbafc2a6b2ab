package money

import "github.com/kumbara/kumbara"

// The codes of amounts and currencies, each about the request field it is usually found in; Field moves one to
// another field (ledger's min_amount, an account's overdraft_limit).
var (
	ErrUnknownCurrency   = kumbara.NewError(kumbara.KindInvalid, "unknown_currency").Field("currency")
	ErrInvalidAmount     = kumbara.NewError(kumbara.KindInvalid, "invalid_amount").Field("amount")
	ErrTooManyDecimals   = kumbara.NewError(kumbara.KindInvalid, "amount_too_many_decimals").Field("amount")
	ErrAmountOutOfRange  = kumbara.NewError(kumbara.KindInvalid, "amount_out_of_range").Field("amount")
	ErrAmountNotPositive = kumbara.NewError(kumbara.KindInvalid, "amount_not_positive").Field("amount")
	// ErrAmountAmbiguous is an amount typed so that it reads two ways ("1,250" on an Albanian page: 1250 or 1.25).
	ErrAmountAmbiguous = kumbara.NewError(kumbara.KindInvalid, "amount_ambiguous").Field("amount")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrUnknownCurrency, ErrInvalidAmount, ErrTooManyDecimals, ErrAmountOutOfRange, ErrAmountNotPositive,
		ErrAmountAmbiguous}
}
