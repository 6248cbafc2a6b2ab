package backoffice

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

// View is what every back office page template receives.
type View struct {
	Lang   i18n.Lang
	Path   string // the current path, for the language switch to come back to
	Here   string // the address's path, for the menu to mark its section
	Title  string // a catalogue key
	Member staff.Member
	// Nav are the sections the member may open, for the menu.
	Nav      []Section
	IdleSecs int
	Error    string // a translated problem
	Notice   string // a translated notice
	// Fields are the translated problems of a form's fields, by field name.
	Fields map[string]string
	// Sent is the request an operation the member just asked for became, waiting for a second member: the page
	// says so, with its id and the start of its hash, and that nothing has changed yet.
	Sent      *approval.Request
	Data      any
	catalogue *i18n.Catalogue
}

// SignedIn reports whether the page is a member's.
func (v View) SignedIn() bool { return v.Member.ID != "" }

// T translates a catalogue key in the page's language.
func (v View) T(key string) string { return v.catalogue.Message(v.Lang, key, nil) }

// TP translates a key with one parameter.
func (v View) TP(key, name, value string) string {
	return v.catalogue.Message(v.Lang, key, map[string]string{name: value})
}

// Can reports whether the member may do what the permission names ("staff.manage"): pages offer only what the
// member's roles allow, as the routes check it again.
func (v View) Can(p string) bool { return v.Member.Can(staff.Permission(p)) }

// Field is the problem of a form's field, "" when it has none.
func (v View) Field(name string) string { return v.Fields[name] }

// Amount formats minor units the page's way.
func (v View) Amount(minor int64, currency string) string {
	return i18n.FormatAmount(minor, currency, v.Lang)
}

// Date formats a time as a date in the bank's zone.
func (v View) Date(t time.Time) string { return i18n.FormatDate(t, v.Lang) }

// Day formats a business day as a date.
func (v View) Day(d calendar.Date) string {
	if d.IsZero() {
		return "–"
	}
	return i18n.FormatDate(d.Start(), v.Lang)
}

// When formats a time as a date and time in the bank's zone; a zero time is a dash.
func (v View) When(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return i18n.FormatDateTime(t, v.Lang)
}

// Status names a status (a customer's, an account's or a card's: active, blocked, closed; a member's: active, locked,
// deactivated) in the page's language.
func (v View) Status(status string) string {
	if key := "web_bo_status_" + status; v.catalogue.Has(key) {
		return v.T(key)
	}
	return status
}

// StatusClass is the badge of a status: only an active one is green.
func (v View) StatusClass(status string) string {
	switch status {
	case "active":
		return "badge-ok"
	case "blocked", "closed", "deactivated":
		return "badge-bad"
	}
	return "badge-warn"
}

// Short is the start of a hash, as a member reads it out to another: enough to tell two requests apart.
func (v View) Short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// Current reports whether the page is in the section at path (that page or one below it), for the menu to mark.
func (v View) Current(path string) bool {
	if path == homePath {
		return v.Here == homePath
	}
	return v.Here == path || strings.HasPrefix(v.Here, path+"/")
}

// Other is the language the switch offers.
func (v View) Other() i18n.Lang {
	if v.Lang == i18n.EN {
		return i18n.SQ
	}
	return i18n.EN
}

// pages are the back office's page templates by name, each parsed with the layout.
type pages map[string]*template.Template

// parsePages parses every page of templates/ with the back office's layout, its own partials (the files whose
// names start with "_": the form fields) and the core's (the icon among them); static names a static file with its
// content hash.
func parsePages(static func(string) string) (pages, error) {
	dir := core.Dir(templates, "templates")
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		return nil, err
	}
	p := pages{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".html")
		if !ok || name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(template.FuncMap{"static": static}).ParseFS(core.Templates(), "partials/*.html")
		if err == nil {
			t, err = t.ParseFS(dir, "_*.html", "layout.html", e.Name())
		}
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p[name] = t
	}
	return p, nil
}

// render writes a page; the page is rendered to a buffer first so a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v View) {
	v.Lang = core.Lang(r)
	v.Path, v.Here = r.URL.RequestURI(), r.URL.Path
	if r.Method != http.MethodGet {
		v.Path = homePath // the language switch returns to v.Path; a form's address answers only POST
	}
	v.catalogue = s.Catalogue
	v.Member = MemberOf(r)
	if v.SignedIn() {
		v.IdleSecs = int(s.Staff.Config.IdleTimeout.Seconds())
		if !v.Member.MustChangePassword { // nothing but the password change opens until then
			v.Nav = s.nav(r, v.Member)
		}
	}
	t, ok := s.pages[page]
	if !ok {
		s.Log().Error("unknown back office page", slog.String("page", page))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Log().Error("render back office page", slog.String("page", page), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.site.WriteHTML(w, r, status, v.Lang, buf.Bytes())
}

// message translates a catalogue key in the request's language.
func (s *Server) message(r *http.Request, key string, params map[string]string) string {
	return s.Catalogue.Message(core.Lang(r), key, params)
}

// errorPage shows a translated problem on its own page: a 404 as the back office's not-found page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	title := "web_bo_error_title"
	if status == http.StatusNotFound {
		title = "web_bo_nf_title"
	}
	s.render(w, r, status, "error", View{Title: title, Error: s.message(r, code, nil)})
}

// problem renders the message of a domain error on page, with the status the API would give it, each field's
// problem beside its field; our own faults are logged and shown as the generic message (core's ProblemText), and
// a limit says how long to wait. A 404 is the not-found page whatever page asked.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, page string, v View, err error) {
	status := httpx.StatusOf(kumbara.KindOf(err))
	if status == http.StatusNotFound {
		s.errorPage(w, r, status, kumbara.CodeOf(err))
		return
	}
	s.explain(r, &v, err)
	httpx.SetRetryAfter(w, err)
	s.render(w, r, status, page, v)
}

// explain puts err's message in v, and each field's problem beside its field.
func (s *Server) explain(r *http.Request, v *View, err error) {
	v.Error = s.site.ProblemText(r, err)
	if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
		v.Fields = map[string]string{}
		for _, f := range e.Fields {
			msg := s.message(r, f.Code, e.Params)
			if prev := v.Fields[f.Field]; prev != "" {
				msg = prev + " " + msg
			}
			v.Fields[f.Field] = msg
		}
	}
}

// refuse answers a request the rate limit refused, on the error page; a passkey ceremony's step (which posts and
// asks for JSON) with the JSON problem its script shows.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.site.FailJSON(w, r, err)
		return
	}
	httpx.SetRetryAfter(w, err)
	s.render(w, r, httpx.StatusOf(kumbara.KindOf(err)), "error",
		View{Title: "web_bo_error_title", Error: s.site.ProblemText(r, err)})
}

// crossSite answers a form posted from another site (CSRF), which Protect refused.
func (s *Server) crossSite(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusForbidden, "cross_site_refused")
}

// notFound is the page of an address under /backoffice/ that the back office does not have; a member sees it in
// the signed-in layout.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	r = s.current(r)
	if MemberOf(r).ID != "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.errorPage(w, r, http.StatusNotFound, "not_found")
}
