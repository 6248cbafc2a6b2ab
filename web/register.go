package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/registration"
)

// Registration of existing customers for digital banking (R1): proof of identity, then the SMS code and a password.
const (
	registrationCookie = "kumbara_registration"
	regPhoneCookie     = "kumbara_reg_phone"
)

func (s *Server) registerRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/register", Policy: public(""), Handler: s.registerPage},
		{Method: "POST", Path: "/register", Policy: public(httpx.Registration), Handler: s.register,
			Refused: s.refusedOn("register", func(*http.Request) view {
				return view{Title: "web_reg_title", Data: proofForm{Method: registration.MethodCard}}
			})},
		{Method: "GET", Path: "/register/complete", Policy: public(""), Handler: s.registerCompletePage},
		{Method: "POST", Path: "/register/complete", Policy: public(httpx.Registration), Handler: s.registerComplete,
			Refused: s.refusedOn("register_complete", s.completeView)},
	}
}

// proofForm is the first step of registration and of password recovery alike: who the customer is, and the card
// or branch code that proves it. It keeps what the customer typed, except the PIN, which is never sent back.
type proofForm struct {
	Username string
	Method   string
	CardType string
	Last6    string
	Code     string
}

// continueToCode remembers a started registration or recovery (its id and the masked phone) in cookies that last
// as long as its SMS code, and goes on to the page that takes the code.
func (s *Server) continueToCode(w http.ResponseWriter, r *http.Request, idCookie, phoneCookie, id, phone string,
	life time.Duration, next string) {
	if life <= 0 {
		life = 10 * time.Minute
	}
	s.setCookie(w, idCookie, id, life)
	s.setCookie(w, phoneCookie, phone, life)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", view{Title: "web_reg_title",
		Data: proofForm{Method: registration.MethodCard}})
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	f := proofForm{
		Username: strings.TrimSpace(r.PostForm.Get("username")),
		Method:   r.PostForm.Get("method"),
		CardType: r.PostForm.Get("card_type"),
		Last6:    strings.TrimSpace(r.PostForm.Get("last6")),
		Code:     strings.TrimSpace(r.PostForm.Get("code")),
	}
	v := view{Title: "web_reg_title", Data: f}
	if f.Username == "" {
		s.problem(w, r, "register", v, kumbara.Invalid("validation_failed"))
		return
	}
	p := registration.Proof{Code: f.Code}
	if f.Method == registration.MethodCard {
		p = registration.Proof{CardType: f.CardType, Last6: f.Last6, PIN: r.PostForm.Get("pin")}
	}
	st, err := s.Registration.Start(r.Context(), f.Username, f.Method, p)
	if err != nil {
		s.problem(w, r, "register", v, err)
		return
	}
	s.continueToCode(w, r, registrationCookie, regPhoneCookie, st.ID, st.MaskedPhone, st.ExpiresIn, "/register/complete")
}

type registerCompleteForm struct {
	Phone string
	Rules []password.Rule
	Done  bool
}

func (s *Server) completeView(r *http.Request) view {
	return view{Title: "web_reg_complete_title", Data: registerCompleteForm{Phone: cookieValue(r, regPhoneCookie),
		Rules: password.Rules(string(lang(r)))}}
}

func (s *Server) registerCompletePage(w http.ResponseWriter, r *http.Request) {
	if cookieValue(r, registrationCookie) == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "register_complete", s.completeView(r))
}

func (s *Server) registerComplete(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	id := cookieValue(r, registrationCookie)
	if id == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	v := s.completeView(r)
	pw := r.PostForm.Get("new_password")
	if pw != r.PostForm.Get("confirm_password") {
		v.Error = s.Catalogue.Message(lang(r), "web_reg_password_mismatch", nil)
		s.render(w, r, http.StatusUnprocessableEntity, "register_complete", v)
		return
	}
	if err := s.Registration.Complete(r.Context(), id, strings.TrimSpace(r.PostForm.Get("otp")), pw); err != nil {
		s.problem(w, r, "register_complete", v, err)
		return
	}
	s.clearCookie(w, registrationCookie)
	s.clearCookie(w, regPhoneCookie)
	s.render(w, r, http.StatusOK, "register_complete", view{Title: "web_reg_complete_title",
		Data: registerCompleteForm{Done: true}})
}
