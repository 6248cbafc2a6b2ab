package statement

import "github.com/kumbara/kumbara"

// A statement's or receipt's own problems. Only ParsePeriod reads a customer's input (and answers with ledger's
// date errors); the others refuse a caller that leaves out what the document needs.
var (
	ErrUnsupportedLanguage = invalid("unsupported_language").WithFields(kumbara.ErrUnsupported.At("lang"))
	ErrMissingGeneratedAt  = invalid("missing_generated_at").WithFields(kumbara.ErrRequired.At("generated_at"))
	ErrMissingCreatedAt    = invalid("missing_created_at").WithFields(kumbara.ErrRequired.At("created_at"))
	// ErrInvalidPeriod names its field with a field code: required (period), or ErrBeforeFrom's (to) for a period
	// that ends before it starts.
	ErrInvalidPeriod = invalid("invalid_period")
	ErrBeforeFrom    = invalid("before_from")
)

func invalid(code string) *kumbara.Error { return kumbara.NewError(kumbara.KindInvalid, code) }

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrUnsupportedLanguage, ErrMissingGeneratedAt, ErrMissingCreatedAt, ErrInvalidPeriod,
		ErrBeforeFrom}
}
