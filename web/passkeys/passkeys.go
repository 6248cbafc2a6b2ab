// Package passkeys is the passkeys of the internet branch (issue 4 item 6): the profile lists them, adds one
// (password again, then the browser's WebAuthn prompt) and removes one after a confirmation; the login page offers
// "Hyr me passkey". The WebAuthn ceremonies need the browser's JavaScript API, so their steps are small JSON
// exchanges with passkeys.js; the list and the removal are plain pages and forms.
package passkeys

import (
	"embed"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/web/core"
)

const listPath = "/profile/passkeys"

//go:embed templates/*.html
var templates embed.FS

// Area is the passkeys pages and ceremonies: its pages and routes.
func Area() core.Area {
	return core.Area{Name: "passkeys", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

// area is the passkeys pages' handlers, on the site.
type area struct{ *core.Site }

// routes are the profile's passkeys pages, the ceremonies that add one and the passkey login.
func (s *area) routes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: listPath, Policy: core.PersonalOnly(""), Handler: s.listPage},
		{Method: "POST", Path: listPath + "/begin", Policy: core.PasskeyStep(core.PersonalOnly(httpx.DeviceFactor)), Handler: s.registerBegin},
		{Method: "POST", Path: listPath + "/finish", Policy: core.PasskeyStep(core.PersonalOnly(httpx.DeviceFactor)), Handler: s.registerFinish},
		{Method: "GET", Path: listPath + "/{id}/remove", Policy: core.PersonalOnly(""), Handler: s.removePage},
		{Method: "POST", Path: listPath + "/{id}/remove", Policy: core.PersonalOnly(""), Handler: s.remove},
		{Method: "POST", Path: "/login/passkey/begin", Policy: core.PasskeyStep(core.Public(httpx.DeviceFactor)), Handler: s.loginBegin},
		{Method: "POST", Path: "/login/passkey/finish", Policy: core.PasskeyStep(core.Public(httpx.DeviceFactor)), Handler: s.loginFinish},
	}
}

type passkeyRow struct {
	ID, Name, Created, LastUsed string
}

type passkeysData struct {
	Passkeys []passkeyRow
	Max      int
}

// shownTime formats a moment in the bank's zone, the date the page's way and then the time.
func shownTime(t time.Time, l i18n.Lang) string {
	return i18n.FormatDate(t, l) + " " + t.In(clock.Tirane).Format("15:04")
}

func (s *area) listPage(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	list, err := s.Passkeys.List(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	l := core.Lang(r)
	d := passkeysData{Max: passkey.MaxPerCustomer}
	for _, p := range list {
		row := passkeyRow{ID: p.ID, Name: p.Name, Created: shownTime(p.CreatedAt, l),
			LastUsed: s.Catalogue.Message(l, "web_pk_never", nil)}
		if !p.LastUsedAt.IsZero() {
			row.LastUsed = shownTime(p.LastUsedAt, l)
		}
		d.Passkeys = append(d.Passkeys, row)
	}
	v := core.View{Title: "web_pk_title", Data: d}
	switch r.URL.Query().Get("m") {
	case "added":
		v.Notice = s.Catalogue.Message(l, "web_pk_added", nil)
	case "removed":
		v.Notice = s.Catalogue.Message(l, "web_pk_removed", nil)
	}
	s.Render(w, r, http.StatusOK, "passkeys", v)
}

type ceremony struct {
	Ceremony string          `json:"ceremony"`
	Options  json.RawMessage `json:"options"`
}

func (s *area) registerBegin(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	var in struct {
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	// The name is checked before the password and the prompt, so a slip in it costs neither.
	if _, err := passkey.CleanName(in.Name); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	if in.Password == "" {
		s.FailJSON(w, r, kumbara.ErrFieldRequired.Field("password"))
		return
	}
	sess := core.SessionOf(r)
	opts, id, err := s.Passkeys.BeginRegistration(r.Context(), sess.Session, in.Password)
	if errors.Is(err, auth.ErrChannelBlocked) {
		// The wrong password reached the lockout: this session ends too, as on the password change.
		s.EndSession(w, r)
	}
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, ceremony{Ceremony: id, Options: opts})
}

type finish struct {
	Ceremony   string          `json:"ceremony"`
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

func (s *area) registerFinish(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	var in finish
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	if _, err := s.Passkeys.FinishRegistration(r.Context(), core.SessionOf(r).CustomerID, in.Ceremony, in.Name,
		in.Credential); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, core.JSONRedirect{Redirect: listPath + "?m=added"})
}

func (s *area) removePage(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	p, err := s.Passkeys.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	l := core.Lang(r)
	s.Render(w, r, http.StatusOK, "passkey_remove", core.View{Title: "web_pk_remove_title",
		Data: passkeyRow{ID: p.ID, Name: p.Name, Created: shownTime(p.CreatedAt, l)}})
}

func (s *area) remove(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.ErrorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	if err := s.Passkeys.Remove(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id")); err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, listPath+"?m=removed", http.StatusSeeOther)
}

func (s *area) loginBegin(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	opts, id, err := s.Passkeys.BeginLogin(r.Context())
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, ceremony{Ceremony: id, Options: opts})
}

func (s *area) loginFinish(w http.ResponseWriter, r *http.Request) {
	if s.Passkeys == nil {
		s.FailJSON(w, r, kumbara.ErrNotFound)
		return
	}
	var in struct {
		Ceremony   string          `json:"ceremony"`
		Credential json.RawMessage `json:"credential"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	r = core.WebClient(r)
	token, sess, err := s.Passkeys.FinishLogin(r.Context(), in.Ceremony, in.Credential)
	if err == nil {
		err = s.NoteBrowserLogin(w, r, sess)
	}
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	s.OpenSession(w, r, token)
	core.JSON(w, http.StatusOK, core.JSONRedirect{Redirect: "/summary"})
}
