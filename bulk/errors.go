package bulk

import "github.com/kumbara/kumbara"

// The refusals of bulk payments. A file's own problems answer with package iso20022's codes, a line's with the
// codes of the packages that own its rules (iban, money, beneficiary, payment, ledger…); these are the rules of
// bulk files themselves.
var (
	// ErrNotFound is a batch the customer does not have: unknown, or another customer's.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "bulk_not_found")
	// ErrBusinessOnly is an upload by an individual: bulk files are for business customers.
	ErrBusinessOnly = kumbara.NewError(kumbara.KindForbidden, "bulk_business_only")
	// ErrMixedCurrency is a file whose lines are in more than one currency (its confirmation names one total).
	ErrMixedCurrency = kumbara.NewError(kumbara.KindUnprocessable, "bulk_mixed_currency")
	// ErrTooManyLines is a file of more transactions than a file may hold (parameter max).
	ErrTooManyLines = kumbara.NewError(kumbara.KindUnprocessable, "bulk_too_many_lines")
	// ErrDuplicate is a file whose MsgId names a batch of the customer's that is waiting, being paid or paid,
	// with other contents (parameter message_id).
	ErrDuplicate = kumbara.NewError(kumbara.KindConflict, "bulk_duplicate")
	// ErrLineInternational is a line in a currency other than ALL and EUR (parameter currency): an international
	// payment, which a file does not make. It is confirmed one by one from a trusted device or with a passkey (T6),
	// never by the batch's SMS code, and needs its purpose and the beneficiary's category, which pain.001 does not
	// carry. Only ALL (domestic) and EUR (SEPA) payments are made from a file.
	ErrLineInternational = kumbara.NewError(kumbara.KindUnprocessable, "bulk_line_international")
	// ErrFutureDate is a line whose requested execution date is after the day it could be value-dated (parameter
	// value_date): the bank does not schedule payments.
	ErrFutureDate = kumbara.NewError(kumbara.KindUnprocessable, "bulk_future_date")
	// ErrNotPending is a confirmation, or a new code, of a batch that no longer waits for one.
	ErrNotPending = kumbara.NewError(kumbara.KindConflict, "bulk_not_pending")
	// ErrExpired is a confirmation of a batch whose time to be confirmed has passed.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "bulk_expired")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrBusinessOnly, ErrMixedCurrency, ErrTooManyLines, ErrDuplicate,
		ErrLineInternational, ErrFutureDate, ErrNotPending, ErrExpired}
}
