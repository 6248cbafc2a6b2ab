package kyc

import "github.com/kumbara/kumbara"

// The codes of the identifiers a customer gives. The detail of an instance says which rule failed, for the logs,
// and never repeats the input, which is personal data.
var (
	ErrNationalIDInvalid   = kumbara.NewError(kumbara.KindInvalid, "national_id_invalid").Field("national_id")
	ErrNIPTInvalid         = kumbara.NewError(kumbara.KindInvalid, "nipt_invalid").Field("nipt")
	ErrClientNumberInvalid = kumbara.NewError(kumbara.KindInvalid, "client_number_invalid").Field("client_number")
	ErrMobileInvalid       = kumbara.NewError(kumbara.KindInvalid, "mobile_invalid").Field("mobile")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNationalIDInvalid, ErrNIPTInvalid, ErrClientNumberInvalid, ErrMobileInvalid}
}
