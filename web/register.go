package web

import (
	"net/http"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
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
				return view{Title: "web_reg_title", Data: newProofForm()}
			})},
		{Method: "GET", Path: "/register/complete", Policy: public(""), Handler: s.registerCompletePage},
		{Method: "POST", Path: "/register/complete", Policy: public(httpx.Registration), Handler: s.registerComplete,
			Refused: s.refusedOn("register_complete", s.completeView)},
	}
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", view{Title: "web_reg_title",
		Data: newProofForm()})
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	f, p, err := readProof(r)
	v := view{Title: "web_reg_title", Data: f}
	if err != nil {
		s.problem(w, r, "register", v, err)
		return
	}
	ch, err := s.Registration.Start(r.Context(), f.Username, p)
	if err != nil {
		s.problem(w, r, "register", v, err)
		return
	}
	s.continueToCode(w, r, registrationCookie, regPhoneCookie, ch.ID, ch.MaskedPhone, ch.ExpiresIn, "/register/complete")
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
	code, pw, match := readCompletion(r)
	if !match {
		v.Error = s.Catalogue.Message(lang(r), "web_reg_password_mismatch", nil)
		s.render(w, r, http.StatusUnprocessableEntity, "register_complete", v)
		return
	}
	if err := s.Registration.Complete(r.Context(), id, code, pw); err != nil {
		s.problem(w, r, "register_complete", v, err)
		return
	}
	s.clearCookie(w, registrationCookie)
	s.clearCookie(w, regPhoneCookie)
	s.render(w, r, http.StatusOK, "register_complete", view{Title: "web_reg_complete_title",
		Data: registerCompleteForm{Done: true}})
}
