package ledger

import "github.com/kumbara/kumbara"

// Accounts and money.
var (
	ErrAccountNotFound   = kumbara.NewError(kumbara.KindNotFound, "account_not_found") // unknown, or another customer's
	ErrAccountBlocked    = kumbara.NewError(kumbara.KindUnprocessable, "account_blocked")
	ErrAccountClosed     = kumbara.NewError(kumbara.KindUnprocessable, "account_closed")
	ErrAccountNotEmpty   = kumbara.NewError(kumbara.KindUnprocessable, "account_not_empty") // closing it would lose money
	ErrInsufficientFunds = kumbara.NewError(kumbara.KindUnprocessable, "insufficient_funds")
	ErrOverdraftExceeded = kumbara.NewError(kumbara.KindUnprocessable, "overdraft_exceeded") // a limit below what is used
	ErrCurrencyMismatch  = kumbara.NewError(kumbara.KindUnprocessable, "currency_mismatch")
	// ErrCardOnly is a credit card's account moved by anything but the card's own operations (TypeCredit).
	ErrCardOnly = kumbara.NewError(kumbara.KindUnprocessable, "account_card_only")

	ErrTransactionNotFound = kumbara.NewError(kumbara.KindNotFound, "transaction_not_found")
	ErrAlreadyReversed     = kumbara.NewError(kumbara.KindUnprocessable, "already_reversed")
	ErrHoldNotFound        = kumbara.NewError(kumbara.KindNotFound, "hold_not_found")
	ErrHoldNotActive       = kumbara.NewError(kumbara.KindUnprocessable, "hold_not_active")
)

// History and statement queries. A date range is too long for a statement of more than MaxStatementLines, as for
// one of more days than a statement allows: either way the customer chooses a shorter period.
var (
	ErrInvalidDate      = kumbara.NewError(kumbara.KindInvalid, "invalid_date") // Field names the parameter
	ErrInvalidDateRange = kumbara.NewError(kumbara.KindInvalid, "invalid_date_range").Field("to")
	ErrDateRangeTooLong = kumbara.NewError(kumbara.KindInvalid, "date_range_too_long").Field("to")
	ErrInvalidCursor    = kumbara.NewError(kumbara.KindInvalid, "invalid_cursor").Field("cursor")
	ErrInvalidLimit     = kumbara.NewError(kumbara.KindInvalid, "invalid_limit").Field("limit")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{
		ErrAccountNotFound, ErrAccountBlocked, ErrAccountClosed, ErrAccountNotEmpty, ErrInsufficientFunds,
		ErrOverdraftExceeded, ErrCurrencyMismatch, ErrCardOnly, ErrTransactionNotFound, ErrAlreadyReversed, ErrHoldNotFound,
		ErrHoldNotActive,
		ErrInvalidDate, ErrInvalidDateRange, ErrDateRangeTooLong, ErrInvalidCursor, ErrInvalidLimit,
	}
}
