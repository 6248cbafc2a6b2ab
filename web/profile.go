package web

// profileRoutes are the profile (password change, A11/A12), the pages before login (terms P1/P13, contact P14)
// and the forced password change.
func (s *Server) profileRoutes() []Route {
	return nil
}
