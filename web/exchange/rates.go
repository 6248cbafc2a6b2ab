package exchange

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

// option is one choice of a select or a group of radios.
type option struct {
	Value, Label string
	Selected     bool
}

// hidden is a field a form carries along unchanged (the other form's choices, so neither forgets the other's).
type hidden struct{ Name, Value string }

// rateRow is one currency's rates against the page's base, as the page's language writes them.
type rateRow struct {
	Currency, Buy, Sell, Mid, Until string
}

// calcForm is the calculator: the two currencies, the amount and which side it is, the problems with what was
// asked, and the answer.
type calcForm struct {
	Sell, Buy, Sides []option
	Amount           string
	Errors           map[string]string
	Hidden           []hidden // the base chosen above, kept when the calculator is sent
	Result           *calcResult
}

// calcResult is what the calculator answers: what the customer gives and gets, and the rate.
type calcResult struct {
	Give, Get, Rate string
	Business        bool // priced at the business segment's rates (a signed-in business)
}

// ratesPage is the rates against Base, and the calculator; the same page before login (Action /rates) and signed in
// (/exchange/rates).
type ratesPage struct {
	SignedIn  bool
	Action    string
	Base      string
	Bases     []option
	Rows      []rateRow
	Published string
	Hidden    []hidden // the calculator's figures, kept when another base is chosen
	Calc      calcForm
}

// publicRates is P7: the rates and the calculator before login, at an individual's rates.
func (s *area) publicRates(w http.ResponseWriter, r *http.Request) {
	s.rates(w, r, "/rates", fx.Individual)
}

// signedInRates is the same page signed in, the calculator at the customer's segment's rates.
func (s *area) signedInRates(w http.ResponseWriter, r *http.Request) {
	business, err := s.Customers.IsBusiness(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	segment := fx.Individual
	if business {
		segment = fx.Business
	}
	s.rates(w, r, "/exchange/rates", segment)
}

// rates shows the rates against the chosen base (?base=, ALL when none: fx.Service.CurrentIn) and, when the
// calculator was sent (?amount=), what the conversion would give (fx.Service.Calculate at segment's rates). A
// base or a calculation the bank refuses is said on the page, beside its field, and the rates against the lek are
// shown instead of a base without a rate.
func (s *area) rates(w http.ResponseWriter, r *http.Request, action, segment string) {
	ctx, l, q := r.Context(), core.Lang(r), r.URL.Query()
	base := money.Currency(strings.ToUpper(strings.TrimSpace(q.Get("base"))))
	if base == "" {
		base = money.ALL
	}
	page := ratesPage{SignedIn: action != "/rates", Action: action}
	var failure error
	rates, err := s.FX.CurrentIn(ctx, base)
	if err != nil && isRefusal(err) {
		failure, base = err, money.ALL
		rates, err = s.FX.Current(ctx)
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	page.Base = string(base)
	var published time.Time
	for _, c := range money.Currencies() {
		page.Bases = append(page.Bases, option{Value: string(c), Label: string(c), Selected: c == base})
	}
	for _, rt := range rates {
		row := rateRow{Currency: string(rt.Currency), Buy: i18n.FormatDecimal(rt.Buy, l), Sell: i18n.FormatDecimal(rt.Sell, l),
			Mid: i18n.FormatDecimal(rt.Mid, l)}
		if !rt.ValidUntil.IsZero() {
			row.Until = dateTime(rt.ValidUntil, l)
		}
		if rt.ValidFrom.After(published) {
			published = rt.ValidFrom
		}
		page.Rows = append(page.Rows, row)
	}
	if !published.IsZero() {
		page.Published = dateTime(published, l)
	}

	page.Calc, err = s.calculate(r, q, segment)
	if failure == nil {
		failure = err
	}
	if base != money.ALL {
		page.Calc.Hidden = []hidden{{"base", string(base)}}
	}
	if q.Has("amount") {
		for _, name := range []string{"sell", "buy", "side", "amount"} {
			page.Hidden = append(page.Hidden, hidden{name, q.Get(name)})
		}
	}
	v := core.View{Title: "web_fx_rates_title", Data: page}
	if failure != nil {
		s.problem(w, r, "fx_rates", v, failure)
		return
	}
	s.Render(w, r, http.StatusOK, "fx_rates", v)
}

// isRefusal reports whether err is the FX service refusing what was asked (a base it does not offer, or has no rate
// for), as opposed to a fault: the page says it and goes on.
func isRefusal(err error) bool {
	k := kumbara.KindOf(err)
	return k == kumbara.KindInvalid || k == kumbara.KindUnprocessable
}

// calculate is the calculator with what q asks: its choices (EUR sold for lek by default) and, when it was sent,
// the answer or the problems beside their fields (the error, for the page to say too).
func (s *area) calculate(r *http.Request, q url.Values, segment string) (calcForm, error) {
	l := core.Lang(r)
	sell, buy := money.Currency(q.Get("sell")), money.Currency(q.Get("buy"))
	if sell == "" {
		sell = money.EUR
	}
	if buy == "" {
		buy = money.ALL
	}
	side := fx.Side(q.Get("side"))
	if side != fx.SideBuy {
		side = fx.SideSell
	}
	f := calcForm{Amount: q.Get("amount"), Errors: map[string]string{},
		Sides: []option{{string(fx.SideSell), "web_fx_side_sell", side == fx.SideSell},
			{string(fx.SideBuy), "web_fx_side_buy", side == fx.SideBuy}}}
	for _, c := range money.Currencies() {
		f.Sell = append(f.Sell, option{Value: string(c), Label: string(c), Selected: c == sell})
		f.Buy = append(f.Buy, option{Value: string(c), Label: string(c), Selected: c == buy})
	}
	if !q.Has("amount") {
		return f, nil
	}
	var err error
	typed := ""
	if strings.TrimSpace(f.Amount) == "" {
		err = kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("amount"))
	} else {
		typed, err = typedAmount(l, f.Amount)
	}
	var p fx.Price
	if err == nil {
		p, err = s.FX.Calculate(r.Context(), fx.Calculation{Sell: sell, Buy: buy, Side: side, Amount: typed,
			Segment: segment})
	}
	if err != nil {
		if !isRefusal(err) {
			return f, err
		}
		f.Errors = s.problems(l, err, calcField)
		return f, err
	}
	give, get := p.Sell, p.Buy
	f.Result = &calcResult{Give: i18n.FormatAmount(give.Minor, string(give.Currency), l),
		Get: i18n.FormatAmount(get.Minor, string(get.Currency), l), Rate: fx.RateText(p, l),
		Business: segment == fx.Business}
	return f, nil
}

// calcField names the calculator's field of each request field fx.Service.Calculate refuses.
func calcField(requestField string) string {
	switch requestField {
	case "sell_currency":
		return "sell"
	case "buy_currency":
		return "buy"
	case "sell_amount", "buy_amount", "amount":
		return "amount"
	case "side":
		return "side"
	}
	return ""
}
