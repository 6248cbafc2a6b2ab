package web

import (
	"net/http"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
)

// personalOnly reports whether a page manages the customer's own passkeys or devices: a business's user (a
// representative acting for the business, A20) may not, because a passkey or device added there would be a
// factor of the business that no person holds.
func personalOnly(path string) bool {
	return strings.HasPrefix(path, passkeysPath) || strings.HasPrefix(path, "/profile/devices")
}

// personal answers a business user's session with the business_user_not_allowed page (403).
func (s *Server) personal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionOf(r).UserID != "" {
			s.errorPage(w, r, http.StatusForbidden, kumbara.CodeOf(auth.ErrBusinessUser()))
			return
		}
		next.ServeHTTP(w, r)
	})
}
