package httpx

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds Kumbara's Prometheus collectors. They live on a registry the caller passes in, never the global
// default, so a test can build as many servers as it likes without "duplicate metrics collector" panics.
type Metrics struct {
	// Requests counts answered HTTP requests by method, route pattern and status.
	Requests *prometheus.CounterVec
	// Duration observes request latency by method and route pattern.
	Duration *prometheus.HistogramVec
	// Failures counts problems answered, by their stable code: the rate of insufficient_funds or otp_invalid is a
	// business signal that a status code alone hides.
	Failures *prometheus.CounterVec
	// PostingsTotal counts ledger postings written; the ledger increments it.
	PostingsTotal prometheus.Counter
	// TransfersTotal counts transfers by final status; the transfer service increments it.
	TransfersTotal *prometheus.CounterVec
	// BatchSize and BatchSeconds describe the ledger's group commits: how many ops each transaction carried and
	// how long it took — the first place to look when transfer latency grows.
	BatchSize    prometheus.Histogram
	BatchSeconds prometheus.Histogram
	// JobsFailed counts background jobs that failed for good, by kind: each waits for staff (`kumbara admin jobs`)
	// to retry or discard it, so any increase wants a look.
	JobsFailed *prometheus.CounterVec
	// AuditHead is the audit chain's head, published every minute: its sequence number, labelled with its hash.
	// Kept by the metrics' history outside the bank's database, it shows a cut-off tail (kumbara audit verify --head).
	AuditHead *prometheus.GaugeVec

	gatherer prometheus.Gatherer
}

// NewMetrics creates the collectors and registers them on reg.
func NewMetrics(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kumbara_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kumbara_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kumbara_api_failures_total",
			Help: "Problems answered by the API, by code.",
		}, []string{"code"}),
		PostingsTotal: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kumbara_ledger_postings_total",
			Help: "Ledger postings written.",
		}),
		TransfersTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kumbara_transfers_total",
			Help: "Transfers by status.",
		}, []string{"status"}),
		BatchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kumbara_ledger_batch_ops",
			Help:    "Ops per ledger group commit.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}),
		BatchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kumbara_ledger_batch_seconds",
			Help:    "Time of one ledger group commit, from begin to commit.",
			Buckets: []float64{.0005, .001, .002, .004, .008, .016, .032, .064, .128, .256, .512},
		}),
		JobsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kumbara_jobs_failed_total",
			Help: "Background jobs that failed for good after their last attempt, by kind.",
		}, []string{"kind"}),
		AuditHead: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "kumbara_audit_head",
			Help: "The audit chain's head: its sequence number, labelled with its hash.",
		}, []string{"hash"}),
		gatherer: reg,
	}
	for _, c := range []prometheus.Collector{m.Requests, m.Duration, m.Failures, m.PostingsTotal, m.TransfersTotal,
		m.BatchSize, m.BatchSeconds, m.JobsFailed, m.AuditHead} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler serves the registry in the Prometheus exposition format, for /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.gatherer, promhttp.HandlerOpts{})
}

// metricMethod keeps the method label to a fixed set: the method is chosen by the client, and every distinct label
// value is a new time series held in memory forever.
func metricMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodOptions:
		return method
	default:
		return "OTHER"
	}
}
