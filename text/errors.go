package text

import "github.com/kumbara/kumbara"

// The free-text rule's own refusals, as field codes: the names are a transfer description's, where the rule was
// first written (T3), and every text under the rule answers with them (account names too).
var (
	ErrTooLong           = kumbara.NewError(kumbara.KindInvalid, "description_too_long") // with the parameter max
	ErrInvalidCharacters = kumbara.NewError(kumbara.KindInvalid, "description_invalid_characters")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error { return []*kumbara.Error{ErrTooLong, ErrInvalidCharacters} }
