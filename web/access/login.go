package access

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/web/core"
)

const (
	challengeCookie = "kumbara_login"
	phoneCookie     = "kumbara_phone"
	rememberCookie  = "kumbara_remember"
)

// loginRoutes are the login of individuals (password, then the SMS code or a Soft PIN code) and the logout.
func (s *area) loginRoutes() []core.Route {
	otp := s.RefusedOn("otp", otpView)
	return []core.Route{
		{Method: "GET", Path: "/{$}", Policy: core.Public(""), Handler: s.home},
		{Method: "GET", Path: "/login", Policy: core.Public(""), Handler: s.loginPage},
		{Method: "POST", Path: "/login", Policy: core.Public(httpx.Login), Handler: s.login,
			Refused: s.RefusedOn("login", func(*http.Request) core.View {
				return core.View{Title: "web_login_title", Data: loginForm{}}
			})},
		{Method: "GET", Path: "/login/otp", Policy: core.Public(""), Handler: s.otpPage},
		{Method: "POST", Path: "/login/otp", Policy: core.Public(httpx.LoginCode), Handler: s.verifyOTP, Refused: otp},
		{Method: "POST", Path: "/login/otp/resend", Policy: core.Public(httpx.LoginCode), Handler: s.resendOTP, Refused: otp},
		{Method: "GET", Path: "/logout", Policy: core.Private(""), Handler: s.logoutPage},
		{Method: "POST", Path: "/logout", Policy: core.Private(""), Handler: s.logout},
	}
}

// otpView is the code step's page.
func otpView(r *http.Request) core.View {
	return core.View{Title: "web_otp_title", Data: otpForm{Phone: core.CookieValue(r, phoneCookie)}}
}

type loginForm struct {
	Username string
	Remember bool
}

func (s *area) loginPage(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_login_title"}
	f := loginForm{}
	if c, err := r.Cookie(rememberCookie); err == nil {
		if n, err := kyc.ParseClientNumber(c.Value); err == nil {
			f.Username, f.Remember = string(n), true
		}
	}
	switch r.URL.Query().Get("m") {
	case "expired":
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_session_expired", nil)
	case "out":
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_logged_out", nil)
	}
	v.Data = f
	s.Render(w, r, http.StatusOK, "login", v)
}

func (s *area) login(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	remember := r.PostForm.Get("remember") == "on"
	v := core.View{Title: "web_login_title", Data: loginForm{Username: username, Remember: remember}}
	if username == "" || r.PostForm.Get("password") == "" {
		s.Problem(w, r, "login", v, kumbara.ErrValidationFailed)
		return
	}
	r = core.WebClient(r)
	ch, err := s.Auth.Login(r.Context(), username, r.PostForm.Get("password"))
	if err != nil {
		s.Problem(w, r, "login", v, err)
		return
	}
	if n, err := kyc.ParseClientNumber(username); remember && err == nil {
		s.SetCookie(w, rememberCookie, string(n), 90*24*time.Hour)
	} else if !remember {
		s.ClearCookie(w, rememberCookie)
	}
	s.SetCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	s.SetCookie(w, phoneCookie, ch.MaskedPhone, 10*time.Minute)
	http.Redirect(w, r, "/login/otp", http.StatusSeeOther)
}

type otpForm struct {
	Phone string
}

func (s *area) otpPage(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(challengeCookie); err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	v := core.View{Title: "web_otp_title", Data: otpForm{Phone: core.CookieValue(r, phoneCookie)}}
	if r.URL.Query().Get("m") == "resent" {
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_otp_resent", nil)
	}
	s.Render(w, r, http.StatusOK, "otp", v)
}

func (s *area) verifyOTP(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	challenge := core.CookieValue(r, challengeCookie)
	if challenge == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	v := core.View{Title: "web_otp_title", Data: otpForm{Phone: core.CookieValue(r, phoneCookie)}}
	code := strings.TrimSpace(r.PostForm.Get("otp"))
	if code == "" {
		s.Problem(w, r, "otp", v, kumbara.ErrFieldRequired)
		return
	}
	r = core.WebClient(r)
	token, sess, err := s.Auth.VerifyOTP(r.Context(), challenge, code)
	if err == nil {
		err = s.NoteBrowserLogin(w, r, sess)
	}
	if err != nil {
		s.Problem(w, r, "otp", v, err)
		return
	}
	s.ClearCookie(w, challengeCookie)
	s.ClearCookie(w, phoneCookie)
	// A new login replaces whatever session this browser had: the old one ends rather than lingering.
	s.OpenSession(w, r, token)
	http.Redirect(w, r, "/summary", http.StatusSeeOther)
}

func (s *area) resendOTP(w http.ResponseWriter, r *http.Request) {
	challenge := core.CookieValue(r, challengeCookie)
	if challenge == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	r = core.WebClient(r)
	ch, err := s.Auth.Resend(r.Context(), challenge)
	if err != nil {
		if errors.Is(err, auth.ErrChallengeNotFound) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		s.Problem(w, r, "otp", core.View{Title: "web_otp_title", Data: otpForm{Phone: core.CookieValue(r, phoneCookie)}}, err)
		return
	}
	s.SetCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	http.Redirect(w, r, "/login/otp?m=resent", http.StatusSeeOther)
}

func (s *area) logoutPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "logout", core.View{Title: "web_logout_title"})
}

func (s *area) logout(w http.ResponseWriter, r *http.Request) { s.LogOut(w, r) }

// home sends a visitor with a live session to the summary, anyone else to the login page.
func (s *area) home(w http.ResponseWriter, r *http.Request) {
	if token := s.SessionToken(r); token != "" {
		if _, err := s.Auth.Authenticate(r.Context(), token); err == nil {
			http.Redirect(w, r, "/summary", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
