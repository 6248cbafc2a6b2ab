// Package httpx is the HTTP plumbing every face of the bank shares (the JSON API, the internet branch, later the
// back office): the one Mux every face registers on, errors as RFC 9457 problems in the customer's language and
// the kind → status mapping, strict JSON decoding, route policies (access, budget, body limit) composed into
// middleware, the rate-limit budgets the faces share, and the middleware around everything (client address behind
// trusted proxies, request ids, access log, metrics, panic recovery, security headers). It knows no route and no
// domain service.
//
// The stack is assembled outermost first, so that the access log and the metrics also see what the inner layers
// answer, a recovered panic included; Responder.Handler builds it:
//
//	h := httpx.Chain(responder.Dispatch(mux),
//		httpx.ClientAddress(proxies),
//		httpx.AssignRequestID,
//		httpx.SecurityHeaders,
//		responder.AccessLog,
//		responder.Instrument,
//		responder.Recover,
//	)
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
)

// Problem is an RFC 9457 problem document, Kumbara's only error body. Code is the stable contract clients switch on;
// Title and Detail are for people and come from the message catalogue in the request's language.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Code      string               `json:"code"`
	Detail    string               `json:"detail,omitempty"`
	Instance  string               `json:"instance,omitempty"`
	Errors    []kumbara.FieldError `json:"errors,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
}

// ProblemTypePrefix makes a problem type from a code. A URN rather than a URL: nothing has to be hosted at it, and it
// stays valid whatever host the bank runs on.
const ProblemTypePrefix = "urn:kumbara:problem:"

const (
	contentTypeJSON    = "application/json"
	contentTypeProblem = "application/problem+json"
	codeInternal       = "internal"
)

// Responder writes JSON answers and problems. Handlers and middleware share one, so every error a customer sees is
// translated, counted and, when it is our fault, logged the same way.
type Responder struct {
	Catalogue *i18n.Catalogue
	Logger    *slog.Logger
	Metrics   *Metrics // may be nil: nothing is counted
}

// NewResponder returns a Responder; a nil logger discards logs.
func NewResponder(catalogue *i18n.Catalogue, logger *slog.Logger, metrics *Metrics) *Responder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Responder{Catalogue: catalogue, Logger: logger, Metrics: metrics}
}

// Log is the logger, one that discards when none was given.
func (s *Responder) Log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// StatusOf maps a domain error kind to its HTTP status. A kind the API does not know is our fault: 500.
func StatusOf(kind kumbara.Kind) int {
	switch kind {
	case kumbara.KindInvalid:
		return http.StatusBadRequest
	case kumbara.KindUnauthorized:
		return http.StatusUnauthorized
	case kumbara.KindForbidden:
		return http.StatusForbidden
	case kumbara.KindNotFound:
		return http.StatusNotFound
	case kumbara.KindConflict:
		return http.StatusConflict
	case kumbara.KindGone:
		return http.StatusGone
	case kumbara.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case kumbara.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case kumbara.KindRateLimited:
		return http.StatusTooManyRequests
	case kumbara.KindUnavailable, kumbara.KindOutcomeUnknown:
		return http.StatusServiceUnavailable
	case kumbara.KindMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case kumbara.KindUpgradeRequired:
		return http.StatusUpgradeRequired
	default:
		return http.StatusInternalServerError
	}
}

// problemStatus is the status of a problem answering e: its kind's, except that a body the strict JSON decoding
// refused for its media type is a 415. That one is the JSON problem's own status, not the kind's: the web's script
// steps answer the same error with its kind's 400 (StatusOf), as they always have.
func problemStatus(e *kumbara.Error) int {
	status := StatusOf(e.Kind)
	if status == http.StatusBadRequest && errors.Is(e, kumbara.ErrUnsupportedMediaType) {
		return http.StatusUnsupportedMediaType
	}
	return status
}

// Error answers err as a problem. A domain error keeps its code and field errors; anything else, and any
// KindInternal error, is logged with the request id and answered as a bare 500 "internal", because its text may
// hold SQL, paths or other internals a client must never see. Detail of a domain error is for logs only.
func (s *Responder) Error(w http.ResponseWriter, r *http.Request, err error) {
	err = db.Classify(r.Context(), err) // the database failing is a 503 that says whether anything was done
	e, ok := kumbara.As(err)
	status := http.StatusInternalServerError
	if ok {
		status = problemStatus(e)
	}

	if !ok || status == http.StatusInternalServerError {
		s.logInternal(r, err)
		s.writeProblem(w, r, http.StatusInternalServerError, codeInternal, nil, nil)
		return
	}

	switch status {
	case http.StatusServiceUnavailable:
		// Not a bug of ours but worth an operator's attention: a dependency is down or we are shutting down.
		s.Log().WarnContext(r.Context(), "service unavailable", requestAttrs(r, e)...)
		w.Header().Set("Retry-After", "1")
		if secs, err := strconv.Atoi(e.Params["retry_after"]); err == nil && secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	case http.StatusUnauthorized:
		// RFC 9110 §15.5.2: a 401 names the scheme the client should use. A handler that already said more (an
		// RFC 6750 error="invalid_token") keeps its word.
		if w.Header().Get("WWW-Authenticate") == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara"`)
		}
	case http.StatusTooManyRequests:
		SetRetryAfter(w, e)
	}
	if e.Code == "" || !s.Catalogue.Has(e.Code) {
		// The client still gets the code (it is the contract) and the generic text; this tells us to add a message.
		s.Log().WarnContext(r.Context(), "error code has no message", requestAttrs(r, e)...)
	}
	s.writeProblem(w, r, status, e.Code, e.Fields, e.Params)
}

func (s *Responder) logInternal(r *http.Request, err error) {
	ctx := r.Context()
	attrs := []any{
		slog.String("request_id", RequestID(ctx)),
		slog.String("method", r.Method),
		slog.String("path", LogPath(r.URL.Path)),
		slog.Any("error", err),
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// The client went away; nobody reads the answer and it is not a fault to page anyone about.
		s.Log().InfoContext(ctx, "request canceled by the client", attrs...)
		return
	}
	s.Log().ErrorContext(ctx, "internal error", attrs...)
}

func requestAttrs(r *http.Request, e *kumbara.Error) []any {
	return []any{
		slog.String("request_id", RequestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", LogPath(r.URL.Path)),
		slog.String("code", e.Code),
		slog.String("error", e.Error()),
	}
}

// writeProblem is the one place a problem body is built, so the shape cannot drift between Error, the mux's own
// 404/405, the panic handler and the rate limiter.
func (s *Responder) writeProblem(w http.ResponseWriter, r *http.Request, status int, code string, fields []kumbara.FieldError, params map[string]string) {
	if code == "" {
		code = codeInternal
	}
	lang := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	p := Problem{
		Type:   ProblemTypePrefix + code,
		Title:  s.Catalogue.Message(lang, code, nil),
		Status: status,
		Code:   code,
		// Detail is the same text with this occurrence's parameters, e.g. the limit that was exceeded.
		Detail:    s.Catalogue.Message(lang, code, params),
		Instance:  r.URL.Path,
		Errors:    fields,
		RequestID: RequestID(r.Context()),
	}
	if s.Metrics != nil {
		s.Metrics.Failures.WithLabelValues(code).Inc()
	}

	// Problem holds only strings, ints and string pairs: encoding it cannot fail.
	body, _ := json.Marshal(p)
	body = append(body, '\n')
	h := w.Header()
	// Whatever order the middleware runs in (a recovered panic resets headers), an error is never cached or sniffed.
	setSecurityHeaders(h)
	h.Set("Content-Type", contentTypeProblem)
	h.Set("Content-Language", string(lang))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// JSON answers v as JSON with status. v is encoded before anything is written, so an encoding failure still becomes
// a clean 500 problem rather than half a body after a 200.
func (s *Responder) JSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	if status == http.StatusNoContent || status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	body = append(body, '\n')
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// RetryAfter is how many seconds a refusal asks to wait before trying again (its retry_after parameter), and
// whether it says.
func RetryAfter(err error) (int, bool) {
	e, ok := kumbara.As(err)
	if !ok {
		return 0, false
	}
	secs, perr := strconv.Atoi(e.Params["retry_after"])
	if perr != nil || secs <= 0 {
		return 0, false
	}
	return secs, true
}

// SetRetryAfter sets Retry-After (RFC 9110 §10.2.3, in seconds) from a refusal that says how long to wait; both
// faces answer every 429 with it.
func SetRetryAfter(w http.ResponseWriter, err error) {
	if secs, ok := RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
}
