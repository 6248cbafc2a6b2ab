package payments

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/core"
)

// listRoutes are the list of the customer's payments, linked from the transfers page and each account's menu.
func (s *area) listRoutes() []core.Route {
	return []core.Route{{Method: "GET", Path: "/payments", Policy: core.Private(""), Handler: s.listPage}}
}

// refuse shows a refusal of a step that has nothing else to go back to (a review that cannot be trusted or has
// lapsed): above the list of payments, where a new one starts.
func (s *area) refuse(w http.ResponseWriter, r *http.Request, err error) { s.showList(w, r, err) }

// row is one payment in the list.
type row struct {
	ID, Time, Name, Account, Currency, Status, StatusLabel, Badge string
	Created                                                       time.Time
	Amount                                                        int64
	In                                                            bool
	KindLabel                                                     string
}

// listPage is the customer's payments to and from other banks, newest first: all of them, or one account's
// (?account=, from the account page's menu).
type listPage struct {
	Rows         []row
	Kinds        []kind
	Account      string // the account's id when the list is one account's
	AccountLabel string
}

// listSize is how many payments the list shows.
const listSize = 50

func (s *area) listPage(w http.ResponseWriter, r *http.Request) { s.showList(w, r, nil) }

// showList renders the list; problem, when set, is a refusal of a step that has nothing else to go back to (a
// review that cannot be trusted or has lapsed), said above it.
func (s *area) showList(w http.ResponseWriter, r *http.Request, problem error) {
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	page := listPage{Kinds: kinds(), Rows: []row{}}
	f := payment.Filter{Limit: listSize}
	if id := r.URL.Query().Get("account"); id != "" {
		accounts, err := s.accounts(ctx, cust)
		if err != nil {
			s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
			return
		}
		a, ok := accountByID(accounts, id)
		if !ok {
			s.ErrorPage(w, r, http.StatusNotFound, "account_not_found")
			return
		}
		f.AccountID, page.Account, page.AccountLabel = a.ID, a.ID, a.Title(s.Catalogue, l)+" · "+maskIBAN(a.IBAN)
	}
	list, err := s.Payments.List(ctx, cust, f)
	if err != nil {
		s.Problem(w, r, "payments", core.View{Title: "web_pay_list_title", Data: page}, err)
		return
	}
	for _, p := range list {
		at := p.CreatedAt.In(clock.Tirane)
		rw := row{ID: p.ID, Created: p.CreatedAt, Time: at.Format("15:04"), Name: p.Beneficiary.Name,
			Account: p.Beneficiary.Account(), Amount: p.Amount.Minor, Currency: string(p.Amount.Currency),
			Status: p.Status, StatusLabel: "web_pay_status_" + p.Status, Badge: badge(p.Status),
			In: p.Direction == payment.In, KindLabel: "web_pay_type_" + p.Type}
		if !rw.In {
			rw.Amount = p.Debited().Minor
		}
		page.Rows = append(page.Rows, rw)
	}
	v := core.View{Title: "web_pay_list_title", Data: page}
	if problem != nil {
		s.Problem(w, r, "payments", v, problem)
		return
	}
	s.Render(w, r, http.StatusOK, "payments", v)
}
