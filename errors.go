package kumbara

// The codes every layer shares: faults, and the request and form problems that no domain owns. The transports (the
// JSON API and the web app) answer with them too, so they live here rather than in any one transport.
var (
	ErrInternal    = NewError(KindInternal, "internal")       // a fault of ours; also what any non-domain error becomes
	ErrUnavailable = NewError(KindUnavailable, "unavailable") // shutting down, or a dependency is down
	// ErrOutcomeUnknown: a dependency failed when the request may already have taken effect (db.Classify).
	ErrOutcomeUnknown = NewError(KindOutcomeUnknown, "outcome_unknown")
	ErrNotFound       = NewError(KindNotFound, "not_found") // a resource without a more precise code

	// ErrValidationFailed lists the request's field errors, each made with At from a field code (these below, or a
	// domain's, e.g. kyc.ErrMobileInvalid).
	ErrValidationFailed = NewError(KindInvalid, "validation_failed")
	ErrFieldRequired    = NewError(KindInvalid, "field_required") // a field left empty
	ErrRequired         = NewError(KindInvalid, "required")       // the same, as statement and outbox have always said it
	ErrInvalid          = NewError(KindInvalid, "invalid")        // a value outside what the field takes
	ErrUnsupported      = NewError(KindInvalid, "unsupported")    // a value the field names but the bank does not offer
	ErrTypeInvalid      = NewError(KindInvalid, "type_invalid")   // an unknown type, or a JSON value of the wrong type
	ErrInvalidQuery     = NewError(KindInvalid, "invalid_query")  // a query parameter outside what the route takes

	ErrRateLimited = NewError(KindRateLimited, "rate_limited") // with the parameter retry_after (seconds) when known

	// The protocol's own refusals, shared by every transport.
	ErrMalformedJSON        = NewError(KindInvalid, "malformed_json")
	ErrUnknownField         = NewError(KindInvalid, "unknown_field")
	ErrDuplicateField       = NewError(KindInvalid, "duplicate_field") // a key given twice in one JSON object
	ErrBodyTooLarge         = NewError(KindTooLarge, "body_too_large") // with the parameter max_bytes
	ErrUnsupportedMediaType = NewError(KindInvalid, "unsupported_media_type")
	ErrMethodNotAllowed     = NewError(KindMethodNotAllowed, "method_not_allowed")
	ErrCrossSiteRefused     = NewError(KindForbidden, "cross_site_refused")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*Error {
	return []*Error{
		ErrInternal, ErrUnavailable, ErrOutcomeUnknown, ErrNotFound,
		ErrValidationFailed, ErrFieldRequired, ErrRequired, ErrInvalid, ErrUnsupported, ErrTypeInvalid, ErrInvalidQuery,
		ErrRateLimited,
		ErrMalformedJSON, ErrUnknownField, ErrDuplicateField, ErrBodyTooLarge, ErrUnsupportedMediaType, ErrMethodNotAllowed,
		ErrCrossSiteRefused,
	}
}
