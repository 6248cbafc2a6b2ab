// Package web is the internet branch ("Dega Internet"): server-rendered pages in Albanian and English over the
// same domain services as the API. Pages are html/template with htmx and Pico CSS, all embedded; no inline script
// or style, so the Content-Security-Policy can forbid both.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
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
)

//go:embed static
var staticFiles embed.FS

// Server serves the web app.
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

	pages *pages
}

// Route is one page or step of the web app, with its whole policy (httpx.Policy): who may call it (public, or a
// full session: the internet branch has no other), the rate-limit budget it spends and its body limit.
type Route struct {
	Method, Path string
	httpx.Policy
	Handler func(w http.ResponseWriter, r *http.Request)
	// Refused, if set, shows a refusal of the route's budget on the route's own page (its form again, with the
	// message); otherwise refuse answers it.
	Refused func(w http.ResponseWriter, r *http.Request, err error)
}

// The policies of the web's routes: public, a full session, and either spending a budget.
func public(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Public, Limit: budget}
}

func private(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Full, Limit: budget}
}

// personalOnly is a full session's policy, refused to a business's user: pages that manage the person's own
// passkeys and devices, which would otherwise become factors of the business that nobody holds (A20).
func personalOnly(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Full, Personal: true, Limit: budget}
}

// Routes is the web app's route table, one part per area of the app.
func (s *Server) Routes() []Route {
	var out []Route
	for _, area := range [][]Route{s.loginRoutes(), s.financeRoutes(), s.transferRoutes(), s.profileRoutes(), s.registerRoutes(),
		s.passkeyRoutes(), s.accessRoutes(), s.deviceRoutes(), s.recoverRoutes(), s.transferPasskeyRoutes()} {
		out = append(out, area...)
	}
	return out
}

// Register adds the web app's pages to mux, and its not-found page for browsers.
func Register(mux *httpx.Mux, s *Server) error {
	p, err := loadPages()
	if err != nil {
		return err
	}
	s.pages = p
	if s.Budgets == nil {
		s.Budgets = httpx.NewBudgets(s.now)
	}
	face := httpx.Face{
		Budgets: s.Budgets,
		MaxBody: maxForm,
		Authenticate: func(a httpx.Access, h http.Handler) (http.Handler, error) {
			if a != httpx.Full {
				return nil, fmt.Errorf("the internet branch has full sessions only, not %v", a)
			}
			return s.requireSession(h), nil
		},
		Personal: s.personal,
		Customer: func(r *http.Request) string { return sessionOf(r).CustomerID },
		Refuse:   s.refuse,
	}
	for _, rt := range s.Routes() {
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
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return err
	}
	mux.HandlePage("GET /static/", s.protect(staticCache(http.StripPrefix("/static/", http.FileServerFS(static)))))
	if s.Inbox != nil {
		// The page; a client that does not ask for HTML gets the API's JSON of the same inbox, if the API serves it.
		mux.HandlePage("GET /dev/inbox", s.protect(http.HandlerFunc(s.inboxPage)))
	}
	mux.HandleNotFound(s.notFoundPage())
	return nil
}

// staticCache lets browsers keep the vendored assets whose names carry their versions (htmx-2.0.11, pico-2.1.1)
// for a year; the app's own scripts and styles change with each release, so browsers revalidate those. A folder
// is not listed.
func staticCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if strings.Contains(r.URL.Path, "-2.") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		h.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the app's own scripts, styles and images: no inline code, no other origin,
// no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// protect adds the security headers and refuses cross-origin form posts (CSRF) with the browser's own
// Sec-Fetch-Site and Origin headers.
func (s *Server) protect(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.logger().Warn("cross-origin request refused", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("origin", r.Header.Get("Origin")))
		s.errorPage(w, r, http.StatusForbidden, "cross_site_refused")
	}))
	inner := cop.Handler(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.SecureCookies {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		inner.ServeHTTP(w, r)
	})
}

// now is the bank's clock, for the budgets.
func (s *Server) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

// refuse answers a refused request: a JSON step (the passkey ceremonies, which post and ask for JSON) with the JSON
// problem its script reads, a page with the error page.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.pkFail(w, r, err)
		return
	}
	code := kumbara.CodeOf(err)
	status := httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError {
		s.logger().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	s.errorPage(w, r, status, code)
}

// refusedOn shows a refusal on page, built by v for the request: the form the customer just sent, with the message.
func (s *Server) refusedOn(page string, v func(*http.Request) view) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		s.problem(w, r, page, v(r), err)
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

type sessionKey struct{}

type webSession struct {
	auth.Session
	token string
}

func sessionOf(r *http.Request) webSession {
	ws, _ := r.Context().Value(sessionKey{}).(webSession)
	return ws
}

// requireSession admits requests with a live session cookie that may reach the page (auth.Admit: the session gate
// the API shares) and answers the gate's refusals: the profile area's pages take a pending password change or terms
// (profileGate), anything else goes to the login page. Authenticated pages are never cached.
func (s *Server) requireSession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		token := s.sessionToken(r)
		if token == "" {
			s.toLogin(w, r, "")
			return
		}
		// Profile area (web/profile.go): which of its pages stay open while a password change or the terms are
		// pending, and where the customer goes to resolve them.
		sess, err := s.Auth.Admit(r.Context(), token, profileNeed(r.URL.Path))
		if err != nil {
			switch {
			case s.profileGate(w, r, err):
			case errors.Is(err, auth.ErrAssuranceInsufficient):
				// A partial (password-only, SmartPay) session is the mobile app's; the internet branch needs a full one.
				s.toLogin(w, r, "")
			case kumbara.KindOf(err) == kumbara.KindInternal:
				s.logger().Error("authenticate", slog.String("error", err.Error()))
				s.errorPage(w, r, http.StatusInternalServerError, "internal")
			default:
				s.clearCookie(w, s.sessionCookieName())
				s.toLogin(w, r, "expired")
			}
			return
		}
		ctx := context.WithValue(auth.WithSession(r.Context(), sess), sessionKey{}, webSession{Session: sess, token: token})
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// toLogin sends the browser to the login page; htmx requests get a full-page redirect header instead.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request, reason string) {
	target := "/login"
	if reason != "" {
		target += "?m=" + reason
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) sessionCookieName() string {
	if s.SecureCookies {
		return "__Host-kumbara_session"
	}
	return "kumbara_session"
}

func (s *Server) sessionToken(r *http.Request) string {
	c, err := r.Cookie(s.sessionCookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: int(maxAge.Seconds())})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if token := s.sessionToken(r); token != "" {
		if _, err := s.Auth.Authenticate(r.Context(), token); err == nil {
			http.Redirect(w, r, "/summary", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
