package backoffice

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const auditPath = Prefix + "/audit"

// AuditShown is how many entries one page of the audit search lists.
const AuditShown = 25

// The audit log as those with audit.read (compliance) search it (audit.Log.Search): by customer (client number),
// member of staff (username), action (one, or every action of a kind: "staff."), and days in Tirane, newest
// first, a page at a time (the "older" link carries the search and the last entry's sequence number). Each entry
// names who acted, what in the reader's language, on which customer and account, the result, where from, and
// the state before and after. The search is read-only, as the log is: no route changes an entry.
func (s *Server) auditRoutes() []Route {
	return []Route{{Method: "GET", Path: auditPath, Policy: Staffed(""), Permission: staff.AuditRead,
		Handler: s.auditPage}}
}

// actionKind is an action's kind, the part before its first dot: staff.login.failed is of the kind staff.
func actionKind(action string) string {
	kind, _, _ := strings.Cut(action, ".")
	return kind
}

// auditQuery is the search as typed, for the form to show again and the pages' links to carry.
type auditQuery struct {
	Customer, Staff, Action, From, To string
	Before                            int64
}

// auditParams are the search's parameters; any other is refused (invalid_query), as the activity's are.
var auditParams = []string{"customer", "staff", "action", "from", "to", "before"}

// values is the query string of q, without its empty fields.
func (q auditQuery) values() url.Values {
	v := url.Values{}
	for name, value := range map[string]string{"customer": q.Customer, "staff": q.Staff, "action": q.Action,
		"from": q.From, "to": q.To} {
		if value != "" {
			v.Set(name, value)
		}
	}
	if q.Before > 0 {
		v.Set("before", strconv.FormatInt(q.Before, 10))
	}
	return v
}

// readAuditQuery reads the search from the address; a parameter the search does not take is invalid_query, and
// a sequence number that is not one is too.
func readAuditQuery(q url.Values) (auditQuery, error) {
	for k := range q {
		if !slices.Contains(auditParams, k) {
			return auditQuery{}, kumbara.ErrInvalidQuery.Field(k)
		}
	}
	out := auditQuery{Customer: strings.TrimSpace(q.Get("customer")), Staff: strings.ToLower(strings.TrimSpace(q.Get("staff"))),
		Action: strings.TrimSpace(q.Get("action")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return out, kumbara.ErrInvalidQuery.Field("before")
		}
		out.Before = n
	}
	return out, nil
}

// filter turns the search as typed into the log's filter: the customer by client number and the member by
// username must be known (customer_not_found, staff_not_found beside their fields), the action one the log
// records or a kind of them (invalid), the days dates (date_invalid), from no later than to (invalid_date_range).
// Every field's problem is said at once (validation_failed).
func (s *Server) filter(ctx context.Context, q auditQuery) (audit.Filter, error) {
	f := audit.Filter{Staff: q.Staff, Action: q.Action, Before: q.Before, Limit: AuditShown}
	var problems []kumbara.FieldError
	if q.Customer != "" {
		c, err := s.Customers.ByClientNumber(ctx, q.Customer)
		switch {
		case errors.Is(err, customer.ErrNotFound):
			problems = append(problems, customer.ErrNotFound.At("customer"))
		case err != nil:
			return f, err
		}
		f.CustomerID = c.ID
	}
	if q.Staff != "" {
		if _, err := s.Staff.ByUsername(ctx, q.Staff); errors.Is(err, staff.ErrNotFound) {
			problems = append(problems, staff.ErrNotFound.At("staff"))
		} else if err != nil {
			return f, err
		}
	}
	if q.Action != "" && !s.knownAction(q.Action) {
		problems = append(problems, kumbara.ErrInvalid.At("action"))
	}
	from, to, dayProblems := days(q.From, q.To)
	f.From, f.To = from, to
	problems = append(problems, dayProblems...)
	if len(problems) > 0 {
		return f, kumbara.ErrValidationFailed.WithFields(problems...)
	}
	return f, nil
}

// knownAction reports whether the action filter names an action the log records, or a kind of them ("staff.").
func (s *Server) knownAction(a string) bool {
	for _, known := range s.AuditActions {
		if a == known || a == actionKind(known)+"." {
			return true
		}
	}
	return false
}

// days reads the search's days, YYYY-MM-DD in Tirane, as the moments they start: from's, and the day after to's,
// so that to includes its day. An empty one is no bound.
func days(from, to string) (time.Time, time.Time, []kumbara.FieldError) {
	var problems []kumbara.FieldError
	read := func(name, v string) (calendar.Date, bool) {
		if v == "" {
			return calendar.Date{}, false
		}
		d, err := calendar.ParseDate(v)
		if err != nil {
			problems = append(problems, calendar.ErrDateInvalid.At(name))
			return calendar.Date{}, false
		}
		return d, true
	}
	var start, end time.Time
	f, hasFrom := read("from", from)
	t, hasTo := read("to", to)
	if hasFrom {
		start = f.Start()
	}
	if hasTo {
		end = t.AddDays(1).Start()
	}
	if hasFrom && hasTo && t.Before(f) {
		problems = append(problems, ledger.ErrInvalidDateRange.At("to"))
	}
	return start, end, problems
}

// auditData is the search page: the search as typed, the action filter's choices, and a page of entries.
type auditData struct {
	Query   auditQuery
	Kinds   []actionGroup
	Rows    []auditRow
	Older   string // the address of the next, older page; "" on the last
	Newest  string // the address of the search's first page, when this is a later one
	Invalid bool   // the search was refused: no entries are shown
}

// actionGroup is one kind of action in the action filter: all of its kind, then each of its actions.
type actionGroup struct {
	Label   string
	All     actionChoice // every action of the kind; its Value is empty for a kind of one action
	Actions []actionChoice
}

type actionChoice struct {
	Value, Label string
	Selected     bool
}

// auditRow is an entry as the page shows it, in the reader's language.
type auditRow struct {
	Seq                  int64
	At                   string // date and time to the second in Tirane
	ActorKind, ActorID   string // the kind in words; a member's username, a customer's client number
	Roles                []string
	Action, What         string // the action's stable name, and in words
	CustomerID, Customer string // the customer's id (for the link) and client number
	Account              string // the account's IBAN, as printed
	OK                   bool
	Result, Refusal      string // the refusal's code, and its message when the catalogue has one
	RequestID, Client    string
	Before, After        string // JSON, as recorded
}

// auditPage searches the log as the address says; without a search, the newest entries of the whole log.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q, err := readAuditQuery(r.URL.Query())
	d := auditData{Query: q}
	d.Kinds = s.actionGroups(r, q.Action)
	v := View{Title: "web_bo_audit_title", Data: d}
	var f audit.Filter
	if err == nil {
		f, err = s.filter(r.Context(), q)
	}
	if err != nil {
		d.Invalid = true
		v.Data = d
		s.problem(w, r, "audit", v, err)
		return
	}
	page, err := s.Audit.Search(r.Context(), f)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	names := &auditNames{s: s, ctx: r.Context(), clients: map[string]string{}, ibans: map[string]string{}}
	for _, e := range page.Entries {
		d.Rows = append(d.Rows, s.auditRow(r, names, e))
	}
	if page.Next != 0 {
		older := q
		older.Before = page.Next
		d.Older = auditPath + "?" + older.values().Encode()
	}
	if q.Before != 0 {
		first := q
		first.Before = 0
		d.Newest = auditPath + "?" + first.values().Encode()
		d.Newest = strings.TrimSuffix(d.Newest, "?")
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "audit", v)
}

// actionGroups are the action filter's choices: the actions by kind, in the order their packages list them, each
// named in the reader's language, selected the one searched.
func (s *Server) actionGroups(r *http.Request, selected string) []actionGroup {
	var groups []actionGroup
	index := map[string]int{}
	for _, a := range s.AuditActions {
		kind := actionKind(a)
		i, ok := index[kind]
		if !ok {
			label := s.textOr(r, "web_bo_audit_kind_"+kind, kind)
			i, index[kind] = len(groups), len(groups)
			groups = append(groups, actionGroup{Label: label, All: actionChoice{Value: kind + ".",
				Label:    s.message(r, "web_bo_audit_kind_all", map[string]string{"kind": label}),
				Selected: selected == kind+"."}})
		}
		groups[i].Actions = append(groups[i].Actions, actionChoice{Value: a, Label: s.actionName(r, a),
			Selected: selected == a})
	}
	for i := range groups {
		// A kind of one action that is its own kind's name (logout) has no dotted action to gather.
		if len(groups[i].Actions) < 2 || !strings.Contains(groups[i].Actions[0].Value, ".") {
			groups[i].All = actionChoice{}
		}
	}
	return groups
}

// textOr is the catalogue's text of key, or fallback when the catalogue has none.
func (s *Server) textOr(r *http.Request, key, fallback string) string {
	if !s.Catalogue.Has(key) {
		return fallback
	}
	return s.message(r, key, nil)
}

// actionName is an action in the reader's language (the audit_… texts the customers' activity reads too), or its
// stable name for one the catalogue does not know.
func (s *Server) actionName(r *http.Request, action string) string {
	return s.textOr(r, audit.TextKey(action), action)
}

// auditRow says an entry in the reader's language.
func (s *Server) auditRow(r *http.Request, names *auditNames, e audit.Entry) auditRow {
	lang := core.Lang(r)
	row := auditRow{Seq: e.Seq, At: i18n.FormatDate(e.At, lang) + " " + e.At.In(clock.Tirane).Format("15:04:05"),
		ActorKind: s.textOr(r, "web_bo_audit_actor_"+e.Actor.Kind, e.Actor.Kind), ActorID: e.Actor.ID,
		Action: e.Action, What: s.actionName(r, e.Action), CustomerID: e.CustomerID,
		Customer: names.client(e.CustomerID), Account: names.iban(e.AccountID), OK: e.Result == audit.ResultOK,
		Result: e.Result, RequestID: e.RequestID, Client: e.Client, Before: e.Before, After: e.After}
	if e.Actor.Kind == audit.ActorCustomer {
		row.ActorID = names.client(e.Actor.ID)
	}
	for role := range strings.SplitSeq(e.Actor.Role, ",") {
		if role != "" {
			row.Roles = append(row.Roles, s.textOr(r, "web_bo_role_"+role, role))
		}
	}
	if !row.OK && s.Catalogue.Has(e.Result) {
		row.Refusal = s.message(r, e.Result, nil)
	}
	return row
}

// auditNames finds, once each per page, how staff know the customers and accounts of the entries: by client
// number and IBAN. One the bank no longer finds is shown by its id.
type auditNames struct {
	s       *Server
	ctx     context.Context
	clients map[string]string
	ibans   map[string]string
}

func (n *auditNames) client(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.clients[id]; ok {
		return v
	}
	v := id
	if c, err := n.s.Customers.Get(n.ctx, id); err == nil {
		v = c.ClientNumber
	}
	n.clients[id] = v
	return v
}

func (n *auditNames) iban(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.ibans[id]; ok {
		return v
	}
	v := id
	if a, err := n.s.Ledger.Get(n.ctx, id); err == nil && a.IBAN != "" {
		v = iban.IBAN(a.IBAN).Printable()
	}
	n.ibans[id] = v
	return v
}
