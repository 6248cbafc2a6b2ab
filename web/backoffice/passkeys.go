package backoffice

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const (
	passkeysPath     = Prefix + "/passkeys"
	loginPasskeyPath = loginPath + "/passkey" // under the login, so the step's cookie comes along
)

// Staff passkeys (staff.*Passkey*): the member's own page of their passkeys (the list, adding one with the
// password typed again, removing one after a confirmation) and, on the login's code page, a passkey instead of
// the TOTP code. The WebAuthn ceremonies need the browser's JavaScript API, so their steps are small JSON exchanges
// with backoffice_passkey.js (web/core/static), as the internet branch's passkeys are with passkeys.js; the list
// and the removal are plain pages and forms.
//
// A member's own passkeys need no permission beyond their session, as their password change does (Signed); like
// every page but that change, they wait until a member whose password the bank set has chosen their own
// (ownPassword). The steps that check a secret — the password typed again, the login's assertion — spend the
// staff_login budget, and every ceremony's step takes a JSON body of up to maxPasskeyJSON.
func (s *Server) passkeyRoutes() []Route {
	own := Signed("")
	return []Route{
		{Method: "GET", Path: passkeysPath, Policy: own, Handler: s.ownPassword(s.passkeysPage)},
		{Method: "POST", Path: passkeysPath + "/begin", Policy: passkeyStep(Signed(httpx.StaffLogin)),
			Handler: s.ownPassword(s.passkeyAddBegin)},
		{Method: "POST", Path: passkeysPath + "/finish", Policy: passkeyStep(Signed(httpx.StaffLogin)),
			Handler: s.ownPassword(s.passkeyAddFinish)},
		{Method: "GET", Path: passkeysPath + "/{id}/remove", Policy: own, Handler: s.ownPassword(s.passkeyRemovePage)},
		{Method: "POST", Path: passkeysPath + "/{id}/remove", Policy: own, Handler: s.ownPassword(s.passkeyRemove)},
		{Method: "POST", Path: loginPasskeyPath + "/begin", Policy: passkeyStep(Public(httpx.StaffLogin)),
			Handler: s.passkeyLoginBegin},
		{Method: "POST", Path: loginPasskeyPath + "/finish", Policy: passkeyStep(Public(httpx.StaffLogin)),
			Handler: s.passkeyLoginFinish},
	}
}

// maxPasskeyJSON bounds what a ceremony's step may post: an authenticator's response and a few fields.
const maxPasskeyJSON = staff.MaxPasskeyResponse + 4<<10

// passkeyStep is p for a step of a passkey ceremony: a JSON body of up to maxPasskeyJSON.
func passkeyStep(p httpx.Policy) httpx.Policy {
	p.MaxBody = maxPasskeyJSON
	return p
}

// ownPassword sends a member whose password the bank set to change it first, as the session gate does for every
// staff page: their own security pages are Signed only because they need no permission.
func (s *Server) ownPassword(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if MemberOf(r).MustChangePassword {
			http.Redirect(w, r, passwordPath, http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// passkeysData is the member's passkeys page.
type passkeysData struct {
	Passkeys  []staff.Passkey
	Available bool // the bank has a relying party: passkeys may be added
	Max       int
}

// passkeysNotices are the passkeys page's notices by its m parameter: what was just done.
var passkeysNotices = map[string]string{
	"added":   "web_bo_pk_added",
	"removed": "web_bo_pk_removed",
}

// passkeysPage lists the member's passkeys and offers to add one; at a bank without passkeys it says so.
func (s *Server) passkeysPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Staff.ListPasskeys(r.Context(), MemberOf(r))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v := View{Title: "web_bo_pk_title", Data: passkeysData{Passkeys: list, Available: s.Staff.Passkeys != nil,
		Max: staff.MaxPasskeys}}
	if key, ok := passkeysNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.render(w, r, http.StatusOK, "passkeys", v)
}

// passkeyCeremony is a ceremony's options for the browser and, when the finish needs it back, its id.
type passkeyCeremony struct {
	Options  json.RawMessage `json:"options"`
	Ceremony string          `json:"ceremony,omitempty"`
}

// passkeyAddBegin checks the password typed again and answers the creation options. A wrong password is said as
// the password change says it (it counts towards the lockout); the one that reaches the lockout ends the member's
// sessions, this one's cookie with them.
func (s *Server) passkeyAddBegin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Password string `json:"password"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.site.FailJSON(w, r, err)
		return
	}
	if in.Password == "" {
		s.site.FailJSON(w, r, kumbara.ErrFieldRequired.Field("password"))
		return
	}
	opts, id, err := s.Staff.BeginPasskeyRegistration(r.Context(), MemberOf(r), in.Password)
	switch {
	case err == nil:
		core.JSON(w, http.StatusOK, passkeyCeremony{Options: opts, Ceremony: id})
	case errors.Is(err, staff.ErrLoginFailed):
		s.refusedJSON(w, r, err, "web_bo_password_current_wrong")
	case errors.Is(err, staff.ErrLocked):
		s.clearCookie(w, sessionCookie, Prefix)
		s.site.FailJSON(w, r, err)
	default:
		s.site.FailJSON(w, r, err)
	}
}

// passkeyAddFinish keeps the passkey the browser created, under the name typed, and sends the page to the list.
func (s *Server) passkeyAddFinish(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Ceremony   string          `json:"ceremony"`
		Name       string          `json:"name"`
		Credential json.RawMessage `json:"credential"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.site.FailJSON(w, r, err)
		return
	}
	if _, err := s.Staff.FinishPasskeyRegistration(r.Context(), MemberOf(r), in.Ceremony, in.Name,
		in.Credential); err != nil {
		s.site.FailJSON(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, core.JSONRedirect{Redirect: passkeysPath + "?m=added"})
}

// ownPasskey is the member's passkey the path names: staff_passkey_not_found for one that is not theirs.
func (s *Server) ownPasskey(r *http.Request) (staff.Passkey, error) {
	list, err := s.Staff.ListPasskeys(r.Context(), MemberOf(r))
	if err != nil {
		return staff.Passkey{}, err
	}
	for _, p := range list {
		if p.ID == r.PathValue("id") {
			return p, nil
		}
	}
	return staff.Passkey{}, staff.ErrPasskeyNotFound
}

// passkeyRemovePage asks before removing a passkey: a link must not remove one by itself.
func (s *Server) passkeyRemovePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.ownPasskey(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	s.render(w, r, http.StatusOK, "passkey_remove", View{Title: "web_bo_pk_remove_title", Data: p})
}

func (s *Server) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.Staff.RemovePasskey(r.Context(), MemberOf(r), r.PathValue("id")); err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	http.Redirect(w, r, passkeysPath+"?m=removed", http.StatusSeeOther)
}

// passkeyLogin is what the login's passkey steps post: the assertion (on the finish) and, for a page that keeps
// the step's token itself rather than in its cookie, the token.
type passkeyLogin struct {
	Step       string          `json:"step"`
	Credential json.RawMessage `json:"credential"`
}

// stepToken is the login step's token: its cookie's, else the one posted.
func stepToken(r *http.Request, posted string) string {
	if v := core.CookieValue(r, stepCookie); v != "" {
		return v
	}
	return posted
}

// passkeyLoginBegin answers the assertion options of the login step whose password was right: the member's
// passkeys only.
func (s *Server) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) {
	var in passkeyLogin
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.site.FailJSON(w, r, err)
		return
	}
	opts, err := s.Staff.BeginPasskeyLogin(r.Context(), stepToken(r, in.Step))
	if err != nil {
		s.passkeyLoginRefused(w, r, err)
		return
	}
	core.JSON(w, http.StatusOK, passkeyCeremony{Options: opts})
}

// passkeyLoginFinish completes the login with the passkey's assertion, as verify does with a TOTP code: the
// session opens and the browser goes where a TOTP login goes (the home page, or first the password change of a
// member whose password the bank set, which the session gate sends them to).
func (s *Server) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) {
	var in passkeyLogin
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.site.FailJSON(w, r, err)
		return
	}
	sess, err := s.Staff.FinishPasskeyLogin(r.Context(), stepToken(r, in.Step), in.Credential)
	if err != nil {
		s.passkeyLoginRefused(w, r, err)
		return
	}
	s.clearCookie(w, stepCookie, loginPath)
	s.openSession(w, r, sess)
	core.JSON(w, http.StatusOK, core.JSONRedirect{Redirect: homePath})
}

// passkeyLoginRefused says why a passkey did not log the member in, on the code page, where the TOTP code (or the
// passkey again) may follow. A login that lapsed, or a member it locked out or who was deactivated, must start
// again: the step's cookie goes, and the page's "start again" link is the way.
func (s *Server) passkeyLoginRefused(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, staff.ErrStepInvalid) || errors.Is(err, staff.ErrLocked) || errors.Is(err, staff.ErrInactive) {
		s.clearCookie(w, stepCookie, loginPath)
	}
	s.site.FailJSON(w, r, err)
}

// refusedJSON answers a ceremony's step refused with err, as FailJSON does, but in the words of the page's key:
// the code stays the domain's.
func (s *Server) refusedJSON(w http.ResponseWriter, r *http.Request, err error, key string) {
	httpx.SetRetryAfter(w, err)
	core.JSON(w, httpx.StatusOf(kumbara.KindOf(err)), struct {
		Code  string `json:"code"`
		Error string `json:"error"`
	}{Code: kumbara.CodeOf(err), Error: s.message(r, key, nil)})
}
