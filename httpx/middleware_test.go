package httpx

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func contextWithRequestID(r *http.Request, id string) context.Context {
	return context.WithValue(r.Context(), requestIDKey, id)
}

// stack is the recommended order of the middleware around mux.
func (f *fixture) stack(mux *Mux) http.Handler {
	return Chain(f.s.Dispatch(mux), AssignRequestID, SecurityHeaders, f.s.AccessLog, f.s.Instrument, f.s.Recover)
}

func TestChainAppliesTheFirstMiddlewareOutermost(t *testing.T) {
	var order []string
	mark := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }),
		mark("a"), mark("b"), mark("c"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if got := strings.Join(order, ","); got != "a,b,c,handler" {
		t.Errorf("order = %s", got)
	}
}

func TestAssignRequestID(t *testing.T) {
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"keeps a sane incoming id", "abc-DEF_123", true},
		{"keeps an id of 64 characters", strings.Repeat("a", 64), true},
		{"generates one when none is sent", "", false},
		{"replaces one that is too long", strings.Repeat("a", 65), false},
		{"replaces one with spaces", "abc def", false},
		{"replaces one that could forge log lines", "abc\",\"level\":\"ERROR", false},
		{"replaces one with non-ASCII letters", "përshëndetje", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inContext string
			h := AssignRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inContext = RequestID(r.Context())
			}))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.incoming != "" {
				r.Header.Set(HeaderRequestID, tt.incoming)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)

			echoed := rec.Header().Get(HeaderRequestID)
			if echoed == "" || echoed != inContext {
				t.Fatalf("header %q, context %q: want the same non-empty id", echoed, inContext)
			}
			if tt.keep != (echoed == tt.incoming) {
				t.Errorf("id = %q for incoming %q, keep = %v", echoed, tt.incoming, tt.keep)
			}
			if !validRequestID(echoed) {
				t.Errorf("generated id %q is not itself a valid id", echoed)
			}
		})
	}
}

func TestGeneratedRequestIDsDiffer(t *testing.T) {
	seen := map[string]bool{}
	h := AssignRequestID(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for range 100 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		id := rec.Header().Get(HeaderRequestID)
		if seen[id] {
			t.Fatalf("id %q generated twice", id)
		}
		seen[id] = true
	}
}

func TestSecurityHeadersAreOnEveryAnswer(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/ok", func(w http.ResponseWriter, r *http.Request) { f.s.JSON(w, r, http.StatusOK, "ok") })
	mux.HandleFunc("GET /api/v1/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := f.stack(mux)
	for _, path := range []string{"/api/v1/ok", "/api/v1/panic", "/api/v1/missing"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "no-store",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := rec.Header().Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
	}
}

func TestPanicBecomesA500ProblemWithoutTheStack(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("POST /api/v1/transfers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "half=done")
		w.Header().Set("Content-Type", "application/json")
		panic("secret-panic-value: nil map in ledger.post")
	})
	r := httptest.NewRequest(http.MethodPost, "/api/v1/transfers", nil)
	r.Header.Set(HeaderRequestID, "panic-req")
	rec := httptest.NewRecorder()
	f.stack(mux).ServeHTTP(rec, r)

	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	p := decodeProblem(t, rec)
	if p.Code != "internal" || p.RequestID != "panic-req" {
		t.Errorf("problem = %+v", p)
	}
	for _, leak := range []string{"secret-panic-value", "goroutine", ".go:", "ledger"} {
		if strings.Contains(body, leak) {
			t.Errorf("body leaks %q: %s", leak, body)
		}
	}
	if rec.Header().Get("Set-Cookie") != "" {
		t.Error("a header set by the panicking handler reached the client")
	}
	if rec.Header().Get(HeaderRequestID) != "panic-req" {
		t.Error("the request id header set before the panic was lost")
	}

	var panicLine, accessLine map[string]any
	for _, line := range f.logLines(t) {
		switch line["msg"] {
		case "panic":
			panicLine = line
		case "request":
			accessLine = line
		}
	}
	if panicLine == nil || !strings.Contains(panicLine["stack"].(string), "goroutine") ||
		panicLine["request_id"] != "panic-req" || !strings.Contains(panicLine["panic"].(string), "secret-panic-value") {
		t.Errorf("panic log = %v, want the value, the stack and the request id", panicLine)
	}
	if accessLine == nil || accessLine["status"] != float64(500) || accessLine["route"] != "POST /api/v1/transfers" {
		t.Errorf("access log = %v, want status 500 and the route", accessLine)
	}
}

func TestProblemsCarrySecurityHeadersWhateverTheMiddlewareOrder(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	// SecurityHeaders inside Recover: the headers it set are dropped with the panicking handler's.
	h := Chain(f.s.Dispatch(mux), AssignRequestID, f.s.Recover, SecurityHeaders)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/panic", nil))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Cache-Control") != "no-store" ||
		rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("status %d, headers %v", rec.Code, rec.Header())
	}
}

func TestPanicAfterTheAnswerStartedAbortsTheConnection(t *testing.T) {
	f := newFixture(t)
	h := f.s.Recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"partial":`)
		panic("boom")
	}))
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}

func TestAccessLogRecordsTheRequestButNotItsSecrets(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.s.JSON(w, r, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	r := httptest.NewRequest(http.MethodGet, "/api/v1/accounts/acc-1?otp=123456&token=s3cr3t", nil)
	r.Header.Set("Authorization", "Bearer top-secret-token")
	r.Header.Set(HeaderRequestID, "log-req")
	r.RemoteAddr = "203.0.113.7:5555"
	rec := httptest.NewRecorder()
	f.stack(mux).ServeHTTP(rec, r)

	logs := f.logs.String()
	for _, secret := range []string{"123456", "s3cr3t", "top-secret-token", "otp=", "Authorization"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q: %s", secret, logs)
		}
	}
	lines := f.logLines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1: %s", len(lines), logs)
	}
	want := map[string]any{
		"msg":        "request",
		"method":     "GET",
		"route":      "GET /api/v1/accounts/{id}",
		"path":       "/api/v1/accounts/acc-1",
		"status":     float64(200),
		"bytes":      float64(rec.Body.Len()),
		"request_id": "log-req",
		"remote_ip":  "203.0.113.7",
	}
	for k, v := range want {
		if lines[0][k] != v {
			t.Errorf("log %s = %v, want %v", k, lines[0][k], v)
		}
	}
	if _, ok := lines[0]["duration_ms"].(float64); !ok {
		t.Errorf("log has no duration_ms: %v", lines[0])
	}
}

func TestDispatchAnswersUnroutedRequestsWithProblems(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/accounts", func(w http.ResponseWriter, r *http.Request) { f.s.JSON(w, r, http.StatusOK, []string{}) })
	mux.HandleFunc("POST /api/v1/accounts", func(w http.ResponseWriter, r *http.Request) { f.s.JSON(w, r, http.StatusCreated, "x") })
	h := f.stack(mux)
	tests := []struct {
		name, method, path string
		status             int
		code, allow        string
	}{
		{"an unknown path is not_found", http.MethodGet, "/api/v1/nothing", http.StatusNotFound, "not_found", ""},
		{"a known path with another method is method_not_allowed", http.MethodDelete, "/api/v1/accounts", http.StatusMethodNotAllowed, "method_not_allowed", "GET, HEAD, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			r.Header.Set("Accept-Language", "en")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			p := decodeProblem(t, rec)
			if rec.Code != tt.status || p.Code != tt.code || p.Title != f.cat.Message("en", tt.code, nil) {
				t.Errorf("status %d problem %+v, want %d %s", rec.Code, p, tt.status, tt.code)
			}
			if got := rec.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

func TestDispatchLeavesAHandlersOwn404Alone(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.s.Error(w, r, errAccountNotFound)
	})
	rec := httptest.NewRecorder()
	f.stack(mux).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/accounts/other-customers", nil))
	if p := decodeProblem(t, rec); rec.Code != http.StatusNotFound || p.Code != "account_not_found" {
		t.Errorf("status %d code %q, want 404 account_not_found", rec.Code, p.Code)
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"203.0.113.7:443", "203.0.113.7"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		{"[::ffff:203.0.113.7]:443", "203.0.113.7"},
		{"[fe80::1%eth0]:443", "fe80::1"},
		{"203.0.113.7", "203.0.113.7"},
		{"garbage", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.remote
		r.Header.Set("X-Forwarded-For", "198.51.100.1")
		if got := ClientIP(r); got != tt.want {
			t.Errorf("ClientIP(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}
