package iso20022

import "github.com/kumbara/kumbara"

// The refusals of an ISO 20022 document. A message that breaks a rule of its own (a length, a code, an amount) is
// an instance of ErrInvalid whose detail names the element, for the logs; the customer's message says only that
// the file could not be read. The per-line problems of a pain.001 reuse the codes of the packages that own the rule
// (iban.ErrIBANInvalid, iban.ErrBICInvalid, money.ErrTooManyDecimals, money.ErrUnknownCurrency, ...).
var (
	// ErrMalformed: not well-formed XML, not UTF-8, truncated, or an element the bank relies on cannot be read.
	ErrMalformed = kumbara.NewError(kumbara.KindInvalid, "iso_malformed")
	// ErrUnsafe: a DOCTYPE, an entity declaration or a processing instruction, refused before anything is read.
	ErrUnsafe = kumbara.NewError(kumbara.KindInvalid, "iso_unsafe")
	// ErrWrongMessage: the root is not the Document of the expected message (its exact namespace).
	ErrWrongMessage = kumbara.NewError(kumbara.KindInvalid, "iso_wrong_message")
	// ErrTooLarge: the document is larger than MaxDocument.
	ErrTooLarge = kumbara.NewError(kumbara.KindTooLarge, "iso_too_large")
	// ErrInvalid: well-formed, but an element breaks the message's rules; the detail names the element.
	ErrInvalid = kumbara.NewError(kumbara.KindInvalid, "iso_invalid")
	// ErrCountMismatch: NbOfTxs does not say how many transactions the message holds.
	ErrCountMismatch = kumbara.NewError(kumbara.KindInvalid, "iso_count_mismatch")
	// ErrControlSumMismatch: CtrlSum or a total amount is not the sum of the transactions' amounts.
	ErrControlSumMismatch = kumbara.NewError(kumbara.KindInvalid, "iso_control_sum_mismatch")
	// ErrFieldMissing: a pain.001 transaction lacks an element it needs (the creditor's name, its account).
	ErrFieldMissing = kumbara.NewError(kumbara.KindInvalid, "iso_field_missing")
	// ErrFieldInvalid: a pain.001 transaction's element is too long or outside its code list.
	ErrFieldInvalid = kumbara.NewError(kumbara.KindInvalid, "iso_field_invalid")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrMalformed, ErrUnsafe, ErrWrongMessage, ErrTooLarge, ErrInvalid, ErrCountMismatch,
		ErrControlSumMismatch, ErrFieldMissing, ErrFieldInvalid}
}
