package backoffice

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const fxPath = Prefix + "/fx"

// The bank's exchange rates against ALL (package fx): the rates in force, those of every currency against one
// chosen (?cross=EUR, fx.Service.CurrentIn) and the latest publications, of every currency or one (?history=EUR),
// for every role (payments.read, which the staff permissions give the rates to read); and for a member who sets
// rates (rates.set) a form that asks for a new one — a rate's "change" fills it (?change=EUR) — which waits for a
// second member's approval (four-eyes, operation.Service.PublishRate, as `kumbara admin fx publish`): the page then
// names the request. Rates are shown, and may be typed, with the page's decimal mark.
func (s *Server) fxRoutes() []Route {
	return []Route{
		{Method: "GET", Path: fxPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.fxPage},
		{Method: "POST", Path: fxPath, Policy: Staffed(""), Permission: staff.RatesSet, Handler: s.publishRate},
	}
}

// FXHistoryShown is how many of the latest publications the page lists.
const FXHistoryShown = 20

// fxData is the exchange rates' page.
type fxData struct {
	Rates []fxRow // every currency the bank quotes, with its rate in force or none
	// Cross is the currency the cross rates are against ("" for none chosen), its choices (the currencies with a
	// rate in force) and the rates of every other currency, ALL first, against it.
	Cross        string
	CrossChoices []option
	CrossRates   []fxRow
	// History is the latest publications, newest first, of HistoryOf ("" for every currency).
	HistoryOf      string
	HistoryChoices []option
	History        []fxRow
	Form           fxForm
}

// fxRow is a rate as the page shows it: its figures with the page's decimal mark.
type fxRow struct {
	fx.Rate
	BuyText, SellText, MidText string
	InForce                    bool   // the currency has a rate in force (a row of Rates may have none)
	Change                     string // the address that fills the form with it
}

// fxForm is a rate as typed, with the currencies it may be of.
type fxForm struct {
	Currency, Buy, Sell, Reason string
	CurrencyChoices             []option
}

// rateText is a rate as fx writes it ("97.80") with lang's decimal mark ("97,80" in Albanian); "" stays "".
func rateText(lang i18n.Lang, rate string) string {
	if lang == i18n.SQ {
		return strings.Replace(rate, ".", ",", 1)
	}
	return rate
}

// fxRow says rate rt the page's way.
func (s *Server) fxRow(r *http.Request, rt fx.Rate) fxRow {
	lang := core.Lang(r)
	return fxRow{Rate: rt, BuyText: rateText(lang, rt.Buy), SellText: rateText(lang, rt.Sell),
		MidText: rateText(lang, rt.Mid), InForce: rt.Buy != "",
		Change: fxPath + "?" + url.Values{"change": {string(rt.Currency)}}.Encode() + "#fx-form"}
}

// quotedCurrencies are the currencies the bank has rates of: every offered one but ALL, the base.
func quotedCurrencies() []money.Currency {
	var out []money.Currency
	for _, c := range money.Currencies() {
		if c != money.ALL {
			out = append(out, c)
		}
	}
	return out
}

// fxForm is f with its currencies, f's chosen.
func (s *Server) fxForm(f fxForm) fxForm {
	f.CurrencyChoices = nil
	for _, c := range quotedCurrencies() {
		f.CurrencyChoices = append(f.CurrencyChoices, option{Value: string(c), Label: string(c),
			Selected: string(c) == f.Currency})
	}
	return f
}

func (s *Server) fxPage(w http.ResponseWriter, r *http.Request) {
	var v View
	s.flash(r, &v)
	var f fxForm
	// ?change=EUR fills the form with EUR's rate in force, to change it (or only its currency, if it has none).
	if c := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("change"))); c != "" && MemberOf(r).Can(staff.RatesSet) {
		f.Currency = c
		if rates, err := s.FX.Current(r.Context()); err == nil {
			for _, rt := range rates {
				if string(rt.Currency) == c {
					f.Buy, f.Sell = rateText(core.Lang(r), rt.Buy), rateText(core.Lang(r), rt.Sell)
				}
			}
		}
	}
	s.showFX(w, r, http.StatusOK, v, f)
}

// showFX renders the rates as they are now, with v's notice or problem and the form f. The cross rates and the
// history are those the address asks for: a currency they cannot be of is said beside its list (fx's
// fx_currency_invalid, or fx_rate_missing for cross rates against a currency without a rate in force), with the
// status the API would give it, and the rest of the page as it is.
func (s *Server) showFX(w http.ResponseWriter, r *http.Request, status int, v View, f fxForm) {
	ctx, q := r.Context(), r.URL.Query()
	current, err := s.FX.Current(ctx)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := fxData{Form: s.fxForm(f), Cross: strings.ToUpper(strings.TrimSpace(q.Get("cross"))),
		HistoryOf: strings.ToUpper(strings.TrimSpace(q.Get("history")))}
	inForce := map[money.Currency]fx.Rate{}
	for _, rt := range current {
		inForce[rt.Currency] = rt
	}
	for _, c := range quotedCurrencies() {
		rt, ok := inForce[c]
		if !ok {
			rt = fx.Rate{Currency: c}
		}
		d.Rates = append(d.Rates, s.fxRow(r, rt))
		if ok {
			d.CrossChoices = append(d.CrossChoices, option{Value: string(c), Label: string(c),
				Selected: string(c) == d.Cross})
		}
	}
	d.HistoryChoices = []option{{Value: "", Label: s.message(r, "web_bo_fx_every_currency", nil),
		Selected: d.HistoryOf == ""}}
	for _, c := range quotedCurrencies() {
		d.HistoryChoices = append(d.HistoryChoices, option{Value: string(c), Label: string(c),
			Selected: string(c) == d.HistoryOf})
	}
	// refused says a list's problem beside it; false for one that is not the member's to mend (ours: the error
	// page has been rendered).
	refused := func(err error, field string) bool {
		code := httpx.StatusOf(kumbara.KindOf(err))
		e, ok := kumbara.As(err)
		if !ok || code >= http.StatusInternalServerError || code == http.StatusNotFound {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
			return false
		}
		if v.Fields == nil {
			v.Fields = map[string]string{}
		}
		v.Fields[field] = s.message(r, e.Code, e.Params)
		if v.Error == "" {
			v.Error, status = s.site.ProblemText(r, err), code
		}
		return true
	}
	if d.Cross != "" {
		cross, err := s.FX.CurrentIn(ctx, money.Currency(d.Cross))
		if err != nil && !refused(err, "cross") {
			return
		}
		for _, rt := range cross {
			d.CrossRates = append(d.CrossRates, s.fxRow(r, rt))
		}
	}
	hist, err := s.FX.History(ctx, money.Currency(d.HistoryOf), FXHistoryShown)
	if err != nil && !refused(err, "history") {
		return
	}
	for _, rt := range hist {
		d.History = append(d.History, s.fxRow(r, rt))
	}
	v.Title, v.Data = "web_bo_fx_title", d
	s.render(w, r, status, "fx", v)
}

// publishRate asks for the rate typed, which waits for a second member: the page then names the request. A
// refusal (fx.Normalize's and Check's: each field's problem, or a reason a move beyond the band needs) is said on
// the form, each field's problem beside it, with what was typed kept. The rates may be typed with the page's
// decimal mark ("97,80" as "97.80").
func (s *Server) publishRate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	pf := r.PostForm
	f := fxForm{Currency: pf.Get("currency"), Buy: pf.Get("buy"), Sell: pf.Get("sell"), Reason: pf.Get("reason")}
	o, err := s.Operations.PublishRate(r.Context(), MemberOf(r), fx.Rate{Currency: money.Currency(f.Currency),
		Buy: decimalPoint(strings.TrimSpace(f.Buy)), Sell: decimalPoint(strings.TrimSpace(f.Sell)), Reason: f.Reason})
	if err != nil {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showFX(w, r, status, v, f)
		})
		return
	}
	answered(w, r, fxPath, o, "")
}

// fxDetail is a new rate as its request's page shows it: each figure beside the rate in force while the request
// waits (once decided, the rate in force may be this one, or a later one), and the reason given.
type fxDetail struct {
	Currency money.Currency
	Reason   string
	Rows     []contactRow
	Compare  bool // the rows say the rate in force beside the one asked for
}

// fxDetail says rate p, as its request holds it, in the page's language, beside the rate in force when compare.
func (s *Server) fxDetail(r *http.Request, p fx.Rate, compare bool) *fxDetail {
	if n, err := fx.Normalize(p); err == nil {
		p = n // with its mid
	}
	d := &fxDetail{Currency: p.Currency, Reason: p.Reason, Compare: compare}
	var now *fx.Rate
	if compare && s.FX != nil {
		if rates, err := s.FX.Current(r.Context()); err == nil {
			for i := range rates {
				if rates[i].Currency == p.Currency {
					now = &rates[i]
				}
			}
		}
	}
	lang := core.Lang(r)
	dash := func(s string) string {
		if s == "" {
			return "–"
		}
		return rateText(lang, s)
	}
	figures := func(rt fx.Rate) []string { return []string{dash(rt.Buy), dash(rt.Sell), dash(rt.Mid)} }
	asked, before := figures(p), []string{"–", "–", "–"}
	if now != nil {
		before = figures(*now)
	}
	for i, key := range []string{"web_bo_fx_buy", "web_bo_fx_sell", "web_bo_fx_mid"} {
		row := contactRow{Label: s.message(r, key, nil), Before: before[i], After: asked[i]}
		row.Changed = compare && row.Before != row.After
		d.Rows = append(d.Rows, row)
	}
	return d
}
