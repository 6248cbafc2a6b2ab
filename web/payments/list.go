package payments

import (
	"net/http"

	"github.com/kumbara/kumbara/web/core"
)

// listRoutes are the list of the customer's payments: none yet.
func (s *area) listRoutes() []core.Route { return nil }

// refuse shows a refusal of a step that has nothing else to go back to (a review that cannot be trusted or has
// lapsed).
func (s *area) refuse(w http.ResponseWriter, r *http.Request, err error) {
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}
