package access

import (
	"net/http"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/web/core"
)

// Registration of existing customers for digital banking (R1): proof of identity, then the SMS code and a password.
const (
	registrationCookie      = "kumbara_registration"
	registrationPhoneCookie = "kumbara_reg_phone"
)

func (s *area) registerRoutes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: "/register", Policy: core.Public(""), Handler: s.registerPage},
		{Method: "POST", Path: "/register", Policy: core.Public(httpx.Registration), Handler: s.register,
			Refused: s.RefusedOn("register", func(*http.Request) core.View {
				return core.View{Title: "web_reg_title", Data: newProofForm("reg")}
			})},
		{Method: "GET", Path: "/register/complete", Policy: core.Public(""), Handler: s.registerCompletePage},
		{Method: "POST", Path: "/register/complete", Policy: core.Public(httpx.Registration), Handler: s.registerComplete,
			Refused: s.RefusedOn("register_complete", s.completeView)},
	}
}

func (s *area) registerPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "register", core.View{Title: "web_reg_title",
		Data: newProofForm("reg")})
}

func (s *area) register(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	f, p, err := readProof(r, "reg")
	v := core.View{Title: "web_reg_title", Data: f}
	if err != nil {
		s.Problem(w, r, "register", v, err)
		return
	}
	ch, err := s.Registration.Start(r.Context(), f.Username, p)
	if err != nil {
		s.Problem(w, r, "register", v, err)
		return
	}
	s.continueToCode(w, r, registrationCookie, registrationPhoneCookie, ch.ID, ch.MaskedPhone, ch.ExpiresIn, "/register/complete")
}

type registerCompleteForm struct {
	Phone string
	Rules []password.Rule
	Done  bool
}

func (s *area) completeView(r *http.Request) core.View {
	return core.View{Title: "web_reg_complete_title", Data: registerCompleteForm{Phone: core.CookieValue(r, registrationPhoneCookie),
		Rules: password.Rules(string(core.Lang(r)))}}
}

func (s *area) registerCompletePage(w http.ResponseWriter, r *http.Request) {
	if core.CookieValue(r, registrationCookie) == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "register_complete", s.completeView(r))
}

func (s *area) registerComplete(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	id := core.CookieValue(r, registrationCookie)
	if id == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	v := s.completeView(r)
	code, pw, match := readCompletion(r)
	if !match {
		v.Error = s.Catalogue.Message(core.Lang(r), "web_reg_password_mismatch", nil)
		s.Render(w, r, http.StatusUnprocessableEntity, "register_complete", v)
		return
	}
	if err := s.Registration.Complete(r.Context(), id, code, pw); err != nil {
		s.Problem(w, r, "register_complete", v, err)
		return
	}
	s.ClearCookie(w, registrationCookie)
	s.ClearCookie(w, registrationPhoneCookie)
	s.Render(w, r, http.StatusOK, "register_complete", core.View{Title: "web_reg_complete_title",
		Data: registerCompleteForm{Done: true}})
}
