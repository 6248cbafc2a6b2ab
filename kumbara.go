// Package kumbara holds the few types every part of the bank shares: the domain error that carries the stable
// code the API returns. Domain packages (ledger, customer, auth, transfer…) own everything else.
package kumbara

import (
	"errors"
	"fmt"
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

// FieldError names one field of a request and what is wrong with it.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// Error is a domain error. Code is stable and machine-readable (it is part of the API contract); the message shown
// to a customer comes from the message catalogue under the same code, so Detail is only for logs.
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

// Errorf returns a domain error of the given kind and code with a log-only detail.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error for one or more fields.
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

// CodeOf returns the stable code of err, or "internal" for anything that is not a domain error.
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
