package backoffice

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const fxRequestsPath = Prefix + "/fx/requests"

func fxRequestPath(id string) string { return fxRequestsPath + "/" + url.PathEscape(id) }

// Customers' requests for a preferential rate (X5): the list, those waiting for the bank first (payments.read,
// every role: the desk, its managers and compliance read them), and a request's page, where a member who sets
// rates (rates.set) proposes one with its validity — at once, or waiting for a second member's approval when the
// request is worth more than the bank's four-eyes amount (operation fx.offer, as `kumbara admin fx propose`): the
// page then says the rate waits, naming the request.
func (s *Server) fxRequestRoutes() []Route {
	if s.Operations == nil || s.Operations.FX == nil {
		return nil
	}
	return []Route{
		{Method: "GET", Path: fxRequestsPath, Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.fxRequestsPage},
		{Method: "GET", Path: fxRequestsPath + "/{fxrequest}", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.fxRequestPage},
		{Method: "POST", Path: fxRequestsPath + "/{fxrequest}", Policy: Staffed(""), Permission: staff.RatesSet,
			Handler: s.proposeFXRate},
	}
}

// FXRequestsShown is how many requests the list shows.
const FXRequestsShown = 100

// fxRequestRow is a request as the pages show it: its customer named, its status in the page's language.
type fxRequestRow struct {
	fx.Request
	Customer    string // the customer's name
	Pair        string // "EUR → ALL"
	StatusLabel string
	StatusClass string
	From, To    string // the accounts' IBANs, printable
	// PairBase and PairQuoted are how its rate reads: one PairBase in PairQuoted.
	PairBase, PairQuoted money.Currency
}

// fxRequestRow says q in the page's language; names caches the customers' names across a list.
func (s *Server) fxRequestRow(r *http.Request, q fx.Request, names map[string]string) fxRequestRow {
	row := fxRequestRow{Request: q, Pair: string(q.Sell) + " → " + string(q.Buy),
		StatusLabel: s.message(r, "web_bo_fxr_status_"+q.Status, nil), StatusClass: fxStatusClass(q.Status),
		From: iban.IBAN(q.FromIBAN).Printable(), To: iban.IBAN(q.ToIBAN).Printable()}
	row.PairBase, row.PairQuoted = q.Pair()
	name, ok := names[q.CustomerID]
	if !ok {
		if c, err := s.Customers.Get(r.Context(), q.CustomerID); err == nil {
			name = c.Name()
		}
		names[q.CustomerID] = name
	}
	row.Customer = name
	return row
}

// fxStatusClass is the badge of a request's status: waiting for the bank is amber, for the customer blue, done
// green, anything that will not happen red.
func fxStatusClass(status string) string {
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

// fxRequestsData is the list.
type fxRequestsData struct {
	Rows    []fxRequestRow
	Waiting int // how many wait for the bank's rate
	Minimum money.Amount
}

func (s *Server) fxRequestsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Operations.FX.AllRequests(r.Context(), FXRequestsShown)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := fxRequestsData{Minimum: s.Operations.FX.RequestConfig().Minimum}
	names := map[string]string{}
	for _, q := range list {
		row := s.fxRequestRow(r, q, names)
		if q.Status == fx.Requested {
			d.Waiting++
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "fxrequests", View{Title: "web_bo_fxr_title", Data: d})
}

// fxBoard is the pair's board rates now, for the member to weigh a rate against: one base in quoted.
type fxBoard struct {
	Base, Quoted   money.Currency
	Buy, Sell, Mid string
}

// offerForm is a proposal as typed: the rate and its validity (a date and time in Tirana's, as a
// datetime-local input writes it).
type offerForm struct {
	Rate, ValidUntil string
}

// fxRequestData is a request's page.
type fxRequestData struct {
	Row      fxRequestRow
	Board    *fxBoard // nil when a currency has no current rate
	FourEyes bool     // a proposal for it waits for a second member
	// Waiting are the proposals for it waiting for a second member, as the member may read them.
	Waiting    []approval.Request
	CanPropose bool // the member may propose a rate, and none waits
	Form       offerForm
	MaxHours   int // how far ahead a rate may hold
}

func (s *Server) fxRequestPage(w http.ResponseWriter, r *http.Request) {
	var v View
	s.flash(r, &v)
	if r.URL.Query().Get("m") == "proposed" {
		v.Notice = s.message(r, "web_bo_fxr_proposed", nil)
	}
	s.showFXRequest(w, r, http.StatusOK, v, offerForm{})
}

// showFXRequest renders request r's page as it is now, with v's notice or problem and the form f (its defaults
// when empty: the pair's mid and two hours from now).
func (s *Server) showFXRequest(w http.ResponseWriter, r *http.Request, status int, v View, f offerForm) {
	ctx := r.Context()
	q, err := s.Operations.FX.RequestByID(ctx, r.PathValue("fxrequest"))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	m := MemberOf(r)
	d := fxRequestData{Row: s.fxRequestRow(r, q, map[string]string{}),
		MaxHours: int(s.Operations.FX.RequestConfig().MaxOfferValidity / time.Hour)}
	base, quoted := q.Pair()
	if rates, err := s.Operations.FX.CurrentIn(ctx, quoted); err == nil {
		for _, rt := range rates {
			if rt.Currency == base {
				d.Board = &fxBoard{Base: base, Quoted: quoted, Buy: rt.Buy, Sell: rt.Sell, Mid: rt.Mid}
			}
		}
	}
	if q.Status == fx.Requested {
		if d.FourEyes, err = s.Operations.FX.NeedsApproval(ctx, q.ID); err != nil {
			s.Log().Error("fx request four-eyes", slog.String("error", err.Error()))
		}
		d.Waiting = s.waitingOffers(r, m, q)
		d.CanPropose = m.Can(staff.RatesSet) && len(d.Waiting) == 0
	}
	if f == (offerForm{}) {
		f.ValidUntil = s.Clock.Now().Add(2 * time.Hour).In(clock.Tirane).Truncate(time.Minute).Format(localMinute)
		if d.Board != nil {
			f.Rate = d.Board.Mid
		}
	}
	d.Form = f
	v.Title, v.Data = "web_bo_fxr_request_title", d
	s.render(w, r, status, "fxrequest", v)
}

// waitingOffers are the proposals for q waiting for a second member: every one for a member who reads the inbox,
// their own for one who does not.
func (s *Server) waitingOffers(r *http.Request, m staff.Member, q fx.Request) []approval.Request {
	if s.Approvals == nil {
		return nil
	}
	f := approval.Filter{Status: approval.Pending, CustomerID: q.CustomerID, Limit: 500}
	if !m.Can(staff.ApprovalsRead) && !m.Can(staff.ApprovalsDecide) {
		f.Maker = m.Username
	}
	list, err := s.Approvals.List(r.Context(), m, f)
	if err != nil {
		s.Log().Error("fx request offers", slog.String("error", err.Error()))
		return nil
	}
	var out []approval.Request
	for _, a := range list {
		var o fx.Offer
		if a.Kind == string(operation.KindFXOffer) && json.Unmarshal(a.Payload, &o) == nil && o.RequestID == q.ID {
			out = append(out, a)
		}
	}
	return out
}

// localMinute is how a datetime-local input writes a time.
const localMinute = "2006-01-02T15:04"

// proposeFXRate proposes the rate typed for the request (operation.ProposeRate): at once, or waiting for a
// second member — the page then names the request. A refusal is said on the form, each field's problem beside
// it, with what was typed kept. The rate takes the page's decimal mark; the validity is a time in Tirana's.
func (s *Server) proposeFXRate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := offerForm{Rate: strings.TrimSpace(r.PostForm.Get("rate")), ValidUntil: strings.TrimSpace(r.PostForm.Get("valid_until"))}
	refuse := func(err error) {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showFXRequest(w, r, status, v, f)
		})
	}
	until, err := time.ParseInLocation(localMinute, f.ValidUntil, clock.Tirane)
	if err != nil {
		refuse(kumbara.ErrValidationFailed.WithFields(fx.ErrOfferValidUntil.At("valid_until")))
		return
	}
	id := r.PathValue("fxrequest")
	o, err := s.Operations.ProposeRate(r.Context(), MemberOf(r), fx.Offer{RequestID: id, Rate: decimalPoint(f.Rate),
		ValidUntil: until})
	if errors.Is(err, fx.ErrRequestNotFound) {
		s.errorPage(w, r, http.StatusNotFound, fx.ErrRequestNotFound.Code)
		return
	}
	if err != nil {
		refuse(err)
		return
	}
	answered(w, r, fxRequestPath(id), o, "proposed")
}

// offerSummary is an offer in one line, for the approvals inbox: the request's pair and amount, the rate and
// until when.
func (s *Server) offerSummary(r *http.Request, o fx.Offer) string {
	line := o.Rate + " · " + s.message(r, "web_bo_fxr_until", nil) + " " + s.whenIn(r, o.ValidUntil)
	if s.Operations == nil || s.Operations.FX == nil {
		return line
	}
	q, err := s.Operations.FX.RequestByID(r.Context(), o.RequestID)
	if err != nil {
		return line
	}
	return string(q.Sell) + " → " + string(q.Buy) + " · " + s.amount(r, q.Amount) + " · " + line
}

// whenIn formats t the page's way (View.When).
func (s *Server) whenIn(r *http.Request, t time.Time) string {
	return View{Lang: core.Lang(r), catalogue: s.Catalogue}.When(t)
}
