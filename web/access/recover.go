package access

import (
	"net/http"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/web/core"
)

// Forgotten password (A8, A10): proof of identity with a card or the branch's recovery code, then the SMS code and
// the new password twice. The ID document way (A9) needs the chip read by NFC, which only the app can do.
const (
	recoveryCookie      = "kumbara_recovery"
	recoveryPhoneCookie = "kumbara_rec_phone"
)

func (s *area) recoverRoutes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: "/recover", Policy: core.Public(""), Handler: s.recoverPage},
		{Method: "POST", Path: "/recover", Policy: core.Public(httpx.Recovery), Handler: s.recover,
			Refused: s.RefusedOn("recover", func(*http.Request) core.View {
				return core.View{Title: "web_rec_title", Data: newProofForm("rec")}
			})},
		{Method: "GET", Path: "/recover/complete", Policy: core.Public(""), Handler: s.recoverCompletePage},
		{Method: "POST", Path: "/recover/complete", Policy: core.Public(httpx.Recovery), Handler: s.recoverComplete,
			Refused: s.RefusedOn("recover_complete", func(r *http.Request) core.View { return s.recoverCompleteView(r, nil, nil) })},
	}
}

func (s *area) recoverPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "recover", core.View{Title: "web_rec_title", Data: newProofForm("rec")})
}

func (s *area) recover(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	f, p, err := readProof(r, "rec")
	v := core.View{Title: "web_rec_title", Data: f}
	if err != nil {
		s.Problem(w, r, "recover", v, err)
		return
	}
	ch, err := s.Recovery.Start(r.Context(), f.Username, p)
	if err != nil {
		s.Problem(w, r, "recover", v, err)
		return
	}
	s.continueToCode(w, r, recoveryCookie, recoveryPhoneCookie, ch.ID, ch.MaskedPhone, ch.ExpiresIn, "/recover/complete")
}

type recoverCompleteForm struct {
	Phone string
	// The password rules, as on the profile's password page: Live ones are checked as the customer types
	// (profile.js), OnSave ones by the server.
	Live, OnSave         []core.PasswordRule
	Broken               []string
	MinLength, MaxLength int
	Done                 bool
}

func (s *area) recoverCompleteView(r *http.Request, broken map[string]bool, texts []string) core.View {
	live, onSave := s.PasswordRules(r, broken)
	return core.View{Title: "web_rec_complete_title", Data: recoverCompleteForm{Phone: core.CookieValue(r, recoveryPhoneCookie),
		Live: live, OnSave: onSave, Broken: texts, MinLength: password.MinLength, MaxLength: password.MaxLength}}
}

func (s *area) recoverCompletePage(w http.ResponseWriter, r *http.Request) {
	if core.CookieValue(r, recoveryCookie) == "" {
		http.Redirect(w, r, "/recover", http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "recover_complete", s.recoverCompleteView(r, nil, nil))
}

func (s *area) recoverComplete(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	id := core.CookieValue(r, recoveryCookie)
	if id == "" {
		http.Redirect(w, r, "/recover", http.StatusSeeOther)
		return
	}
	code, pw, match := readCompletion(r)
	if !match {
		// Checked first, so a typing slip costs none of the code's tries.
		v := s.recoverCompleteView(r, map[string]bool{core.RuleMatch: true}, nil)
		v.Error = s.Catalogue.Message(core.Lang(r), "web_rec_password_mismatch", nil)
		s.Render(w, r, http.StatusUnprocessableEntity, "recover_complete", v)
		return
	}
	r = core.WebClient(r)
	err := s.Recovery.Complete(r.Context(), id, code, pw)
	if err != nil {
		broken, texts := s.BrokenRules(r, err)
		s.Problem(w, r, "recover_complete", s.recoverCompleteView(r, broken, texts), err)
		return
	}
	s.ClearCookie(w, recoveryCookie)
	s.ClearCookie(w, recoveryPhoneCookie)
	s.Render(w, r, http.StatusOK, "recover_complete", core.View{Title: "web_rec_complete_title",
		Data: recoverCompleteForm{Done: true}})
}
