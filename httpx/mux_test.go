package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func answer(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) })
}

func TestAPatternServedTwiceAnswersBrowsersWithThePage(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.Handle("GET /dev/inbox", answer("json"))
	mux.HandlePage("GET /dev/inbox", answer("page"))
	mux.HandlePage("GET /login", answer("login page"))
	mux.Handle("GET /api/v1/me", answer("me"))
	h := f.stack(mux)
	for _, tt := range []struct{ path, accept, want string }{
		{"/dev/inbox", "text/html,application/xhtml+xml,*/*;q=0.8", "page"},
		{"/dev/inbox", "application/json", "json"},
		{"/dev/inbox", "", "json"},
		{"/login", "application/json", "login page"},
		{"/api/v1/me", "text/html", "me"},
	} {
		r := httptest.NewRequest(http.MethodGet, tt.path, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if got := rec.Body.String(); got != tt.want {
			t.Errorf("%s with Accept %q: %q, want %q", tt.path, tt.accept, got, tt.want)
		}
	}
}

func TestAPatternRegisteredTwiceForTheSameClientsPanics(t *testing.T) {
	mux := NewMux()
	mux.Handle("GET /x", answer(""))
	defer func() {
		if recover() == nil {
			t.Error("a second Handle of the same pattern was accepted")
		}
	}()
	mux.Handle("GET /x", answer(""))
}

func TestABrowserGetsTheNotFoundPageAndEveryoneElseAProblem(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.Handle("GET /healthz", answer("ok"))
	mux.HandleNotFound(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<h1>not here</h1>")
	}))
	h := f.stack(mux)
	for _, tt := range []struct{ method, path, accept, wantType string }{
		{http.MethodGet, "/nowhere", "text/html", "text/html; charset=utf-8"},
		{http.MethodGet, "/nowhere", "application/json", contentTypeProblem},
		{http.MethodGet, "/api/v1/nowhere", "text/html", contentTypeProblem},
		{http.MethodPost, "/nowhere", "text/html", contentTypeProblem},
	} {
		r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(""))
		r.Header.Set("Accept", tt.accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != tt.wantType {
			t.Errorf("%s %s (%s): %d %q, want 404 %q", tt.method, tt.path, tt.accept, rec.Code,
				rec.Header().Get("Content-Type"), tt.wantType)
		}
	}
}
