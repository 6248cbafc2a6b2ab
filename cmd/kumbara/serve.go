package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"slices"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/channels"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// serveConfig is `kumbara serve`'s command line: the shared settings and the server's own.
type serveConfig struct {
	config
	addr          string
	workers       int
	debugAddr     string
	metricsAddr   string
	secureCookies bool
	minApp        string
	demo          bool
	proxies       httpx.Proxies
	// benchAudit honours the bench's request to post a transfer without its audit entry (benchAuditHeader), so
	// one run measures transfers with and without the audit on the same server. For `scripts/bench.sh` only.
	benchAudit bool
}

// benchAuditHeader is the header a bench request carries to post its transfer without its audit entry; only a
// server started with --bench-audit-switch reads it.
const benchAuditHeader = "X-Kumbara-Bench-Audit"

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (*serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c serveConfig
	c.register(fs, getenv)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "KUMBARA_ADDR", "127.0.0.1:8080"), "listen address (KUMBARA_ADDR)")
	fs.IntVar(&c.workers, "ledger-workers", atoiOr(getenv("KUMBARA_LEDGER_WORKERS"), 0), "group-commit workers; 0 picks per engine (KUMBARA_LEDGER_WORKERS)")
	fs.StringVar(&c.debugAddr, "debug-addr", getenv("KUMBARA_DEBUG_ADDR"), "if set, serve Go's pprof profiles on this address (keep it private) (KUMBARA_DEBUG_ADDR)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", getenv("KUMBARA_METRICS_ADDR"),
		"if set, serve Prometheus metrics at /metrics on this address, apart from the bank's (keep it private) (KUMBARA_METRICS_ADDR)")
	fs.BoolVar(&c.secureCookies, "secure-cookies", getenv("KUMBARA_SECURE_COOKIES") == "true",
		"the bank is reached over HTTPS: Secure, __Host- cookies and HSTS (KUMBARA_SECURE_COOKIES=true)")
	fs.StringVar(&c.minApp, "min-app-version", getenv("KUMBARA_MIN_APP_VERSION"),
		"oldest mobile app version (X-App-Version) served: 2.3.0 for every platform, or per platform (X-App-Platform) "+
			"ios=2.3.0,android=2.1.0; older apps get 426 (KUMBARA_MIN_APP_VERSION)")
	fs.BoolVar(&c.demo, "demo", getenv("KUMBARA_DEMO") == "true", "seed a demo bank once and serve the sandbox inbox at /dev/inbox (KUMBARA_DEMO=true)")
	fs.BoolVar(&c.benchAudit, "bench-audit-switch", false,
		"benchmarking only: a request with "+benchAuditHeader+": off posts its transfer without its audit entry, so `kumbara bench` compares both in one run")
	trusted := fs.String("trusted-proxies", getenv("KUMBARA_TRUSTED_PROXIES"),
		"comma-separated addresses or CIDR prefixes of the bank's own reverse proxies; only their X-Forwarded-For is read for rate limits and logs (KUMBARA_TRUSTED_PROXIES)")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	proxies, err := httpx.ParseProxies(*trusted)
	if err != nil {
		return nil, usageError{fmt.Errorf("--trusted-proxies: %w", err)}
	}
	c.proxies = proxies
	if _, err := device.ParseAppVersions(c.minApp); err != nil {
		return nil, usageError{fmt.Errorf("--min-app-version %q: %w (e.g. 2.3.0 or ios=2.3.0,android=2.1.0)", c.minApp, err)}
	}
	c.makeSecret = c.demo
	c.paymentSandbox = c.paymentSandbox || c.demo
	return &c, nil
}

// serve runs the bank until ctx ends, then shuts down gracefully: it stops accepting connections, lets in-flight
// requests (and the transfers they queued) finish, then stops the ledger and the background work. ready, if not
// nil, receives the listening address (tests use it to find a free port).
//
// It listens before it builds the bank: the passkeys' default origin is the port it listens on, and every part of
// the bank is decided when it is built.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	c, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := c.logger(stderr)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close() // already closed by a served http.Server; this covers failing before that
	b, metrics, err := c.openServed(ctx, ln.Addr(), log)
	if err != nil {
		return err
	}
	defer b.Close()
	handler, err := c.handler(b, metrics, log)
	if err != nil {
		return err
	}
	if c.metricsAddr != "" {
		stopMetrics, err := serveMetrics(c.metricsAddr, metrics, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	stopBackground := c.background(b, log)
	defer stopBackground()
	url := "http://" + ln.Addr().String()
	banner(stdout, url, b.DB.Engine.String(), c.demo)
	if c.demo {
		inboundHint(ctx, stdout, b)
	}
	origin := c.passkeyConfig(ln.Addr()).Origins[0]
	fmt.Fprintf(stdout, "Passkeys: open %s, and the back office at %s/backoffice/ (WebAuthn needs a host name, not an IP address)\n",
		origin, origin)
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("db", b.DB.Engine.String()),
		slog.Bool("demo", c.demo))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	return serveUntil(ctx, ln, handler, b, stopBackground, log)
}

// openServed builds the bank a server runs, with its metrics and passkeys, and seeds the demo bank once.
func (c *serveConfig) openServed(ctx context.Context, listen net.Addr, log *slog.Logger) (*app.Bank, *httpx.Metrics, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := httpx.NewMetrics(reg)
	if err != nil {
		return nil, nil, err
	}
	pk := c.passkeyConfig(listen)
	b, err := openBank(ctx, &c.config, clock.Real{}, func(cfg *app.Config) {
		cfg.Passkeys, cfg.Observer, cfg.Logger, cfg.LedgerWorkers = &pk, bankMetrics{metrics}, log, c.workers
		cfg.BenchAuditSwitch = c.benchAudit
	})
	if err != nil {
		return nil, nil, err
	}
	if c.demo {
		if err := demo.Seed(ctx, demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms,
			History: true, Staff: b.Staff, Operations: b.Operations,
			Beneficiaries: b.Beneficiaries, Directory: b.Directory, Credit: b.Credit, Cards: b.Cards,
			Issuing: b.Issuing}); err != nil {
			b.Close()
			return nil, nil, fmt.Errorf("seed demo: %w", err)
		}
		for _, h := range demo.OtherBankHolders {
			if h.Business {
				b.VoPSandbox.AddBusiness(iban.IBAN(h.IBAN), h.Name)
			} else {
				b.VoPSandbox.Add(iban.IBAN(h.IBAN), h.Name)
			}
		}
	}
	return b, metrics, nil
}

// handler is the API and the web app on the bank's services.
func (c *serveConfig) handler(b *app.Bank, metrics *httpx.Metrics, log *slog.Logger) (http.Handler, error) {
	h, err := channels.Handler(b, channels.Options{Logger: log, Metrics: metrics, Demo: c.demo,
		SecureCookies: c.secureCookies, MinAppVersion: c.minApp, Proxies: c.proxies})
	if err != nil || !c.benchAudit {
		return h, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(benchAuditHeader) == "off" {
			r = r.WithContext(transfer.WithoutAudit(r.Context()))
		}
		h.ServeHTTP(w, r)
	}), nil
}

// background starts the bank's background work and, if asked, the profiles' server; the function returned stops
// the background work and waits for it.
func (c *serveConfig) background(b *app.Bank, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(ctx) }()
	if c.debugAddr != "" {
		go servePprof(c.debugAddr, log)
	}
	return func() {
		cancel()
		<-done
	}
}

// serveUntil serves HTTP on ln until ctx ends or serving fails, then shuts down: connections first (in-flight
// requests finish), then the ledger's queue, then the background work.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, b *app.Bank, stopBackground func(), log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	b.Ledger.Close()
	stopBackground()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// bankMetrics counts the bank's work (app.Observer) on the HTTP layer's collectors.
type bankMetrics struct{ m *httpx.Metrics }

func (o bankMetrics) Posted(postings int) { o.m.PostingsTotal.Add(float64(postings)) }

func (o bankMetrics) Batch(ops int, took time.Duration) {
	o.m.BatchSize.Observe(float64(ops))
	o.m.BatchSeconds.Observe(took.Seconds())
}

func (o bankMetrics) Attempted(status string) { o.m.TransfersTotal.WithLabelValues(status).Inc() }

func (o bankMetrics) JobFailed(kind string) { o.m.JobsFailed.WithLabelValues(kind).Inc() }

func (o bankMetrics) AuditHead(h audit.Head) {
	o.m.AuditHead.Reset()
	o.m.AuditHead.WithLabelValues(h.Hash).Set(float64(h.Seq))
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func banner(w io.Writer, url, engine string, demoMode bool) {
	fmt.Fprintf(w, "Kumbara is running at %s (database: %s)\n", url, engine)
	if !demoMode {
		return
	}
	fmt.Fprintf(w, "\nDemo logins (password %s):\n", demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(w, "  %s  %s\n", l.ClientNumber, l.Name)
		if l.NIPT != "" {
			fmt.Fprintf(w, "             with NIPT %s (the Biznes tab of the login page; \"nipt\" in the API)\n", l.NIPT)
		}
	}
	fmt.Fprintf(w, "Each individual has a Visa debit card on their first ALL account, PIN %s (/cards; kumbara admin cards search --client N)\n",
		demo.CardPIN)
	fmt.Fprintf(w, "\nBack office: %s/backoffice/\n", url)
	fmt.Fprintf(w, "Demo staff (password %s; TOTP secrets for an authenticator app, published: demo only):\n", demo.Password)
	for _, s := range demo.Staff {
		fmt.Fprintf(w, "  %-10s  %-10s  %s\n", s.Username, s.Role, s.TOTPSecret)
	}
	fmt.Fprintf(w, "Staff commands run as one of them: kumbara admin <command> --staff admin (or KUMBARA_STAFF)\n")
	fmt.Fprintf(w, "\nSMS codes: open %s/dev/inbox (or run: kumbara admin inbox --staff service)\n", url)
	fmt.Fprintf(w, "API: %s/api/v1/openapi.json\n", url)
}

// inboundHint prints how to send a demo customer a payment from another bank through the clearing-house sandbox.
func inboundHint(ctx context.Context, w io.Writer, b *app.Bank) {
	c, err := b.Customers.ByClientNumber(ctx, demo.Logins[0].ClientNumber)
	if err != nil {
		return
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil {
		return
	}
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.Currency == money.ALL })
	if i < 0 {
		return
	}
	fmt.Fprintf(w, "Payments from other banks (the clearing-house sandbox): kumbara admin clearing inbound --payment-sandbox "+
		"--staff backoffice --iban %s --amount 1500 --name \"Alba Trade Shpk\"; the session now: kumbara admin clearing "+
		"session --payment-sandbox --staff backoffice\n", accounts[i].IBAN)
}

// serveMetrics serves the Prometheus metrics on their own address, which only the operator's scraper should reach:
// they tell who is failing to log in and how busy the bank is. The bank's own address does not serve them.
func serveMetrics(addr string, m *httpx.Metrics, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", slog.String("error", err.Error()))
		}
	}()
	log.Info("metrics", slog.String("addr", ln.Addr().String()))
	return func() { _ = srv.Close() }, nil
}

// servePprof serves runtime profiles on a separate, operator-only address.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("debug server", slog.String("error", err.Error()))
	}
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
