package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/prometheus/client_golang/prometheus"
)

var errAccountNotFound = kumbara.Errorf(kumbara.KindNotFound, "account_not_found", "")

func TestMetricsAreExposedByRoutePattern(t *testing.T) {
	f := newFixture(t)
	mux := NewMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "missing" {
			f.s.Error(w, r, errAccountNotFound)
			return
		}
		f.s.JSON(w, r, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	h := f.stack(mux)
	for _, req := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/accounts/a1"},
		{http.MethodGet, "/api/v1/accounts/a2"},
		{http.MethodGet, "/api/v1/accounts/missing"},
		{http.MethodGet, "/api/v1/no/such/path/1"},
		{http.MethodGet, "/api/v1/no/such/path/2"},
		{"BREW", "/api/v1/accounts/a1"},
	} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(req.method, req.path, nil))
	}
	f.s.Metrics.PostingsTotal.Add(2)
	f.s.Metrics.TransfersTotal.WithLabelValues("completed").Inc()

	metrics := f.scrape(t)
	for _, want := range []string{
		`kumbara_http_requests_total{method="GET",route="GET /api/v1/accounts/{id}",status="200"} 2`,
		`kumbara_http_requests_total{method="GET",route="GET /api/v1/accounts/{id}",status="404"} 1`,
		`kumbara_http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`kumbara_http_requests_total{method="OTHER",route="unmatched",status="405"} 1`,
		`kumbara_http_request_duration_seconds_count{method="GET",route="GET /api/v1/accounts/{id}"} 3`,
		`kumbara_api_failures_total{code="account_not_found"} 1`,
		`kumbara_api_failures_total{code="not_found"} 2`,
		`kumbara_ledger_postings_total 2`,
		`kumbara_transfers_total{status="completed"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, leak := range []string{"/api/v1/accounts/a1", "no/such/path", "BREW"} {
		if strings.Contains(metrics, leak) {
			t.Errorf("a client-chosen value %q became a label", leak)
		}
	}
}

func TestEachServerCanHaveItsOwnRegistry(t *testing.T) {
	for range 3 {
		if _, err := NewMetrics(prometheus.NewRegistry()); err != nil {
			t.Fatalf("NewMetrics on a fresh registry: %v", err)
		}
	}
	reg := prometheus.NewRegistry()
	if _, err := NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering twice on one registry succeeded, want an error")
	}
}
