package api

import (
	"net/http"

	"github.com/kumbara/kumbara/auth"
)

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
