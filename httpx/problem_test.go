package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/i18n"
	"github.com/prometheus/client_golang/prometheus"
)

// syncBuffer lets handlers running on server goroutines log while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	s    *Responder
	logs *syncBuffer
	cat  *i18n.Catalogue
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &fixture{s: NewResponder(cat, logger, metrics), logs: logs, cat: cat}
}

// logLines decodes the JSON log lines written so far.
func (f *fixture) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for line := range strings.Lines(f.logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		lines = append(lines, m)
	}
	return lines
}

// scrape returns the metrics exposition text.
func (f *fixture) scrape(t *testing.T) string {
	t.Helper()
	rec := httptest.NewRecorder()
	f.s.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics status %d", rec.Code)
	}
	return rec.Body.String()
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	return p
}

func TestErrorAnswersEachKindWithItsStatusCodeAndLanguage(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		kind   kumbara.Kind
		code   string
		status int
	}{
		{kumbara.KindInvalid, "iban_invalid", http.StatusBadRequest},
		{kumbara.KindUnauthorized, "session_expired", http.StatusUnauthorized},
		{kumbara.KindForbidden, "password_change_required", http.StatusForbidden},
		{kumbara.KindNotFound, "account_not_found", http.StatusNotFound},
		{kumbara.KindConflict, "idempotency_key_reused", http.StatusConflict},
		{kumbara.KindGone, "otp_expired", http.StatusGone},
		{kumbara.KindTooLarge, "body_too_large", http.StatusRequestEntityTooLarge},
		{kumbara.KindUnprocessable, "insufficient_funds", http.StatusUnprocessableEntity},
		{kumbara.KindRateLimited, "otp_too_many_attempts", http.StatusTooManyRequests},
		{kumbara.KindUnavailable, "unavailable", http.StatusServiceUnavailable},
		{kumbara.KindOutcomeUnknown, "outcome_unknown", http.StatusServiceUnavailable},
		{kumbara.KindInvalid, "unsupported_media_type", http.StatusUnsupportedMediaType},
		{kumbara.KindMethodNotAllowed, "method_not_allowed", http.StatusMethodNotAllowed},
		{kumbara.KindUpgradeRequired, "app_update_required", http.StatusUpgradeRequired},
	}
	langs := []struct {
		header string
		lang   i18n.Lang
	}{
		{"", i18n.SQ},
		{"sq-AL", i18n.SQ},
		{"en-GB,en;q=0.9", i18n.EN},
	}
	for _, tt := range tests {
		for _, l := range langs {
			t.Run(fmt.Sprintf("%s/%s", tt.code, l.lang), func(t *testing.T) {
				r := httptest.NewRequest(http.MethodPost, "/api/v1/transfers?token=secret", nil)
				r.Header.Set("Accept-Language", l.header)
				rec := httptest.NewRecorder()
				f.s.Error(rec, r, fmt.Errorf("wrapped: %w", kumbara.Errorf(tt.kind, tt.code, "log-only detail")))

				if rec.Code != tt.status {
					t.Errorf("status = %d, want %d", rec.Code, tt.status)
				}
				p := decodeProblem(t, rec)
				want := f.cat.Message(l.lang, tt.code, nil)
				if p.Type != "urn:kumbara:problem:"+tt.code || p.Code != tt.code || p.Status != tt.status ||
					p.Title != want || p.Detail != want || p.Instance != "/api/v1/transfers" {
					t.Errorf("problem = %+v, want code %s, status %d, title and detail %q", p, tt.code, tt.status, want)
				}
				if got := rec.Header().Get("Content-Language"); got != string(l.lang) {
					t.Errorf("Content-Language = %q, want %q", got, l.lang)
				}
				if strings.Contains(rec.Body.String(), "log-only detail") {
					t.Error("the log-only Detail reached the client")
				}
			})
		}
	}
}

func TestErrorProblemJSONShape(t *testing.T) {
	f := newFixture(t)
	r := httptest.NewRequest(http.MethodPost, "/api/v1/transfers", nil)
	r.Header.Set("Accept-Language", "en")
	r = r.WithContext(contextWithRequestID(r, "req-123"))
	rec := httptest.NewRecorder()
	f.s.Error(rec, r, kumbara.Invalid("validation_failed",
		kumbara.FieldError{Field: "amount", Code: "amount_too_many_decimals"},
		kumbara.FieldError{Field: "creditor_iban", Code: "iban_invalid"}))

	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type":     "urn:kumbara:problem:validation_failed",
		"title":    "Some of the information provided is not valid. Please check the marked fields.",
		"status":   float64(400),
		"code":     "validation_failed",
		"detail":   "Some of the information provided is not valid. Please check the marked fields.",
		"instance": "/api/v1/transfers",
		"errors": []any{
			map[string]any{"field": "amount", "code": "amount_too_many_decimals"},
			map[string]any{"field": "creditor_iban", "code": "iban_invalid"},
		},
		"request_id": "req-123",
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("problem\n got %s\nwant %s", gotJSON, wantJSON)
	}
}

func TestErrorFillsParametersIntoDetailButNotTitle(t *testing.T) {
	f := newFixture(t)
	e := kumbara.Invalid("description_too_long", kumbara.FieldError{Field: "description", Code: "description_too_long"})
	e.Params = map[string]string{"max": "140"}
	r := httptest.NewRequest(http.MethodPost, "/api/v1/transfers", nil)
	r.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	f.s.Error(rec, r, e)
	p := decodeProblem(t, rec)
	if p.Title != "The description is too long." || p.Detail != "The description is too long (at most 140 characters)." {
		t.Errorf("title %q, detail %q", p.Title, p.Detail)
	}
}

func TestErrorHidesInternalsAndLogsThemWithTheRequestID(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"a plain error", errors.New(`pq: relation "accounts" does not exist at /srv/kumbara/ledger.go:42`)},
		{"a KindInternal domain error", &kumbara.Error{Kind: kumbara.KindInternal, Code: "ledger_unbalanced", Detail: `relation "accounts"`}},
		{"an unknown kind", &kumbara.Error{Kind: kumbara.Kind(99), Code: "weird", Detail: `relation "accounts"`}},
		{"a nil error", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
			r = r.WithContext(contextWithRequestID(r, "req-abc"))
			rec := httptest.NewRecorder()
			f.s.Error(rec, r, tt.err)

			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status = %d, want 500", rec.Code)
			}
			body := rec.Body.String()
			p := decodeProblem(t, rec)
			if p.Code != "internal" || p.Type != "urn:kumbara:problem:internal" || p.RequestID != "req-abc" {
				t.Errorf("problem = %+v", p)
			}
			for _, leak := range []string{"relation", "accounts\"", "ledger", "weird", ".go"} {
				if strings.Contains(body, leak) {
					t.Errorf("body leaks %q: %s", leak, body)
				}
			}
			lines := f.logLines(t)
			if len(lines) != 1 || lines[0]["level"] != "ERROR" || lines[0]["request_id"] != "req-abc" {
				t.Fatalf("logs = %v, want one ERROR line with the request id", lines)
			}
			if tt.err != nil && !strings.Contains(fmt.Sprint(lines[0]["error"]), "relation") {
				t.Errorf("the log does not carry the cause: %v", lines[0])
			}
		})
	}
}

func TestErrorCountsFailuresByCode(t *testing.T) {
	f := newFixture(t)
	for _, err := range []error{
		kumbara.Errorf(kumbara.KindUnprocessable, "insufficient_funds", ""),
		kumbara.Errorf(kumbara.KindUnprocessable, "insufficient_funds", ""),
		errors.New("boom"),
	} {
		f.s.Error(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil), err)
	}
	metrics := f.scrape(t)
	for _, want := range []string{
		`kumbara_api_failures_total{code="insufficient_funds"} 2`,
		`kumbara_api_failures_total{code="internal"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestErrorAddsTheHeadersItsStatusCallsFor(t *testing.T) {
	f := newFixture(t)
	limited := kumbara.Errorf(kumbara.KindRateLimited, "otp_too_many_attempts", "")
	limited.Params = map[string]string{"retry_after": "30"}
	badRetry := kumbara.Errorf(kumbara.KindRateLimited, "rate_limited", "")
	badRetry.Params = map[string]string{"retry_after": "soon\r\nX-Evil: 1"}
	tests := []struct {
		name         string
		err          error
		header, want string
	}{
		{"401 names the bearer scheme", kumbara.Errorf(kumbara.KindUnauthorized, "unauthenticated", ""), "WWW-Authenticate", `Bearer realm="kumbara"`},
		{"429 passes retry_after on", limited, "Retry-After", "30"},
		{"429 ignores a retry_after that is not a number", badRetry, "Retry-After", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			f.s.Error(rec, httptest.NewRequest(http.MethodPost, "/", nil), tt.err)
			if got := rec.Header().Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestErrorKeepsAChallengeTheHandlerAlreadySet(t *testing.T) {
	f := newFixture(t)
	rec := httptest.NewRecorder()
	rec.Header().Set("WWW-Authenticate", `Bearer realm="kumbara", error="invalid_token"`)
	f.s.Error(rec, httptest.NewRequest(http.MethodGet, "/", nil), kumbara.Errorf(kumbara.KindUnauthorized, "session_expired", ""))
	if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="kumbara", error="invalid_token"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
}

func TestErrorWithAnUntranslatedCodeKeepsTheCodeAndWarns(t *testing.T) {
	f := newFixture(t)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	f.s.Error(rec, r, kumbara.Errorf(kumbara.KindConflict, "brand_new_code", ""))
	p := decodeProblem(t, rec)
	if rec.Code != http.StatusConflict || p.Code != "brand_new_code" || p.Title != f.cat.Message(i18n.EN, "internal", nil) {
		t.Errorf("status %d, problem %+v", rec.Code, p)
	}
	if lines := f.logLines(t); len(lines) != 1 || lines[0]["level"] != "WARN" {
		t.Errorf("logs = %v, want one warning", lines)
	}
}

func TestErrorToAHeadRequestHasNoBody(t *testing.T) {
	f := newFixture(t)
	rec := httptest.NewRecorder()
	f.s.Error(rec, httptest.NewRequest(http.MethodHead, "/", nil), kumbara.Errorf(kumbara.KindNotFound, "not_found", ""))
	if rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
		t.Errorf("status %d, body %q", rec.Code, rec.Body.String())
	}
}

func TestJSON(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name        string
		status      int
		v           any
		wantStatus  int
		wantType    string
		wantBody    string
		wantContain string
	}{
		{"writes the value with its status", http.StatusCreated, map[string]string{"id": "a1"}, http.StatusCreated, "application/json", "{\"id\":\"a1\"}\n", ""},
		{"no content has no body", http.StatusNoContent, nil, http.StatusNoContent, "", "", ""},
		{"a value that cannot be encoded is a 500 problem", http.StatusOK, map[string]any{"c": make(chan int)}, http.StatusInternalServerError, "application/problem+json", "", `"code":"internal"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			f.s.JSON(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.status, tt.v)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantStatus || rec.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
			if tt.wantContain != "" && !strings.Contains(string(body), tt.wantContain) {
				t.Errorf("body = %q, want it to contain %q", body, tt.wantContain)
			}
		})
	}
}
