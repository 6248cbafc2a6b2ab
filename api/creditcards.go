package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// creditCardRoutes are a customer's credit cards (F11–F18, F20) and paying another card of the bank (Y17). The
// card's id is the card's own (as /cards lists it); another customer's card is 404 credit_card_not_found.
func (s *Server) creditCardRoutes(full httpx.Policy) []Route {
	small := full
	small.MaxBody = 4 << 10
	return []Route{
		{"GET", "/api/v1/cards/{id}/credit", full, s.creditSummary},
		{"GET", "/api/v1/cards/{id}/statements", full, s.creditStatements},
		{"GET", "/api/v1/cards/{id}/statements/{sid}", full, s.creditStatement},
		{"POST", "/api/v1/cards/{id}/payments", limited(small, httpx.PaymentCode), s.creditPay},
		{"POST", "/api/v1/cards/{id}/cash-advance", limited(small, httpx.PaymentCode), s.creditCashAdvance},
		// The PIN confirms the change: its three tries are the card's (card.Service.VerifyPIN).
		{"PATCH", "/api/v1/cards/{id}/limits", limited(small, httpx.PaymentConfirmation), s.creditLimits},
		{"PUT", "/api/v1/cards/{id}/auto-payment", small, s.creditAutoPayment},
		{"GET", "/api/v1/cards/{id}/transactions/{tid}/instalments", full, s.creditOffers},
		{"POST", "/api/v1/cards/{id}/transactions/{tid}/instalments", small, s.creditSplit},
		{"GET", "/api/v1/cards/{id}/instalments", full, s.creditPlans},
		{"POST", "/api/v1/cards/{id}/instalments/{pid}/close", small, s.creditClosePlan},
		// A card number is looked up in a body, never in an address a log would keep.
		{"POST", "/api/v1/card-payees", limited(small, httpx.PayeeCheck), s.creditPayee},
		{"POST", "/api/v1/card-payments", limited(small, httpx.PaymentCode), s.creditPayByNumber},
	}
}

type creditStatementJSON struct {
	ID              string    `json:"id"`
	CutDate         string    `json:"cut_date"`
	PeriodFrom      string    `json:"period_from"`
	DueDate         string    `json:"due_date"`
	Currency        string    `json:"currency"`
	PreviousBalance string    `json:"previous_balance"`
	Purchases       string    `json:"purchases"`
	Cash            string    `json:"cash"`
	Payments        string    `json:"payments"`
	Credits         string    `json:"credits"`
	Interest        string    `json:"interest"`
	Fees            string    `json:"fees"`
	Instalments     string    `json:"instalments"`
	ClosingBalance  string    `json:"closing_balance"`
	Unbilled        string    `json:"unbilled"`
	TotalDue        string    `json:"total_due"`
	MinimumDue      string    `json:"minimum_due"`
	Grace           bool      `json:"grace"`
	Points          int64     `json:"points"`
	Settled         bool      `json:"settled"`
	AutoPaid        string    `json:"auto_paid"`
	LateFee         string    `json:"late_fee"`
	CreatedAt       time.Time `json:"created_at"`
}

func statementJSON(st creditcard.Statement, cur money.Currency) creditStatementJSON {
	d := func(v int64) string { return money.New(v, cur).Decimal() }
	return creditStatementJSON{ID: st.ID, CutDate: st.CutDate.String(), PeriodFrom: st.PeriodFrom.String(),
		DueDate: st.DueDate.String(), Currency: string(cur), PreviousBalance: d(st.PreviousBalance),
		Purchases: d(st.Purchases), Cash: d(st.Cash), Payments: d(st.Payments), Credits: d(st.Credits),
		Interest: d(st.Interest), Fees: d(st.Fees), Instalments: d(st.Instalments),
		ClosingBalance: d(st.ClosingBalance), Unbilled: d(st.Unbilled), TotalDue: d(st.TotalDue),
		MinimumDue: d(st.MinimumDue), Grace: st.Grace, Points: st.Points, Settled: st.DueDone,
		AutoPaid: d(st.AutoPaid), LateFee: d(st.LateFee), CreatedAt: st.CreatedAt.UTC()}
}

// creditSummary is the card as F11 shows it: limits, what is available, points and the last statement.
func (s *Server) creditSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.Credit.Summary(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := func(v int64) string { return money.New(v, sum.Currency).Decimal() }
	out := map[string]any{"card_id": sum.CardID, "masked_pan": sum.Card.Masked, "scheme": sum.Card.Type,
		"currency": sum.Currency, "limit": d(sum.Limit), "cash_limit": d(sum.CashLimit),
		"available": d(sum.Available), "cash_available": d(sum.CashRemaining), "debt": d(sum.Debt),
		"held": d(sum.Held), "points": sum.Points, "cycle": sum.Cycle, "internet_percent": sum.InternetPercent,
		"internet_limit": d(sum.InternetLimit()), "supplementary_percent": sum.SupplementaryPercent,
		"auto_payment":   map[string]any{"percent": sum.AutoPercent, "account_id": sum.AutoAccountID},
		"last_statement": nil}
	if sum.Last != nil {
		out["last_statement"] = statementJSON(*sum.Last, sum.Currency)
	}
	s.JSON(w, r, http.StatusOK, out)
}

// creditStatements lists the card's statements, the newest first (F18).
func (s *Server) creditStatements(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.Credit.Statements(r.Context(), cr.CustomerID, cr.CardID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]creditStatementJSON, 0, len(list))
	for _, st := range list {
		out = append(out, statementJSON(st, cr.Currency))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"statements": out})
}

type creditLineJSON struct {
	EntryID     string    `json:"entry_id"`
	Kind        string    `json:"kind"`
	Amount      string    `json:"amount"`
	PostedAt    time.Time `json:"posted_at"`
	Description string    `json:"description"`
}

// creditStatement is one statement with its transactions (F18).
func (s *Server) creditStatement(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, lines, err := s.Credit.StatementLines(r.Context(), cr.CustomerID, cr.CardID, r.PathValue("sid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]creditLineJSON, 0, len(lines))
	for _, l := range lines {
		out = append(out, creditLineJSON{EntryID: l.EntryID, Kind: l.Kind, Amount: money.New(l.Amount,
			cr.Currency).Decimal(), PostedAt: l.PostedAt.UTC(), Description: l.Description})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"statement": statementJSON(st, cr.Currency), "transactions": out})
}

// idempotencyKey is the request's Idempotency-Key, required and well-formed on every request that moves money.
func idempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return "", ErrIdempotencyKeyMissing
	}
	if !transfer.ValidKey(key) {
		return "", transfer.ErrIdempotencyKeyInvalid
	}
	return key, nil
}

type creditPayBody struct {
	FromAccountID string `json:"from_account_id"`
	Kind          string `json:"kind"`
	Amount        string `json:"amount"`
	Number        string `json:"number"` // card-payments only
}

// creditPayRequest reads a payment's body; the amount is in the card's currency, and only for kind "other".
func creditPayRequest(r *http.Request, cur money.Currency) (creditPayBody, creditcard.PayRequest, error) {
	var b creditPayBody
	key, err := idempotencyKey(r)
	if err != nil {
		return b, creditcard.PayRequest{}, err
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		return b, creditcard.PayRequest{}, err
	}
	req := creditcard.PayRequest{FromAccountID: b.FromAccountID, Kind: b.Kind, IdempotencyKey: key}
	if b.Amount != "" {
		a, err := money.ParsePositive(b.Amount, cur)
		if err != nil {
			return b, req, err
		}
		req.Amount = a.Minor
	}
	return b, req, nil
}

func cardPaymentJSON(p creditcard.Payment) map[string]any {
	return map[string]any{"amount": moneyJSON{money.New(p.Amount, p.Currency).Decimal(), string(p.Currency)},
		"entry_id": p.EntryID}
}

// creditPay pays the customer's card (F17): the minimum, the remaining debt or another amount.
func (s *Server) creditPay(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	_, req, err := creditPayRequest(r, cr.Currency)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.Credit.Pay(r.Context(), cr.CustomerID, cr.CardID, req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, cardPaymentJSON(p))
}

// creditPayee finds another credit card of the bank by its number and shows it masked, before paying it (Y17).
func (s *Server) creditPayee(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Number string `json:"number"`
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.Error(w, r, err)
		return
	}
	p, _, err := s.Credit.FindPayee(r.Context(), b.Number)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"masked_pan": p.Masked, "holder": p.Holder})
}

// creditPayByNumber pays another credit card of the bank by its number (Y17), in lek.
func (s *Server) creditPayByNumber(w http.ResponseWriter, r *http.Request) {
	b, req, err := creditPayRequest(r, money.ALL)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.Credit.PayByNumber(r.Context(), sessionOf(r).CustomerID, b.Number, req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, cardPaymentJSON(p))
}

// creditCashAdvance previews ("confirm": false: the fee and the remaining cash limit, 200) or makes ("confirm":
// true, with an Idempotency-Key: 201) a cash advance into one of the customer's current accounts (F16).
func (s *Server) creditCashAdvance(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var b struct {
		ToAccountID string `json:"to_account_id"`
		Amount      string `json:"amount"`
		Confirm     bool   `json:"confirm"`
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.Error(w, r, err)
		return
	}
	req := creditcard.CashAdvanceRequest{ToAccountID: b.ToAccountID, Confirm: b.Confirm}
	if req.Confirm {
		if req.IdempotencyKey, err = idempotencyKey(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	a, err := money.ParsePositive(b.Amount, cr.Currency)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	req.Amount = a.Minor
	ca, err := s.Credit.CashAdvance(r.Context(), cr.CustomerID, cr.CardID, req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := func(v int64) moneyJSON { return moneyJSON{money.New(v, cr.Currency).Decimal(), string(cr.Currency)} }
	status := http.StatusOK
	if req.Confirm {
		status = http.StatusCreated
	}
	s.JSON(w, r, status, map[string]any{"amount": d(ca.Amount), "fee": d(ca.Fee), "total": d(ca.Amount + ca.Fee),
		"cash_available": d(ca.CashRemaining), "confirmed": req.Confirm, "entry_id": ca.EntryID})
}

// creditLimits changes the internet-purchase limit with the card's PIN (F12) and the supplementary card's
// limit (F13), each 0–100 % of the card's limit; either may be left out.
func (s *Server) creditLimits(w http.ResponseWriter, r *http.Request) {
	var b struct {
		InternetPercent      *int   `json:"internet_percent"`
		PIN                  string `json:"pin"`
		SupplementaryPercent *int   `json:"supplementary_percent"`
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.Error(w, r, err)
		return
	}
	customerID, cardID := sessionOf(r).CustomerID, r.PathValue("id")
	if b.InternetPercent != nil {
		if err := s.Credit.SetInternetLimit(r.Context(), customerID, cardID, *b.InternetPercent, b.PIN); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if b.SupplementaryPercent != nil {
		if err := s.Credit.SetSupplementaryLimit(r.Context(), customerID, cardID, *b.SupplementaryPercent); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	s.creditSummary(w, r)
}

// creditAutoPayment sets the automatic payment on the due date (F14): 25 (the minimum), 100 (the total) or 0.
func (s *Server) creditAutoPayment(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Percent   int    `json:"percent"`
		AccountID string `json:"account_id"`
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Credit.SetAutoPayment(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), b.Percent,
		b.AccountID); err != nil {
		s.Error(w, r, err)
		return
	}
	s.creditSummary(w, r)
}

// creditOffers prices the instalment offers for one completed purchase (F20), before the customer picks one.
func (s *Server) creditOffers(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	quotes, err := s.Credit.Offers(r.Context(), cr.CustomerID, cr.CardID, r.PathValue("tid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := func(v int64) string { return money.New(v, cr.Currency).Decimal() }
	out := make([]map[string]any, 0, len(quotes))
	for _, q := range quotes {
		out = append(out, map[string]any{"offer_id": q.ID, "months": q.Months, "fee_percent": q.FeePercent,
			"principal": d(q.Principal), "fee": d(q.Fee), "monthly": d(q.Monthly), "currency": cr.Currency})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"offers": out})
}

func planJSON(p creditcard.Plan, cur money.Currency) map[string]any {
	d := func(v int64) string { return money.New(v, cur).Decimal() }
	return map[string]any{"id": p.ID, "entry_id": p.EntryID, "offer_id": p.OfferID, "principal": d(p.Principal),
		"fee": d(p.Fee), "months": p.Months, "billed": p.Billed, "billed_principal": d(p.BilledPrincipal),
		"status": p.Status, "currency": cur, "created_at": p.CreatedAt.UTC()}
}

// creditSplit splits a completed purchase by an offer (F20).
func (s *Server) creditSplit(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var b struct {
		OfferID string `json:"offer_id"`
	}
	if err := httpx.DecodeJSON(r, &b); err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.Credit.Split(r.Context(), cr.CustomerID, cr.CardID, r.PathValue("tid"), b.OfferID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, planJSON(p, cr.Currency))
}

// creditPlans lists the card's instalment plans, oldest first.
func (s *Server) creditPlans(w http.ResponseWriter, r *http.Request) {
	cr, err := s.Credit.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	plans, err := s.Credit.Plans(r.Context(), cr.CustomerID, cr.CardID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(plans))
	for _, p := range plans {
		out = append(out, planJSON(p, cr.Currency))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"plans": out})
}

// creditClosePlan closes a plan early: the next statement bills the remaining principal at once.
func (s *Server) creditClosePlan(w http.ResponseWriter, r *http.Request) {
	if err := s.Credit.CloseEarly(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), r.PathValue("pid")); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
