package api

import (
	"net/http"
	"strings"

	"github.com/kumbara/kumbara/auth"
)

// personalOnly reports whether a route acts on the customer's own devices or partial-login devices: a business's
// user (a representative acting for the business, A20) may not use them, because a device trusted there would
// be a factor of the business that no person holds.
func personalOnly(path string) bool {
	return strings.HasPrefix(path, "/api/v1/devices") || strings.HasPrefix(path, "/api/v1/me/password/device") ||
		path == "/api/v1/auth/forget-me"
}

// personal refuses a business user's session with business_user_not_allowed (403).
func (s *Server) personal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionOf(r).UserID != "" {
			s.Error(w, r, auth.ErrBusinessUser())
			return
		}
		next.ServeHTTP(w, r)
	})
}
