package exchange

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/core"
)

// recentConversions is how many of the customer's conversions the exchange page lists.
const recentConversions = 10

// input is a conversion as its form has it: the two accounts, which side the amount is, the amount as typed and
// the description.
type input struct {
	From, To, Side, Amount, Description string
}

func inputFrom(v url.Values) input {
	in := input{From: v.Get("from"), To: v.Get("to"), Side: v.Get("side"), Amount: strings.TrimSpace(v.Get("amount")),
		Description: strings.TrimSpace(v.Get("description"))}
	if in.Side != string(fx.SideBuy) {
		in.Side = string(fx.SideSell)
	}
	return in
}

// values is in as an address's query, for "change the details".
func (in input) values() url.Values {
	v := url.Values{}
	v.Set("from", in.From)
	v.Set("to", in.To)
	v.Set("side", in.Side)
	v.Set("amount", in.Amount)
	if in.Description != "" {
		v.Set("description", in.Description)
	}
	return v
}

// fromConversion is the form's input of an earlier quote: the same accounts, side, amount (in the page's language)
// and description.
func fromConversion(c fx.Conversion, l i18n.Lang) input {
	in := input{From: c.FromAccountID, To: c.ToAccountID, Side: string(c.Side), Description: c.Description}
	if c.Side == fx.SideBuy {
		in.Amount = amountText(c.Buy, l)
	} else {
		in.Amount = amountText(c.Sell, l)
	}
	return in
}

// request is in as fx.Service.Quote takes it, with the amount already read in the page's language.
func (in input) request(amount string) fx.QuoteRequest {
	req := fx.QuoteRequest{FromAccountID: in.From, ToAccountID: in.To, Description: in.Description}
	if in.Side == string(fx.SideBuy) {
		req.BuyAmount = amount
	} else {
		req.SellAmount = amount
	}
	return req
}

// formField names the form field of each request field the FX service refuses: the accounts (and the currency each
// is in, which is the account's choice), the amount of either side, the description.
func formField(requestField string) string {
	switch requestField {
	case "from_account_id", "sell_currency":
		return "from"
	case "to_account_id", "buy_currency":
		return "to"
	case "sell_amount", "buy_amount", "amount":
		return "amount"
	case "description":
		return "description"
	}
	return ""
}

// pick is one of the customer's accounts as a picker offers it.
type pick struct {
	ID, Label, MaskedIBAN, Currency, Available string
	Blocked, Selected                          bool
}

// recent is one of the customer's conversions as the exchange page lists it.
type recent struct {
	ID, Kind, When, Rate, Sold, Bought string
}

// formPage is the exchange page: the conversion's form with what was typed and the problems the FX service found
// beside their fields, or why there is nothing to convert; and the customer's recent conversions.
type formPage struct {
	From, To       []pick
	Sides          []option
	Amount         string
	Description    string
	Errors         map[string]string
	TooFew         bool // fewer than two currencies among the customer's accounts
	Recent         []recent
	DescriptionMax int
	Chars          string
}

// formPage shows the exchange page, empty or with what an address carries ("change the details").
func (s *area) formPage(w http.ResponseWriter, r *http.Request) {
	s.showForm(w, r, inputFrom(r.URL.Query()), nil)
}

// showForm renders the exchange page with in and, if err is set, the FX service's problem with it.
func (s *area) showForm(w http.ResponseWriter, r *http.Request, in input, err error) {
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	accounts, aerr := s.accounts(ctx, cust)
	if aerr != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, aerr)
		return
	}
	done, cerr := s.FX.Conversions(ctx, cust, recentConversions)
	if cerr != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, cerr)
		return
	}
	p := formPage{Amount: in.Amount, Description: in.Description, Errors: s.problems(l, err, formField),
		TooFew: currencies(accounts) < 2, DescriptionMax: fx.MaxDescription, Chars: transfer.DescriptionChars,
		Sides: []option{{string(fx.SideSell), "web_fx_side_sell", in.Side != string(fx.SideBuy)},
			{string(fx.SideBuy), "web_fx_side_buy", in.Side == string(fx.SideBuy)}}}
	for _, a := range accounts {
		pk := pick{ID: a.ID, Label: a.Title(s.Catalogue, l), MaskedIBAN: maskIBAN(a.IBAN), Currency: string(a.Currency),
			Available: i18n.FormatAmount(a.Available(), string(a.Currency), l), Blocked: a.Status != ledger.Active}
		from, to := pk, pk
		from.Selected, to.Selected = a.ID == in.From, a.ID == in.To
		p.From, p.To = append(p.From, from), append(p.To, to)
	}
	for _, c := range done {
		p.Recent = append(p.Recent, recent{ID: c.ID, Kind: kindLabel(c), When: dateTime(c.ExecutedAt, l),
			Rate: fx.RateText(c.Price, l), Sold: i18n.FormatAmount(c.Sell.Minor, string(c.Sell.Currency), l),
			Bought: i18n.FormatAmount(c.Buy.Minor, string(c.Buy.Currency), l)})
	}
	v := core.View{Title: "web_fx_title", Data: p}
	if err != nil {
		s.problem(w, r, "fx_exchange", v, err)
		return
	}
	s.Render(w, r, http.StatusOK, "fx_exchange", v)
}

// quote asks the FX service for a quote of what the form holds and, when it gives one, sends the browser to its
// review; otherwise the form again with each problem beside its field.
func (s *area) quote(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	s.quoteAndReview(w, r, inputFrom(r.PostForm))
}

// again quotes anew the figures of one of the customer's quotes (one that lapsed, or whose rate the bank changed):
// the same accounts, side, amount and description, at the rates now.
func (s *area) again(w http.ResponseWriter, r *http.Request) {
	c, err := s.FX.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	s.quoteAndReview(w, r, fromConversion(c, core.Lang(r)))
}

func (s *area) quoteAndReview(w http.ResponseWriter, r *http.Request, in input) {
	typed, err := typedAmount(core.Lang(r), in.Amount)
	if err != nil {
		s.showForm(w, r, in, err)
		return
	}
	c, err := s.FX.Quote(r.Context(), core.SessionOf(r).CustomerID, in.request(typed))
	if err != nil {
		s.showForm(w, r, in, err)
		return
	}
	http.Redirect(w, r, "/exchange/quotes/"+url.PathEscape(c.ID), http.StatusSeeOther)
}

// side is one account of a conversion as the review and result show it.
type side struct {
	Label, IBAN string
}

// reviewPage is a quote as the customer confirms it: every figure, and until when it holds.
type reviewPage struct {
	ID, Kind        string
	From, To        side
	Sell, Buy, Rate string
	Description     string
	Expires, ISO    string // when it lapses: the time in Tirane, and as the time element's machine value
	Remaining       int    // seconds left when the page was made, for the countdown
	// Lapsed: its time has passed (the page says when); Closed: it can no longer be confirmed, because it lapsed or
	// because confirming it was refused (the page's problem says why), so a new quote is offered instead.
	Lapsed, Closed bool
	EditURL        string
	Business       bool // priced at the business segment's rates
}

// account is a conversion's account as the pages show it: its name (or type) and its IBAN, masked as the pickers
// mask it; an account the customer no longer lists is shown by its IBAN alone.
func (s *area) account(accounts []ledger.Account, id, ibanText string, l i18n.Lang, mask bool) side {
	sd := side{IBAN: printableIBAN(ibanText)}
	if mask {
		sd.IBAN = maskIBAN(ibanText)
	}
	if a, ok := accountByID(accounts, id); ok {
		sd.Label = a.Title(s.Catalogue, l)
	}
	return sd
}

// review shows one of the customer's quotes to confirm, with when it lapses (a countdown where the browser runs the
// page's script); a lapsed one says so and offers a new quote of the same figures; an executed one is its result.
func (s *area) review(w http.ResponseWriter, r *http.Request) {
	c, err := s.FX.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	if c.Status == fx.Executed {
		http.Redirect(w, r, resultPath(c.ID, ""), http.StatusSeeOther)
		return
	}
	s.showReview(w, r, c, nil)
}

// showReview renders c's review; err, if set, is why it could not be confirmed (it lapsed, its rate changed).
func (s *area) showReview(w http.ResponseWriter, r *http.Request, c fx.Conversion, err error) {
	l := core.Lang(r)
	accounts, aerr := s.accounts(r.Context(), core.SessionOf(r).CustomerID)
	if aerr != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, aerr)
		return
	}
	left := int(c.ExpiresAt.Sub(s.Now()).Seconds())
	p := reviewPage{ID: c.ID, Kind: kindLabel(c), From: s.account(accounts, c.FromAccountID, c.FromIBAN, l, true),
		To:   s.account(accounts, c.ToAccountID, c.ToIBAN, l, true),
		Sell: i18n.FormatAmount(c.Sell.Minor, string(c.Sell.Currency), l),
		Buy:  i18n.FormatAmount(c.Buy.Minor, string(c.Buy.Currency), l), Rate: fx.RateText(c.Price, l),
		Description: c.Description, Expires: clockTime(c.ExpiresAt), ISO: c.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"),
		Remaining: max(left, 0), Lapsed: err == nil && (c.Status == fx.Expired || left <= 0),
		EditURL: "/exchange?" + fromConversion(c, l).values().Encode(), Business: c.Segment == fx.Business}
	p.Closed = p.Lapsed || err != nil
	v := core.View{Title: "web_fx_review_title", Data: p}
	if err != nil {
		s.Problem(w, r, "fx_review", v, err)
		return
	}
	s.Render(w, r, http.StatusOK, "fx_review", v)
}

// confirm executes one of the customer's quotes. A quote executed already answers its result (a double click, the
// back button); one that lapsed or whose rate changed shows its review again with the reason and a new quote of
// the same figures; any other refusal (the funds, an account blocked meanwhile, the business hours) the form
// with the figures and the reason.
func (s *area) confirm(w http.ResponseWriter, r *http.Request) {
	cust := core.SessionOf(r).CustomerID
	c, replayed, err := s.FX.Execute(r.Context(), cust, r.PathValue("id"))
	switch {
	case err == nil && replayed:
		http.Redirect(w, r, resultPath(c.ID, "replayed"), http.StatusSeeOther)
	case err == nil:
		http.Redirect(w, r, resultPath(c.ID, ""), http.StatusSeeOther)
	case kumbara.KindOf(err) == kumbara.KindNotFound:
		s.notFound(w, r, err)
	case errors.Is(err, fx.ErrQuoteExpired) || errors.Is(err, fx.ErrQuoteChanged):
		q, gerr := s.FX.Get(r.Context(), cust, r.PathValue("id"))
		if gerr != nil {
			s.notFound(w, r, gerr)
			return
		}
		s.showReview(w, r, q, err)
	default:
		q, gerr := s.FX.Get(r.Context(), cust, r.PathValue("id"))
		if gerr != nil {
			s.notFound(w, r, gerr)
			return
		}
		s.showForm(w, r, fromConversion(q, core.Lang(r)), err)
	}
}

// resultPath is the address of a conversion's result, with what it should say (?m=) when set.
func resultPath(id, m string) string {
	p := "/exchange/conversions/" + url.PathEscape(id)
	if m != "" {
		p += "?m=" + url.QueryEscape(m)
	}
	return p
}

// resultPage is an executed conversion, with its receipt.
type resultPage struct {
	ID, Kind, When  string
	From, To        side
	Sell, Buy, Rate string
	Description     string
	ValueDate       string // a later value date than the day it was made, else ""
}

// result shows one of the customer's executed conversions; a quote not executed yet is its review.
func (s *area) result(w http.ResponseWriter, r *http.Request) {
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	c, err := s.FX.Get(ctx, cust, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	if c.Status != fx.Executed {
		http.Redirect(w, r, "/exchange/quotes/"+url.PathEscape(c.ID), http.StatusSeeOther)
		return
	}
	accounts, err := s.accounts(ctx, cust)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	p := resultPage{ID: c.ID, Kind: kindLabel(c), When: dateTime(c.ExecutedAt, l),
		From: s.account(accounts, c.FromAccountID, c.FromIBAN, l, false),
		To:   s.account(accounts, c.ToAccountID, c.ToIBAN, l, false),
		Sell: i18n.FormatAmount(c.Sell.Minor, string(c.Sell.Currency), l),
		Buy:  i18n.FormatAmount(c.Buy.Minor, string(c.Buy.Currency), l), Rate: fx.RateText(c.Price, l),
		Description: c.Description}
	if !c.ValueDate.IsZero() && c.ValueDate.Start().After(c.ExecutedAt) {
		p.ValueDate = i18n.FormatDate(c.ValueDate.Start(), l)
	}
	v := core.View{Title: "web_fx_result_title", Data: p}
	if r.URL.Query().Get("m") == "replayed" {
		v.Notice = s.Message(r, "web_fx_replayed", nil)
	}
	s.Render(w, r, http.StatusOK, "fx_result", v)
}

// receipt is the PDF receipt of one of the customer's conversions (fx.Service.Receipt), in the page's language;
// another customer's, or a quote that never moved money, is the not-found page.
func (s *area) receipt(w http.ResponseWriter, r *http.Request) {
	lang := statement.Lang(core.Lang(r))
	c, pdf, err := s.FX.Receipt(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), s.Customers.Bank,
		s.Catalogue, lang)
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fx.ReceiptFileName(c.ID, lang)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
