package core

import (
	"log/slog"
	"net/http"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
)

// contentSecurityPolicy allows only the app's own scripts, styles and images: no inline code, no other origin,
// no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// protect adds the security headers and refuses cross-origin form posts (CSRF) with the browser's own
// Sec-Fetch-Site and Origin headers, answering them with the error page.
func (s *Site) protect(h http.Handler) http.Handler {
	return s.Protect(h, func(w http.ResponseWriter, r *http.Request) {
		s.ErrorPage(w, r, http.StatusForbidden, "cross_site_refused")
	})
}

// Protect adds the site's security headers and refuses cross-origin form posts (CSRF) with the browser's own
// Sec-Fetch-Site and Origin headers, logged and answered by refused (a face's own page for cross_site_refused):
// the internet branch's protection, for every face built like it.
func (s *Site) Protect(h http.Handler, refused http.HandlerFunc) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log().Warn("cross-origin request refused", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("origin", r.Header.Get("Origin")))
		refused(w, r)
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

// personal answers a business user's session with business_user_not_allowed (403): the error page, or the JSON
// problem of a passkey step.
func (s *Site) personal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if SessionOf(r).UserID != "" {
			s.Refuse(w, r, auth.ErrBusinessUser())
			return
		}
		next.ServeHTTP(w, r)
	})
}
