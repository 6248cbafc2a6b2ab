package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/passkey"
)

// View is what every page template receives.
type View struct {
	Lang     i18n.Lang
	Path     string // current path, for the language switch to come back to
	Title    string
	LoggedIn bool
	Name     string // customer's name, when logged in
	Demo     bool
	IdleSecs int
	Owner    string // whose session the page belongs to, as the idle partial marks it (formOwner)
	Error    string // a translated problem message
	// Limited says the problem is a limit (rate_limited, login_throttled): the message says how long to wait, and
	// the form's fields are not marked as wrong (InputWrong), since nothing typed was.
	Limited   bool
	Notice    string // a translated notice
	Data      any
	catalogue *i18n.Catalogue
}

// InputWrong says whether the page's problem is about what was typed, so its form marks the fields it names
// (aria-invalid): a problem that is not a limit.
func (v View) InputWrong() bool { return v.Error != "" && !v.Limited }

// T translates a catalogue key in the page's language.
func (v View) T(key string) string { return v.catalogue.Message(v.Lang, key, nil) }

// TP translates a key with one parameter.
func (v View) TP(key, name, value string) string {
	return v.catalogue.Message(v.Lang, key, map[string]string{name: value})
}

// Amount formats minor units the page's way: "1.234,50 ALL" in Albanian, "1,234.50 ALL" in English.
func (v View) Amount(minor int64, currency string) string {
	return i18n.FormatAmount(minor, currency, v.Lang)
}

// Date formats a time as a date in the bank's zone.
func (v View) Date(t time.Time) string { return i18n.FormatDate(t, v.Lang) }

// Current reports whether the page is in one of the menu's sections (a path prefix), for the menu to mark it.
func (v View) Current(prefixes ...string) bool {
	for _, p := range prefixes {
		if v.Path == p || strings.HasPrefix(v.Path, p+"/") || strings.HasPrefix(v.Path, p+"?") {
			return true
		}
	}
	return false
}

// Other is the language the switch offers.
func (v View) Other() i18n.Lang {
	if v.Lang == i18n.EN {
		return i18n.SQ
	}
	return i18n.EN
}

// parse adds every page of dir in fsys, each parsed with the layout, refusing a page name the site already has.
func (s *Site) parse(area string, fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("%s templates: %w", area, err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".html")
		if !ok || name == "layout" || e.IsDir() {
			continue
		}
		if _, dup := s.pages[name]; dup {
			return fmt.Errorf("%s templates: page %s is already another area's", area, name)
		}
		t, err := template.New(name).Funcs(template.FuncMap{"static": s.assets.URL}).
			ParseFS(embedded, "templates/layout.html", "templates/partials/*.html")
		if err == nil {
			t, err = t.ParseFS(fsys, pathIn(dir, e.Name()))
		}
		if err != nil {
			return fmt.Errorf("page %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

func pathIn(dir, name string) string {
	if dir == "." {
		return name
	}
	return dir + "/" + name
}

// Lang is the page language: the visitor's choice, remembered in a cookie (the switch is on every page), else the
// browser's (Accept-Language, as the API answers), else Albanian, the bank's language.
func Lang(r *http.Request) i18n.Lang {
	if c, err := r.Cookie("lang"); err == nil {
		switch i18n.Lang(c.Value) {
		case i18n.EN:
			return i18n.EN
		case i18n.SQ:
			return i18n.SQ
		}
	}
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// Message translates key (with params) in the request's language.
func (s *Site) Message(r *http.Request, key string, params map[string]string) string {
	return s.Catalogue.Message(Lang(r), key, params)
}

// Render writes a page; the page is rendered to a buffer first so a template error never sends half a page.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, page string, v View) {
	if page == "error" && status == http.StatusNotFound {
		// Whatever was not found — an address, another customer's account or transfer — gets the not-found page,
		// which says so without alarm and leads back (to the summary when signed in).
		page, v = "not_found", View{Title: "web_nf_title", Data: v.Error}
	}
	v.Lang = Lang(r)
	v.Path = r.URL.RequestURI()
	if r.Method != http.MethodGet {
		// The language switch returns to v.Path; a form's URL answers only POST, so it goes home instead.
		v.Path = "/"
	}
	v.catalogue = s.Catalogue
	v.Demo = s.Inbox != nil
	v.IdleSecs = int(s.Auth.Config.IdleTimeout.Seconds())
	if ws := SessionOf(r); ws.CustomerID != "" {
		v.LoggedIn = true
		v.Owner = formOwner(ws.CustomerID + "/" + ws.UserID)
		if names, err := s.Customers.Names(r.Context(), ws.CustomerID, ws.Authenticator()); err == nil {
			v.Name = names[ws.CustomerID]
			if ws.UserID != "" { // a business's user (A20): the business, then who acts for it
				v.Name += " · " + names[ws.UserID]
			}
		}
	}
	t, ok := s.pages[page]
	if !ok {
		s.Log().Error("unknown page", slog.String("page", page))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Log().Error("render page", slog.String("page", page), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.writeHTML(w, r, status, v.Lang, buf.Bytes())
}

// Fragment renders named templates of a page without the layout, for htmx to put into the page it came from.
func (s *Site) Fragment(w http.ResponseWriter, r *http.Request, page string, names []string, v View) {
	v.Lang = Lang(r)
	v.Path = r.URL.RequestURI()
	v.catalogue = s.Catalogue
	t, ok := s.pages[page]
	var buf bytes.Buffer
	for _, name := range names {
		err := fmt.Errorf("unknown page")
		if ok {
			err = t.ExecuteTemplate(&buf, name, v)
		}
		if err != nil {
			s.Log().Error("render fragment", slog.String("page", page), slog.String("error", err.Error()))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	s.writeHTML(w, r, http.StatusOK, v.Lang, buf.Bytes())
}

// ErrorPage shows a translated problem on its own page.
func (s *Site) ErrorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.Render(w, r, status, "error", View{Title: "web_error_title", Error: s.Catalogue.Message(Lang(r), code, nil)})
}

// Problem renders the message of a domain error on page, with the status the API would give it; our own faults
// are logged and shown as the generic message. A limit says how long to wait (Retry-After, and in the message) and
// marks no field as wrong.
func (s *Site) Problem(w http.ResponseWriter, r *http.Request, page string, v View, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError && kumbara.KindOf(err) != kumbara.KindUnavailable {
		s.Log().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	v.Error = s.Message(r, code, s.waitParams(r, err))
	v.Limited = status == http.StatusTooManyRequests
	httpx.SetRetryAfter(w, err)
	s.Render(w, r, status, page, v)
}

// ProblemText is the translated message of an error, for a problem shown inside a part of a page; our own faults
// are logged and shown as the generic message, as Problem does.
func (s *Site) ProblemText(r *http.Request, err error) string {
	code := kumbara.CodeOf(err)
	if kumbara.KindOf(err) == kumbara.KindInternal {
		s.Log().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	return s.Message(r, code, s.waitParams(r, err))
}

// waitParams are the message parameters of a refusal that says how long to wait (retry_after): the wait in words
// of the page's language ("12 minutes", "12 minutash"), rounded up: seconds under a minute, minutes up to an hour
// and a half, hours past it. Nil for any other error.
func (s *Site) waitParams(r *http.Request, err error) map[string]string {
	secs, ok := httpx.RetryAfter(err)
	if !ok {
		return nil
	}
	if secs < 60 {
		return map[string]string{"wait": s.Message(r, "web_wait_seconds", map[string]string{"n": strconv.Itoa(secs)})}
	}
	if secs <= 90*60 {
		mins := (secs + 59) / 60
		return map[string]string{"wait": s.Message(r, "web_wait_minutes", map[string]string{"n": strconv.Itoa(mins)})}
	}
	hours := (secs + 3599) / 3600
	return map[string]string{"wait": s.Message(r, "web_wait_hours", map[string]string{"n": strconv.Itoa(hours)})}
}

// Refuse answers a refused request: a JSON step (the passkey ceremonies, which post and ask for JSON) with the JSON
// problem its script reads, a page with the error page.
func (s *Site) Refuse(w http.ResponseWriter, r *http.Request, err error) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.FailJSON(w, r, err)
		return
	}
	code := kumbara.CodeOf(err)
	status := httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError {
		s.Log().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	httpx.SetRetryAfter(w, err)
	s.Render(w, r, status, "error", View{Title: "web_error_title", Error: s.Message(r, code, s.waitParams(r, err)),
		Limited: status == http.StatusTooManyRequests})
}

// RefusedOn shows a refusal on page, built by v for the request: the form the customer just sent, with the message.
func (s *Site) RefusedOn(page string, v func(*http.Request) View) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		s.Problem(w, r, page, v(r), err)
	}
}

// JSON answers a step a page's script posts (the passkey ceremonies).
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonProblem is the problem a page's script reads.
type jsonProblem struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// FailJSON answers a failed script step with the translated message of its code; our own faults are logged and
// answered with the generic message.
func (s *Site) FailJSON(w http.ResponseWriter, r *http.Request, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError && kumbara.KindOf(err) != kumbara.KindUnavailable {
		s.Log().Error("passkey", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	httpx.SetRetryAfter(w, err)
	JSON(w, status, jsonProblem{Code: code, Error: s.Message(r, code, s.waitParams(r, err))})
}

// ParseForm reads a posted form (within the route's body limit); a form that cannot be read is answered with the
// error page and code, and ParseForm reports false.
func (s *Site) ParseForm(w http.ResponseWriter, r *http.Request, code string) bool {
	if err := r.ParseForm(); err != nil {
		s.ErrorPage(w, r, http.StatusBadRequest, code)
		return false
	}
	return true
}

// LocalPath accepts only a path on this site as a place to return to, so a link cannot send a customer elsewhere.
// Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\t/evil.example" would become
// "//evil.example": any control character or backslash is refused before the path is parsed.
func LocalPath(next string) string {
	if strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return u.RequestURI()
}

func (s *Site) setLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "sq" && l != "en" {
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	// The choice is remembered for a year; it is not a secret, but it follows the same cookie rules.
	s.SetCookie(w, "lang", l, 365*24*time.Hour)
	s.rememberLanguage(r, i18n.Lang(l))
	http.Redirect(w, r, LocalPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// rememberLanguage stores a signed-in customer's choice as the language the bank writes to them in (their SMS:
// customer.SetLanguage). The session cookie is SameSite=Strict, so a link from another site cannot make the
// choice for them. Without a session the choice is the browser's alone; a failure to store it costs the customer
// nothing on this page, so it is logged rather than shown.
func (s *Site) rememberLanguage(r *http.Request, lang i18n.Lang) {
	token := s.SessionToken(r)
	if token == "" {
		return
	}
	sess, err := s.Auth.Authenticate(r.Context(), token)
	if err != nil {
		return
	}
	person := sess.CustomerID
	if sess.UserID != "" {
		person = sess.UserID // a business's user: the SMS go to the person
	}
	if err := s.Customers.SetLanguage(r.Context(), person, lang); err != nil {
		s.Log().Error("remember language", slog.String("error", err.Error()))
	}
}

// notFoundPage is the page a browser gets for an address the bank does not have, with the site's security
// headers; the API's unrouted requests still answer problem documents. A signed-in customer sees it inside the
// signed-in layout (their name, the menu) with the way back to the summary; without a live session it is the
// public page. Looking the session up does not end it or send anyone to the login page: the answer is a 404
// either way.
func (s *Site) notFoundPage() http.Handler {
	return s.protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token := s.SessionToken(r); token != "" {
			if sess, err := s.Auth.Admit(r.Context(), token, auth.Need{}); err == nil {
				w.Header().Set("Cache-Control", "no-store")
				r = r.WithContext(context.WithValue(auth.WithSession(r.Context(), sess), sessionKey{},
					Session{Session: sess, Token: token}))
			}
		}
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
	}))
}

// JSONRedirect is a script step's answer that sends the browser on to a page.
type JSONRedirect struct {
	Redirect string `json:"redirect"`
}

// PasskeyStep is p for a step of a passkey ceremony: a JSON body of up to MaxPasskeyJSON.
func PasskeyStep(p httpx.Policy) httpx.Policy {
	p.MaxBody = MaxPasskeyJSON
	return p
}

// MaxPasskeyJSON bounds the JSON a passkey step may post: an authenticator's response and a few fields.
const MaxPasskeyJSON = passkey.MaxResponse + 4<<10
