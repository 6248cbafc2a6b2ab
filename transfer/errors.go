package transfer

import "github.com/kumbara/kumbara"

// The codes of transfers. The codes a transfer is also refused with but that other packages own are returned as
// their owners' sentinels: ledger (account_not_found, account_blocked, account_closed, insufficient_funds,
// currency_mismatch, idempotency_key_reused), money (amounts and currencies), text (descriptions), iban, kyc
// (the payee's phone) and the root package (field_required, validation_failed, type_invalid, invalid_query,
// rate_limited).
var (
	// ErrIdempotencyKeyInvalid is an Idempotency-Key that is not 1–64 visible ASCII characters (ValidKey).
	ErrIdempotencyKeyInvalid = kumbara.NewError(kumbara.KindInvalid, "idempotency_key_invalid").Field("Idempotency-Key")
	// ErrPayeeNotFound is a beneficiary the bank does not have, or has no active account of, as the payee check
	// and a transfer by IBAN say it: unknown and closed look the same.
	ErrPayeeNotFound = kumbara.NewError(kumbara.KindNotFound, "payee_not_found")
	// ErrNeedsExchange is an own transfer between accounts of two currencies: that is a currency exchange, quoted
	// at the bank's rate before it is confirmed (fx: POST /api/v1/fx/quotes, the web's exchange page).
	ErrNeedsExchange = kumbara.NewError(kumbara.KindUnprocessable, "transfer_needs_exchange").Field("to_account_id")
	// ErrSameAccount is a transfer from an account to itself.
	ErrSameAccount = kumbara.NewError(kumbara.KindUnprocessable, "same_account")

	// ErrNotFound is a transfer the bank does not have, or another customer's.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "transfer_not_found")
	// ErrExpired is a transfer that waited for its confirmation longer than ConfirmWithin.
	ErrExpired = kumbara.NewError(kumbara.KindGone, "transfer_expired")
	// ErrNotPending is a transfer that no longer waits for a confirmation (made, failed or confirmed already).
	ErrNotPending = kumbara.NewError(kumbara.KindConflict, "transfer_not_pending")
	// ErrNotCompleted is a receipt asked for a transfer that did not complete.
	ErrNotCompleted = kumbara.NewError(kumbara.KindConflict, "transfer_not_completed")
	// ErrFailed is why a confirmed transfer that could not be posted within FailAfter was failed (the failure
	// code it keeps, and the message the customer reads).
	ErrFailed = kumbara.NewError(kumbara.KindUnprocessable, "transfer_failed")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{
		ErrIdempotencyKeyInvalid, ErrPayeeNotFound, ErrSameAccount, ErrNeedsExchange,
		ErrNotFound, ErrExpired, ErrNotPending, ErrNotCompleted, ErrFailed,
	}
}
