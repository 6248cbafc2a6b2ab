package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/threeds"
)

// approvalRoutes are the 3-D Secure approvals of online card purchases (S9): the list, one approval, approving it
// with a payment's proof (and its challenge, to send a new code), rejecting it.
func (s *Server) approvalRoutes(full httpx.Policy) []Route {
	return []Route{
		{"GET", "/api/v1/approvals", full, s.listApprovals},
		{"GET", "/api/v1/approvals/{id}", full, s.getApproval},
		{"POST", "/api/v1/approvals/{id}/approve", limited(full, httpx.PaymentConfirmation), s.approveApproval},
		{"POST", "/api/v1/approvals/{id}/challenge", limited(full, httpx.PaymentConfirmation), s.approvalChallenge},
		{"POST", "/api/v1/approvals/{id}/reject", limited(full, httpx.PaymentConfirmation), s.rejectApproval},
	}
}

// approvalJSON is an approval as the app shows it: merchant, amount and currency, the card, and while it waits,
// the seconds left and the confirmation's challenge.
type approvalJSON struct {
	ID           string        `json:"id"`
	Status       string        `json:"status"`
	Merchant     string        `json:"merchant"`
	Amount       string        `json:"amount"`
	Currency     string        `json:"currency"`
	CardID       string        `json:"card_id"`
	MaskedPAN    string        `json:"masked_pan"`
	CreatedAt    string        `json:"created_at"`
	ExpiresAt    string        `json:"expires_at"`
	ExpiresIn    int           `json:"expires_in"`
	DecidedAt    string        `json:"decided_at,omitempty"`
	Method       string        `json:"method,omitempty"`
	Confirmation *confirmation `json:"confirmation,omitempty"`
}

func (s *Server) approvalJSON(a threeds.Approval) approvalJSON {
	out := approvalJSON{ID: a.ID, Status: string(a.Status), Merchant: a.Merchant, Amount: a.Amount.Decimal(),
		Currency: string(a.Amount.Currency), CardID: a.CardID, MaskedPAN: a.Masked,
		CreatedAt: a.CreatedAt.Format(time.RFC3339), ExpiresAt: a.ExpiresAt.Format(time.RFC3339),
		ExpiresIn: int(a.TimeLeft(s.Clock.Now()) / time.Second), Method: a.Method}
	if !a.DecidedAt.IsZero() {
		out.DecidedAt = a.DecidedAt.Format(time.RFC3339)
	}
	if c := a.Challenge; c != nil && a.Status == threeds.Pending {
		// As for transfers: the API takes no passkey, which confirms in the web app only.
		methods := slices.DeleteFunc(slices.Clone(c.Methods), func(m string) bool { return m == sca.MethodPasskey })
		out.Confirmation = &confirmation{ChallengeID: c.ID, Methods: methods, MaskedPhone: c.MaskedPhone,
			ExpiresIn: int(c.ExpiresIn / time.Second), Message: c.Message, Question: c.Question}
	}
	return out
}

// listApprovals lists the customer's approvals, newest first: ?status=pending (waiting), history (decided or
// expired), approved, rejected or expired; all without it.
func (s *Server) listApprovals(w http.ResponseWriter, r *http.Request) {
	list, err := s.ThreeDS.List(r.Context(), sessionOf(r).CustomerID, r.URL.Query().Get("status"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []approvalJSON{}
	for _, a := range list {
		out = append(out, s.approvalJSON(a))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"approvals": out})
}

// getApproval answers one approval; while it waits, with its live challenge (none once the code's two minutes
// have passed: POST …/challenge sends a new one).
func (s *Server) getApproval(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	a, err := s.ThreeDS.Get(r.Context(), cust, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if a.Status == threeds.Pending {
		if live, err := s.ThreeDS.Challenge(r.Context(), cust, a.ID, false); err == nil {
			a = live
		}
	}
	s.JSON(w, r, http.StatusOK, s.approvalJSON(a))
}

// approveApproval approves a purchase with the SMS code, a trusted device's signature or its Soft PIN response,
// each bound to the merchant and the amount.
func (s *Server) approveApproval(w http.ResponseWriter, r *http.Request) {
	proof, err := proofOf(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.ThreeDS.Approve(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), proof)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.approvalJSON(a))
}

// approvalChallenge sends a waiting approval a new code (the old one stops working).
func (s *Server) approvalChallenge(w http.ResponseWriter, r *http.Request) {
	a, err := s.ThreeDS.Challenge(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, s.approvalJSON(a))
}

// rejectApproval rejects a purchase: the network declines it.
func (s *Server) rejectApproval(w http.ResponseWriter, r *http.Request) {
	a, err := s.ThreeDS.Reject(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.approvalJSON(a))
}
