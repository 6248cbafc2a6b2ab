package backoffice

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

// The way in and out: the username and password (staff.Login), then the TOTP code (staff.Verify) or one of the
// member's passkeys (passkeys.go), the password change a member whose password the bank set must make first
// (staff.ChangePassword), the logout, the language and keeping a session while someone is at work in a page. The
// login's steps and the password change spend the staff_login budget; the domain counts every failure towards the
// member's lockout besides.
func (s *Server) loginRoutes() []Route {
	return []Route{
		{Method: "GET", Path: loginPath, Policy: Public(""), Handler: s.loginPage},
		{Method: "POST", Path: loginPath, Policy: Public(httpx.StaffLogin), Handler: s.login},
		{Method: "GET", Path: codePath, Policy: Public(""), Handler: s.codePage},
		{Method: "POST", Path: codePath, Policy: Public(httpx.StaffLogin), Handler: s.verify},
		{Method: "GET", Path: Prefix + "/logout", Policy: Signed(""), Handler: s.logoutPage},
		{Method: "POST", Path: Prefix + "/logout", Policy: Signed(""), Handler: s.logout},
		{Method: "GET", Path: passwordPath, Policy: Signed(""), Handler: s.passwordPage},
		{Method: "POST", Path: passwordPath, Policy: Signed(httpx.StaffLogin), Handler: s.changePassword},
		{Method: "GET", Path: Prefix + "/lang/{lang}", Policy: Public(""), Handler: s.setLanguage},
		{Method: "POST", Path: Prefix + "/session/extend", Policy: Signed(""), Handler: s.extend},
	}
}

// loginForm is what the login page shows again after a refusal.
type loginForm struct{ Username string }

// loginNotices are the login page's notices by its m parameter: why the member is here.
var loginNotices = map[string]string{
	"expired": "staff_session_expired",
	"out":     "web_bo_logged_out",
}

// loginPage asks for the username and password; a member already signed in goes home.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if m := MemberOf(s.current(r)); m.ID != "" {
		http.Redirect(w, r, homePath, http.StatusSeeOther)
		return
	}
	v := View{Title: "web_bo_login_title", Data: loginForm{}}
	if key, ok := loginNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.render(w, r, http.StatusOK, "login", v)
}

// parseForm reads a posted form within the route's body limit; one that cannot be read is the error page.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "validation_failed")
		return false
	}
	return true
}

// login checks the username and password and awaits the TOTP code, the step's token kept in a cookie of the
// login's own. A refusal (staff_login_failed, staff_locked, staff_inactive) is shown on the form.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	v := View{Title: "web_bo_login_title", Data: loginForm{Username: username}}
	step, err := s.Staff.Login(r.Context(), username, r.PostForm.Get("password"))
	if err != nil {
		s.problem(w, r, "login", v, err)
		return
	}
	s.setCookie(w, stepCookie, step.Token, loginPath, s.Staff.Config.StepValidity)
	http.Redirect(w, r, codePath, http.StatusSeeOther)
}

// codeData is the code page: whether it offers a passkey instead of the code (the bank has staff passkeys).
type codeData struct{ Passkeys bool }

// codeView is the code page's view, its problem or notice to be added.
func (s *Server) codeView() View {
	return View{Title: "web_bo_code_title", Data: codeData{Passkeys: s.Staff.Passkeys != nil}}
}

// codePage asks for the TOTP code of a login whose password was right, or one of the member's passkeys instead
// (passkeys.go); without such a login it is the login page.
func (s *Server) codePage(w http.ResponseWriter, r *http.Request) {
	if core.CookieValue(r, stepCookie) == "" {
		http.Redirect(w, r, loginPath, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "code", s.codeView())
}

// verify completes the login with the TOTP code and opens the staff session. A wrong or used code is shown on the
// code page, where another may be typed; a login that lapsed, or a member it locked out, starts again at the login
// page, which says why.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	sess, err := s.Staff.Verify(r.Context(), core.CookieValue(r, stepCookie), strings.TrimSpace(r.PostForm.Get("code")))
	switch {
	case err == nil:
		s.clearCookie(w, stepCookie, loginPath)
		s.openSession(w, r, sess)
		http.Redirect(w, r, homePath, http.StatusSeeOther)
	case errors.Is(err, staff.ErrCodeInvalid):
		s.problem(w, r, "code", s.codeView(), err)
	case errors.Is(err, staff.ErrStepInvalid), errors.Is(err, staff.ErrLocked), errors.Is(err, staff.ErrInactive):
		s.clearCookie(w, stepCookie, loginPath)
		s.problem(w, r, "login", View{Title: "web_bo_login_title", Data: loginForm{}}, err)
	default:
		s.problem(w, r, "code", s.codeView(), err)
	}
}

// logoutPage asks before logging out: a link (the menu's) must not end a session by itself.
func (s *Server) logoutPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "logout", View{Title: "web_bo_logout_title"})
}

// logout ends the member's session and goes to the login page, which says so.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Staff.Logout(r.Context(), tokenOf(r)); err != nil {
		s.Log().Error("staff logout", slog.String("error", err.Error()))
	}
	s.clearCookie(w, sessionCookie, Prefix)
	http.Redirect(w, r, loginPath+"?m=out", http.StatusSeeOther)
}

// passwordForm is the password change's page: the rules (the core's password-rules partial, at the staff
// policy's length) and which fields the last refusal was about.
type passwordForm struct {
	Forced               bool // the bank set the password: nothing else opens until it is changed
	MinLength, MaxLength int
	Live, OnSave         []core.PasswordRule
	Broken               []string // the rules a refused password broke, in words
}

// newPasswordForm lists the staff password rules with those broken marked: the customers' rules (password.Rules),
// whose length rule reads the staff policy's minimum.
func (s *Server) newPasswordForm(r *http.Request, broken map[string]bool) passwordForm {
	// The staff policy's own length rule is the customers' length rule at a longer minimum: shown as that one.
	if broken[staff.ErrPasswordTooShort.Code] {
		broken[password.CodeLength] = true
	}
	f := passwordForm{Forced: MemberOf(r).MustChangePassword, MinLength: staff.MinPasswordLength,
		MaxLength: password.MaxLength}
	live, onSave := s.site.PasswordRules(r, broken)
	// The customers' rules as the staff policy words them: its own length, the username and name as the personal
	// data, and no birth date, which the bank does not keep for staff ("" leaves a rule out).
	staffTexts := map[string]string{
		password.CodeLength: s.message(r, "password_length", map[string]string{
			"min": strconv.Itoa(f.MinLength), "max": strconv.Itoa(f.MaxLength)}),
		password.CodePersonalData: s.message(r, "web_bo_rule_personal", nil),
		password.CodeBirthDate:    "",
	}
	f.Live, f.OnSave = staffRules(live, staffTexts), staffRules(onSave, staffTexts)
	return f
}

// staffRules are rules with the texts of texts by code; a rule whose text there is empty is left out.
func staffRules(rules []core.PasswordRule, texts map[string]string) []core.PasswordRule {
	var out []core.PasswordRule
	for _, rule := range rules {
		text, ok := texts[rule.Code]
		switch {
		case !ok:
		case text == "":
			continue
		default:
			rule.Text = text
		}
		out = append(out, rule)
	}
	return out
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", View{Title: "web_bo_password_title", Data: s.newPasswordForm(r, nil)})
}

// changePassword replaces the member's password under the staff policy, each refusal beside its field: a field
// left empty, the two new ones not the same (checked before the current password, so a slip costs no attempt
// towards the lockout), the current password wrong, or the rules the new one breaks. A wrong current password at
// the lockout ends the session, and the login page says why.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	current, next, confirm := r.PostForm.Get("current_password"), r.PostForm.Get("new_password"),
		r.PostForm.Get("confirm_password")
	v := View{Title: "web_bo_password_title", Data: s.newPasswordForm(r, nil)}
	if missing := emptyFields(map[string]string{"current_password": current, "new_password": next,
		"confirm_password": confirm}); len(missing) > 0 {
		s.problem(w, r, "password", v, kumbara.ErrValidationFailed.WithFields(missing...))
		return
	}
	if next != confirm {
		v.Data = s.newPasswordForm(r, map[string]bool{core.RuleMatch: true})
		v.Error = s.message(r, "web_bo_password_mismatch", nil)
		v.Fields = map[string]string{"confirm_password": v.Error}
		s.render(w, r, http.StatusBadRequest, "password", v)
		return
	}
	err := s.Staff.ChangePassword(r.Context(), MemberOf(r).ID, current, next)
	switch {
	case err == nil:
		http.Redirect(w, r, homePath+"?m=password_changed", http.StatusSeeOther)
		return
	case errors.Is(err, staff.ErrLocked):
		s.clearCookie(w, sessionCookie, Prefix)
		r = r.WithContext(context.WithValue(r.Context(), memberKey{}, signedIn{})) // the page is a signed-out one now
		s.problem(w, r, "login", View{Title: "web_bo_login_title", Data: loginForm{}}, err)
		return
	case errors.Is(err, staff.ErrLoginFailed):
		v.Fields = map[string]string{"current_password": s.message(r, "web_bo_password_current_wrong", nil)}
	case errors.Is(err, password.ErrPolicy):
		broken, texts := s.site.BrokenRules(r, err)
		f := s.newPasswordForm(r, broken)
		f.Broken = texts
		v.Data = f
		v.Fields = map[string]string{"new_password": strings.Join(texts, " ")}
		v.Error = s.site.ProblemText(r, err)
		s.render(w, r, http.StatusBadRequest, "password", v)
		return
	}
	s.problem(w, r, "password", v, err)
}

// emptyFields are field_required for each of fields left empty, in the order of the form's names.
func emptyFields(fields map[string]string) []kumbara.FieldError {
	var out []kumbara.FieldError
	for _, name := range []string{"current_password", "new_password", "confirm_password"} {
		if v, ok := fields[name]; ok && v == "" {
			out = append(out, kumbara.ErrFieldRequired.At(name))
		}
	}
	return out
}

// setLanguage remembers the language chosen, in the same cookie as the internet branch (one choice for the
// browser), and goes back to the page it was chosen on, within the back office.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "sq" && l != "en" {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	s.site.SetCookie(w, "lang", l, 365*24*time.Hour)
	next := core.LocalPath(r.URL.Query().Get("next"))
	if next != Prefix && !strings.HasPrefix(next, Prefix+"/") {
		next = homePath
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// extend keeps the session while someone is at work in a page (backoffice.js, or the idle dialog's form without
// a script): passing the session gate is what records its use, so there is nothing else to do.
func (s *Server) extend(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	next := core.LocalPath(r.PostForm.Get("next"))
	if !strings.HasPrefix(next, Prefix+"/") {
		next = homePath
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
