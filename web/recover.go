package web

import (
	"errors"
	"net/http"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
)

// Forgotten password (A8, A10): proof of identity with a card or the branch's recovery code, then the SMS code and
// the new password twice. The ID document way (A9) needs the chip read by NFC, which only the app can do.
const (
	recoveryCookie = "kumbara_recovery"
	recPhoneCookie = "kumbara_rec_phone"
)

func (s *Server) recoverRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/recover", Policy: public(""), Handler: s.recoverPage},
		{Method: "POST", Path: "/recover", Policy: public(httpx.Recovery), Handler: s.recover,
			Refused: s.refusedOn("recover", func(*http.Request) view {
				return view{Title: "web_rec_title", Data: newProofForm()}
			})},
		{Method: "GET", Path: "/recover/complete", Policy: public(""), Handler: s.recoverCompletePage},
		{Method: "POST", Path: "/recover/complete", Policy: public(httpx.Recovery), Handler: s.recoverComplete,
			Refused: s.refusedOn("recover_complete", func(r *http.Request) view { return s.recoverCompleteView(r, nil, nil) })},
	}
}

func (s *Server) recoverPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "recover", view{Title: "web_rec_title", Data: newProofForm()})
}

func (s *Server) recover(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	f, p, err := readProof(r)
	v := view{Title: "web_rec_title", Data: f}
	if err != nil {
		s.problem(w, r, "recover", v, err)
		return
	}
	ch, err := s.Recovery.Start(r.Context(), f.Username, p)
	if err != nil {
		s.problem(w, r, "recover", v, err)
		return
	}
	s.continueToCode(w, r, recoveryCookie, recPhoneCookie, ch.ID, ch.MaskedPhone, ch.ExpiresIn, "/recover/complete")
}

type recoverCompleteForm struct {
	Phone string
	// The password rules, as on the profile's password page: Live ones are checked as the customer types
	// (profile.js), OnSave ones by the server.
	Live, OnSave         []pwRule
	Broken               []string
	MinLength, MaxLength int
	Done                 bool
}

func (s *Server) recoverCompleteView(r *http.Request, broken map[string]bool, texts []string) view {
	pf := s.prPasswordForm(r, broken)
	return view{Title: "web_rec_complete_title", Data: recoverCompleteForm{Phone: cookieValue(r, recPhoneCookie),
		Live: pf.Live, OnSave: pf.OnSave, Broken: texts, MinLength: pf.MinLength, MaxLength: pf.MaxLength}}
}

func (s *Server) recoverCompletePage(w http.ResponseWriter, r *http.Request) {
	if cookieValue(r, recoveryCookie) == "" {
		http.Redirect(w, r, "/recover", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "recover_complete", s.recoverCompleteView(r, nil, nil))
}

func (s *Server) recoverComplete(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	id := cookieValue(r, recoveryCookie)
	if id == "" {
		http.Redirect(w, r, "/recover", http.StatusSeeOther)
		return
	}
	code, pw, match := readCompletion(r)
	if !match {
		// Checked first, so a typing slip costs none of the code's tries.
		v := s.recoverCompleteView(r, map[string]bool{pwRuleMatch: true}, nil)
		v.Error = s.Catalogue.Message(lang(r), "web_rec_password_mismatch", nil)
		s.render(w, r, http.StatusUnprocessableEntity, "recover_complete", v)
		return
	}
	r = webClient(r)
	err := s.Recovery.Complete(r.Context(), id, code, pw)
	if err != nil {
		var broken map[string]bool
		var texts []string
		if e, ok := kumbara.As(err); ok && errors.Is(err, password.ErrPolicy) {
			broken = map[string]bool{}
			for _, fe := range e.Fields {
				broken[fe.Code] = true
				texts = append(texts, s.Catalogue.Message(lang(r), fe.Code, nil))
			}
		}
		s.problem(w, r, "recover_complete", s.recoverCompleteView(r, broken, texts), err)
		return
	}
	s.clearCookie(w, recoveryCookie)
	s.clearCookie(w, recPhoneCookie)
	s.render(w, r, http.StatusOK, "recover_complete", view{Title: "web_rec_complete_title",
		Data: recoverCompleteForm{Done: true}})
}
