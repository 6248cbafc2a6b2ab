// Package fxrequests is the internet branch's "My requests" (Kërkesat e mia, FEATURES X5): the customer's requests
// for a preferential exchange rate with their status, a form to ask for one, cancelling one while it is open, and
// executing one the bank confirmed — the exchange's details with the amount, which the customer may change within
// the bank's limits, a review, and the confirmation. The rules are package fx's; these pages pass what was typed
// through and say its answer.
package fxrequests

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the requests' pages and routes.
func Area() core.Area {
	return core.Area{Name: "fxrequests", Templates: core.Dir(templates, "templates"),
		Routes: func(site *core.Site) []core.Route { return (&area{site}).routes() }}
}

// area is the requests' handlers, on the site.
type area struct{ *core.Site }

const listPath = "/fx/requests"

// routes are the requests' pages; a bank without FX has none.
func (s *area) routes() []core.Route {
	if s.FX == nil {
		return nil
	}
	return []core.Route{
		{Method: "GET", Path: listPath, Policy: core.Private(""), Handler: s.listPage},
		{Method: "GET", Path: listPath + "/new", Policy: core.Private(""), Handler: s.newPage},
		{Method: "POST", Path: listPath + "/new", Policy: core.Private(""), Handler: s.ask},
		{Method: "POST", Path: listPath + "/{id}/cancel", Policy: core.Private(""), Handler: s.cancel},
		{Method: "GET", Path: listPath + "/{id}/approve", Policy: core.Private(""), Handler: s.approvePage},
		{Method: "POST", Path: listPath + "/{id}/review", Policy: core.Private(""), Handler: s.review},
		{Method: "POST", Path: listPath + "/{id}/execute", Policy: core.Private(""), Handler: s.execute},
	}
}

// row is a request as the pages show it, its words in the page's language.
type row struct {
	ID, Status, StatusLabel, Badge string
	Pair                           string // "ALL → EUR"
	Amount                         money.Amount
	SideLabel                      string // "you buy" / "you sell"
	From, To                       string // the accounts' names and masked IBANs
	Asked                          string // when, the page's way
	Rate                           string // "1 EUR = 98.40 ALL", once the bank proposed it
	ValidUntil                     string
	Open, Confirmed, Executed      bool
	Sold, Bought                   money.Amount
}

func (s *area) row(r *http.Request, q fx.Request, accounts []ledger.Account) row {
	l := core.Lang(r)
	out := row{ID: q.ID, Status: q.Status, StatusLabel: s.Message(r, "web_fxr_status_"+q.Status, nil),
		Badge: badge(q.Status), Pair: string(q.Sell) + " → " + string(q.Buy), Amount: q.Amount,
		SideLabel: s.Message(r, "web_fxr_side_"+string(q.Side), nil), From: s.accountLabel(r, accounts, q.FromAccountID, q.FromIBAN),
		To: s.accountLabel(r, accounts, q.ToAccountID, q.ToIBAN), Asked: i18n.FormatDateTime(q.CreatedAt, l),
		Open: q.Open(), Confirmed: q.Status == fx.Confirmed, Executed: q.Status == fx.Executed,
		Sold: q.ExecutedSell, Bought: q.ExecutedBuy}
	if q.Rate != "" {
		out.Rate = "1 " + string(q.Base) + " = " + q.Rate + " " + string(q.Quoted)
		out.ValidUntil = i18n.FormatDateTime(q.ValidUntil, l)
	}
	return out
}

// badge is a status's badge: waiting amber, the bank's rate blue, done green, the rest red.
func badge(status string) string {
	switch status {
	case fx.Requested:
		return "badge-warn"
	case fx.Confirmed:
		return "badge-info"
	case fx.Executed:
		return "badge-ok"
	}
	return "badge-bad"
}

// accountLabel names one of the customer's accounts: its name or type, and its masked IBAN.
func (s *area) accountLabel(r *http.Request, accounts []ledger.Account, id, ib string) string {
	masked := maskIBAN(ib)
	if i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.ID == id }); i >= 0 {
		return accounts[i].Title(s.Catalogue, core.Lang(r)) + " · " + masked
	}
	return masked
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, as the transfer pages do.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

func (s *area) accounts(ctx context.Context, customerID string) ([]ledger.Account, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a ledger.Account) bool { return a.Status == ledger.Closed }), nil
}

// listData is "My requests".
type listData struct {
	Rows    []row
	Minimum money.Amount
}

// notices are the list's notices after a step, by its m parameter.
var notices = map[string]string{"asked": "web_fxr_asked", "cancelled": "web_fxr_cancelled_notice",
	"executed": "web_fxr_executed_notice"}

func (s *area) listPage(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_fxr_title"}
	if key, ok := notices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.Message(r, key, nil)
	}
	s.showList(w, r, http.StatusOK, v)
}

// showList renders the list as it is now, with v's notice or problem.
func (s *area) showList(w http.ResponseWriter, r *http.Request, status int, v core.View) {
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	list, err := s.FX.Requests(ctx, cust, 100)
	var accounts []ledger.Account
	if err == nil {
		accounts, err = s.accounts(ctx, cust)
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	d := listData{Rows: []row{}, Minimum: s.FX.RequestConfig().Minimum}
	for _, q := range list {
		d.Rows = append(d.Rows, s.row(r, q, accounts))
	}
	v.Title, v.Data = "web_fxr_title", d
	s.Render(w, r, status, "fx_requests", v)
}

// pick is an account in a list to choose from.
type pick struct {
	ID, Label, Currency string
	Available           int64
	Selected, Blocked   bool
}

// formData is the form asking for a preferential rate, as typed.
type formData struct {
	From, To       []pick
	Side, Amount   string
	Invalid        string // the form field the problem is about
	Minimum        money.Amount
	HasTwoCurrency bool // the customer has accounts in two currencies at least
}

func (s *area) newPage(w http.ResponseWriter, r *http.Request) {
	s.showForm(w, r, http.StatusOK, core.View{}, "", "", "sell", "", nil)
}

// showForm renders the form with what was typed and err's problem, if any.
func (s *area) showForm(w http.ResponseWriter, r *http.Request, status int, v core.View, from, to, side, amount string, err error) {
	accounts, aerr := s.accounts(r.Context(), core.SessionOf(r).CustomerID)
	if aerr != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, aerr)
		return
	}
	d := formData{Side: side, Amount: amount, Minimum: s.FX.RequestConfig().Minimum}
	currencies := map[money.Currency]bool{}
	for _, a := range accounts {
		p := pick{ID: a.ID, Label: a.Title(s.Catalogue, core.Lang(r)) + " · " + maskIBAN(a.IBAN),
			Currency: string(a.Currency), Available: a.Available(), Blocked: a.Status != ledger.Active}
		currencies[a.Currency] = true
		f, t := p, p
		f.Selected, t.Selected = a.ID == from, a.ID == to
		d.From, d.To = append(d.From, f), append(d.To, t)
	}
	d.HasTwoCurrency = len(currencies) > 1
	v.Title, v.Data = "web_fxr_new_title", d
	if err != nil {
		d.Invalid = fieldOf(err)
		v.Data = d
		s.refuse(w, r, "fx_request_new", v, err)
		return
	}
	s.Render(w, r, status, "fx_request_new", v)
}

// refuse renders page with err's problem, as core.Site.Problem does, its message saying its parameters — the
// minimum, the amounts allowed — the page's way.
func (s *area) refuse(w http.ResponseWriter, r *http.Request, page string, v core.View, err error) {
	e, ok := kumbara.As(err)
	if !ok || len(e.Params) == 0 || e.Kind == kumbara.KindInternal {
		s.Problem(w, r, page, v, err)
		return
	}
	params := map[string]string{}
	for k, p := range e.Params {
		params[k] = p
		if dec, cur, ok := strings.Cut(p, " "); ok {
			if a, perr := money.ParseDecimal(dec, money.Currency(cur)); perr == nil {
				params[k] = i18n.FormatAmount(a.Minor, cur, core.Lang(r))
			}
		}
	}
	v.Error = s.Message(r, e.Code, params)
	s.Render(w, r, httpx.StatusOf(e.Kind), page, v)
}

// fieldOf names the form field a domain error is about.
func fieldOf(err error) string {
	if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
		switch e.Fields[0].Field {
		case "from_account_id":
			return "from"
		case "to_account_id":
			return "to"
		case "sell_amount", "buy_amount", "amount":
			return "amount"
		}
	}
	return ""
}

// typed reads an amount as the customer typed it, in the page's language ("12.000,50" and "12000.50" alike).
func typed(r *http.Request, s string) (string, error) {
	mark := ','
	if core.Lang(r) == i18n.EN {
		mark = '.'
	}
	return money.Typed(s, mark)
}

func (s *area) ask(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	f := r.PostForm.Get
	from, to, side, amount := f("from"), f("to"), f("side"), strings.TrimSpace(f("amount"))
	if side != "buy" {
		side = "sell"
	}
	in := fx.RequestInput{FromAccountID: from, ToAccountID: to}
	dec, err := typed(r, amount)
	if err != nil {
		s.showForm(w, r, 0, core.View{}, from, to, side, amount, about(err, side+"_amount"))
		return
	}
	if side == "buy" {
		in.BuyAmount = dec
	} else {
		in.SellAmount = dec
	}
	if _, err := s.FX.Ask(r.Context(), core.SessionOf(r).CustomerID, in); err != nil {
		s.showForm(w, r, 0, core.View{}, from, to, side, amount, err)
		return
	}
	http.Redirect(w, r, listPath+"?m=asked", http.StatusSeeOther)
}

// about is err, a coded error, about field.
func about(err error, field string) error {
	if e, ok := kumbara.As(err); ok {
		return e.Field(field)
	}
	return err
}

func (s *area) cancel(w http.ResponseWriter, r *http.Request) {
	_, err := s.FX.CancelRequest(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, fx.ErrRequestNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, fx.ErrRequestNotFound.Code)
		return
	}
	if err != nil {
		var v core.View
		v.Error = s.ProblemText(r, err)
		s.showList(w, r, httpx.StatusOf(kumbara.KindOf(err)), v)
		return
	}
	http.Redirect(w, r, listPath+"?m=cancelled", http.StatusSeeOther)
}

// approveData is the exchange's details before the customer executes it: the accounts, the bank's rate and the
// amount, which may change between Min and Max.
type approveData struct {
	Row      row
	Amount   string // as typed, or the requested amount the page's way
	Min, Max money.Amount
	Invalid  string
}

func (s *area) approvePage(w http.ResponseWriter, r *http.Request) {
	s.showApprove(w, r, core.View{}, "", nil)
}

// showApprove renders the exchange's details with amount as typed ("" is the requested amount) and err's problem,
// if any. A request that cannot be executed any more is the list saying why.
func (s *area) showApprove(w http.ResponseWriter, r *http.Request, v core.View, amount string, err error) {
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	q, gerr := s.FX.GetRequest(ctx, cust, r.PathValue("id"))
	if errors.Is(gerr, fx.ErrRequestNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, fx.ErrRequestNotFound.Code)
		return
	}
	if gerr == nil && q.Status != fx.Confirmed {
		gerr = statusError(q.Status)
	}
	var accounts []ledger.Account
	if gerr == nil {
		accounts, gerr = s.accounts(ctx, cust)
	}
	if gerr != nil {
		v.Error = s.ProblemText(r, gerr)
		s.showList(w, r, httpx.StatusOf(kumbara.KindOf(gerr)), v)
		return
	}
	d := approveData{Row: s.row(r, q, accounts), Amount: amount}
	if amount == "" {
		d.Amount = formatTyped(q.Amount, core.Lang(r))
	}
	if lo, hi, lerr := s.FX.Limits(ctx, q); lerr == nil {
		d.Min, d.Max = lo, hi
	}
	v.Title = "web_fxr_approve_title"
	if err != nil {
		d.Invalid = fieldOf(err)
		v.Data = d
		s.refuse(w, r, "fx_request_approve", v, err)
		return
	}
	v.Data = d
	s.Render(w, r, http.StatusOK, "fx_request_approve", v)
}

// statusError is why a request in status cannot be executed.
func statusError(status string) error {
	switch status {
	case fx.Requested:
		return fx.ErrRequestNotConfirmed
	case fx.Executed:
		return fx.ErrRequestExecuted
	case fx.Cancelled:
		return fx.ErrRequestCancelled
	}
	return fx.ErrRequestExpired
}

// formatTyped writes an amount as a customer types it in lang, without the currency: "12.000,00" or "12,000.00".
func formatTyped(a money.Amount, lang i18n.Lang) string {
	s := i18n.FormatAmount(a.Minor, string(a.Currency), lang)
	return strings.TrimSpace(strings.TrimSuffix(s, string(a.Currency)))
}

// reviewData is what executing would give, for the customer to confirm.
type reviewData struct {
	Row       row
	Sell, Buy money.Amount
	Rate      string
	Amount    string // the decimal the confirmation sends
}

func (s *area) review(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	amount := strings.TrimSpace(r.PostForm.Get("amount"))
	dec, err := typed(r, amount)
	if err != nil {
		s.showApprove(w, r, core.View{}, amount, about(err, "amount"))
		return
	}
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	q, c, err := s.FX.PreviewRequest(ctx, cust, r.PathValue("id"), dec)
	if errors.Is(err, fx.ErrRequestNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, fx.ErrRequestNotFound.Code)
		return
	}
	if err != nil {
		s.showApprove(w, r, core.View{}, amount, err)
		return
	}
	accounts, err := s.accounts(ctx, cust)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	d := reviewData{Row: s.row(r, q, accounts), Sell: c.Sell, Buy: c.Buy, Amount: dec,
		Rate: "1 " + string(c.Base) + " = " + c.Rate + " " + string(c.Quoted)}
	s.Render(w, r, http.StatusOK, "fx_request_review", core.View{Title: "web_fxr_review_title", Data: d})
}

// execute executes the request for the amount the review showed; a repeat (a double tap) answers the first
// execution, and the list says it was done either way.
func (s *area) execute(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	amount := r.PostForm.Get("amount")
	_, _, err := s.FX.ExecuteRequest(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), amount)
	if errors.Is(err, fx.ErrRequestNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, fx.ErrRequestNotFound.Code)
		return
	}
	if err != nil {
		// The details again, with the amount as the customer's language writes it.
		again := ""
		if q, gerr := s.FX.GetRequest(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id")); gerr == nil {
			if a, perr := money.ParseDecimal(amount, q.Amount.Currency); perr == nil {
				again = formatTyped(a, core.Lang(r))
			}
		}
		s.showApprove(w, r, core.View{}, again, err)
		return
	}
	http.Redirect(w, r, listPath+"?m=executed", http.StatusSeeOther)
}
