package backoffice

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const (
	paymentsPath       = Prefix + "/payments"
	clearingPath       = paymentsPath + "/clearing"
	reconciliationPath = paymentsPath + "/reconciliation"
)

// Payments to and from other banks as staff follow them (payments.read, every role): the search across customers
// (rejects and returns are one of its filters), a payment's journey — its statuses, the hold and entries in the
// books, every clearing message that carried or answered it, pretty-printed and to download —, the clearing side's
// day (its sessions, what waits to leave while the clearing house is down, every message out and in) and the
// reconciliation of the clearing side's settlement report with the books, a business day's breaks with the entries
// on each side. A member who runs the clearing side (clearing.operate) may run a session, send what waits and
// reconcile a day again, as `kumbara admin clearing session|dispatch|reconcile` do: the bank's own work done
// sooner, not an operation on a customer, so the pages call the payment service as the jobs page calls the jobs.
func (s *Server) paymentRoutes() []Route {
	return []Route{
		{Method: "GET", Path: paymentsPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.paymentsPage},
		{Method: "GET", Path: paymentsPath + "/{payment}", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.journeyPage},
		{Method: "GET", Path: clearingPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.clearingPage},
		{Method: "POST", Path: clearingPath + "/session", Policy: Staffed(""), Permission: staff.ClearingOperate,
			Handler: s.runSession},
		{Method: "POST", Path: clearingPath + "/dispatch", Policy: Staffed(""), Permission: staff.ClearingOperate,
			Handler: s.sendWaiting},
		{Method: "GET", Path: clearingPath + "/{direction}/{message}", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.messageFile},
		{Method: "GET", Path: reconciliationPath, Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.reconciliationPage},
		{Method: "POST", Path: reconciliationPath, Policy: Staffed(""), Permission: staff.ClearingOperate,
			Handler: s.reconcile},
	}
}

// PaymentsShown is how many payments one page of the search lists.
const PaymentsShown = 25

// rejects is the status filter of the rejects and returns: both statuses at once.
const rejects = "rejects"

// paymentQuery is the search as typed, for the form to show again and the pages' links to carry.
type paymentQuery struct {
	Customer, IBAN, Status, Scheme, Direction, From, To, Before string
}

// paymentParams are the search's parameters; any other is refused (invalid_query), as the audit search's are.
var paymentParams = []string{"customer", "iban", "status", "scheme", "direction", "from", "to", "before"}

func readPaymentQuery(q url.Values) (paymentQuery, error) {
	for k := range q {
		if !slices.Contains(paymentParams, k) {
			return paymentQuery{}, kumbara.ErrInvalidQuery.Field(k)
		}
	}
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return paymentQuery{Customer: get("customer"), IBAN: get("iban"), Status: get("status"), Scheme: get("scheme"),
		Direction: get("direction"), From: get("from"), To: get("to"), Before: get("before")}, nil
}

func (q paymentQuery) values() url.Values {
	v := url.Values{}
	for name, value := range map[string]string{"customer": q.Customer, "iban": q.IBAN, "status": q.Status,
		"scheme": q.Scheme, "direction": q.Direction, "from": q.From, "to": q.To, "before": q.Before} {
		if value != "" {
			v.Set(name, value)
		}
	}
	return v
}

// link is the search's address with q's filters.
func (q paymentQuery) link() string {
	if v := q.values().Encode(); v != "" {
		return paymentsPath + "?" + v
	}
	return paymentsPath
}

// search runs the search as typed: the customer by client number must be known (customer_not_found beside its
// field), the days dates; the payment service says what is wrong with the rest. Every field's problem is said at
// once (validation_failed).
func (s *Server) searchPayments(ctx context.Context, q paymentQuery) ([]payment.Payment, error) {
	f := payment.StaffFilter{IBAN: q.IBAN, Scheme: q.Scheme, Direction: q.Direction, Before: q.Before,
		Limit: PaymentsShown}
	switch q.Status {
	case "":
	case rejects:
		f.Status = []string{payment.Rejected, payment.Returned}
	default:
		f.Status = []string{q.Status}
	}
	var problems []kumbara.FieldError
	if q.Customer != "" {
		c, err := s.Customers.ByClientNumber(ctx, q.Customer)
		switch {
		case errors.Is(err, customer.ErrNotFound):
			problems = append(problems, customer.ErrNotFound.At("customer"))
		case err != nil:
			return nil, err
		}
		f.CustomerID = c.ID
	}
	from, to, dayProblems := days(q.From, q.To)
	f.From, f.To = from, to
	problems = append(problems, dayProblems...)
	found, err := s.Payments.Search(ctx, f)
	if e, ok := kumbara.As(err); ok && errors.Is(err, kumbara.ErrValidationFailed) {
		for _, fe := range e.Fields {
			if !slices.ContainsFunc(problems, func(p kumbara.FieldError) bool { return p.Field == fe.Field }) {
				problems = append(problems, fe)
			}
		}
	} else if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, kumbara.ErrValidationFailed.WithFields(problems...)
	}
	return found, nil
}

// paymentsData is the search page: the search as typed, its choices, and a page of payments.
type paymentsData struct {
	Tab                          string // which of the payments tabs: "payments" or "rejects"
	Query                        paymentQuery
	Statuses, Schemes, Direction []payChoice
	Rows                         []paymentRow
	Older, Newest                string
	Invalid                      bool
}

// payChoice is one option of a search's select, the one searched selected.
type payChoice struct {
	Value, Label string
	Selected     bool
}

// paymentRow is a payment as a page shows it, in the page's language.
type paymentRow struct {
	payment.Payment
	Customer                              string // the customer's name
	Account, Counterparty                 string // printable
	StatusLabel, StatusClass, SchemeLabel string
	DirectionLabel, Reason                string
}

func (s *Server) paymentsPage(w http.ResponseWriter, r *http.Request) {
	q, err := readPaymentQuery(r.URL.Query())
	d := paymentsData{Tab: "payments", Query: q}
	if q.Status == rejects {
		d.Tab = rejects
	}
	d.Statuses, d.Schemes, d.Direction = s.paymentChoices(r, q)
	v := View{Title: "web_bo_pay_title", Data: d}
	var found []payment.Payment
	if err == nil {
		found, err = s.searchPayments(r.Context(), q)
	}
	if err != nil {
		d.Invalid = true
		v.Data = d
		s.problem(w, r, "payments", v, err)
		return
	}
	if d.Rows, err = s.paymentRows(r, found); err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	if len(found) == PaymentsShown {
		older := q
		older.Before = found[len(found)-1].Cursor()
		d.Older = older.link()
	}
	if q.Before != "" {
		first := q
		first.Before = ""
		d.Newest = first.link()
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "payments", v)
}

// paymentChoices are the search's selects: every status (and the rejects and returns together), scheme and
// direction, named in the page's language, the one searched selected.
func (s *Server) paymentChoices(r *http.Request, q paymentQuery) (statuses, schemes, directions []payChoice) {
	all := func(selected string) payChoice {
		return payChoice{Value: "", Label: s.message(r, "web_bo_pay_any", nil), Selected: selected == ""}
	}
	statuses = []payChoice{all(q.Status), {Value: rejects, Label: s.message(r, "web_bo_pay_rejects", nil),
		Selected: q.Status == rejects}}
	for _, st := range payment.Statuses() {
		statuses = append(statuses, payChoice{Value: st, Label: s.statusLabel(r, st), Selected: q.Status == st})
	}
	schemes = []payChoice{all(q.Scheme)}
	for _, sc := range payment.Schemes() {
		schemes = append(schemes, payChoice{Value: sc, Label: s.textOr(r, "web_bo_scheme_"+sc, sc), Selected: q.Scheme == sc})
	}
	directions = []payChoice{all(q.Direction)}
	for _, dir := range []string{payment.Out, payment.In} {
		directions = append(directions, payChoice{Value: dir, Label: s.message(r, "web_bo_pay_direction_"+dir, nil),
			Selected: q.Direction == dir})
	}
	return statuses, schemes, directions
}

func (s *Server) statusLabel(r *http.Request, status string) string {
	return s.textOr(r, "web_bo_pay_status_"+status, status)
}

// paymentStatusClass is a status's badge: green once the money arrived, red when it did not, amber on its way.
func paymentStatusClass(status string) string {
	switch status {
	case payment.Settled, payment.Credited:
		return "badge-ok"
	case payment.Rejected, payment.Returned, payment.Failed, payment.Expired:
		return "badge-bad"
	}
	return "badge-warn"
}

// paymentRows says payments in the page's language, each with its customer's name.
func (s *Server) paymentRows(r *http.Request, ps []payment.Payment) ([]paymentRow, error) {
	var ids []string
	for _, p := range ps {
		if !slices.Contains(ids, p.CustomerID) {
			ids = append(ids, p.CustomerID)
		}
	}
	names := map[string]string{}
	if len(ids) > 0 {
		var err error
		if names, err = s.Customers.Names(r.Context(), ids...); err != nil {
			return nil, err
		}
	}
	rows := make([]paymentRow, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, s.paymentRow(r, p, names[p.CustomerID]))
	}
	return rows, nil
}

func (s *Server) paymentRow(r *http.Request, p payment.Payment, name string) paymentRow {
	row := paymentRow{Payment: p, Customer: name, Account: iban.IBAN(p.AccountIBAN).Printable(),
		Counterparty: p.Beneficiary.Account(), StatusLabel: s.statusLabel(r, p.Status),
		StatusClass: paymentStatusClass(p.Status), SchemeLabel: s.textOr(r, "web_bo_scheme_"+p.Scheme, p.Scheme),
		DirectionLabel: s.message(r, "web_bo_pay_direction_"+p.Direction, nil)}
	if p.Reason != "" {
		row.Reason = p.Reason + " · " + payment.ReasonText(s.Catalogue, core.Lang(r), p.Reason)
	}
	return row
}

// journeyData is a payment's journey as its page shows it.
type journeyData struct {
	Payment  paymentRow
	Events   []eventView
	Hold     *ledger.Hold
	Entries  []journeyEntry
	Messages []messageView
}

type eventView struct {
	At            time.Time
	Label, Reason string
	Class         string
}

// journeyEntry is one of the payment's entries in the books, with the step it was.
type journeyEntry struct {
	Step  string
	Entry journalView
}

// messageView is a clearing message as a page shows it: its direction and kind in words, and, on a journey, what
// it said about the payment and the message itself laid out to read.
type messageView struct {
	payment.Message
	What, StatusLabel, StatusClass string
	File                           string // where to download it
	Items                          []itemView
	Pretty                         string
	TooLarge                       bool // shown only to download
}

type itemView struct {
	Status, Reason string
}

// PrettyLimit is the largest message a journey lays out on its page; a larger one (a session of many payments)
// is there to download.
const PrettyLimit = 256 << 10

// journeyPage shows one payment whoever's it is: an unknown one is the not-found page.
func (s *Server) journeyPage(w http.ResponseWriter, r *http.Request) {
	j, err := s.Payments.Journey(r.Context(), r.PathValue("payment"))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	names, err := s.Customers.Names(r.Context(), j.Payment.CustomerID)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := journeyData{Payment: s.paymentRow(r, j.Payment, names[j.Payment.CustomerID]), Hold: j.Hold}
	for _, e := range j.Payment.Events {
		ev := eventView{At: e.At, Label: s.statusLabel(r, e.Status), Class: paymentStatusClass(e.Status)}
		if e.Reason != "" {
			ev.Reason = e.Reason + " · " + payment.ReasonText(s.Catalogue, core.Lang(r), e.Reason)
		}
		d.Events = append(d.Events, ev)
	}
	for _, e := range j.Entries {
		view, err := s.journalView(r, e.Entry)
		if err != nil {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
			return
		}
		view.Kind = s.payKind(r, e.Entry.Kind)
		d.Entries = append(d.Entries, journeyEntry{Step: s.textOr(r, "web_bo_pay_step_"+e.Step, e.Step), Entry: view})
	}
	for _, m := range j.Messages {
		mv := s.messageView(r, m)
		for _, it := range m.Items {
			iv := itemView{Status: it.Status}
			if it.Reason != "" {
				iv.Reason = it.Reason + " · " + payment.ReasonText(s.Catalogue, core.Lang(r), it.Reason)
			}
			mv.Items = append(mv.Items, iv)
		}
		if len(m.Document) > PrettyLimit {
			mv.TooLarge = true
		} else {
			mv.Pretty = indentXML(m.Document)
		}
		d.Messages = append(d.Messages, mv)
	}
	s.render(w, r, http.StatusOK, "payment", View{Title: "web_bo_pay_journey_title", Data: d})
}

// payKind names an entry's kind in the page's language: a payment's own kinds, or any other as the books name it.
func (s *Server) payKind(r *http.Request, kind string) string {
	return s.textOr(r, "web_bo_pay_kind_"+kind, s.entryKind(r, kind))
}

// messageView says a message in the page's language.
func (s *Server) messageView(r *http.Request, m payment.Message) messageView {
	kind := m.Name // pacs.008.001.08 is a pacs008
	if parts := strings.Split(m.Name, "."); len(parts) > 1 {
		kind = parts[0] + parts[1]
	}
	mv := messageView{Message: m, What: s.textOr(r, "web_bo_pay_msg_"+kind+"_"+m.Direction, m.Name),
		StatusLabel: s.textOr(r, "web_bo_pay_msg_status_"+m.Status, m.Status),
		File:        clearingPath + "/" + url.PathEscape(m.Direction) + "/" + url.PathEscape(m.ID)}
	switch {
	case m.Status == payment.MessagePending && m.Attempts > 0:
		mv.StatusClass = "badge-bad"
	case m.Status == payment.MessagePending || m.Status == payment.MessageReceived:
		mv.StatusClass = "badge-warn"
	default:
		mv.StatusClass = "badge-ok"
	}
	return mv
}

// messageFile answers a clearing message as the XML file it is, to download; an unknown one is the not-found page.
func (s *Server) messageFile(w http.ResponseWriter, r *http.Request) {
	m, err := s.Payments.Message(r.Context(), r.PathValue("direction"), r.PathValue("message"))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	name := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			return c
		}
		return '_'
	}, m.Name+"-"+m.Direction+"-"+m.ID)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xml"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.Document)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(m.Document)
}

// clearingData is the clearing side's day as its page shows it.
type clearingData struct {
	Day        calendar.Date
	DayValue   string // the day field's value as typed
	Prev, Next string // the days before and after
	Working    bool
	Sessions   []sessionView
	Waiting    int
	Pending    []messageView
	Messages   []messageView
	More       bool
	Invalid    bool
}

// sessionView is a session of the day: its time in Tirane, and whether it has passed.
type sessionView struct {
	Time string
	Past bool
}

// readDay reads the page's day, today in Tirane when none is given; a day that is not one is date_invalid beside
// the day's field.
func (s *Server) readDay(r *http.Request, value string) (calendar.Date, error) {
	if value == "" {
		return calendar.DateOf(s.Clock.Now()), nil
	}
	d, err := calendar.ParseDate(value)
	if err != nil {
		return calendar.DateOf(s.Clock.Now()), kumbara.ErrValidationFailed.WithFields(calendar.ErrDateInvalid.At("day"))
	}
	return d, nil
}

// clearingNotices are the clearing page's notices by its m parameter.
var clearingNotices = map[string]string{"session": "web_bo_pay_session_done", "dispatched": "web_bo_pay_dispatch_done"}

func (s *Server) clearingPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	value := strings.TrimSpace(q.Get("day"))
	day, err := s.readDay(r, value)
	v := View{Title: "web_bo_pay_clearing_title"}
	if key, ok := clearingNotices[q.Get("m")]; ok {
		v.Notice = s.message(r, key, map[string]string{"sent": numberParam(q.Get("sent")),
			"waiting": numberParam(q.Get("waiting"))})
	}
	if err != nil {
		s.explain(r, &v, err)
		s.showClearing(w, r, http.StatusBadRequest, v, day, value)
		return
	}
	s.showClearing(w, r, http.StatusOK, v, day, value)
}

// numberParam is a count an address carries, or 0 when it is not one.
func numberParam(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return "0"
	}
	return strconv.Itoa(n)
}

func (s *Server) showClearing(w http.ResponseWriter, r *http.Request, status int, v View, day calendar.Date, value string) {
	cd, err := s.Payments.Sessions(r.Context(), day)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	if value == "" {
		value = day.String()
	}
	d := clearingData{Day: day, DayValue: value, Prev: day.AddDays(-1).String(), Next: day.AddDays(1).String(),
		Working: cd.Working, Waiting: cd.Waiting, More: cd.More, Invalid: status != http.StatusOK}
	now := s.Clock.Now()
	for _, at := range cd.Sessions {
		d.Sessions = append(d.Sessions, sessionView{Time: at.In(clock.Tirane).Format("15:04"), Past: !at.After(now)})
	}
	for _, m := range cd.Pending {
		d.Pending = append(d.Pending, s.messageView(r, m))
	}
	for _, m := range cd.Messages {
		d.Messages = append(d.Messages, s.messageView(r, m))
	}
	v.Data = d
	s.render(w, r, status, "clearing", v)
}

// runSession runs a clearing session now and says how many payments it sent and how many messages wait for the
// clearing house, which did not take them (they go again).
func (s *Server) runSession(w http.ResponseWriter, r *http.Request) {
	run, err := s.Payments.RunSessionNow(r.Context())
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	http.Redirect(w, r, clearingPath+"?m=session&sent="+strconv.Itoa(run.Sent)+"&waiting="+strconv.Itoa(run.Waiting),
		http.StatusSeeOther)
}

// sendWaiting does the dispatcher's round now: what may leave leaves and the messages that wait are sent again.
func (s *Server) sendWaiting(w http.ResponseWriter, r *http.Request) {
	run, err := s.Payments.DispatchNow(r.Context())
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	http.Redirect(w, r, clearingPath+"?m=dispatched&waiting="+strconv.Itoa(run.Waiting), http.StatusSeeOther)
}

// reconciliationData is a business day's reconciliation as its page shows it, with the latest days reconciled.
type reconciliationData struct {
	Day      calendar.Date
	DayValue string
	Results  []reconView
	Recent   []recentDay
	Reporter bool // the clearing side sends settlement reports: the day can be reconciled again
	Invalid  bool
}

type reconView struct {
	payment.Result
	Breaks []breakView
}

// breakView is a break in the page's language.
type breakView struct {
	payment.Break
	Label, OurKind string
}

type recentDay struct {
	Day    calendar.Date
	Breaks int
	Link   string
}

var reconciliationNotices = map[string]string{"reconciled": "web_bo_pay_reconciled", "no_report": "web_bo_pay_no_report"}

func (s *Server) reconciliationPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	value := strings.TrimSpace(q.Get("day"))
	v := View{Title: "web_bo_pay_recon_title"}
	if key, ok := reconciliationNotices[q.Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	recent, err := s.Payments.Reconciled(r.Context(), 10)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	var day calendar.Date
	status := http.StatusOK
	switch {
	case value != "":
		if day, err = s.readDay(r, value); err != nil {
			s.explain(r, &v, err)
			status = http.StatusBadRequest
		}
	case len(recent) > 0:
		day = recent[0].Day
	default:
		if day, err = s.EOD.BusinessDate(r.Context()); err != nil {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
			return
		}
	}
	s.showReconciliation(w, r, status, v, day, value, recent)
}

func (s *Server) showReconciliation(w http.ResponseWriter, r *http.Request, status int, v View, day calendar.Date,
	value string, recent []payment.Result) {
	results, err := s.Payments.Reconciliation(r.Context(), day)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	if value == "" {
		value = day.String()
	}
	_, reporter := s.Payments.Clearing.(payment.SettlementReporter)
	d := reconciliationData{Day: day, DayValue: value, Reporter: reporter, Invalid: status != http.StatusOK}
	for _, res := range results {
		rv := reconView{Result: res}
		for _, b := range res.Breaks {
			bv := breakView{Break: b, Label: s.message(r, "web_bo_pay_break_"+b.Kind, nil)}
			if b.Ours != nil {
				bv.OurKind = s.payKind(r, b.Ours.Kind)
			}
			rv.Breaks = append(rv.Breaks, bv)
		}
		d.Results = append(d.Results, rv)
	}
	for _, res := range recent {
		if n := len(d.Recent); n > 0 && d.Recent[n-1].Day == res.Day {
			d.Recent[n-1].Breaks += res.BreakCount
			continue
		}
		d.Recent = append(d.Recent, recentDay{Day: res.Day, Breaks: res.BreakCount,
			Link: reconciliationPath + "?day=" + res.Day.String()})
	}
	v.Data = d
	s.render(w, r, status, "reconciliation", v)
}

// reconcile reconciles the posted business day again with the clearing side's report of it, and shows the day.
func (s *Server) reconcile(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	value := strings.TrimSpace(r.PostForm.Get("day"))
	day, err := s.readDay(r, value)
	if err == nil && value == "" {
		err = kumbara.ErrValidationFailed.WithFields(calendar.ErrDateInvalid.At("day"))
	}
	if err != nil {
		recent, rerr := s.Payments.Reconciled(r.Context(), 10)
		if rerr != nil {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, rerr)
			return
		}
		v := View{Title: "web_bo_pay_recon_title"}
		s.explain(r, &v, err)
		s.showReconciliation(w, r, httpx.StatusOf(kumbara.KindOf(err)), v, day, value, recent)
		return
	}
	done := "reconciled"
	if _, ok := s.Payments.Clearing.(payment.SettlementReporter); !ok {
		done = "no_report"
	} else if _, err := s.Payments.ReconcileNow(r.Context(), day); err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	http.Redirect(w, r, reconciliationPath+"?day="+day.String()+"&m="+done, http.StatusSeeOther)
}

// indentXML lays a clearing message out to read in a <pre>: one element a line, indented by its depth, an
// element's text beside it. It reads the document's tokens as they are written (RawToken: no namespace is
// resolved or rewritten), so the page shows what the bank kept; a document that does not read is shown as kept.
func indentXML(doc []byte) string {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var b strings.Builder
	type open struct{ children, text bool }
	var stack []open
	newline := func(depth int) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", depth))
	}
	qname := func(n xml.Name) string {
		if n.Space != "" {
			return n.Space + ":" + n.Local
		}
		return n.Local
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return string(doc)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			newline(len(stack))
			b.WriteString("<?" + t.Target)
			if len(t.Inst) > 0 {
				b.WriteString(" " + string(t.Inst))
			}
			b.WriteString("?>")
		case xml.StartElement:
			if n := len(stack); n > 0 {
				stack[n-1].children = true
			}
			newline(len(stack))
			b.WriteString("<" + qname(t.Name))
			for _, a := range t.Attr {
				b.WriteString(" " + qname(a.Name) + `="`)
				_ = xml.EscapeText(&b, []byte(a.Value))
				b.WriteString(`"`)
			}
			b.WriteString(">")
			stack = append(stack, open{})
		case xml.CharData:
			text := bytes.TrimSpace(t)
			if len(text) == 0 {
				continue
			}
			if len(stack) == 0 {
				return string(doc) // text outside the document's element: not a message
			}
			stack[len(stack)-1].text = true
			_ = xml.EscapeText(&b, text)
		case xml.EndElement:
			if len(stack) == 0 {
				return string(doc)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.children {
				newline(len(stack))
			}
			b.WriteString("</" + qname(t.Name) + ">")
		case xml.Comment:
			newline(len(stack))
			b.WriteString("<!--" + string(t) + "-->")
		default:
			return string(doc)
		}
	}
	if len(stack) > 0 {
		return string(doc)
	}
	return b.String()
}
