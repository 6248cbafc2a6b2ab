// Package channels puts the bank's faces on one HTTP handler: the JSON API the mobile app talks to (package api),
// the internet branch (package web) and the staff's back office (package web/backoffice), built from the bank's
// services (app.Bank) for `kumbara serve`. The faces share one mux, one set of rate-limit budgets and one middleware
// chain (request ids, access log, metrics, recovery, the database scope); no face imports another. The two faces of
// pages are built by package channels/pages, which the web tests use alone so that they do not link the API.
package channels

import (
	"log/slog"
	"net/http"

	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/channels/pages"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/web"
	"github.com/kumbara/kumbara/web/backoffice"
)

// Options are the settings of the channels that are not the bank's services.
type Options struct {
	Logger  *slog.Logger   // nil: nothing is logged
	Metrics *httpx.Metrics // nil: no metrics
	// Demo serves the sandbox gateway's inbox at /dev/inbox (and the other demo-only pages).
	Demo bool
	// SecureCookies: the bank is reached over HTTPS (Secure, __Host- cookies, HSTS).
	SecureCookies bool
	// MinAppVersion is the oldest mobile app served (api.Server.MinAppVersion).
	MinAppVersion string
	// Proxies are the bank's own reverse proxies, whose X-Forwarded-For is read.
	Proxies httpx.Proxies
}

// Channels are the faces built on one bank: the handler that serves them and each face's server (for tests that
// walk a face's route table).
type Channels struct {
	Handler    http.Handler
	Web        *web.Server
	API        *api.Server
	BackOffice *backoffice.Server
}

// Handler is the API, the internet branch and the back office on b's services.
func Handler(b *app.Bank, o Options) (http.Handler, error) {
	c, err := New(b, o)
	if err != nil {
		return nil, err
	}
	return c.Handler, nil
}

// New builds the API, the internet branch and the back office on b's services: the pages as package pages builds
// them, and the API beside them on the same mux, budgets and middleware chain.
func New(b *app.Bank, o Options) (*Channels, error) {
	var inbox *outbox.Sandbox
	if o.Demo {
		inbox = b.Sandbox
	}
	// One rate-limit budget per purpose for every face: a second face must not double an attacker's tries.
	budgets := httpx.NewBudgets(b.Clock.Now)
	faces := pages.Build(b, pages.Options{Logger: o.Logger, Demo: o.Demo, SecureCookies: o.SecureCookies}, budgets)
	srv := &api.Server{Responder: httpx.NewResponder(b.Catalogue, o.Logger, o.Metrics), DB: b.DB, Clock: b.Clock,
		Auth: b.Auth, Customers: b.Customers, Ledger: b.Ledger, Transfers: b.Transfers, Payments: b.Payments, SCA: b.SCA,
		Bank: b.Customers.Bank, Registration: b.Registration, Recovery: b.Recovery, Devices: b.Devices, Terms: b.Terms,
		MinAppVersion: o.MinAppVersion, Inbox: inbox, Budgets: budgets, Audit: b.Audit, Beneficiaries: b.Beneficiaries}
	srv.VoP = b.VoP
	srv.Banks = b.Directory
	srv.Bulk = b.Bulk
	srv.FX = b.FX
	srv.Cards = b.Cards
	srv.Issuing = b.Issuing
	if inbox != nil {
		srv.CardNetwork = b.CardNetwork // the demo's /dev/card-network
	}
	srv.Credit = b.Credit
	srv.ThreeDS = b.ThreeDS
	mux := httpx.NewMux()
	if err := api.Register(mux, srv); err != nil {
		return nil, err
	}
	if err := faces.Register(mux); err != nil {
		return nil, err
	}
	return &Channels{Handler: srv.Responder.Handler(mux, o.Proxies, httpx.Scoped(b.DB.Scope)), Web: faces.Web, API: srv,
		BackOffice: faces.BackOffice}, nil
}
