package httpx

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/audit"
)

// HeaderRequestID carries the request id both ways: a client or proxy may send one to correlate its logs with
// ours, and every answer echoes the id we used.
const HeaderRequestID = "X-Request-Id"

// routeUnmatched labels requests no pattern matched: the raw path would give an attacker an unbounded number of
// time series.
const routeUnmatched = "unmatched"

type contextKey int

const (
	requestIDKey contextKey = iota
	routeKey
)

// Chain wraps h in mw, the first outermost: Chain(h, a, b) is a(b(h)).
func Chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// RequestID returns the request id put in ctx by AssignRequestID, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// AssignRequestID gives every request an id, in its context and in the X-Request-Id answer header. A sane incoming
// id is kept so a caller can follow one request across systems; anything else is replaced, because the id goes into
// logs and an attacker must not be able to forge log lines or bloat them through it.
func AssignRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(HeaderRequestID)
		if !validRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set(HeaderRequestID, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// AuditOrigin puts the request's id and client address in its context for the audit log (audit.WithOrigin): the
// domain appends its entries deep in its transactions and reads them there, so no signature between has to carry
// them. It runs after ClientAddress and AssignRequestID.
func AuditOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := audit.Origin{RequestID: RequestID(r.Context()), Client: ClientIP(r)}
		next.ServeHTTP(w, r.WithContext(audit.WithOrigin(r.Context(), o)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := range len(id) {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// SecurityHeaders sets the headers every answer carries, whichever face gives it: no MIME sniffing of JSON into
// something executable, no caching of account data by browsers or proxies, and no Referer leaking our URLs to other
// sites. A handler may still override them (a public, cacheable resource; a page's own Referrer-Policy).
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		next.ServeHTTP(w, r)
	})
}

func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
}

// routeInfo is filled in by Dispatch once the mux has picked a pattern and read by the access log and the metrics,
// which run outside the mux and so never see the request the mux annotates with Pattern.
type routeInfo struct {
	pattern string
}

// withRoute returns the request's route holder, adding one if no outer middleware did.
func withRoute(r *http.Request) (*http.Request, *routeInfo) {
	if ri, ok := r.Context().Value(routeKey).(*routeInfo); ok {
		return r, ri
	}
	ri := &routeInfo{}
	return r.WithContext(context.WithValue(r.Context(), routeKey, ri)), ri
}

func (ri *routeInfo) label() string {
	if ri.pattern == "" {
		return routeUnmatched
	}
	return ri.pattern
}

// statusWriter remembers the status and the size of an answer for the access log, the metrics and the panic
// handler.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (sw *statusWriter) WriteHeader(status int) {
	// 1xx answers are interim; the final status comes later.
	if sw.status == 0 && (status >= 200 || status == http.StatusSwitchingProtocols) {
		sw.status = status
	}
	sw.ResponseWriter.WriteHeader(status)
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	n, err := sw.ResponseWriter.Write(b)
	sw.bytes += int64(n)
	return n, err
}

// Flush keeps streaming answers working through the wrapper for handlers that type-assert http.Flusher.
func (sw *statusWriter) Flush() {
	_ = http.NewResponseController(sw.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the server's writer (deadlines, hijacking).
func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// finalStatus is what the client got: net/http answers 200 for a handler that wrote nothing, and a handler that
// panicked without writing had its connection aborted, which we count as 500.
func (sw *statusWriter) finalStatus(completed bool) int {
	switch {
	case sw.status != 0:
		return sw.status
	case completed:
		return http.StatusOK
	default:
		return http.StatusInternalServerError
	}
}

// AccessLog writes one JSON log line per request. It logs the path but never the query string, headers or body:
// those carry tokens, one-time codes and personal data.
func (s *Responder) AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, ri := withRoute(r)
		sw := &statusWriter{ResponseWriter: w}
		completed := false
		defer func() {
			s.Log().LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("method", r.Method),
				slog.String("route", ri.label()),
				slog.String("path", LogPath(r.URL.Path)),
				slog.Int("status", sw.finalStatus(completed)),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.Int64("bytes", sw.bytes),
				slog.String("remote_ip", ClientIP(r)),
			)
		}()
		next.ServeHTTP(sw, r)
		completed = true
	})
}

// Instrument counts requests and observes their duration by method and route pattern.
func (s *Responder) Instrument(next http.Handler) http.Handler {
	if s.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, ri := withRoute(r)
		sw := &statusWriter{ResponseWriter: w}
		completed := false
		defer func() {
			method, route := metricMethod(r.Method), ri.label()
			s.Metrics.Requests.WithLabelValues(method, route, strconv.Itoa(sw.finalStatus(completed))).Inc()
			s.Metrics.Duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
		completed = true
	})
}

// Recover turns a panic in a handler into a logged stack trace and a 500 problem. The stack goes to the log only:
// it names our code and data, which is exactly what a client must not see.
func (s *Responder) Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		// Headers set by outer middleware (request id, security headers) must survive; whatever the panicking
		// handler added (a cookie, a Location) must not reach the client with the error.
		before := w.Header().Clone()
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // a deliberate abort, not a bug: let net/http close the connection quietly
			}
			s.Log().LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("method", r.Method),
				slog.String("path", LogPath(r.URL.Path)),
				slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())),
			)
			if sw.status != 0 {
				// The status and maybe part of a body are gone; aborting shows the client a broken answer rather
				// than one that looks complete.
				panic(http.ErrAbortHandler)
			}
			h := w.Header()
			clear(h)
			for k, v := range before {
				h[k] = v
			}
			s.writeProblem(w, r, http.StatusInternalServerError, codeInternal, nil, nil)
		}()
		next.ServeHTTP(sw, r)
	})
}

// Handler is mux with the middleware every face shares, outermost first: the client's address (behind the trusted
// proxies), the request id, the security headers, the access log, the metrics and panic recovery. The access log
// and the metrics sit outside recovery so they see the 500 a panic becomes.
//
// inner middleware, if any, runs inside recovery, around the mux (e.g. Scoped with the database's request scope).
func (s *Responder) Handler(mux *Mux, proxies Proxies, inner ...func(http.Handler) http.Handler) http.Handler {
	mw := []func(http.Handler) http.Handler{ClientAddress(proxies), AssignRequestID, AuditOrigin, SecurityHeaders, s.AccessLog,
		s.Instrument, s.Recover}
	return Chain(s.Dispatch(mux), append(mw, inner...)...)
}

// Scoped runs every request under the context scope derives from it (the database's per-request deadline and its
// record of whether the request wrote: db.DB.Scope), and ends the scope with the request.
func Scoped(scope func(context.Context) (context.Context, context.CancelFunc)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := scope(r.Context())
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
