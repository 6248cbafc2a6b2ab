package terms

import "github.com/kumbara/kumbara"

var (
	// ErrAcceptanceRequired refuses a customer who has not accepted the current version (P1) anything but reading
	// and accepting it.
	ErrAcceptanceRequired = kumbara.NewError(kumbara.KindForbidden, "terms_acceptance_required")
	// ErrVersionNotCurrent is the field code of an acceptance of any version but the current one.
	ErrVersionNotCurrent = kumbara.NewError(kumbara.KindInvalid, "terms_version_not_current")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrAcceptanceRequired, ErrVersionNotCurrent}
}
