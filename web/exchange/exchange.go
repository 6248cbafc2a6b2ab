// Package exchange is the internet branch's currency exchange pages (issue #12 items 1 and 7; FEATURES P7, X1–X4):
// the bank's rates against the lek, against another currency, and a calculator, to anyone before login (/rates) and
// to a signed-in customer at the rates of their segment (/exchange/rates), one page for both; and buying, selling
// and converting between the customer's own accounts (/exchange): the form → the quote's review with its countdown
// → the confirmation → the result with its PDF receipt, and the customer's recent conversions. The rules are package
// fx's: these pages pass what was typed through and show its answer, each refusal beside its field.
package exchange

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Currency exchange": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "exchange", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{Site: site}).routes()
	}}
}

// area is the exchange pages' handlers, on the site.
type area struct {
	*core.Site
}

// routes are the rates before login (P7: the per-address budget of what the bank publishes, as the API's rates
// spend it) and, signed in, the rates again and the conversions (X2–X4). A conversion goes form → review →
// confirm → result: the form posts and, when fx.Service.Quote prices it, redirects to the quote's review, a GET
// page of the quote the bank keeps (its id is the customer's, nothing is carried in the page to seal); confirming
// executes it once however often the confirmation arrives (fx.Service.Execute is idempotent per quote); a quote
// that lapsed or whose rate changed is quoted again with the same figures (…/again).
func (s *area) routes() []core.Route {
	rt := []core.Route{
		{Method: "GET", Path: "/rates", Policy: core.Public(httpx.PublicRead), Handler: s.publicRates},
		{Method: "GET", Path: "/exchange", Policy: core.Private(""), Handler: s.formPage},
		{Method: "POST", Path: "/exchange", Policy: core.Private(""), Handler: s.quote},
		{Method: "GET", Path: "/exchange/rates", Policy: core.Private(""), Handler: s.signedInRates},
		{Method: "GET", Path: "/exchange/quotes/{id}", Policy: core.Private(""), Handler: s.review},
		{Method: "POST", Path: "/exchange/quotes/{id}/confirm", Policy: core.Private(""), Handler: s.confirm},
		{Method: "POST", Path: "/exchange/quotes/{id}/again", Policy: core.Private(""), Handler: s.again},
		{Method: "GET", Path: "/exchange/conversions/{id}", Policy: core.Private(""), Handler: s.result},
		{Method: "GET", Path: "/exchange/conversions/{id}/receipt", Policy: core.Private(""), Handler: s.receipt},
	}
	for i := range rt {
		rt[i].Handler = s.available(rt[i].Handler)
	}
	return rt
}

// available answers every page as not found when the bank has no FX service (a site built without one, as some
// tests build it): there is nothing to show.
func (s *area) available(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.FX == nil {
			s.ErrorPage(w, r, http.StatusNotFound, "not_found")
			return
		}
		h(w, r)
	}
}

// notFound answers a quote or conversion that is not the customer's, or not there, with the not-found page; anything
// else is our fault, logged and shown as such.
func (s *area) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, fx.ErrQuoteNotFound.Code)
		return
	}
	s.Log().Error("exchange", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// accounts are the customer's accounts that are not closed, in the ledger's order.
func (s *area) accounts(ctx context.Context, customerID string) ([]ledger.Account, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	// A credit card's account moves only through the card's pages.
	return slices.DeleteFunc(all, func(a ledger.Account) bool {
		return a.Status == ledger.Closed || a.Type == ledger.TypeCredit
	}), nil
}

// currencies counts the currencies of the accounts a conversion can use (active ones): fewer than two leave
// nothing to convert between.
func currencies(accounts []ledger.Account) int {
	seen := map[money.Currency]bool{}
	for _, a := range accounts {
		if a.Status == ledger.Active {
			seen[a.Currency] = true
		}
	}
	return len(seen)
}

func accountByID(accounts []ledger.Account, id string) (ledger.Account, bool) {
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.ID == id })
	if i < 0 {
		return ledger.Account{}, false
	}
	return accounts[i], true
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, "AL35 **** 0001", as the transfer
// pages' pickers do.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

func printableIBAN(s string) string {
	if ib, err := iban.Parse(s); err == nil {
		return ib.Printable()
	}
	return s
}

// typedAmount reads an amount as the customer typed it, in the page's language (money.Typed: "1.250,50" and
// "1250.50" alike); what it may be is the FX service's to judge.
func typedAmount(l i18n.Lang, s string) (string, error) {
	mark := ','
	if l == i18n.EN {
		mark = '.'
	}
	return money.Typed(s, mark)
}

// amountText is an amount as the page's language writes it, for an input to show again ("1.250,50").
func amountText(a money.Amount, l i18n.Lang) string {
	return i18n.FormatAmount(a.Minor, "", l)
}

// dateTime is t as the pages write a moment: its date and time to the minute in Tirane.
func dateTime(t time.Time, l i18n.Lang) string { return i18n.FormatDateTime(t, l) }

// clockTime is t's time of day in Tirane to the second, "09:00:30": when a quote lapses.
func clockTime(t time.Time) string { return t.In(clock.Tirane).Format("15:04:05") }

// kindLabel is the catalogue's name of what a conversion is to the customer: buying, selling or converting.
func kindLabel(c fx.Conversion) string { return fx.TextKind + "_" + c.Kind() }

// problems are the field problems of err in the page's language, by the form's field names (field maps the
// request's): the first problem of each field, with the refusal's parameters (the currency without a rate).
func (s *area) problems(l i18n.Lang, err error, field func(string) string) map[string]string {
	out := map[string]string{}
	e, ok := kumbara.As(err)
	if !ok {
		return out
	}
	for _, f := range e.Fields {
		name := field(f.Field)
		if name == "" || out[name] != "" {
			continue
		}
		out[name] = s.Catalogue.Message(l, f.Code, e.Params)
	}
	return out
}

// problem renders page with err's message above it (with the refusal's parameters) and the status the API would
// answer; a fault of ours or a limit is core.Problem's to say.
func (s *area) problem(w http.ResponseWriter, r *http.Request, page string, v core.View, err error) {
	e, ok := kumbara.As(err)
	status := httpx.StatusOf(kumbara.KindOf(err))
	if !ok || len(e.Params) == 0 || status >= http.StatusInternalServerError || status == http.StatusTooManyRequests {
		s.Problem(w, r, page, v, err)
		return
	}
	v.Error = s.Message(r, e.Code, e.Params)
	s.Render(w, r, status, page, v)
}
