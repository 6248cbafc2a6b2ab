package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/passkey"
)

// Passkeys on the web (issue 4 item 6): the profile lists them, adds one (password again, then the browser's
// WebAuthn prompt) and removes one after a confirmation; the login page offers "Hyr me passkey". The WebAuthn
// ceremonies need the browser's JavaScript API, so their steps are small JSON exchanges with passkeys.js; the
// list and the removal are plain pages and forms.
const passkeysPath = "/profile/passkeys"

// maxPasskeyJSON bounds the JSON a passkey step may post: an authenticator's response and a few fields.
const maxPasskeyJSON = passkey.MaxResponse + 4<<10

// passkeyStep is p for a step of a passkey ceremony: a JSON body of up to maxPasskeyJSON.
func passkeyStep(p httpx.Policy) httpx.Policy {
	p.MaxBody = maxPasskeyJSON
	return p
}

func (s *Server) passkeyRoutes() []Route {
	return []Route{
		{Method: "GET", Path: passkeysPath, Policy: personalOnly(""), Handler: s.passkeysPage},
		{Method: "POST", Path: passkeysPath + "/begin", Policy: passkeyStep(personalOnly(httpx.DeviceFactor)), Handler: s.passkeyRegisterBegin},
		{Method: "POST", Path: passkeysPath + "/finish", Policy: passkeyStep(personalOnly(httpx.DeviceFactor)), Handler: s.passkeyRegisterFinish},
		{Method: "GET", Path: passkeysPath + "/{id}/remove", Policy: personalOnly(""), Handler: s.passkeyRemovePage},
		{Method: "POST", Path: passkeysPath + "/{id}/remove", Policy: personalOnly(""), Handler: s.passkeyRemove},
		{Method: "POST", Path: "/login/passkey/begin", Policy: passkeyStep(public(httpx.DeviceFactor)), Handler: s.passkeyLoginBegin},
		{Method: "POST", Path: "/login/passkey/finish", Policy: passkeyStep(public(httpx.DeviceFactor)), Handler: s.passkeyLoginFinish},
	}
}

type passkeyRow struct {
	ID, Name, Created, LastUsed string
}

type passkeysData struct {
	Passkeys []passkeyRow
	Max      int
}

// pkTime formats a moment in the bank's zone, the date the page's way and then the time.
func pkTime(t time.Time, l i18n.Lang) string {
	return i18n.FormatDate(t, l) + " " + t.In(clock.Tirane).Format("15:04")
}

func (s *Server) passkeysPage(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	list, err := s.Passkeys.List(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	l := lang(r)
	d := passkeysData{Max: passkey.MaxPerCustomer}
	for _, p := range list {
		row := passkeyRow{ID: p.ID, Name: p.Name, Created: pkTime(p.CreatedAt, l),
			LastUsed: s.Catalogue.Message(l, "web_pk_never", nil)}
		if !p.LastUsedAt.IsZero() {
			row.LastUsed = pkTime(p.LastUsedAt, l)
		}
		d.Passkeys = append(d.Passkeys, row)
	}
	v := view{Title: "web_pk_title", Data: d}
	switch r.URL.Query().Get("m") {
	case "added":
		v.Notice = s.Catalogue.Message(l, "web_pk_added", nil)
	case "removed":
		v.Notice = s.Catalogue.Message(l, "web_pk_removed", nil)
	}
	s.render(w, r, http.StatusOK, "passkeys", v)
}

// pkJSON answers a passkey step.
func pkJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type pkProblem struct {
	Code  string `json:"code"`
	Error string `json:"error"`
}

// pkFail answers a failed passkey step with the translated message of its code; our own faults are logged and
// answered with the generic message.
func (s *Server) pkFail(w http.ResponseWriter, r *http.Request, err error) {
	code, status := kumbara.CodeOf(err), httpx.StatusOf(kumbara.KindOf(err))
	if status >= http.StatusInternalServerError && kumbara.KindOf(err) != kumbara.KindUnavailable {
		s.logger().Error("passkey", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	pkJSON(w, status, pkProblem{Code: code, Error: s.Catalogue.Message(lang(r), code, nil)})
}

type pkCeremony struct {
	Ceremony string          `json:"ceremony"`
	Options  json.RawMessage `json:"options"`
}

func (s *Server) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	var in struct {
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.pkFail(w, r, err)
		return
	}
	// The name is checked before the password and the prompt, so a slip in it costs neither.
	if _, err := passkey.CleanName(in.Name); err != nil {
		s.pkFail(w, r, err)
		return
	}
	if in.Password == "" {
		s.pkFail(w, r, kumbara.Invalid("field_required", kumbara.FieldError{Field: "password", Code: "field_required"}))
		return
	}
	sess := sessionOf(r)
	opts, id, err := s.Passkeys.BeginRegistration(r.Context(), sess.Session, in.Password)
	if errors.Is(err, auth.ErrChannelBlocked) {
		// The wrong password reached the lockout: this session ends too, as on the password change.
		if err := s.Auth.Logout(r.Context(), sess.token); err != nil {
			s.logger().Error("logout", slog.String("error", err.Error()))
		}
		s.clearCookie(w, s.sessionCookieName())
	}
	if err != nil {
		s.pkFail(w, r, err)
		return
	}
	pkJSON(w, http.StatusOK, pkCeremony{Ceremony: id, Options: opts})
}

type pkFinish struct {
	Ceremony   string          `json:"ceremony"`
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

type pkDone struct {
	Redirect string `json:"redirect"`
}

func (s *Server) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	var in pkFinish
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.pkFail(w, r, err)
		return
	}
	if _, err := s.Passkeys.FinishRegistration(r.Context(), sessionOf(r).CustomerID, in.Ceremony, in.Name,
		in.Credential); err != nil {
		s.pkFail(w, r, err)
		return
	}
	pkJSON(w, http.StatusOK, pkDone{Redirect: passkeysPath + "?m=added"})
}

func (s *Server) passkeyRemovePage(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	p, err := s.Passkeys.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	l := lang(r)
	s.render(w, r, http.StatusOK, "passkey_remove", view{Title: "web_pk_remove_title",
		Data: passkeyRow{ID: p.ID, Name: p.Name, Created: pkTime(p.CreatedAt, l)}})
}

func (s *Server) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	if err := s.Passkeys.Remove(r.Context(), sessionOf(r).CustomerID, r.PathValue("id")); err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, passkeysPath+"?m=removed", http.StatusSeeOther)
}

func (s *Server) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	opts, id, err := s.Passkeys.BeginLogin(r.Context())
	if err != nil {
		s.pkFail(w, r, err)
		return
	}
	pkJSON(w, http.StatusOK, pkCeremony{Ceremony: id, Options: opts})
}

func (s *Server) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.pkFail(w, r, &kumbara.Error{Kind: kumbara.KindNotFound, Code: "not_found"})
		return
	}
	var in struct {
		Ceremony   string          `json:"ceremony"`
		Credential json.RawMessage `json:"credential"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.pkFail(w, r, err)
		return
	}
	r = webClient(r)
	token, sess, err := s.Passkeys.FinishLogin(r.Context(), in.Ceremony, in.Credential)
	if err == nil {
		err = s.noteBrowserLogin(w, r, sess)
	}
	if err != nil {
		s.pkFail(w, r, err)
		return
	}
	s.openWebSession(w, r, token)
	pkJSON(w, http.StatusOK, pkDone{Redirect: "/summary"})
}

// openWebSession gives the browser the session cookie of a new login, ending the browser's previous session, as
// the password-and-code login does (web/login.go). The session gate then sends a session whose password must change,
// or a customer who has not accepted the current terms, to those pages first.
func (s *Server) openWebSession(w http.ResponseWriter, r *http.Request, token string) {
	if old := s.sessionToken(r); old != "" {
		if err := s.Auth.Logout(context.WithoutCancel(r.Context()), old); err != nil {
			s.logger().Error("end previous session", slog.String("error", err.Error()))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}
