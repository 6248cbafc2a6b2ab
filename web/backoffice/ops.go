package backoffice

import (
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/web/core"
)

// What the pages share for the operations staff do (package operation, the one way a page changes anything): the
// customer and account a path names, the answer after an operation (a 303 to the page it was asked on, saying what
// was done or that it waits for a second member: post/redirect/get), and the refusal shown on that page. A page
// never checks a rule itself: the operation refuses, and the page says why in the member's language.

func customerPath(id string) string { return customersPath + "/" + url.PathEscape(id) }
func accountPath(customerID, id string) string {
	return customerPath(customerID) + "/accounts/" + url.PathEscape(id)
}
func requestPath(id string) string     { return approvalsPath + "/" + url.PathEscape(id) }
func withNotice(path, m string) string { return path + "?m=" + url.QueryEscape(m) }
func withRequest(path, requestID string) string {
	return path + "?request=" + url.QueryEscape(requestID)
}

// doneNotices are the notices of the pages operations go back to, by their m parameter: what was just done. Each
// is the catalogue's web_bo_done_<m>.
var doneNotices = map[string]bool{
	"created": true, "contact_changed": true, "account_opened": true, "card_issued": true, "pin_unblocked": true,
	"channel_blocked": true, "channel_unblocked": true, "channel_closed": true, "channel_reactivated": true,
	"password_set": true, "deposited": true, "withdrawn": true, "account_blocked": true, "account_unblocked": true,
	"account_closed": true, "overdraft_set": true, "reversed": true, "decided": true, "rejected": true,
}

// flash puts in v what the address says was just done: a notice (m), or the request an operation became (request,
// shown only to a member who may read it: its maker, or one who reads the inbox).
func (s *Server) flash(r *http.Request, v *View) {
	q := r.URL.Query()
	if m := q.Get("m"); doneNotices[m] {
		v.Notice = s.message(r, "web_bo_done_"+m, nil)
	}
	if id := q.Get("request"); id != "" && text.Storable(id) && s.Approvals != nil {
		if req, err := s.Approvals.Get(r.Context(), MemberOf(r), id); err == nil {
			v.Sent = &req
		}
	}
}

// answered goes to path after an operation: with the request it became if it waits for a second member, else
// with notice m.
func answered(w http.ResponseWriter, r *http.Request, path string, o operation.Outcome, m string) {
	if o.Pending != nil {
		http.Redirect(w, r, withRequest(path, o.Pending.ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, withNotice(path, m), http.StatusSeeOther)
}

// refused shows an operation's refusal on the page show renders as it is now (the customer's, the account's, a
// request's), with the status the API would give it; a 404 is the not-found page.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, err error, show func(http.ResponseWriter, *http.Request, int, View)) {
	status := httpx.StatusOf(kumbara.KindOf(err))
	if status == http.StatusNotFound {
		s.errorPage(w, r, status, kumbara.CodeOf(err))
		return
	}
	var v View
	s.explain(r, &v, err)
	httpx.SetRetryAfter(w, err)
	show(w, r, status, v)
}

// customerOf is the customer the path's id names (customer_not_found otherwise).
func (s *Server) customerOf(r *http.Request) (customer.Customer, error) {
	id := r.PathValue("id")
	if !text.Storable(id) {
		return customer.Customer{}, customer.ErrNotFound
	}
	return s.Customers.Get(r.Context(), id)
}

// accountOf is the customer the path names and their account it names: an account of another customer, or of the
// bank's own, is account_not_found, as a missing one is.
func (s *Server) accountOf(r *http.Request) (customer.Customer, ledger.Account, error) {
	c, err := s.customerOf(r)
	if err != nil {
		return customer.Customer{}, ledger.Account{}, err
	}
	id := r.PathValue("account")
	if id == "" || len(id) > 64 || !text.Storable(id) {
		return customer.Customer{}, ledger.Account{}, ledger.ErrAccountNotFound
	}
	a, err := s.Ledger.GetOwned(r.Context(), c.ID, id)
	return c, a, err
}

// typedAmount reads an amount as the member typed it, in the page's language (money.Typed: "1.250,50" and
// "1250.50" alike), for the operation to parse in the account's currency.
func typedAmount(r *http.Request, s string) (string, error) {
	mark := ','
	if core.Lang(r) == i18n.EN {
		mark = '.'
	}
	return money.Typed(s, mark)
}
