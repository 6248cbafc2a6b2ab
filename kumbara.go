// Package kumbara holds the few types every part of the bank shares: the domain error that carries the stable
// code the API returns, and the codes no single domain owns (errors.go). Domain packages (ledger, customer, auth,
// transfer…) own everything else, their error codes included, each declared once in the package's errors.go.
package kumbara

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Kind classifies an error the way a transport needs to answer it. Domain code picks the kind; the API maps kinds
// to HTTP statuses, the CLI to exit codes.
type Kind int

const (
	KindInternal      Kind = iota // a fault of ours: logged, never shown in detail
	KindInvalid                   // malformed or out-of-range input (400)
	KindUnauthorized              // no valid session or credentials (401)
	KindForbidden                 // authenticated but not allowed (403)
	KindNotFound                  // unknown, or belongs to someone else (404)
	KindConflict                  // clashes with existing state, e.g. an idempotency key reused (409)
	KindGone                      // existed but has expired or been used (410)
	KindTooLarge                  // request body too large (413)
	KindUnprocessable             // well-formed but refused by a business rule, e.g. insufficient funds (422)
	KindRateLimited               // too many attempts (429)
	KindUnavailable               // shutting down or a dependency is down (503)
)

// KindOutcomeUnknown: a dependency failed when the request may already have taken effect (a COMMIT whose answer was
// lost). The client repeats it unchanged, with the same idempotency key, which finds the first attempt's result
// (503).
const KindOutcomeUnknown = KindUnavailable + 1

// Refusals for which HTTP has a status more precise than the broader kind they would otherwise be (400, 403), so
// that the status is a property of the error rather than of its code.
const (
	KindMethodNotAllowed Kind = KindOutcomeUnknown + 1 + iota // the route does not take the request's method (405)
	KindUpgradeRequired                                       // the client is too old to be served; it must update (426)
)

// FieldError names one field of a request and what is wrong with it.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// Under names the same problem on field inside parent: a nested object's field ("beneficiary.iban") when another
// validation that knows only the object's own fields said it.
func (f FieldError) Under(parent string) FieldError {
	f.Field = parent + "." + f.Field
	return f
}

// Error is a domain error. Code is stable and machine-readable (it is part of the API contract); the message shown
// to a customer comes from the message catalogue under the same code, so Detail is only for logs. Each code is
// declared once, by its owner (NewError); an Error found in an error chain may be that sentinel itself, so it is
// read, never modified: With, Wrap, Field, WithFields and WithParam make a changed copy.
type Error struct {
	Kind   Kind
	Code   string
	Detail string       // for logs only; never sent to a client
	Fields []FieldError // field problems, for KindInvalid
	Params map[string]string
	Err    error // wrapped cause, if any
}

func (e *Error) Error() string {
	msg := e.Code
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// NewError declares an error: a package's errors.go makes each of its codes once with it, as a sentinel that callers
// match with errors.Is and that the package returns, or makes an instance of, with With, Wrap, Field, WithFields and
// WithParam. A sentinel is never modified: those methods return a copy.
func NewError(kind Kind, code string) *Error {
	return &Error{Kind: kind, Code: code}
}

// Is reports whether target is a domain error with the same code, so errors.Is(err, ledger.ErrInsufficientFunds)
// holds for the sentinel and for every instance made from it (or, while a package still writes its codes in
// place, for any error with that code). Codes are unique across the bank, so the code alone names the error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code != "" && t.Code == e.Code
}

// clone copies e, so an instance never shares its field errors or parameters with the sentinel it came from.
func (e *Error) clone() *Error {
	c := *e
	c.Fields = slices.Clone(e.Fields)
	c.Params = maps.Clone(e.Params)
	return &c
}

// With returns a copy of e with a log-only detail (never sent to a client).
func (e *Error) With(format string, args ...any) *Error {
	c := e.clone()
	c.Detail = fmt.Sprintf(format, args...)
	return c
}

// Wrap returns a copy of e whose cause is err: logged with it and reachable with errors.Is and errors.As.
func (e *Error) Wrap(err error) *Error {
	c := e.clone()
	c.Err = err
	return c
}

// Field returns a copy of e about the request field name: its field error (one with e's own code) names name,
// instead of the field its sentinel names, if any; field errors with other codes stay. A sentinel about one field is
// declared with it, NewError(KindInvalid, "invalid_cursor").Field("cursor"), and Field moves an instance to another
// field: money.ErrInvalidAmount.Field("min_amount").
func (e *Error) Field(name string) *Error {
	c := e.clone()
	c.Fields = slices.DeleteFunc(c.Fields, func(f FieldError) bool { return f.Code == e.Code })
	c.Fields = append(c.Fields, e.At(name))
	return c
}

// WithFields returns a copy of e with field errors added, e.g. the fields of a validation_failed, each made with At.
func (e *Error) WithFields(fields ...FieldError) *Error {
	c := e.clone()
	c.Fields = append(c.Fields, fields...)
	return c
}

// WithParam returns a copy of e with a parameter of its catalogue message (e.g. the limit that was exceeded).
func (e *Error) WithParam(name, value string) *Error {
	c := e.clone()
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	c.Params[name] = value
	return c
}

// WithKind returns a copy of e of another kind, so answered with another status. It is the one exception to a code
// having one kind, for a code whose answer depends on the flow it ends: auth.ErrChallengeNotFound is a 401 at login
// (the login starts again) and a 404 for a payment's challenge (package sca), asked for in a live session, where a
// 401 would tell the app that the session ended. The copy is still the sentinel's code, so errors.Is matches it.
func (e *Error) WithKind(kind Kind) *Error {
	c := e.clone()
	c.Kind = kind
	return c
}

// At returns the field error that says field has e's problem, for a validation error that lists several fields:
// ErrValidationFailed.WithFields(ErrFieldRequired.At("first_name"), kyc.ErrMobileInvalid.At("mobile")).
func (e *Error) At(field string) FieldError {
	return FieldError{Field: field, Code: e.Code}
}

// Errorf returns a domain error of the given kind and code with a log-only detail. The bank's packages declare
// their codes in errors.go (NewError) and never use it (the errcodes tests refuse it); tests of the transports use
// it for errors of any shape.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error for one or more fields. Like Errorf, it is for tests only.
func Invalid(code string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Fields: fields}
}

// As returns the domain error inside err, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns the stable code of err, or "internal" for anything that is not a domain error. It is for
// reporting the code (logs, metrics, answers); to decide on an error, match it with errors.Is against its sentinel.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return e.Code
	}
	return "internal"
}

// KindOf returns the kind of err, or KindInternal for anything that is not a domain error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return KindInternal
}
