package api

import "github.com/kumbara/kumbara"

// The codes the API itself owns: what only its protocol asks of a client. Everything else it answers is a domain
// package's error or one of the codes every transport shares (the root package's errors.go).
var (
	// ErrIdempotencyKeyMissing is a request that makes money move without the Idempotency-Key header, which makes
	// repeating it safe.
	ErrIdempotencyKeyMissing = kumbara.NewError(kumbara.KindInvalid, "idempotency_key_missing").Field("Idempotency-Key")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrIdempotencyKeyMissing}
}
