// Package cardtransactions is the internet branch's page of a card's recent transactions (FEATURES F19):
// /cards/{id}/transactions, in three tabs that are plain links (?status=pending|completed|declined), so they work without
// JavaScript. Pending are the authorisations still held on the account, not cleared yet: merchant, date and time,
// the amount as the merchant asked it and, in another currency, what the account holds for it. Completed are the
// presentments posted: merchant, date, amount, the account charged, refunds shown as money back. Declined are the
// authorisations refused, each with its reason (3-D Secure required or failed among them). Package issuing
// owns the lists and the rule that another customer's card is not found; this page only shows them.
package cardtransactions

import (
	"embed"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is a card's recent transactions: its page and route.
func Area() core.Area {
	return core.Area{Name: "cardtransactions", Templates: core.Dir(templates, "templates"),
		Routes: func(site *core.Site) []core.Route { return (&area{site}).routes() }}
}

type area struct{ *core.Site }

func (s *area) routes() []core.Route {
	return []core.Route{{Method: "GET", Path: "/cards/{id}/transactions", Policy: core.Private(""), Handler: s.page}}
}

// tab is one of the page's two lists, as a link.
type tab struct {
	Status, Label, Href string
	Current             bool
}

// row is a transaction as the page shows it.
type row struct {
	ID, Kind, KindLabel, Merchant string
	Date, ISO                     string
	Amount                        string // as the merchant charged it (or refunded it), signed
	Refund                        bool
	// Held is what the account holds (pending) or paid (completed) in its own currency, when that differs from
	// the transaction's; "" when they are the same currency.
	Held    string
	Account string // the account charged (or credited): its name and masked IBAN
	Reason  string // why it was declined, in the customer's language
}

type pageData struct {
	CardID, Scheme, Kind, Masked string
	Status                       string // pending or completed: the tab shown
	Tabs                         []tab
	Rows                         []row
}

// Pending says the pending tab is shown.
func (d pageData) Pending() bool { return d.Status == issuing.Pending }

// Completed says the completed tab is shown.
func (d pageData) Completed() bool { return d.Status == issuing.Completed }

func (s *area) page(w http.ResponseWriter, r *http.Request) {
	if s.Cards == nil || s.Issuing == nil {
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	who := core.SessionOf(r).CustomerID
	c, err := s.Cards.Get(r.Context(), who, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status == "" {
		status = issuing.Pending
	}
	list, err := s.Issuing.Transactions(r.Context(), who, c.ID, status, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.data(r, c, status, list)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "card_transactions", core.View{Title: "web_ct_title", Data: d})
}

func (s *area) data(r *http.Request, c card.Card, status string, list []issuing.Transaction) (pageData, error) {
	l := core.Lang(r)
	d := pageData{CardID: c.ID, Scheme: c.Type.Name(), Kind: string(c.Kind), Masked: c.Masked, Status: status}
	base := "/cards/" + url.PathEscape(c.ID) + "/transactions"
	for _, st := range []string{issuing.Pending, issuing.Completed, issuing.Declined} {
		d.Tabs = append(d.Tabs, tab{Status: st, Label: s.Catalogue.Message(l, "web_ct_tab_"+st, nil),
			Href: base + "?status=" + st, Current: st == status})
	}
	if len(list) == 0 {
		return d, nil
	}
	accounts, err := s.Ledger.ListByCustomer(r.Context(), c.CustomerID)
	if err != nil {
		return d, err
	}
	byID := make(map[string]ledger.Account, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
	}
	for _, t := range list {
		d.Rows = append(d.Rows, s.row(t, byID[t.AccountID], l))
	}
	return d, nil
}

func (s *area) row(t issuing.Transaction, acc ledger.Account, l i18n.Lang) row {
	refund := t.Kind == issuing.KindRefund
	sign := "−"
	if refund {
		sign = "+"
	}
	out := row{ID: t.ID, Kind: t.Kind, KindLabel: s.Catalogue.Message(l, "web_ct_kind_"+t.Kind, nil),
		Merchant: t.Merchant, Refund: refund,
		ISO:    t.At.In(clock.Tirane).Format("2006-01-02T15:04"),
		Amount: sign + i18n.FormatAmount(t.Amount.Minor, string(t.Amount.Currency), l)}
	if t.Status == issuing.Declined {
		out.Amount = i18n.FormatAmount(t.Amount.Minor, string(t.Amount.Currency), l)
		out.Reason = s.Catalogue.Message(l, "web_ct_reason_"+string(t.Reason), nil)
	}
	if t.Status != issuing.Completed {
		out.Date = i18n.FormatDateTime(t.At, l)
	} else {
		out.Date = i18n.FormatDate(t.At, l)
	}
	if t.AccountAmount.Currency != t.Amount.Currency && t.Status != issuing.Declined {
		out.Held = sign + i18n.FormatAmount(t.AccountAmount.Minor, string(t.AccountAmount.Currency), l)
	}
	if acc.ID != "" {
		out.Account = acc.Title(s.Catalogue, l) + " · " + maskIBAN(acc.IBAN)
	}
	return out
}

// fail answers another customer's (or a missing) card with the not-found page, a status the page does not know
// as a refusal, and anything else as the error page.
func (s *area) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch kumbara.KindOf(err) {
	case kumbara.KindNotFound:
		s.ErrorPage(w, r, http.StatusNotFound, card.ErrNotFound.Code)
		return
	case kumbara.KindInternal:
		s.Log().Error("cardtransactions", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	}
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, as the card pages do.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}
