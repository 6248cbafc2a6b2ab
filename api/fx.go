package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// fxRoutes are the bank's exchange rates and the calculator, which anyone may use before login (P7), and the
// customer's conversions between their own accounts: a quote, then its execution (X2–X4).
func (s *Server) fxRoutes() []Route {
	public := limited(httpx.Policy{Access: httpx.Public}, httpx.PublicRead)
	full := httpx.Policy{Access: httpx.Full}
	return []Route{
		{"GET", "/api/v1/fx/rates", public, s.fxRates},
		{"GET", "/api/v1/fx/calculate", public, s.fxCalculate},
		{"POST", "/api/v1/fx/quotes", httpx.Policy{Access: httpx.Full, MaxBody: 4 << 10}, s.fxQuote},
		{"GET", "/api/v1/fx/quotes/{id}", full, s.fxGetQuote},
		{"POST", "/api/v1/fx/quotes/{id}/execute", full, s.fxExecute},
		{"GET", "/api/v1/fx/conversions", full, s.fxConversions},
	}
}

// fxRate is one currency's rate against the answer's base, decimal strings.
type fxRate struct {
	Currency   money.Currency `json:"currency"`
	Buy        string         `json:"buy"`
	Sell       string         `json:"sell"`
	Mid        string         `json:"mid"`
	ValidUntil *time.Time     `json:"valid_until"`
}

// fxRates answers the rates valid now against ALL, or against ?cross=CUR (fx.Service.CurrentIn), with when the
// latest of them was published (null when none is current).
func (s *Server) fxRates(w http.ResponseWriter, r *http.Request) {
	base := money.ALL
	if c := strings.TrimSpace(r.URL.Query().Get("cross")); c != "" {
		base = money.Currency(strings.ToUpper(c))
	}
	rates, err := s.FX.CurrentIn(r.Context(), base)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]fxRate, 0, len(rates))
	var published *time.Time
	for _, rt := range rates {
		o := fxRate{Currency: rt.Currency, Buy: rt.Buy, Sell: rt.Sell, Mid: rt.Mid}
		if !rt.ValidUntil.IsZero() {
			until := rt.ValidUntil.UTC()
			o.ValidUntil = &until
		}
		if !rt.ValidFrom.IsZero() && (published == nil || rt.ValidFrom.After(*published)) {
			from := rt.ValidFrom.UTC()
			published = &from
		}
		out = append(out, o)
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"base": base, "rates": out, "published_at": published})
}

// fxPriceJSON is what a conversion gives: the customer's rate (1 base = rate quoted), both amounts, which of them
// the customer gave (side) and the segment priced.
type fxPriceJSON struct {
	Rate    string         `json:"rate"`
	Base    money.Currency `json:"base"`
	Quoted  money.Currency `json:"quoted"`
	Sell    moneyJSON      `json:"sell"`
	Buy     moneyJSON      `json:"buy"`
	Side    string         `json:"side"`
	Segment string         `json:"segment"`
}

func amountJSON(a money.Amount) moneyJSON { return moneyJSON{a.Decimal(), string(a.Currency)} }

func priceJSON(p fx.Price) fxPriceJSON {
	return fxPriceJSON{Rate: p.Rate, Base: p.Base, Quoted: p.Quoted, Sell: amountJSON(p.Sell), Buy: amountJSON(p.Buy),
		Side: string(p.Side), Segment: p.Segment}
}

// calculateParams are the query parameters of the calculator.
var calculateParams = map[string]bool{"sell": true, "buy": true, "sell_amount": true, "buy_amount": true,
	"segment": true}

// calculateFields are the calculator's query parameters under the names the domain gives its fields.
var calculateFields = map[string]string{"sell_currency": "sell", "buy_currency": "buy"}

// fxCalculate is the calculator (P7), before login too: what selling ?sell_amount of ?sell, or buying ?buy_amount
// of ?buy, gives at the rates now (fx.Service.Calculate), for ?segment (individual unless said).
func (s *Server) fxCalculate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if !calculateParams[k] {
			s.Error(w, r, badQuery(k))
			return
		}
	}
	c := fx.Calculation{Sell: currencyParam(q.Get("sell")), Buy: currencyParam(q.Get("buy")),
		Segment: strings.TrimSpace(q.Get("segment"))}
	sell, buy := q.Get("sell_amount"), q.Get("buy_amount")
	switch {
	case sell == "" && buy == "":
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("sell_amount")))
		return
	case sell != "" && buy != "":
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrValidationFailed.At("buy_amount")))
		return
	case sell != "":
		c.Side, c.Amount = fx.SideSell, sell
	default:
		c.Side, c.Amount = fx.SideBuy, buy
	}
	p, err := s.FX.Calculate(r.Context(), c)
	if err != nil {
		s.Error(w, r, renameFields(err, calculateFields))
		return
	}
	s.JSON(w, r, http.StatusOK, priceJSON(p))
}

// currencyParam is a currency as a query gives it, in any case.
func currencyParam(v string) money.Currency {
	return money.Currency(strings.ToUpper(strings.TrimSpace(v)))
}

// renameFields is err with its field errors named as the request names them (names maps the domain's names).
func renameFields(err error, names map[string]string) error {
	e, ok := kumbara.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]kumbara.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		c.Fields[i] = f
	}
	return &c
}

// fxConversionJSON is a customer's conversion: a quote, expired or executed.
type fxConversionJSON struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Kind   string `json:"kind"`
	fxPriceJSON
	FromAccountID string     `json:"from_account_id"`
	FromIBAN      string     `json:"from_iban"`
	ToAccountID   string     `json:"to_account_id"`
	ToIBAN        string     `json:"to_iban"`
	Description   string     `json:"description"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	EntryID       string     `json:"entry_id,omitempty"`
	ExecutedAt    *time.Time `json:"executed_at,omitempty"`
	ValueDate     string     `json:"value_date,omitempty"`
}

func conversionJSON(c fx.Conversion) fxConversionJSON {
	out := fxConversionJSON{ID: c.ID, Status: c.Status, Kind: c.Kind(), fxPriceJSON: priceJSON(c.Price),
		FromAccountID: c.FromAccountID, FromIBAN: c.FromIBAN, ToAccountID: c.ToAccountID, ToIBAN: c.ToIBAN,
		Description: c.Description, CreatedAt: c.CreatedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC(), EntryID: c.EntryID}
	if !c.ExecutedAt.IsZero() {
		at := c.ExecutedAt.UTC()
		out.ExecutedAt = &at
	}
	if !c.ValueDate.IsZero() {
		out.ValueDate = c.ValueDate.String()
	}
	return out
}

// fxQuoteBody asks for a quote: exactly one of sell_amount (in the source account's currency) and buy_amount (in
// the destination's).
type fxQuoteBody struct {
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	SellAmount    string `json:"sell_amount"`
	BuyAmount     string `json:"buy_amount"`
	Description   string `json:"description"`
}

// fxQuote prices a conversion between two of the customer's accounts and keeps it for the quote's validity
// (fx.Service.Quote): the customer executes it at /fx/quotes/{id}/execute.
func (s *Server) fxQuote(w http.ResponseWriter, r *http.Request) {
	var req fxQuoteBody
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.FX.Quote(r.Context(), sessionOf(r).CustomerID, fx.QuoteRequest{FromAccountID: req.FromAccountID,
		ToAccountID: req.ToAccountID, SellAmount: req.SellAmount, BuyAmount: req.BuyAmount,
		Description: req.Description})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/fx/quotes/"+c.ID)
	s.JSON(w, r, http.StatusCreated, conversionJSON(c))
}

// fxGetQuote is one of the customer's conversions; another customer's is fx_quote_not_found.
func (s *Server) fxGetQuote(w http.ResponseWriter, r *http.Request) {
	c, err := s.FX.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, conversionJSON(c))
}

// fxExecute executes the customer's quote (fx.Service.Execute). It moves money, so it takes an Idempotency-Key as
// every such request does; the quote itself is what makes it happen once: a repeat, under any key, answers the
// executed conversion as a repeated transfer is answered (201, Idempotent-Replayed: true).
func (s *Server) fxExecute(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		s.Error(w, r, ErrIdempotencyKeyMissing)
		return
	}
	if !transfer.ValidKey(key) {
		s.Error(w, r, transfer.ErrIdempotencyKeyInvalid)
		return
	}
	c, replayed, err := s.FX.Execute(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/fx/quotes/"+c.ID)
	s.JSON(w, r, http.StatusCreated, conversionJSON(c))
}

// fxConversions lists the customer's executed conversions, the newest first: ?limit of them (1–100, default 20).
func (s *Server) fxConversions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "limit" {
			s.Error(w, r, badQuery(k))
			return
		}
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.Error(w, r, badQuery("limit"))
			return
		}
		limit = n
	}
	list, err := s.FX.Conversions(r.Context(), sessionOf(r).CustomerID, limit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]fxConversionJSON, 0, len(list))
	for _, c := range list {
		out = append(out, conversionJSON(c))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"conversions": out})
}
