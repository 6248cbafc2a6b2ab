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
	"strconv"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// serve runs the bank until ctx ends, then shuts down gracefully: it stops accepting connections, lets in-flight
// requests (and the transfers they queued) finish, then stops the ledger and the dispatcher. ready, if not nil,
// receives the listening address (tests use it to find a free port).
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "KUMBARA_ADDR", "127.0.0.1:8080"), "listen address (KUMBARA_ADDR)")
	workers := fs.Int("ledger-workers", atoiOr(getenv("KUMBARA_LEDGER_WORKERS"), 0), "group-commit workers; 0 picks per engine (KUMBARA_LEDGER_WORKERS)")
	debugAddr := fs.String("debug-addr", getenv("KUMBARA_DEBUG_ADDR"), "if set, serve Go's pprof profiles on this address (keep it private) (KUMBARA_DEBUG_ADDR)")
	secureCookies := fs.Bool("secure-cookies", getenv("KUMBARA_SECURE_COOKIES") == "true",
		"the bank is reached over HTTPS: Secure, __Host- cookies and HSTS (KUMBARA_SECURE_COOKIES=true)")
	minApp := fs.String("min-app-version", getenv("KUMBARA_MIN_APP_VERSION"),
		"oldest mobile app version (X-App-Version) served: 2.3.0 for every platform, or per platform (X-App-Platform) "+
			"ios=2.3.0,android=2.1.0; older apps get 426 (KUMBARA_MIN_APP_VERSION)")
	demoMode := fs.Bool("demo", getenv("KUMBARA_DEMO") == "true", "seed a demo bank once and serve the sandbox inbox at /dev/inbox (KUMBARA_DEMO=true)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, err := device.ParseAppVersions(*minApp); err != nil {
		return usageError{fmt.Errorf("--min-app-version %q: %w (e.g. 2.3.0 or ios=2.3.0,android=2.1.0)", *minApp, err)}
	}
	log := c.logger(stderr)
	c.makeSecret = *demoMode
	b, err := openBank(ctx, &c, clock.Real{})
	if err != nil {
		return err
	}
	defer b.db.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := api.NewMetrics(reg)
	if err != nil {
		return err
	}
	b.ledger.OnPosted = func(n int) { metrics.PostingsTotal.Add(float64(n)) }
	b.ledger.OnBatch = func(ops int, took time.Duration) {
		metrics.BatchSize.Observe(float64(ops))
		metrics.BatchSeconds.Observe(took.Seconds())
	}
	b.transfers.Posted = func(status string) { metrics.TransfersTotal.WithLabelValues(status).Inc() }

	dispatcher := &outbox.Dispatcher{DB: b.db, Sender: b.sandbox, Clock: b.clock, Logger: log, Batch: 50, Lease: 30 * time.Second}
	b.auth.Sent = dispatcher.Kick
	b.sca.Sent = dispatcher.Kick
	b.devices.Sent = dispatcher.Kick

	if *demoMode {
		if err := demo.Seed(ctx, demo.Deps{Customers: b.customers, Auth: b.auth, Ledger: b.ledger}); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	catalogue, err := i18n.New()
	if err != nil {
		return err
	}
	srv := &api.Server{Responder: api.NewResponder(catalogue, log, metrics), DB: b.db, Clock: b.clock, Auth: b.auth,
		Customers: b.customers, Ledger: b.ledger, Transfers: b.transfers, SCA: b.sca, Bank: c.bank(),
		Registration: &registration.Service{Customers: b.customers, Auth: b.auth, Cards: b.cards, Codes: b.codes},
		Devices:      b.devices}
	srv.MinAppVersion = *minApp
	if *demoMode {
		srv.Inbox = b.sandbox
	}
	srv.Recovery = &recovery.Service{Customers: b.customers, Auth: b.auth, Cards: b.cards, Codes: b.codes,
		IDDocs: b.idDocs}
	pages := &web.Server{Auth: b.auth, Customers: b.customers, Ledger: b.ledger, Transfers: b.transfers,
		Catalogue: catalogue, Clock: b.clock, Logger: log, SecureCookies: *secureCookies, Registration: srv.Registration,
		Devices: b.devices}
	if *demoMode {
		pages.Inbox = b.sandbox
	}
	pages.Recovery = srv.Recovery
	srv.Pages = pages.Register
	srv.NotFoundPage = pages.NotFoundPage()
	handler, err := srv.Handler()
	if err != nil {
		return err
	}
	b.ledger.Start(*workers)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		b.ledger.Close()
		return fmt.Errorf("listen: %w", err)
	}
	pkCfg := c.passkeyConfig(ln.Addr())
	if pages.Passkeys, err = passkey.New(b.db, b.clock, b.auth, b.customers, b.key, pkCfg); err != nil {
		_ = ln.Close()
		b.ledger.Close()
		return usageError{fmt.Errorf("--webauthn-rp-id/--webauthn-origin: %w", err)}
	}
	b.sca.Passkeys = pages.Passkeys // payments are confirmed with passkeys in the web app
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); dispatcher.Run(bg, time.Second) }()
	go func() { defer wg.Done(); expireHolds(bg, b.ledger, log) }()

	if *debugAddr != "" {
		go servePprof(*debugAddr, log)
	}
	url := "http://" + ln.Addr().String()
	banner(stdout, url, b.db.Engine.String(), *demoMode)
	fmt.Fprintf(stdout, "Passkeys: open %s (WebAuthn needs a host name, not an IP address)\n", pkCfg.Origins[0])
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("db", b.db.Engine.String()),
		slog.Bool("demo", *demoMode))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		stopBG()
		wg.Wait()
		b.ledger.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = httpSrv.Shutdown(shutdownCtx)
	b.ledger.Close()
	stopBG()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
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
	fmt.Fprintf(w, "\nSMS codes: open %s/dev/inbox (or run: kumbara admin inbox)\n", url)
	fmt.Fprintf(w, "API: %s/api/v1/openapi.json\n", url)
}

// expireHolds releases holds whose time has passed. Any instance may run it: each release locks its hold and a
// hold already released is skipped.
func expireHolds(ctx context.Context, l *ledger.Ledger, log *slog.Logger) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		holds, err := l.ExpiredHolds(ctx, l.Clock.Now(), 100)
		if err != nil {
			log.Error("expire holds", slog.String("error", err.Error()))
			continue
		}
		for _, h := range holds {
			err := l.Run(ctx, ledger.Op{Accounts: []string{h.AccountID}, Holds: []string{h.ID}, Run: func(b *ledger.Batch) error {
				return b.ReleaseHold(h.ID, ledger.HoldExpired)
			}})
			if err != nil && kumbara.CodeOf(err) != "hold_not_active" {
				log.Error("expire hold", slog.String("hold", h.ID), slog.String("error", err.Error()))
			}
		}
	}
}

// servePprof serves runtime profiles on a separate, operator-only address.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
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
