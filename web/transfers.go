package web

// transferRoutes are "Payments & transfers": own (T2) and in-bank (T3) transfers and their receipts (Y19).
func (s *Server) transferRoutes() []Route {
	return nil
}
