// Package access is how customers get into the internet branch and out of it: registration for digital banking
// (R1, register.go), the individuals' login (password, then the SMS code), the forgotten password (A8, A10,
// recover.go; registration and recovery share the proof of identity, proof.go), the business login with its
// on-screen keyboard (A20, Z5), the customer's list of live sessions (A19) and the logout. The passkey login is the passkeys area's; every login opens its session through
// the core (core.Site.OpenSession).
package access

import (
	"crypto/rand"
	"embed"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the registration, the login, the recovery, the business login, the sessions list and the logout: their
// pages and routes.
func Area() core.Area {
	return core.Area{Name: "access", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		a := &area{site}
		var routes []core.Route
		for _, part := range [][]core.Route{a.loginRoutes(), a.accessRoutes(), a.registerRoutes(), a.recoverRoutes()} {
			routes = append(routes, part...)
		}
		return routes
	}}
}

// area is the access pages' handlers, on the site.
type area struct{ *core.Site }

// accessRoutes are the business login and the customer's list of live sessions.
func (s *area) accessRoutes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: "/login/business", Policy: core.Public(""), Handler: s.businessLoginPage},
		{Method: "POST", Path: "/login/business", Policy: core.Public(httpx.Login), Handler: s.businessLogin,
			Refused: s.RefusedOn("login_business", func(*http.Request) core.View {
				return core.View{Title: "web_ac_business_title", Data: businessForm{Keyboard: newKeyboard()}}
			})},
		{Method: "GET", Path: "/profile/sessions", Policy: core.Private(""), Handler: s.sessionsPage},
		{Method: "POST", Path: "/profile/sessions/{id}/end", Policy: core.Private(""), Handler: s.endSession},
		{Method: "POST", Path: "/profile/sessions/end-others", Policy: core.Private(""), Handler: s.endOtherSessions},
	}
}

// key is one key of the on-screen keyboard: what it types, in lower and upper case.
type key struct {
	Lower, Upper string
}

// keyboard is the on-screen keyboard's rows: the digits in an order drawn for each page (so the position of a
// click says nothing about the digit), then the Albanian alphabet's letters and the symbols the password rules
// allow (A11).
type keyboard struct {
	Rows [][]key
}

func newKeyboard() keyboard {
	digits := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	for i := len(digits) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic(err) // the system's randomness failing is not something to carry on from
		}
		digits[i], digits[j.Int64()] = digits[j.Int64()], digits[i]
	}
	var kb keyboard
	row := func(chars []string) {
		var r []key
		for _, c := range chars {
			r = append(r, key{Lower: c, Upper: strings.ToUpper(c)})
		}
		kb.Rows = append(kb.Rows, r)
	}
	row(digits)
	row(strings.Split("qwertyuiopë", ""))
	row(strings.Split("asdfghjklç", ""))
	row(strings.Split("zxcvbnm", ""))
	var syms []key
	for _, c := range strings.Split("!@#$%^&*()-_=+[]{};:,.?/", "") {
		syms = append(syms, key{Lower: c, Upper: c})
	}
	kb.Rows = append(kb.Rows, syms)
	return kb
}

type businessForm struct {
	Username string
	NIPT     string
	Keyboard keyboard
}

func (s *area) businessLoginPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "login_business", core.View{Title: "web_ac_business_title",
		Data: businessForm{Keyboard: newKeyboard()}})
}

// businessLogin is the password step of a business's login: client number, NIPT and password; the SMS code step
// is the individuals' (/login/otp).
func (s *area) businessLogin(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_ac_business_title", Data: businessForm{Keyboard: newKeyboard()}}
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	nipt := strings.TrimSpace(r.PostForm.Get("nipt"))
	v.Data = businessForm{Username: username, NIPT: nipt, Keyboard: newKeyboard()}
	if username == "" || nipt == "" || r.PostForm.Get("password") == "" {
		s.Problem(w, r, "login_business", v, kumbara.ErrValidationFailed)
		return
	}
	r = core.WebClient(r)
	ch, err := s.Auth.LoginBusiness(r.Context(), username, nipt, r.PostForm.Get("password"))
	if err != nil {
		s.Problem(w, r, "login_business", v, err)
		return
	}
	s.SetCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	s.SetCookie(w, phoneCookie, ch.MaskedPhone, 10*time.Minute)
	http.Redirect(w, r, "/login/otp", http.StatusSeeOther)
}

type sessionRow struct {
	ID        string
	Device    string // the browser or app, readably ("Chrome on Linux")
	Channel   string
	Assurance string
	Created   string
	LastSeen  string
	Current   bool
}

// sessionsView is the sessions page: the live sessions, and whether it asks to confirm ending the others.
type sessionsView struct {
	Sessions []sessionRow
	Others   int  // how many sessions are not this one
	Confirm  bool // "end all other sessions" was asked for: the page asks to confirm it
}

func (s *area) sessionsPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.sessionsView(r)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	switch r.URL.Query().Get("m") {
	case "ended":
		v.Notice = s.Message(r, "web_ac_session_ended", nil)
	case "others":
		v.Notice = s.Message(r, "web_ac_others_ended", nil)
	}
	s.Render(w, r, http.StatusOK, "sessions", v)
}

// sessionsView lists the customer's live sessions, newest first, the current one marked.
func (s *area) sessionsView(r *http.Request) (core.View, error) {
	ws := core.SessionOf(r)
	list, err := s.Auth.Sessions(r.Context(), ws.CustomerID)
	if err != nil {
		return core.View{}, err
	}
	var d sessionsView
	for _, si := range list {
		d.Sessions = append(d.Sessions, sessionRow{ID: si.ID, Device: s.deviceName(r, si.Device),
			Channel: si.Channel, Assurance: si.Assurance, Created: dateTime(si.CreatedAt),
			LastSeen: dateTime(si.LastSeenAt), Current: si.ID == ws.ID})
		if si.ID != ws.ID {
			d.Others++
		}
	}
	return core.View{Title: "web_ac_sessions_title", Data: &d}, nil
}

// deviceName puts a session's device into a phrase of the page's language: "Chrome on Linux", just the browser
// or app when the platform is not known, "Unknown device" when nothing is.
func (s *area) deviceName(r *http.Request, d auth.Device) string {
	switch {
	case d.Browser != "" && d.Platform != "":
		return s.Message(r, "web_ac_device", map[string]string{"browser": d.Browser, "platform": d.Platform})
	case d.Browser != "":
		return d.Browser
	case d.Platform != "":
		return d.Platform
	default:
		return s.Message(r, "web_ac_device_unknown", nil)
	}
}

// dateTime shows a time in the bank's zone as day.month.year hours:minutes, the same in both languages.
func dateTime(t time.Time) string {
	return t.In(clock.Tirane).Format("02.01.2006 15:04")
}

// endSession ends one of the customer's sessions. Ending the current one is a logout.
func (s *area) endSession(w http.ResponseWriter, r *http.Request) {
	ws := core.SessionOf(r)
	id := r.PathValue("id")
	if err := s.Auth.EndSession(r.Context(), ws.Session, id); err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	if id == ws.ID {
		s.ClearCookie(w, s.SessionCookieName())
		http.Redirect(w, r, "/login?m=out", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/profile/sessions?m=ended", http.StatusSeeOther)
}

// endOtherSessions ends every session but this one ("end all other sessions", A19), once the customer has
// confirmed it: the button alone shows the page again asking to confirm (no script needed), and the confirmation
// (confirm=yes) ends them.
func (s *area) endOtherSessions(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		v, err := s.sessionsView(r)
		if err != nil {
			s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
			return
		}
		v.Data.(*sessionsView).Confirm = true
		s.Render(w, r, http.StatusOK, "sessions", v)
		return
	}
	if _, err := s.Auth.EndOtherSessions(r.Context(), core.SessionOf(r).Session); err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, "/profile/sessions?m=others", http.StatusSeeOther)
}
