// Package creditcards is the internet branch's credit card pages (issue #13; FEATURES F11–F18, F20, Y17): a card's
// statements and each statement's transactions, paying the card (minimum, remaining or another amount), a cash
// advance with its fee shown first, the automatic payment, the internet and supplementary limits (confirmed with the
// card's PIN), splitting a purchase into instalments, and paying another card of the bank by its number. Every
// action goes form → review → confirm → result, as the manual's screens do; the rules are package creditcard's.
package creditcards

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"net/http"
	"slices"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Credit cards": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "creditcards", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{Site: site}).routes()
	}}
}

type area struct {
	*core.Site
}

func (s *area) routes() []core.Route {
	p := core.Private("")
	rt := []core.Route{
		{Method: "GET", Path: "/cards/{id}/statements", Policy: p, Handler: s.statements},
		{Method: "GET", Path: "/cards/{id}/statements/{sid}", Policy: p, Handler: s.statement},
		{Method: "GET", Path: "/cards/{id}/pay", Policy: p, Handler: s.payForm},
		{Method: "POST", Path: "/cards/{id}/pay", Policy: p, Handler: s.pay},
		{Method: "GET", Path: "/cards/{id}/cash-advance", Policy: p, Handler: s.cashForm},
		{Method: "POST", Path: "/cards/{id}/cash-advance", Policy: p, Handler: s.cash},
		{Method: "GET", Path: "/cards/{id}/auto-payment", Policy: p, Handler: s.autoForm},
		{Method: "POST", Path: "/cards/{id}/auto-payment", Policy: p, Handler: s.auto},
		{Method: "GET", Path: "/cards/{id}/limits", Policy: p, Handler: s.limitsForm},
		{Method: "POST", Path: "/cards/{id}/limits", Policy: p, Handler: s.limits},
		{Method: "GET", Path: "/cards/{id}/instalments", Policy: p, Handler: s.instalments},
		{Method: "POST", Path: "/cards/{id}/instalments", Policy: p, Handler: s.split},
		{Method: "POST", Path: "/cards/{id}/instalments/{pid}/close", Policy: p, Handler: s.closePlan},
		{Method: "GET", Path: "/cards/pay", Policy: p, Handler: s.otherForm},
		{Method: "POST", Path: "/cards/pay", Policy: p, Handler: s.payOther},
	}
	for i := range rt {
		rt[i].Handler = s.available(rt[i].Handler)
	}
	return rt
}

// available answers every page as not found when the bank has no credit card service.
func (s *area) available(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Credit == nil {
			s.ErrorPage(w, r, http.StatusNotFound, "not_found")
			return
		}
		h(w, r)
	}
}

// card is the customer's credit card the address names, or the not-found page (another customer's card too).
func (s *area) card(w http.ResponseWriter, r *http.Request) (creditcard.Summary, bool) {
	sum, err := s.Credit.Summary(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return creditcard.Summary{}, false
	}
	return sum, true
}

// fail answers a refusal that leaves nothing to show again: not found, or our fault.
func (s *area) fail(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, kumbara.CodeOf(err))
		return
	}
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// header is the card as every page shows it on top (F11).
type header struct {
	ID, Masked, Limit, Available, CashAvailable, Debt string
	Points                                            int64
	LastTotal, LastMinimum, DueDate                   string
}

func (s *area) header(sum creditcard.Summary, l i18n.Lang) header {
	h := header{ID: sum.CardID, Masked: sum.Card.Masked, Limit: amount(sum.Limit, sum.Currency, l),
		Available: amount(sum.Available, sum.Currency, l), CashAvailable: amount(sum.CashRemaining, sum.Currency, l),
		Debt: amount(sum.Debt, sum.Currency, l), Points: sum.Points}
	if st := sum.Last; st != nil {
		h.LastTotal, h.LastMinimum = amount(st.TotalDue, sum.Currency, l), amount(st.MinimumDue, sum.Currency, l)
		h.DueDate = i18n.FormatDate(st.DueDate.Start(), l)
	}
	return h
}

func amount(minor int64, cur money.Currency, l i18n.Lang) string {
	return i18n.FormatAmount(minor, string(cur), l)
}

// typed reads an amount typed in the page's language into minor units of cur.
func typed(l i18n.Lang, s string, cur money.Currency) (int64, error) {
	mark := ','
	if l == i18n.EN {
		mark = '.'
	}
	t, err := money.Typed(s, mark)
	if err != nil {
		return 0, err
	}
	a, err := money.ParsePositive(t, cur)
	return a.Minor, err
}

// currentAccounts are the customer's active current accounts in cur, for a picker.
func (s *area) currentAccounts(ctx context.Context, customerID string, cur money.Currency, l i18n.Lang, selected string) ([]option, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(a ledger.Account) bool {
		return a.Status != ledger.Active || a.Type != ledger.TypeCurrent || a.Currency != cur
	})
	out := make([]option, 0, len(all))
	for _, a := range all {
		out = append(out, option{Value: a.ID, Text: a.Title(s.Catalogue, l) + " · " + maskIBAN(a.IBAN) + " · " +
			amount(a.Available(), a.Currency, l), Selected: a.ID == selected})
	}
	return out, nil
}

func (s *area) accountLabel(ctx context.Context, customerID, id string, l i18n.Lang) string {
	a, err := s.Ledger.GetOwned(ctx, customerID, id)
	if err != nil {
		return ""
	}
	return a.Title(s.Catalogue, l) + " · " + maskIBAN(a.IBAN)
}

func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

// newKey is a fresh idempotency key for a review page's confirmation: a second click of the same page repeats the
// same request, and the domain answers it as the first.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
