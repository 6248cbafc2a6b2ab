package core

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
)

// sessionKey is the request context's key of the web session (a Session). Areas read it with SessionOf.
type sessionKey struct{}

// Session is the web session of a request that passed requireSession: the auth session and its token.
type Session struct {
	auth.Session
	Token string
}

// SessionOf is the request's web session; the zero Session on a public page.
func SessionOf(r *http.Request) Session {
	ws, _ := r.Context().Value(sessionKey{}).(Session)
	return ws
}

// requireSession admits requests with a live session cookie that may reach the page (auth.Admit: the session gate
// the API shares) and answers the gate's refusals: a pending password change or terms go to the profile's pages
// (Gate), anything else to the login page. Authenticated pages are never cached.
func (s *Site) requireSession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		token := s.SessionToken(r)
		if token == "" {
			s.toLogin(w, r, "")
			return
		}
		sess, err := s.Auth.Admit(r.Context(), token, s.need(r.URL.Path))
		if err != nil {
			switch {
			case s.gate(w, r, err):
			case errors.Is(err, auth.ErrAssuranceInsufficient):
				// A partial (password-only, SmartPay) session is the mobile app's; the internet branch needs a full one.
				s.toLogin(w, r, "")
			case kumbara.KindOf(err) == kumbara.KindInternal:
				s.Log().Error("authenticate", slog.String("error", err.Error()))
				s.ErrorPage(w, r, http.StatusInternalServerError, "internal")
			default:
				s.ClearCookie(w, s.SessionCookieName())
				s.toLogin(w, r, "expired")
			}
			return
		}
		ctx := context.WithValue(auth.WithSession(r.Context(), sess), sessionKey{}, Session{Session: sess, Token: token})
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// need is what the page at path asks of a session: what any area's Need grants it.
func (s *Site) need(path string) auth.Need {
	var need auth.Need
	for _, a := range s.areas {
		if a.Need == nil {
			continue
		}
		n := a.Need(path)
		need.Partial = need.Partial || n.Partial
		need.PasswordChange = need.PasswordChange || n.PasswordChange
		need.TermsPending = need.TermsPending || n.TermsPending
	}
	return need
}

// gate lets the areas answer the session gate's refusal of a pending step (Area.Gate), reporting whether one did.
func (s *Site) gate(w http.ResponseWriter, r *http.Request, err error) bool {
	for _, a := range s.areas {
		if a.Gate != nil && a.Gate(w, r, err) {
			return true
		}
	}
	return false
}

// toLogin sends the browser to the login page; htmx requests get a full-page redirect header instead.
func (s *Site) toLogin(w http.ResponseWriter, r *http.Request, reason string) {
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

// SessionCookieName is the session cookie's name: with the __Host- prefix when cookies are secure.
func (s *Site) SessionCookieName() string {
	if s.SecureCookies {
		return "__Host-kumbara_session"
	}
	return "kumbara_session"
}

// SessionToken is the session token the browser sent, "" without one.
func (s *Site) SessionToken(r *http.Request) string {
	c, err := r.Cookie(s.SessionCookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

// SetCookie sets an HttpOnly, SameSite=Strict cookie for the whole site, lasting maxAge.
func (s *Site) SetCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: int(maxAge.Seconds())})
}

// ClearCookie removes a cookie SetCookie set.
func (s *Site) ClearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// CookieValue is the value of the request's cookie name, "" without one.
func CookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// WebClient tells the login steps that this is the web app, which browser is asking and from which address (the
// rate limits' key, by which password guesses are throttled).
func WebClient(r *http.Request) *http.Request {
	return r.WithContext(auth.WithClient(r.Context(), auth.Client{Channel: auth.ChannelWeb,
		Label: r.Header.Get("User-Agent"), Address: httpx.ClientKey(r)}))
}

// OpenSession gives the browser the session cookie of a new login (password and code, or passkey), ending the
// browser's previous session rather than leaving it to linger. The session gate then sends a session whose
// password must change, or a customer who has not accepted the current terms, to those pages first.
func (s *Site) OpenSession(w http.ResponseWriter, r *http.Request, token string) {
	if old := s.SessionToken(r); old != "" {
		if err := s.Auth.Logout(context.WithoutCancel(r.Context()), old); err != nil {
			s.Log().Error("end previous session", slog.String("error", err.Error()))
		}
	}
	// A browser-session cookie: the server's idle timeout and lifetime decide how long it is good for.
	http.SetCookie(w, &http.Cookie{Name: s.SessionCookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// LogOut ends the request's session and goes to the login page, which says so.
func (s *Site) LogOut(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(r.Context(), SessionOf(r).Token); err != nil {
		s.Log().Error("logout", slog.String("error", err.Error()))
	}
	s.ClearCookie(w, s.SessionCookieName())
	http.Redirect(w, r, "/login?m=out", http.StatusSeeOther)
}

// EndSession ends the request's session after a refusal that must not leave it open (the lockout reached by a
// password typed again): the token is logged out and the cookie cleared. The caller answers the request, with the
// request returned: it carries no session any more, so a page shown for it is a logged-out one.
func (s *Site) EndSession(w http.ResponseWriter, r *http.Request) *http.Request {
	if err := s.Auth.Logout(r.Context(), SessionOf(r).Token); err != nil {
		s.Log().Error("logout", slog.String("error", err.Error()))
	}
	s.ClearCookie(w, s.SessionCookieName())
	return r.WithContext(context.WithValue(r.Context(), sessionKey{}, Session{}))
}
