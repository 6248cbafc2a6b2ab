// Package pages builds the bank's two faces served as HTML pages — the internet branch (package web) and the staff's
// back office (package web/backoffice) — on the bank's services (app.Bank). Package channels puts them beside the
// JSON API for `kumbara serve`; the web tests (web/webtest) serve them alone, so that no web test binary links the
// API. Either way the pages are built here, the one way.
package pages

import (
	"log/slog"
	"net/http"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/web"
	"github.com/kumbara/kumbara/web/backoffice"
	"github.com/kumbara/kumbara/web/core"
)

// Options are the settings of the pages that are not the bank's services.
type Options struct {
	Logger  *slog.Logger   // nil: nothing is logged
	Metrics *httpx.Metrics // nil: no metrics (New only: beside the API the channels' responder measures)
	// Demo serves the sandbox gateway's inbox at /dev/inbox (and the other demo-only pages).
	Demo bool
	// SecureCookies: the bank is reached over HTTPS (Secure, __Host- cookies, HSTS).
	SecureCookies bool
	// Proxies are the bank's own reverse proxies, whose X-Forwarded-For is read (New only).
	Proxies httpx.Proxies
}

// Faces are the internet branch and the back office built on one bank, not yet on a mux.
type Faces struct {
	Web        *web.Server
	BackOffice *backoffice.Server
}

// Build builds the internet branch and the back office on b's services. budgets are the rate-limit budgets every
// face spends: the API's too when it is served beside them, so that a second face does not double an attacker's
// tries.
func Build(b *app.Bank, o Options, budgets *httpx.Budgets) Faces {
	var inbox *outbox.Sandbox
	if o.Demo {
		inbox = b.Sandbox
	}
	site := &web.Server{Deps: core.Deps{Auth: b.Auth, Customers: b.Customers, Ledger: b.Ledger, Transfers: b.Transfers,
		Catalogue: b.Catalogue, Clock: b.Clock, Logger: o.Logger, SecureCookies: o.SecureCookies,
		Registration: b.Registration, Recovery: b.Recovery, Devices: b.Devices, Passkeys: b.Passkeys, Terms: b.Terms,
		Inbox: inbox, Budgets: budgets, Audit: b.Audit, Beneficiaries: b.Beneficiaries, Payments: b.Payments, SCA: b.SCA}}
	if o.Demo {
		site.ClearingHouse = b.ClearingHouse // the demo's /dev/clearing
		site.CardNetwork = b.CardNetwork     // the demo's /dev/cards
	}
	site.Bulk = b.Bulk
	site.FX = b.FX
	site.Cards = b.Cards
	site.Issuing = b.Issuing
	site.ThreeDS = b.ThreeDS
	site.Credit = b.Credit
	staff := &backoffice.Server{Deps: backoffice.Deps{AuditActions: app.AuditActions(), Staff: b.Staff,
		Customers: b.Customers, Ledger: b.Ledger, Cards: b.Cards, Devices: b.Devices, Auth: b.Auth, Audit: b.Audit,
		Jobs: b.Jobs, EOD: b.EOD, Operations: b.Operations, Approvals: b.Approvals, Catalogue: b.Catalogue,
		Clock: b.Clock, Logger: o.Logger, SecureCookies: o.SecureCookies, Budgets: budgets, Directory: b.Directory,
		Tariff: b.Tariff, FX: b.FX, Payments: b.Payments, Issuing: b.Issuing}}
	return Faces{Web: site, BackOffice: staff}
}

// Register puts both faces' routes on mux.
func (f Faces) Register(mux *httpx.Mux) error {
	if err := web.Register(mux, f.Web); err != nil {
		return err
	}
	return backoffice.Register(mux, f.BackOffice)
}

// Served is the pages alone on one handler.
type Served struct {
	Faces
	Handler http.Handler
}

// New serves the internet branch and the back office on b's services alone, without the API: one mux, their own
// budgets and the middleware chain every face shares (httpx.Responder.Handler), as channels.New serves them.
func New(b *app.Bank, o Options) (*Served, error) {
	f := Build(b, o, httpx.NewBudgets(b.Clock.Now))
	mux := httpx.NewMux()
	if err := f.Register(mux); err != nil {
		return nil, err
	}
	responder := httpx.NewResponder(b.Catalogue, o.Logger, o.Metrics)
	return &Served{Faces: f, Handler: responder.Handler(mux, o.Proxies, httpx.Scoped(b.DB.Scope))}, nil
}
