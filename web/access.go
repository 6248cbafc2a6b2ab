package web

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
)

// The access area: the business login with its on-screen keyboard (A20, Z5) and the customer's list of live
// sessions (A19).
func (s *Server) accessRoutes() []Route {
	return []Route{
		{"GET", "/login/business", false, s.businessLoginPage},
		{"POST", "/login/business", false, s.businessLogin},
		{"GET", "/profile/sessions", true, s.sessionsPage},
		{"POST", "/profile/sessions/{id}/end", true, s.endSession},
	}
}

// webClient tells the login steps that this is the web app and which browser is asking.
func webClient(r *http.Request) *http.Request {
	return r.WithContext(auth.WithClient(r.Context(), auth.Client{Channel: auth.ChannelWeb,
		Label: r.Header.Get("User-Agent")}))
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

func (s *Server) businessLoginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login_business", view{Title: "web_ac_business_title",
		Data: businessForm{Keyboard: newKeyboard()}})
}

// businessLogin is the password step of a business's login: client number, NIPT and password; the SMS code step
// is the individuals' (/login/otp).
func (s *Server) businessLogin(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "web_ac_business_title", Data: businessForm{Keyboard: newKeyboard()}}
	if s.limited(w, r, "login_business", v) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	nipt := strings.TrimSpace(r.PostForm.Get("nipt"))
	v.Data = businessForm{Username: username, NIPT: nipt, Keyboard: newKeyboard()}
	if username == "" || nipt == "" || r.PostForm.Get("password") == "" {
		s.problem(w, r, "login_business", v, kumbara.Invalid("validation_failed"))
		return
	}
	r = webClient(r)
	ch, err := s.Auth.LoginBusiness(r.Context(), username, nipt, r.PostForm.Get("password"))
	if err != nil {
		s.problem(w, r, "login_business", v, err)
		return
	}
	s.setCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	s.setCookie(w, phoneCookie, ch.MaskedPhone, 10*time.Minute)
	http.Redirect(w, r, "/login/otp", http.StatusSeeOther)
}

type sessionRow struct {
	ID        string
	Channel   string
	Assurance string
	Label     string
	Created   string
	LastSeen  string
	Current   bool
}

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	ws := sessionOf(r)
	list, err := s.Auth.Sessions(r.Context(), ws.CustomerID)
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	l := lang(r)
	var rows []sessionRow
	for _, si := range list {
		rows = append(rows, sessionRow{ID: si.ID, Channel: si.Channel, Assurance: si.Assurance, Label: si.Label,
			Created: dateTime(si.CreatedAt), LastSeen: dateTime(si.LastSeenAt), Current: si.ID == ws.ID})
	}
	v := view{Title: "web_ac_sessions_title", Data: rows}
	if r.URL.Query().Get("m") == "ended" {
		v.Notice = s.Catalogue.Message(l, "web_ac_session_ended", nil)
	}
	s.render(w, r, http.StatusOK, "sessions", v)
}

// dateTime shows a time in the bank's zone as day.month.year hours:minutes, the same in both languages.
func dateTime(t time.Time) string {
	return t.In(clock.Tirane).Format("02.01.2006 15:04")
}

// endSession ends one of the customer's sessions. Ending the current one is a logout.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	ws := sessionOf(r)
	id := r.PathValue("id")
	if err := s.Auth.EndSession(r.Context(), ws.CustomerID, id); err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	if id == ws.ID {
		s.clearCookie(w, s.sessionCookieName())
		http.Redirect(w, r, "/login?m=out", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/profile/sessions?m=ended", http.StatusSeeOther)
}
