package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// cardTransactionRoutes: a card's pending and completed transactions (F19), and in demo mode with the card network
// sandbox its routes (a terminal's authorisation, a reversal, a presentment staged, the day's file run now).
func (s *Server) cardTransactionRoutes() []Route {
	var routes []Route
	if s.Issuing != nil {
		routes = append(routes, Route{"GET", "/api/v1/cards/{id}/transactions", httpx.Policy{Access: httpx.Full},
			s.cardTransactions})
	}
	if s.CardNetwork != nil {
		public := httpx.Policy{Access: httpx.Public, MaxBody: 4 << 10}
		routes = append(routes,
			// A terminal's PIN: the card's own three tries count it (httpx.TerminalPIN).
			Route{"POST", "/dev/card-network/authorisations", limited(public, httpx.TerminalPIN), s.devCardAuthorise},
			Route{"POST", "/dev/card-network/reversals", public, s.devCardReverse},
			Route{"POST", "/dev/card-network/clearing", public, s.devCardPresent},
			Route{"POST", "/dev/card-network/clearing/run", public, s.devCardRunClearing})
	}
	return routes
}

type cardTransactionJSON struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	Kind          string    `json:"kind"`
	Merchant      string    `json:"merchant"`
	MCC           string    `json:"mcc"`
	Amount        moneyJSON `json:"amount"`
	AccountID     string    `json:"account_id"`
	AccountAmount moneyJSON `json:"account_amount"`
	At            time.Time `json:"at"`
	Reason        string    `json:"reason,omitempty"`
}

// cardTransactions lists the customer's card's transactions: ?status=pending (authorised, not cleared; the
// default), completed or declined (with the reason).
func (s *Server) cardTransactions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "status" {
			s.Error(w, r, badQuery(k))
			return
		}
	}
	status := q.Get("status")
	if status == "" {
		status = issuing.Pending
	}
	list, err := s.Issuing.Transactions(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), status, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]cardTransactionJSON, 0, len(list))
	for _, t := range list {
		out = append(out, cardTransactionJSON{ID: t.ID, Status: t.Status, Kind: t.Kind, Merchant: t.Merchant, MCC: t.MCC,
			Amount: amountJSON(t.Amount), AccountID: t.AccountID, AccountAmount: amountJSON(t.AccountAmount), At: t.At.UTC(),
			Reason: string(t.Reason)})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"transactions": out})
}

type devAuthorisationJSON struct {
	ID          string `json:"id"`
	OriginalID  string `json:"original_id"`
	CardID      string `json:"card_id"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	Merchant    string `json:"merchant"`
	MCC         string `json:"mcc"`
	Country     string `json:"country"`
	CardPresent bool   `json:"card_present"`
	PIN         string `json:"pin"`
	EntryMode   string `json:"entry_mode"`
	// An online purchase's 3-D Secure result: the approval's reference and its authentication value.
	ThreeDSReference string `json:"three_ds_reference"`
	ThreeDSValue     string `json:"three_ds_value"`
}

// parseAmount reads a decimal amount in a currency named as sent.
func parseAmount(amount, currency string) (money.Amount, error) {
	cur, err := money.ParseCurrency(strings.ToUpper(strings.TrimSpace(currency)))
	if err != nil {
		return money.Amount{}, kumbara.ErrValidationFailed.WithFields(money.ErrUnknownCurrency.At("currency"))
	}
	a, err := money.ParsePositive(amount, cur)
	if err != nil {
		if e, ok := kumbara.As(err); ok {
			return money.Amount{}, kumbara.ErrValidationFailed.WithFields(e.At("amount"))
		}
		return money.Amount{}, err
	}
	return a, nil
}

// devCardAuthorise is a terminal's authorisation request through the sandbox network. Demo mode only.
func (s *Server) devCardAuthorise(w http.ResponseWriter, r *http.Request) {
	var req devAuthorisationJSON
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	amount, err := parseAmount(req.Amount, req.Currency)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.CardNetwork.Authorise(r.Context(), issuing.Request{ID: req.ID, OriginalID: req.OriginalID,
		CardID: req.CardID, Amount: amount, Merchant: req.Merchant, MCC: req.MCC, Country: strings.ToUpper(req.Country),
		CardPresent: req.CardPresent, PIN: req.PIN, EntryMode: req.EntryMode, ThreeDSRef: req.ThreeDSReference,
		ThreeDSValue: req.ThreeDSValue})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := map[string]any{"approved": a.Approved, "authorisation_id": a.AuthorisationID}
	if !a.Approved {
		out["reason"] = string(a.Reason)
		if a.Control != "" {
			out["control"] = a.Control
		}
	}
	s.JSON(w, r, http.StatusOK, out)
}

// devCardReverse reverses an authorisation through the sandbox network. Demo mode only.
func (s *Server) devCardReverse(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AuthorisationID string `json:"authorisation_id"`
	}
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.CardNetwork.Reverse(r.Context(), req.AuthorisationID); err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"reversed": true, "authorisation_id": req.AuthorisationID})
}

// devCardPresent stages a presentment for the day's clearing file. Demo mode only.
func (s *Server) devCardPresent(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AuthorisationID string `json:"authorisation_id"`
		CardID          string `json:"card_id"`
		Kind            string `json:"kind"`
		Amount          string `json:"amount"`
		Currency        string `json:"currency"`
		Merchant        string `json:"merchant"`
		MCC             string `json:"mcc"`
	}
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	amount, err := parseAmount(req.Amount, req.Currency)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	id, err := s.CardNetwork.Stage(r.Context(), cardnetwork.Presentment{AuthorisationID: req.AuthorisationID,
		CardID: req.CardID, Kind: req.Kind, Amount: amount, Merchant: req.Merchant, MCC: req.MCC})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, map[string]any{"presentment_id": id})
}

// devCardRunClearing builds and delivers the business date's clearing file now. Demo mode only.
func (s *Server) devCardRunClearing(w http.ResponseWriter, r *http.Request) {
	res, err := s.CardNetwork.RunClearing(r.Context(), calendar.DateOf(s.Clock.Now()))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"file_id": res.ID, "business_date": res.BusinessDate,
		"presentments": res.Presentments, "posted": res.Posted, "exceptions": res.Exceptions, "repeated": res.Repeated})
}
