package web

// Phase 1 of the web app by area: the pages of transfers, profile, registration and recovery are still in this
// package and call the unexported names below, which forward to the core (web/core). DELETE this file when those
// areas move to their own packages (web/transfers, web/profile, web/register…): each then calls the core itself.

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/core"
)

type (
	// Route is one page or step of the web app with its policy (core.Route).
	Route = core.Route
	view  = core.View
	// sessionKey is the core's context key of the web session: storing anything else under it (an empty
	// webSession) leaves the request without a session.
	sessionKey = core.SessionKey
)

// webSession is the request's web session as this package's pages use it.
type webSession struct {
	auth.Session
	token string
}

func sessionOf(r *http.Request) webSession {
	ws := core.SessionOf(r)
	return webSession{Session: ws.Session, token: ws.Token}
}

func public(budget httpx.Purpose) httpx.Policy  { return core.Public(budget) }
func private(budget httpx.Purpose) httpx.Policy { return core.Private(budget) }

func passkeyStep(p httpx.Policy) httpx.Policy { return core.PasskeyStep(p) }

type pkDone = core.JSONRedirect

func pkJSON(w http.ResponseWriter, status int, v any) { core.JSON(w, status, v) }

func lang(r *http.Request) i18n.Lang                  { return core.Lang(r) }
func cookieValue(r *http.Request, name string) string { return core.CookieValue(r, name) }
func webClient(r *http.Request) *http.Request         { return core.WebClient(r) }
func (s *Server) pkFail(w http.ResponseWriter, r *http.Request, err error) {
	s.site.FailJSON(w, r, err)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	s.site.Render(w, r, status, page, v)
}

func (s *Server) problem(w http.ResponseWriter, r *http.Request, page string, v view, err error) {
	s.site.Problem(w, r, page, v, err)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.site.ErrorPage(w, r, status, code)
}

func (s *Server) refusedOn(page string, v func(*http.Request) view) func(http.ResponseWriter, *http.Request, error) {
	return s.site.RefusedOn(page, v)
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	s.site.SetCookie(w, name, value, maxAge)
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) { s.site.ClearCookie(w, name) }
func (s *Server) sessionCookieName() string                      { return s.site.SessionCookieName() }
func (s *Server) logout(w http.ResponseWriter, r *http.Request)  { s.site.LogOut(w, r) }

func (s *Server) logger() *slog.Logger { return s.site.Log() }

func personalOnly(budget httpx.Purpose) httpx.Policy { return core.PersonalOnly(budget) }
