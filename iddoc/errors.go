package iddoc

import "github.com/kumbara/kumbara"

// Error codes. The tests of the flows that take a document compare with them.
const (
	CodeInvalid     = "id_document_invalid"
	CodeExpired     = "id_document_expired"
	CodeUnavailable = "id_document_unavailable"
	CodeMismatch    = "id_document_mismatch"
)

var (
	// ErrInvalid is anything structural or cryptographic: not a document we can trust. Its detail says what.
	ErrInvalid  = kumbara.NewError(kumbara.KindUnprocessable, CodeInvalid)
	ErrExpired  = kumbara.NewError(kumbara.KindUnprocessable, CodeExpired)  // authentic, but past its expiry date
	ErrMismatch = kumbara.NewError(kumbara.KindUnprocessable, CodeMismatch) // authentic, but someone else's document
	// ErrUnavailable is the answer of every ID-document method of a bank without country signing certificates.
	ErrUnavailable = kumbara.NewError(kumbara.KindUnavailable, CodeUnavailable)
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrInvalid, ErrExpired, ErrMismatch, ErrUnavailable}
}
