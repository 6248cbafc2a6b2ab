package web

import (
	"net/http"

	"github.com/kumbara/kumbara/auth"
)

// personal answers a business user's session with business_user_not_allowed (403): the error page, or the JSON
// problem of a passkey step.
func (s *Server) personal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionOf(r).UserID != "" {
			s.refuse(w, r, auth.ErrBusinessUser())
			return
		}
		next.ServeHTTP(w, r)
	})
}
