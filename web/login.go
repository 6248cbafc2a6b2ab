package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/kyc"
)

const (
	challengeCookie = "kumbara_login"
	phoneCookie     = "kumbara_phone"
	rememberCookie  = "kumbara_remember"
	maxForm         = 16 << 10
)

func (s *Server) loginRoutes() []Route {
	otp := s.refusedOn("otp", otpView)
	return []Route{
		{Method: "GET", Path: "/{$}", Policy: public(""), Handler: s.home},
		{Method: "GET", Path: "/login", Policy: public(""), Handler: s.loginPage},
		{Method: "POST", Path: "/login", Policy: public(httpx.Login), Handler: s.login,
			Refused: s.refusedOn("login", func(*http.Request) view {
				return view{Title: "web_login_title", Data: loginForm{}}
			})},
		{Method: "GET", Path: "/login/otp", Policy: public(""), Handler: s.otpPage},
		{Method: "POST", Path: "/login/otp", Policy: public(httpx.LoginCode), Handler: s.verifyOTP, Refused: otp},
		{Method: "POST", Path: "/login/otp/resend", Policy: public(httpx.LoginCode), Handler: s.resendOTP, Refused: otp},
		{Method: "GET", Path: "/lang/{lang}", Policy: public(""), Handler: s.setLanguage},
		{Method: "GET", Path: "/logout", Policy: private(""), Handler: s.logoutPage},
		{Method: "POST", Path: "/logout", Policy: private(""), Handler: s.logout},
	}
}

// otpView is the code step's page.
func otpView(r *http.Request) view {
	return view{Title: "web_otp_title", Data: otpForm{Phone: cookieValue(r, phoneCookie)}}
}

type loginForm struct {
	Username string
	Remember bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "web_login_title"}
	f := loginForm{}
	if c, err := r.Cookie(rememberCookie); err == nil {
		if n, err := kyc.ParseClientNumber(c.Value); err == nil {
			f.Username, f.Remember = string(n), true
		}
	}
	switch r.URL.Query().Get("m") {
	case "expired":
		v.Notice = s.Catalogue.Message(lang(r), "web_session_expired", nil)
	case "out":
		v.Notice = s.Catalogue.Message(lang(r), "web_logged_out", nil)
	}
	v.Data = f
	s.render(w, r, http.StatusOK, "login", v)
}

// problem renders the message of a domain error on page, with the status the API would give it; our own faults
// are logged and shown as the generic message.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, page string, v view, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError && kumbara.KindOf(err) != kumbara.KindUnavailable {
		s.logger().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	v.Error = s.Catalogue.Message(lang(r), code, nil)
	s.render(w, r, status, page, v)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	remember := r.PostForm.Get("remember") == "on"
	v := view{Title: "web_login_title", Data: loginForm{Username: username, Remember: remember}}
	if username == "" || r.PostForm.Get("password") == "" {
		s.problem(w, r, "login", v, kumbara.Invalid("validation_failed"))
		return
	}
	r = webClient(r)
	ch, err := s.Auth.Login(r.Context(), username, r.PostForm.Get("password"))
	if err != nil {
		s.problem(w, r, "login", v, err)
		return
	}
	if n, err := kyc.ParseClientNumber(username); remember && err == nil {
		s.setCookie(w, rememberCookie, string(n), 90*24*time.Hour)
	} else if !remember {
		s.clearCookie(w, rememberCookie)
	}
	s.setCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	s.setCookie(w, phoneCookie, ch.MaskedPhone, 10*time.Minute)
	http.Redirect(w, r, "/login/otp", http.StatusSeeOther)
}

type otpForm struct {
	Phone string
}

func (s *Server) otpPage(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(challengeCookie); err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	v := view{Title: "web_otp_title", Data: otpForm{Phone: cookieValue(r, phoneCookie)}}
	if r.URL.Query().Get("m") == "resent" {
		v.Notice = s.Catalogue.Message(lang(r), "web_otp_resent", nil)
	}
	s.render(w, r, http.StatusOK, "otp", v)
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

func (s *Server) verifyOTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	challenge := cookieValue(r, challengeCookie)
	if challenge == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	v := view{Title: "web_otp_title", Data: otpForm{Phone: cookieValue(r, phoneCookie)}}
	code := strings.TrimSpace(r.PostForm.Get("otp"))
	if code == "" {
		s.problem(w, r, "otp", v, kumbara.Invalid("field_required"))
		return
	}
	r = webClient(r)
	token, sess, err := s.Auth.VerifyOTP(r.Context(), challenge, code)
	if err == nil {
		err = s.noteBrowserLogin(w, r, sess)
	}
	if err != nil {
		s.problem(w, r, "otp", v, err)
		return
	}
	// A new login replaces whatever session this browser had: the old one ends rather than lingering.
	if old := s.sessionToken(r); old != "" {
		if err := s.Auth.Logout(r.Context(), old); err != nil {
			s.logger().Error("end previous session", slog.String("error", err.Error()))
		}
	}
	s.clearCookie(w, challengeCookie)
	s.clearCookie(w, phoneCookie)
	// A browser-session cookie: the server's idle timeout and lifetime decide how long it is good for.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/summary", http.StatusSeeOther)
}

func (s *Server) resendOTP(w http.ResponseWriter, r *http.Request) {
	challenge := cookieValue(r, challengeCookie)
	if challenge == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	r = webClient(r)
	ch, err := s.Auth.Resend(r.Context(), challenge)
	if err != nil {
		if errors.Is(err, auth.ErrChallengeNotFound) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		s.problem(w, r, "otp", view{Title: "web_otp_title", Data: otpForm{Phone: cookieValue(r, phoneCookie)}}, err)
		return
	}
	s.setCookie(w, challengeCookie, ch.ID, 10*time.Minute)
	http.Redirect(w, r, "/login/otp?m=resent", http.StatusSeeOther)
}

func (s *Server) logoutPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "logout", view{Title: "web_logout_title"})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(r.Context(), sessionOf(r).token); err != nil {
		s.logger().Error("logout", slog.String("error", err.Error()))
	}
	s.clearCookie(w, s.sessionCookieName())
	http.Redirect(w, r, "/login?m=out", http.StatusSeeOther)
}
