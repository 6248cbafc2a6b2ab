// Package core is what every area of the internet branch is built on: the site's services (Deps), the route type
// with its policy, rendering (the layout, the error page, problems and refusals, the language), the web session
// (the cookie, requireSession, opening a session after a login), forms, security and cache headers, static files
// and the not-found page. An area (web/finances, web/access…) is a package that embeds its own page templates and
// exposes its routes as an Area; package web builds one Site from every area and registers their routes.
//
// No area imports another: what two areas share (a login opening a session, the logout) is here.
package core

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
)

// embedded holds the layout, the partials every area's pages may use (templates/partials), the error page and the
// static files (htmx, Pico CSS, the areas' scripts and styles).
//
//go:embed templates static
var embedded embed.FS

// MaxForm is the body limit of a route that sets none: a form of a few fields.
const MaxForm = 16 << 10

// Deps are the bank's services and settings the pages use.
type Deps struct {
	Auth      *auth.Service
	Customers *customer.Service
	Ledger    *ledger.Ledger
	Transfers *transfer.Service
	// Payments makes payments to other banks (domestic, SEPA, international); SCA describes a payment's live
	// challenge again for its confirmation page. Nil Payments: the payment pages answer that payments are not
	// available.
	Payments *payment.Service
	SCA      *sca.Service
	// Beneficiaries keeps the customers' address books (T1); nil leaves the beneficiaries pages out.
	Beneficiaries *beneficiary.Service
	Registration  *registration.Service
	Passkeys      *passkey.Service // nil: no passkeys (the pages answer 404)
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
	// Audit is the audit log, read for the customer's own activity; nil leaves the activity page out.
	Audit *audit.Log
	// ClearingHouse is the clearing-house sandbox, set in demo mode with the payment sandbox only (the demo's
	// /dev/clearing page).
	ClearingHouse *clearinghouse.Sandbox
	// CardNetwork is the card network sandbox, set in demo mode with the sandboxes only (the demo's /dev/cards).
	CardNetwork *cardnetwork.Sandbox
	// Bulk reads the bulk payment files business customers upload; nil answers its pages as not found.
	Bulk *bulk.Service
	// FX is the bank's exchange rates and the customers' conversions between their own accounts (the rates before
	// login too); nil answers its pages as not found.
	FX *fx.Service
	// Cards are the customers' cards (F7–F9); nil answers the cards pages as not found and leaves them off the
	// summary.
	Cards *card.Service
	// Issuing is the issuer host of card payments, read for a card's recent transactions (F19); nil answers that
	// page as not found.
	Issuing *issuing.Service
	// ThreeDS is the 3-D Secure approvals of online card purchases; nil answers its pages as not found.
	ThreeDS *threeds.Service
	// Credit is the customers' credit cards (statements, payments, cash advances, limits, instalments); nil
	// answers its pages as not found.
	Credit *creditcard.Service
}

// Area is one part of the internet branch: its page templates and its routes.
type Area struct {
	// Name names the area in errors.
	Name string
	// Templates holds the area's pages (*.html at its root), each parsed with the layout; page names are unique
	// across the site.
	Templates fs.FS
	// Routes is the area's part of the route table, built once the site exists.
	Routes func(*Site) []Route
	// Need, if set, says which pages stay open while a step that must come first is pending (a forced password
	// change, the current terms): what a page asks of a session from the session gate (auth.Admit, the gate the API
	// shares). A page asks what any area's Need grants it; without one, it asks the strictest of all.
	Need func(path string) auth.Need
	// Gate, if set, answers the session gate's refusal of a pending step instead of the login page (the profile
	// sends the customer to change the password or accept the terms), reporting whether it did.
	Gate func(w http.ResponseWriter, r *http.Request, err error) bool
}

// Site is the internet branch's core, built once by New; areas hold it and call its methods.
type Site struct {
	Deps
	pages  map[string]*template.Template
	areas  []Area // for the session gate's Need and Gate
	assets *assets
	gzip   gzipPool
}

// New builds the site: every area's pages parsed with the layout, and budgets of its own if Deps has none.
func New(d Deps, areas ...Area) (*Site, error) {
	s := &Site{Deps: d, pages: map[string]*template.Template{}, areas: areas}
	if s.Budgets == nil {
		s.Budgets = httpx.NewBudgets(s.Now)
	}
	static, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(static, s.Now()); err != nil {
		return nil, err
	}
	if err := s.parse("core", embedded, "templates"); err != nil {
		return nil, err
	}
	for _, a := range areas {
		if a.Templates == nil {
			continue
		}
		if err := s.parse(a.Name, a.Templates, "."); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Routes is the route table of every area, in order: the core's own routes first.
func (s *Site) Routes(areas ...Area) []Route {
	out := s.ownRoutes()
	for _, a := range areas {
		out = append(out, a.Routes(s)...)
	}
	return out
}

// ownRoutes are the core's pages: the language switch, and keeping the session while someone is at work in a page.
func (s *Site) ownRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/lang/{lang}", Policy: Public(""), Handler: s.setLanguage},
		{Method: "POST", Path: "/session/extend", Policy: Private(httpx.SessionExtend), Handler: s.extendSession},
	}
}

// Route is one page or step of the web app, with its whole policy (httpx.Policy): who may call it (public, or a
// full session: the internet branch has no other), the rate-limit budget it spends and its body limit.
type Route struct {
	Method, Path string
	httpx.Policy
	Handler func(w http.ResponseWriter, r *http.Request)
	// Refused, if set, shows a refusal of the route's budget on the route's own page (its form again, with the
	// message); otherwise Refuse answers it.
	Refused func(w http.ResponseWriter, r *http.Request, err error)
}

// Public is the policy of a page anyone may open, spending budget ("" for none).
func Public(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Public, Limit: budget}
}

// Private is the policy of a page that needs a full session, spending budget ("" for none).
func Private(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Full, Limit: budget}
}

// PersonalOnly is a full session's policy, refused to a business's user: pages that manage the person's own
// passkeys and devices, which would otherwise become factors of the business that nobody holds (A20).
func PersonalOnly(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Full, Personal: true, Limit: budget}
}

// Register adds routes to mux with the middleware their policies call for, the static files, and the site's
// not-found page for browsers.
func (s *Site) Register(mux *httpx.Mux, routes []Route) error {
	face := httpx.Face{
		Budgets: s.Budgets,
		MaxBody: MaxForm,
		Authenticate: func(a httpx.Access, h http.Handler) (http.Handler, error) {
			if a != httpx.Full {
				return nil, fmt.Errorf("the internet branch has full sessions only, not %v", a)
			}
			return s.requireSession(h), nil
		},
		Personal: s.personal,
		Customer: func(r *http.Request) string { return SessionOf(r).CustomerID },
		Refuse:   s.Refuse,
	}
	for _, rt := range routes {
		f := face
		if rt.Refused != nil {
			f.Refuse = rt.Refused
		}
		h, err := f.Wrap(rt.Policy, http.HandlerFunc(rt.Handler))
		if err != nil {
			return fmt.Errorf("web: %s %s: %w", rt.Method, rt.Path, err)
		}
		mux.HandlePage(rt.Method+" "+rt.Path, s.protect(h))
	}
	mux.HandlePage("GET /static/{file}", s.protect(s.assets))
	// Browsers and bookmarks ask for /favicon.ico whatever the page links to; the icon is the SVG the layout names.
	mux.HandlePage("GET /favicon.ico", s.protect(http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently)))
	mux.HandleNotFound(s.notFoundPage())
	return nil
}

// Templates are the core's own templates: the layout and the error page.
func Templates() fs.FS { return Dir(embedded, "templates") }

// Static are the core's static files (styles, scripts, the icons' sprite), as /static/ serves them.
func Static() fs.FS { return Dir(embedded, "static") }

// Dir is the folder dir of an embedded file system, for an area's Templates.
func Dir(embedded embed.FS, dir string) fs.FS {
	t, err := fs.Sub(embedded, dir)
	if err != nil {
		panic(err) // a constant folder name: fs.Sub fails only on an invalid one
	}
	return t
}

// Now is the bank's clock.
func (s *Site) Now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

// Log is the site's logger; without one, nothing is logged.
func (s *Site) Log() *slog.Logger {
	if s.Deps.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Deps.Logger
}
