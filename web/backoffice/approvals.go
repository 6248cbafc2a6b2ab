package backoffice

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/text"
)

const (
	approvalsPath = Prefix + "/approvals"
	minePath      = approvalsPath + "/mine"
)

// Four-eyes in the browser, as `kumbara admin approvals|approve|reject`: the inbox of requests waiting for a
// second member (approvals.read: managers, the back office, compliance), pending ones first, then the latest
// decided; a member's own requests (whoever makes them reads them, customer.read being every maker's); and each
// request's page with the operation in words, its exact JSON and its hash, where a member with approvals.decide
// approves that hash or rejects it with a reason — never their own request, which package approval refuses
// whatever the page offers.
func (s *Server) approvalRoutes() []Route {
	req := approvalsPath + "/{request}"
	return []Route{
		{Method: "GET", Path: approvalsPath, Policy: Staffed(""), Permission: staff.ApprovalsRead, Handler: s.inbox},
		{Method: "GET", Path: minePath, Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.mine},
		{Method: "GET", Path: req, Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.requestPage},
		{Method: "POST", Path: req + "/approve", Policy: Staffed(""), Permission: staff.ApprovalsDecide, Handler: s.approve},
		{Method: "POST", Path: req + "/reject", Policy: Staffed(""), Permission: staff.ApprovalsDecide, Handler: s.reject},
	}
}

// RequestsShown is how many requests a list reads at most; DecidedShown how many decided ones the inbox shows
// under the pending ones.
const (
	RequestsShown = 100
	DecidedShown  = 30
)

// inboxData is the inbox or the member's own requests.
type inboxData struct {
	Mine     bool // the member's own requests, in one list
	CanRead  bool // the member reads the inbox: the tabs between it and their own requests
	Pending  []requestView
	Decided  []requestView
	Requests []requestView // Mine's list
}

// inbox lists the pending requests, the one expiring first at the top, then the latest decided or expired ones.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	ctx, m := r.Context(), MemberOf(r)
	pending, err := s.Approvals.List(ctx, m, approval.Filter{Status: approval.Pending, Limit: RequestsShown})
	var recent []approval.Request
	if err == nil {
		recent, err = s.Approvals.List(ctx, m, approval.Filter{Limit: RequestsShown})
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	slices.SortStableFunc(pending, func(a, b approval.Request) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	d := inboxData{CanRead: true}
	for _, q := range pending {
		d.Pending = append(d.Pending, s.requestView(r, q))
	}
	for _, q := range recent {
		if q.Status != approval.Pending && len(d.Decided) < DecidedShown {
			d.Decided = append(d.Decided, s.requestView(r, q))
		}
	}
	s.render(w, r, http.StatusOK, "approvals", View{Title: "web_bo_approvals_title", Data: d})
}

// mine lists the member's own requests, the newest first, with what became of each.
func (s *Server) mine(w http.ResponseWriter, r *http.Request) {
	m := MemberOf(r)
	list, err := s.Approvals.List(r.Context(), m, approval.Filter{Maker: m.Username, Limit: RequestsShown})
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := inboxData{Mine: true, CanRead: m.Can(staff.ApprovalsRead)}
	for _, q := range list {
		d.Requests = append(d.Requests, s.requestView(r, q))
	}
	s.render(w, r, http.StatusOK, "approvals", View{Title: "web_bo_mine_title", Data: d})
}

// requestData is one request's page.
type requestData struct {
	requestView
	Raw       string // the payload's exact JSON, as hashed
	CanDecide bool   // the member may decide it now: pending, another member's, and approvals.decide theirs
	Typed     string // a rejection's reason as typed, after a refusal
}

// pathRequest is the request the path names, as the member may read it (its maker, or one who reads the inbox).
func (s *Server) pathRequest(r *http.Request) (requestData, error) {
	id := r.PathValue("request")
	if !text.Storable(id) || len(id) > 64 {
		return requestData{}, approval.ErrNotFound
	}
	m := MemberOf(r)
	q, err := s.Approvals.Get(r.Context(), m, id)
	if err != nil {
		return requestData{}, err
	}
	v := s.requestView(r, q)
	return requestData{requestView: v, Raw: string(q.Payload),
		CanDecide: q.Status == approval.Pending && !v.Own && m.Can(staff.ApprovalsDecide)}, nil
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	var v View
	s.flash(r, &v)
	s.showRequest(w, r, http.StatusOK, v)
}

// showRequest renders the request the path names, as it is now, with v's notice or problem.
func (s *Server) showRequest(w http.ResponseWriter, r *http.Request, status int, v View) {
	d, err := s.pathRequest(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Title, v.Data = "web_bo_request_title", d
	s.render(w, r, status, "approval", v)
}

// approve approves the request with the hash the page showed and runs it; the page then shows it executed, or
// failed with the operation's refusal. A form without a hash approves nothing: what is approved is always what
// was shown.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("request")
	hash := strings.TrimSpace(r.PostForm.Get("hash"))
	var err error
	switch {
	case !text.Storable(id) || len(id) > 64:
		err = approval.ErrNotFound
	case hash == "":
		err = approval.ErrPayloadChanged
	default:
		var q approval.Request
		q, err = s.Operations.Approve(r.Context(), MemberOf(r), id, hash)
		if err == nil {
			s.Log().Info("approval decided", slog.String("staff", MemberOf(r).Username), slog.String("request", q.ID),
				slog.String("status", q.Status))
		}
	}
	if err != nil {
		s.refused(w, r, err, s.showRequest)
		return
	}
	http.Redirect(w, r, withNotice(requestPath(id), "decided"), http.StatusSeeOther)
}

// reject refuses the request with the reason typed, which its maker reads on it.
func (s *Server) reject(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id, reason := r.PathValue("request"), r.PostForm.Get("reason")
	err := error(approval.ErrNotFound)
	if text.Storable(id) && len(id) <= 64 {
		_, err = s.Operations.Reject(r.Context(), MemberOf(r), id, reason)
	}
	if err != nil {
		d, derr := s.pathRequest(r)
		if derr != nil {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, derr)
			return
		}
		d.Typed = reason
		s.problem(w, r, "approval", View{Title: "web_bo_request_title", Data: d}, err)
		return
	}
	http.Redirect(w, r, withNotice(requestPath(id), "rejected"), http.StatusSeeOther)
}

// nav is the menu's sections for m, with the number of requests waiting for m's decision beside the inbox.
func (s *Server) nav(r *http.Request, m staff.Member) []Section {
	secs := sectionsFor(m)
	if s.Approvals == nil || !m.Can(staff.ApprovalsDecide) {
		return secs
	}
	n, err := s.Approvals.Waiting(r.Context(), m)
	if err != nil {
		s.Log().Error("pending requests", slog.String("error", err.Error()))
		return secs
	}
	for i := range secs {
		if secs[i].Path == approvalsPath {
			secs[i].Count = n
		}
	}
	return secs
}

// RequestStatus names a request's state in the page's language.
func (v View) RequestStatus(status string) string { return v.T("web_bo_req_status_" + status) }

// RequestClass is the badge of a request's state: waiting is amber, done green, anything that did not happen red.
func (v View) RequestClass(status string) string {
	switch status {
	case approval.Pending:
		return "badge-warn"
	case approval.Executed:
		return "badge-ok"
	case approval.Approved:
		return "badge-info"
	}
	return "badge-bad"
}
