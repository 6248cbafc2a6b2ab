package iban

import "github.com/kumbara/kumbara"

// The codes of bank identifiers. The detail of an instance says which rule failed, for the logs, and never repeats
// the input: an IBAN identifies a person's account.
var (
	ErrIBANInvalid = kumbara.NewError(kumbara.KindInvalid, "iban_invalid").Field("iban")
	ErrBICInvalid  = kumbara.NewError(kumbara.KindInvalid, "bic_invalid").Field("bic")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrIBANInvalid, ErrBICInvalid}
}
