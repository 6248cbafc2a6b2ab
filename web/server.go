// Package web is the internet branch ("Dega Internet"): server-rendered pages in Albanian and English over the
// same domain services as the API. Pages are html/template with htmx and Pico CSS, all embedded; no inline script
// or style, so the Content-Security-Policy can forbid both.
//
// The site is built from a small core (web/core: rendering, the session, forms, headers, the route type) and one
// package per area (web/access, web/finances, web/transfers, web/payments, web/exchange, web/fxrequests,
// web/approvals, web/profile, web/passkeys, web/devices, web/activity, web/cards, and the demo's web/devdocs,
// web/devcards and web/dev3ds), each exposing its pages and routes as a core.Area. This package composes them:
// Register builds the core once and registers every area's routes.
package web

import (
	"fmt"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/web/access"
	"github.com/kumbara/kumbara/web/activity"
	"github.com/kumbara/kumbara/web/approvals"
	"github.com/kumbara/kumbara/web/beneficiaries"
	"github.com/kumbara/kumbara/web/bulk"
	"github.com/kumbara/kumbara/web/cards"
	"github.com/kumbara/kumbara/web/cardtransactions"
	"github.com/kumbara/kumbara/web/core"
	"github.com/kumbara/kumbara/web/creditcards"
	"github.com/kumbara/kumbara/web/dev3ds"
	"github.com/kumbara/kumbara/web/devcards"
	"github.com/kumbara/kumbara/web/devclearing"
	"github.com/kumbara/kumbara/web/devdocs"
	"github.com/kumbara/kumbara/web/devices"
	"github.com/kumbara/kumbara/web/exchange"
	"github.com/kumbara/kumbara/web/finances"
	"github.com/kumbara/kumbara/web/fxrequests"
	"github.com/kumbara/kumbara/web/passkeys"
	"github.com/kumbara/kumbara/web/payments"
	"github.com/kumbara/kumbara/web/profile"
	"github.com/kumbara/kumbara/web/transfers"
)

// Server is the web app: the bank's services and settings every area uses (core.Deps), and the site built from
// them by Routes.
type Server struct {
	core.Deps

	// site is the core built from Deps, by Routes.
	site *core.Site
}

// areas are the parts of the site, each a package with its pages and routes. A new area is one more package here.
func (s *Server) areas() []core.Area {
	return []core.Area{access.Area(), finances.Area(), passkeys.Area(), devices.Area(), transfers.Area(), profile.Area(),
		activity.Area(), beneficiaries.Area(), payments.Area(), devdocs.Area(), devclearing.Area(), devcards.Area(),
		bulk.Area(), exchange.Area(), fxrequests.Area(), cards.Area(), cardtransactions.Area(), approvals.Area(), dev3ds.Area(),
		creditcards.Area()}
}

// newSite builds the core from the server's fields and every area's templates.
func (s *Server) newSite() (*core.Site, error) {
	return core.New(s.Deps, s.areas()...)
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
