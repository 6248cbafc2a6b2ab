package backoffice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/staff"
)

// The staff session lives in its own cookie, scoped to /backoffice: a browser never sends it to the customers'
// pages or the API, and the back office reads no other. The customers' session cookie is __Host- (Path=/ by
// definition) with --secure-cookies; a cookie with a Path cannot be, so this one is Secure then instead. Both are
// HttpOnly and SameSite=Strict. The login's step token (password right, TOTP code awaited) rides in a cookie of its
// own scoped to the login, for the five minutes the step lives.
const (
	sessionCookie = "kumbara_staff"
	stepCookie    = "kumbara_staff_step"
	loginPath     = Prefix + "/login"
	codePath      = loginPath + "/code"
	passwordPath  = Prefix + "/password"
	homePath      = Prefix + "/"
)

// memberKey is the request context's key of the member of staff a session admitted.
type memberKey struct{}

// signedIn is what the session gate puts in the request: the member and their session's token.
type signedIn struct {
	staff.Member
	token string
}

// MemberOf is the member of staff of the request's session; the zero Member on a public page.
func MemberOf(r *http.Request) staff.Member {
	m, _ := r.Context().Value(memberKey{}).(signedIn)
	return m.Member
}

func tokenOf(r *http.Request) string {
	m, _ := r.Context().Value(memberKey{}).(signedIn)
	return m.token
}

// authenticate admits a request whose staff session is live (staff.Service.Admit: idle 15 minutes, 10 hours at
// most) and puts its member in the request, and in the audit's actor, so whatever a page does is recorded as
// theirs. A Full page also needs the member's own password: one the bank set sends them to change it first. Anyone
// else goes to the login page, which says why (a session that ended, as opposed to none).
func (s *Server) authenticate(a httpx.Access, h http.Handler) (http.Handler, error) {
	if a != httpx.Session && a != httpx.Full {
		return nil, fmt.Errorf("the back office has staff sessions only, not %v", a)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		token := s.sessionToken(r)
		m, err := s.Staff.Admit(r.Context(), token)
		switch {
		case errors.Is(err, staff.ErrSessionExpired):
			s.clearCookie(w, sessionCookie, Prefix)
			http.Redirect(w, r, loginPath+"?m=expired", http.StatusSeeOther)
			return
		case kumbara.KindOf(err) == kumbara.KindUnauthorized:
			// No token, or one that names no staff session (a customer's among them).
			if token != "" {
				s.clearCookie(w, sessionCookie, Prefix)
			}
			http.Redirect(w, r, loginPath, http.StatusSeeOther)
			return
		case err != nil:
			s.Log().Error("staff session", slog.String("error", err.Error()))
			s.errorPage(w, r, http.StatusInternalServerError, "internal")
			return
		case a == httpx.Full && m.MustChangePassword:
			http.Redirect(w, r, passwordPath, http.StatusSeeOther)
			return
		}
		h.ServeHTTP(w, r.WithContext(withMember(r.Context(), m, token)))
	}), nil
}

// withMember is ctx for a request of m's session: the member for the pages, the actor for the audit.
func withMember(ctx context.Context, m staff.Member, token string) context.Context {
	ctx = audit.WithActor(ctx, audit.StaffActor(m.Username, roleNames(m.Roles)))
	return context.WithValue(ctx, memberKey{}, signedIn{Member: m, token: token})
}

func roleNames(roles []staff.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// permitted runs h only for a member whose roles grant p; anyone else gets the 403 page, in their language.
func (s *Server) permitted(p staff.Permission, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := MemberOf(r).Require(p); err != nil {
			s.Log().Warn("staff permission denied", slog.String("staff", MemberOf(r).Username),
				slog.String("permission", string(p)), slog.String("path", httpx.LogPath(r.URL.Path)))
			s.errorPage(w, r, http.StatusForbidden, kumbara.CodeOf(err))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// sessionToken is the staff session token the browser sent, "" without one.
func (s *Server) sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// setCookie sets an HttpOnly, SameSite=Strict cookie for path and what is under it, lasting maxAge (0: as long as
// the browser runs; the server's limits decide how long the session is good for).
func (s *Server) setCookie(w http.ResponseWriter, name, value, path string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: int(maxAge.Seconds())})
}

// clearCookie removes a cookie setCookie set.
func (s *Server) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// openSession gives the browser the cookie of a new staff session, ending the browser's previous one rather than
// leaving it to linger.
func (s *Server) openSession(w http.ResponseWriter, r *http.Request, sess staff.Session) {
	if old := s.sessionToken(r); old != "" {
		if err := s.Staff.Logout(context.WithoutCancel(r.Context()), old); err != nil {
			s.Log().Error("end previous staff session", slog.String("error", err.Error()))
		}
	}
	s.setCookie(w, sessionCookie, sess.Token, Prefix, 0)
}

// current is the member of a live session the request carries, without sending anyone anywhere: for the pages
// anyone may see (the login, the not-found page), which show the signed-in layout to a member.
func (s *Server) current(r *http.Request) *http.Request {
	token := s.sessionToken(r)
	if token == "" {
		return r
	}
	m, err := s.Staff.Admit(r.Context(), token)
	if err != nil {
		return r
	}
	return r.WithContext(withMember(r.Context(), m, token))
}
