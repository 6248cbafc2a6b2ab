package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iban"
)

type verifyPayeeRequest struct {
	IBAN string `json:"iban"`
	Name string `json:"name"`
}

type verifyPayeeResponse struct {
	Result    string    `json:"result"`
	Name      string    `json:"name,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
}

// verifyPayee is Verification of Payee before a payment: whether the name typed is the name on the account. The
// name check service counts it against the customer's allowance (vop.Service.Check), and answers not_possible
// rather than an error when another bank cannot be asked.
func (s *Server) verifyPayee(w http.ResponseWriter, r *http.Request) {
	var req verifyPayeeRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	o, err := s.VoP.Check(r.Context(), sessionOf(r).CustomerID, iban.IBAN(req.IBAN), req.Name)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, verifyPayeeResponse{Result: string(o.Result), Name: o.Name, CheckedAt: o.CheckedAt})
}
