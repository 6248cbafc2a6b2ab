package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/money"
)

// fxRequestRoutes are the customer's requests for a preferential rate (X5), package fx's rules: asking, the list
// ("My requests"), cancelling, and executing one the bank confirmed.
func (s *Server) fxRequestRoutes(full httpx.Policy) []Route {
	return []Route{
		{"POST", "/api/v1/fx/requests", full, s.askFXRequest},
		{"GET", "/api/v1/fx/requests", full, s.listFXRequests},
		{"POST", "/api/v1/fx/requests/{id}/cancel", full, s.cancelFXRequest},
		{"POST", "/api/v1/fx/requests/{id}/execute", full, s.executeFXRequest},
	}
}

// fxRequestBody asks for a preferential rate: exactly one of sell_amount and buy_amount.
type fxRequestBody struct {
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	SellAmount    string `json:"sell_amount"`
	BuyAmount     string `json:"buy_amount"`
}

// fxOfferJSON is the bank's answer to a request: one base is rate quoted until valid_until, for an amount between
// min_amount and max_amount (while it can be executed).
type fxOfferJSON struct {
	Rate       string     `json:"rate"`
	Base       string     `json:"base"`
	Quoted     string     `json:"quoted"`
	ValidUntil time.Time  `json:"valid_until"`
	MinAmount  *moneyJSON `json:"min_amount,omitempty"`
	MaxAmount  *moneyJSON `json:"max_amount,omitempty"`
}

// fxExecutionJSON is what executing a request moved.
type fxExecutionJSON struct {
	ConversionID string    `json:"conversion_id"`
	Sell         moneyJSON `json:"sell"`
	Buy          moneyJSON `json:"buy"`
	ExecutedAt   time.Time `json:"executed_at"`
}

// fxRequestJSON is a request as the API answers it.
type fxRequestJSON struct {
	ID            string           `json:"id"`
	Status        string           `json:"status"`
	FromAccountID string           `json:"from_account_id"`
	FromIBAN      string           `json:"from_iban"`
	ToAccountID   string           `json:"to_account_id"`
	ToIBAN        string           `json:"to_iban"`
	SellCurrency  string           `json:"sell_currency"`
	BuyCurrency   string           `json:"buy_currency"`
	Side          string           `json:"side"`
	Amount        moneyJSON        `json:"amount"`
	CreatedAt     time.Time        `json:"created_at"`
	ExpiresAt     time.Time        `json:"expires_at"`
	Offer         *fxOfferJSON     `json:"offer"`
	Execution     *fxExecutionJSON `json:"execution"`
	CancelledAt   *time.Time       `json:"cancelled_at,omitempty"`
}

// fxMoney is a as the API writes an amount: a decimal string and its currency (the Money schema).
func fxMoney(a money.Amount) moneyJSON {
	return moneyJSON{Amount: a.Decimal(), Currency: string(a.Currency)}
}

// fxRequestOut writes r, with the amounts it may be executed for while it is confirmed.
func (s *Server) fxRequestOut(r *http.Request, q fx.Request) fxRequestJSON {
	out := fxRequestJSON{ID: q.ID, Status: q.Status, FromAccountID: q.FromAccountID, FromIBAN: q.FromIBAN,
		ToAccountID: q.ToAccountID, ToIBAN: q.ToIBAN, SellCurrency: string(q.Sell), BuyCurrency: string(q.Buy),
		Side: string(q.Side), Amount: fxMoney(q.Amount), CreatedAt: q.CreatedAt.UTC(), ExpiresAt: q.ExpiresAt.UTC()}
	if q.Rate != "" {
		out.Offer = &fxOfferJSON{Rate: q.Rate, Base: string(q.Base), Quoted: string(q.Quoted),
			ValidUntil: q.ValidUntil.UTC()}
		if q.Status == fx.Confirmed {
			if lo, hi, err := s.FX.Limits(r.Context(), q); err == nil {
				l, h := fxMoney(lo), fxMoney(hi)
				out.Offer.MinAmount, out.Offer.MaxAmount = &l, &h
			}
		}
	}
	if q.ConversionID != "" {
		out.Execution = &fxExecutionJSON{ConversionID: q.ConversionID, Sell: fxMoney(q.ExecutedSell),
			Buy: fxMoney(q.ExecutedBuy), ExecutedAt: q.ExecutedAt.UTC()}
	}
	if !q.CancelledAt.IsZero() {
		at := q.CancelledAt.UTC()
		out.CancelledAt = &at
	}
	return out
}

// askFXRequest records the customer's request for a preferential rate (fx.Service.Ask): 201 with it, waiting for
// the bank.
func (s *Server) askFXRequest(w http.ResponseWriter, r *http.Request) {
	var body fxRequestBody
	if err := httpx.DecodeJSON(r, &body); err != nil {
		s.Error(w, r, err)
		return
	}
	q, err := s.FX.Ask(r.Context(), sessionOf(r).CustomerID, fx.RequestInput{FromAccountID: body.FromAccountID,
		ToAccountID: body.ToAccountID, SellAmount: body.SellAmount, BuyAmount: body.BuyAmount})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, s.fxRequestOut(r, q))
}

// listFXRequests is "My requests": the customer's requests, the newest first (at most 100).
func (s *Server) listFXRequests(w http.ResponseWriter, r *http.Request) {
	list, err := s.FX.Requests(r.Context(), sessionOf(r).CustomerID, 100)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]fxRequestJSON, 0, len(list))
	for _, q := range list {
		out = append(out, s.fxRequestOut(r, q))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"requests": out})
}

// cancelFXRequest cancels one of the customer's open requests; cancelling a cancelled one answers it as it is.
func (s *Server) cancelFXRequest(w http.ResponseWriter, r *http.Request) {
	q, err := s.FX.CancelRequest(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.fxRequestOut(r, q))
}

// fxExecuteBody is the amount the customer executes a confirmed request for, in the requested amount's currency;
// empty is the requested amount.
type fxExecuteBody struct {
	Amount string `json:"amount"`
}

// executeFXRequest executes a confirmed request at the bank's rate: the money moves (fx.Service.ExecuteRequest).
// It takes an Idempotency-Key as every route that moves money; the request itself is what executes once, so a
// repeat for the same amount, with the key or without, answers the first execution (Idempotent-Replayed).
func (s *Server) executeFXRequest(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Idempotency-Key") == "" {
		s.Error(w, r, ErrIdempotencyKeyMissing)
		return
	}
	var body fxExecuteBody
	if err := httpx.DecodeJSON(r, &body); err != nil {
		s.Error(w, r, err)
		return
	}
	q, replayed, err := s.FX.ExecuteRequest(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), body.Amount)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	s.JSON(w, r, http.StatusCreated, s.fxRequestOut(r, q))
}
