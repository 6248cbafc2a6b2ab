// Package web is the internet branch ("Dega Internet"): server-rendered pages in Albanian and English over the
// same domain services as the API. Pages are html/template with htmx and Pico CSS, all embedded; no inline script
// or style, so the Content-Security-Policy can forbid both.
//
// The site is built from a small core (web/core: rendering, the session, forms, headers, the route type) and one
// package per area (web/access, web/finances, web/transfers, web/profile, web/passkeys, web/devices), each
// exposing its pages and routes as a core.Area. This package composes them: Register builds the core once and registers every area's routes.
package web

import (
	"fmt"
	"log/slog"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/access"
	"github.com/kumbara/kumbara/web/core"
	"github.com/kumbara/kumbara/web/devices"
	"github.com/kumbara/kumbara/web/finances"
	"github.com/kumbara/kumbara/web/passkeys"
	"github.com/kumbara/kumbara/web/profile"
	"github.com/kumbara/kumbara/web/transfers"
)

// Server is the web app's configuration: the bank's services and settings every area uses (core.Deps).
type Server struct {
	Auth         *auth.Service
	Customers    *customer.Service
	Ledger       *ledger.Ledger
	Transfers    *transfer.Service
	Registration *registration.Service
	Passkeys     *passkey.Service // nil: no passkeys (the pages answer 404)
	// Devices keeps the customers' devices (A7); nil leaves the devices pages out.
	Devices   *device.Service
	Catalogue *i18n.Catalogue
	Clock     clock.Clock
	Logger    *slog.Logger
	// Recovery recovers forgotten passwords (A8, A10) and checks the card of a password change (A12).
	Recovery *recovery.Service
	// Terms records acceptances of the Terms & Conditions (P1).
	Terms *terms.Service
	// Inbox is the sandbox gateway; set only in demo mode, where /dev/inbox shows the demo bank's messages.
	Inbox *outbox.Sandbox
	// SecureCookies marks cookies Secure and names the session cookie with the __Host- prefix. Set it whenever
	// the bank is served over TLS (directly or behind a proxy that terminates it).
	SecureCookies bool

	// Budgets are the rate-limit budgets, shared with the API; nil gives the web app budgets of its own.
	Budgets *httpx.Budgets

	// site is the core built from the fields above, by Routes.
	site *core.Site
}

// areas are the parts of the site, each a package with its pages and routes. A new area is one more package here.
func (s *Server) areas() []core.Area {
	return []core.Area{access.Area(), finances.Area(), passkeys.Area(), devices.Area(), transfers.Area(), profile.Area()}
}

// newSite builds the core from the server's fields and every area's templates.
func (s *Server) newSite() (*core.Site, error) {
	return core.New(core.Deps{Auth: s.Auth, Customers: s.Customers, Ledger: s.Ledger, Transfers: s.Transfers,
		Registration: s.Registration, Passkeys: s.Passkeys, Devices: s.Devices, Catalogue: s.Catalogue, Clock: s.Clock,
		Logger: s.Logger, Recovery: s.Recovery, Terms: s.Terms, Inbox: s.Inbox, SecureCookies: s.SecureCookies,
		Budgets: s.Budgets}, s.areas()...)
}

// Routes builds the site and returns the web app's route table, every area's part of it.
func (s *Server) Routes() ([]core.Route, error) {
	site, err := s.newSite()
	if err != nil {
		return nil, err
	}
	s.site = site
	return site.Routes(s.areas()...), nil
}

// Register adds the web app's pages to mux, and its not-found page for browsers.
func Register(mux *httpx.Mux, s *Server) error {
	routes, err := s.Routes()
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	return s.site.Register(mux, routes)
}
