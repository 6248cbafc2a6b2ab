package backoffice

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const customersPath = Prefix + "/customers"

// Customers: the search (customer.Service.Search: client number, national ID or NIPT, IBAN, mobile, or a name
// without its accents) and one customer's view, everything the bank holds about them that staff read. The view
// has an actions area, empty today, where the operations on a customer go, each behind its own permission.
func (s *Server) customerRoutes() []Route {
	return []Route{
		{Method: "GET", Path: customersPath, Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.search},
		{Method: "GET", Path: customersPath + "/{id}", Policy: Staffed(""), Permission: staff.CustomerRead,
			Handler: s.customer},
	}
}

// searchLimit is how many customers one search shows.
const searchLimit = 25

type searchData struct {
	Query    string
	Searched bool // a query was given: an empty result says nobody matched
	Results  []customer.Customer
}

// search finds customers by what the member typed; the form alone without a query.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	d := searchData{Query: q, Searched: strings.TrimSpace(q) != ""}
	v := View{Title: "web_bo_customers_title", Data: d}
	found, err := s.Customers.Search(r.Context(), q, searchLimit)
	if err != nil {
		s.problem(w, r, "customers", v, err)
		return
	}
	d.Results = found
	v.Data = d
	s.render(w, r, http.StatusOK, "customers", v)
}

// customerData is one customer as staff see them.
type customerData struct {
	Customer        customer.Customer
	IDNumber        string // national ID or NIPT
	Representatives []customer.Customer
	Accounts        []accountRow
	Cards           []card.Card
	Devices         []device.Device
	Sessions        []auth.SessionInfo
	Blocked, Closed bool // the digital channel's state
	Activity        []activityRow
}

// accountRow is an account with its name in the page's language.
type accountRow struct {
	ledger.Account
	Title, Printable string
}

// activityRow is an audit entry about the customer as the view lists it.
type activityRow struct {
	At           time.Time
	What, Who    string
	OK           bool
	Refusal      string
	Client       string
	StaffActor   bool
	CustomerSelf bool
}

// ActivityShown is how many of a customer's latest audit entries the view lists.
const ActivityShown = 20

// customer shows one customer: identity, contacts, contract, accounts with balances, cards, devices, live
// sessions, the digital channel's state and the latest activity. An unknown id is the not-found page.
func (s *Server) customer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.Customers.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := customerData{Customer: c, IDNumber: c.NationalID}
	if c.Kind == customer.Business {
		d.IDNumber = c.NIPT
	}
	if err := s.gather(r, &d); err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	s.render(w, r, http.StatusOK, "customer", View{Title: "web_bo_customer_title", Data: d})
}

// gather reads what the view shows of d.Customer besides the customer's own row, each part from its owner.
func (s *Server) gather(r *http.Request, d *customerData) error {
	ctx, id, lang := r.Context(), d.Customer.ID, core.Lang(r)
	var err error
	if d.Customer.Kind == customer.Business {
		if d.Representatives, err = s.Customers.Representatives(ctx, id); err != nil {
			return err
		}
	}
	accounts, err := s.Ledger.ListByCustomer(ctx, id)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		d.Accounts = append(d.Accounts, accountRow{Account: a, Title: a.Title(s.Catalogue, lang),
			Printable: iban.IBAN(a.IBAN).Printable()})
	}
	if d.Cards, err = s.Cards.List(ctx, id); err != nil {
		return err
	}
	if d.Devices, err = s.Devices.List(ctx, id); err != nil {
		return err
	}
	if d.Sessions, err = s.Auth.Sessions(ctx, id); err != nil {
		return err
	}
	if d.Blocked, err = s.Auth.Blocked(ctx, id); err != nil {
		return err
	}
	if d.Closed, err = s.Auth.ChannelClosed(ctx, id); err != nil {
		return err
	}
	page, err := s.Audit.Activity(ctx, id, audit.Query{Limit: ActivityShown})
	if err != nil {
		return err
	}
	for _, e := range page.Entries {
		d.Activity = append(d.Activity, s.activityRow(r, e))
	}
	return nil
}

// activityRow says an audit entry in the page's language: what was done, by whom (the customer, a member of staff
// by username, or the bank itself), and the refusal's message if it was refused.
func (s *Server) activityRow(r *http.Request, e audit.Entry) activityRow {
	lang := core.Lang(r)
	row := activityRow{At: e.At, What: s.Catalogue.Message(lang, audit.TextKey(e.Action), nil), Client: e.Client,
		OK: e.Result == audit.ResultOK}
	switch e.Actor.Kind {
	case audit.ActorStaff:
		row.Who, row.StaffActor = e.Actor.ID, true
	case audit.ActorSystem:
		row.Who = s.Catalogue.Message(lang, "web_bo_actor_bank", nil)
	default:
		row.Who, row.CustomerSelf = s.Catalogue.Message(lang, "web_bo_actor_customer", nil), true
	}
	if !row.OK {
		if row.Refusal = s.Catalogue.Message(lang, e.Result, nil); row.Refusal == e.Result {
			row.Refusal = "" // a code the catalogue does not know: say only that it was refused
		}
	}
	return row
}
