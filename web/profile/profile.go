package profile

import (
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the profile: its pages and routes, and its part of the session gate (which pages stay open while a
// forced password change or the current terms are pending, and where the customer is sent meanwhile).
func Area() core.Area {
	return core.Area{Name: "profile", Templates: core.Dir(templates, "templates"),
		Routes: func(site *core.Site) []core.Route { return (&area{site}).routes() },
		Need:   need, Gate: gate}
}

// area is the profile pages' handlers, on the site.
type area struct{ *core.Site }

// Paths of the profile that the session gate (gate) sends customers to.
const (
	passwordPath = "/profile/password"
	acceptPath   = "/terms/accept"
)

// routes are the profile (password change, A11/A12), the pages before login (terms P1/P13, contact P14)
// and the forced password change.
func (s *area) routes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: "/terms", Policy: core.Public(""), Handler: s.termsPage(terms.Individual)},
		{Method: "GET", Path: terms.Page(terms.Individual), Policy: core.Public(""), Handler: s.termsPage(terms.Individual)},
		{Method: "GET", Path: terms.Page(terms.Business), Policy: core.Public(""), Handler: s.termsPage(terms.Business)},
		{Method: "GET", Path: terms.Page(terms.Privacy), Policy: core.Public(""), Handler: s.privacyPage},
		{Method: "GET", Path: "/contact", Policy: core.Public(""), Handler: s.contactPage},
		{Method: "GET", Path: acceptPath, Policy: core.Private(""), Handler: s.acceptPage},
		{Method: "POST", Path: acceptPath, Policy: core.Private(""), Handler: s.acceptTerms},
		{Method: "GET", Path: "/profile", Policy: core.Private(""), Handler: s.profilePage},
		{Method: "GET", Path: passwordPath, Policy: core.Private(""), Handler: s.passwordPage},
		{Method: "POST", Path: passwordPath, Policy: core.Private(httpx.PasswordChange), Handler: s.changePassword,
			Refused: s.RefusedOn("password", func(r *http.Request) core.View {
				f := s.newPasswordForm(r, nil)
				f.NeedsCard = s.needsCard(r)
				return core.View{Title: "web_pr_change_password", Data: f}
			})},
	}
}

// now is the bank's clock, the one auth keeps when the site has none.
func (s *area) now() time.Time {
	if s.Clock != nil {
		return s.Clock.Now()
	}
	return s.Auth.Clock.Now()
}

// termsDoc is a terms text on a page. HTML is trusted: it is embedded in the binary from package terms, whose
// test keeps scripts, styles and event handlers out of it.
type termsDoc struct {
	Doc     terms.Doc
	Version string
	HTML    template.HTML
}

func (s *area) loadDoc(r *http.Request, version string, doc terms.Doc) (termsDoc, error) {
	text, err := terms.Document(version, doc, string(core.Lang(r)))
	if err != nil {
		return termsDoc{}, err
	}
	return termsDoc{Doc: doc, Version: version, HTML: template.HTML(text)}, nil // #nosec G203 -- embedded, see above
}

// termsPage shows the terms of one kind of customer to anyone, logged in or not (P13).
func (s *area) termsPage(doc terms.Doc) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.loadDoc(r, terms.Current, doc)
		if err != nil {
			s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
			return
		}
		s.Render(w, r, http.StatusOK, "terms", core.View{Title: "web_pr_terms_title", Data: d})
	}
}

func (s *area) privacyPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadDoc(r, terms.Current, terms.Privacy)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	s.Render(w, r, http.StatusOK, "privacy", core.View{Title: "web_pr_privacy_title", Data: d})
}

func (s *area) contactPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "contact", core.View{Title: "web_pr_contact_title", Data: demoContact()})
}

type acceptForm struct {
	termsDoc
	// Renewal is set when the customer accepted an earlier version: the page says the terms changed.
	Renewal bool
}

// acceptPage asks a logged-in customer to accept the current terms before anything else (P1). The session gate
// sends every page here until they do.
func (s *area) acceptPage(w http.ResponseWriter, r *http.Request) {
	id := core.SessionOf(r).CustomerID
	tc := s.Terms
	ok, err := tc.Accepted(r.Context(), id)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	if ok {
		http.Redirect(w, r, "/summary", http.StatusSeeOther)
		return
	}
	s.showAccept(w, r, http.StatusOK, core.View{})
}

func (s *area) showAccept(w http.ResponseWriter, r *http.Request, status int, v core.View) {
	id := core.SessionOf(r).CustomerID
	tc := s.Terms
	c, err := s.Customers.Get(r.Context(), id)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	history, err := tc.History(r.Context(), id)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	d, err := s.loadDoc(r, tc.CurrentVersion(), terms.ForKind(c.Kind))
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	v.Title, v.Data = "web_pr_accept_title", acceptForm{termsDoc: d, Renewal: len(history) > 0}
	s.Render(w, r, status, "terms_accept", v)
}

// acceptTerms records the customer's answer. Refusing is logging out: the internet branch cannot be used without the
// terms.
func (s *area) acceptTerms(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	if r.PostForm.Get("decision") != "accept" {
		s.LogOut(w, r)
		return
	}
	err := s.Terms.Accept(r.Context(), core.SessionOf(r).CustomerID, r.PostForm.Get("version"), s.now())
	if e, ok := kumbara.As(err); ok && e.Kind == kumbara.KindInvalid {
		// The terms changed while the page was open: the customer must read the new text, not agree to it unseen.
		s.showAccept(w, r, http.StatusConflict, core.View{Notice: s.Catalogue.Message(core.Lang(r), "web_pr_accept_changed", nil)})
		return
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, "/summary", http.StatusSeeOther)
}

type profileData struct {
	Name, ClientNumber, Mobile, Email string
	Accepted                          []acceptanceRow
}

type acceptanceRow struct {
	Version, Document, Date string
}

// profilePage shows who is logged in, the way to change the password and the terms the customer accepted.
func (s *area) profilePage(w http.ResponseWriter, r *http.Request) {
	id := core.SessionOf(r).CustomerID
	c, err := s.Customers.Get(r.Context(), id)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	history, err := s.Terms.History(r.Context(), id)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	l := core.Lang(r)
	p := profileData{Name: c.Name(), ClientNumber: c.ClientNumber, Mobile: c.Mobile, Email: c.Email}
	for _, a := range history {
		p.Accepted = append(p.Accepted, acceptanceRow{Version: a.Version,
			Document: s.Catalogue.Message(l, "web_pr_terms_"+string(a.Document), nil), Date: i18n.FormatDate(a.AcceptedAt, l)})
	}
	s.Render(w, r, http.StatusOK, "profile", core.View{Title: "web_pr_profile_title", Data: p})
}

type passwordForm struct {
	Forced, Changed                        bool
	Live, OnSave                           []core.PasswordRule
	Broken                                 []string // translated texts of the rules the server refused
	OldInvalid, NewInvalid, ConfirmInvalid bool
	MinLength, MaxLength                   int
	// NeedsCard asks for the card's last six digits and PIN too (A12: the customer holds an active card).
	NeedsCard, CardInvalid bool
	Last6                  string
}

func (s *area) newPasswordForm(r *http.Request, broken map[string]bool) passwordForm {
	f := passwordForm{Forced: core.SessionOf(r).MustChange, MinLength: password.MinLength, MaxLength: password.MaxLength}
	f.Live, f.OnSave = s.PasswordRules(r, broken)
	return f
}

// passwordPage is the password change (A12) and, for a session that must change its password, the only page it
// may see besides logout.
func (s *area) passwordPage(w http.ResponseWriter, r *http.Request) {
	f := s.newPasswordForm(r, nil)
	f.NeedsCard = s.needsCard(r)
	v := core.View{Title: "web_pr_change_password"}
	if r.URL.Query().Get("m") == "changed" && !f.Forced {
		f.Changed = true
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_pr_password_changed", nil)
	}
	v.Data = f
	s.Render(w, r, http.StatusOK, "password", v)
}

func (s *area) changePassword(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	oldPW, newPW := r.PostForm.Get("old_password"), r.PostForm.Get("new_password")
	confirm := r.PostForm.Get("confirm_password")
	last6, pin := strings.TrimSpace(r.PostForm.Get("card_last6")), r.PostForm.Get("card_pin")
	needsCard := s.needsCard(r)
	form := func(broken map[string]bool) passwordForm {
		f := s.newPasswordForm(r, broken)
		f.NeedsCard, f.Last6 = needsCard, last6
		return f
	}
	l := core.Lang(r)
	v := core.View{Title: "web_pr_change_password"}
	switch {
	case oldPW == "" || newPW == "" || confirm == "" || (needsCard && (last6 == "" || pin == "")):
		f := form(nil)
		f.OldInvalid, f.NewInvalid, f.ConfirmInvalid = oldPW == "", newPW == "", confirm == ""
		f.CardInvalid = needsCard && (last6 == "" || pin == "")
		v.Data = f
		s.Problem(w, r, "password", v, kumbara.ErrFieldRequired)
		return
	case newPW != confirm:
		// Checked before the old password, so a typing slip costs no attempt towards the lockout.
		f := form(map[string]bool{core.RuleMatch: true})
		f.ConfirmInvalid = true
		v.Data, v.Error = f, s.Catalogue.Message(l, "web_pr_password_mismatch", nil)
		s.Render(w, r, http.StatusBadRequest, "password", v)
		return
	}
	sess := core.SessionOf(r)
	err := s.Recovery.ChangePassword(r.Context(), sess.Session, recovery.Change{CardLast6: last6, CardPIN: pin,
		OldPassword: oldPW, NewPassword: newPW})
	if err == nil {
		http.Redirect(w, r, passwordPath+"?m=changed", http.StatusSeeOther)
		return
	}
	switch {
	case errors.Is(err, auth.ErrPasswordWrong):
		// A wrong old password counts towards the lockout like a wrong login; at the limit the channel is blocked,
		// so this session ends too and the customer learns why.
		if blocked, berr := s.Auth.Blocked(r.Context(), sess.Authenticator()); berr == nil && blocked {
			r = s.EndSession(w, r)
			s.ErrorPage(w, r, http.StatusForbidden, "channel_blocked")
			return
		}
		f := form(nil)
		f.OldInvalid = true
		v.Data = f
	case errors.Is(err, recovery.ErrCardWrong), errors.Is(err, card.ErrPINBlocked):
		f := form(nil)
		f.CardInvalid = true
		v.Data = f
	case errors.Is(err, password.ErrPolicy):
		broken, texts := s.BrokenRules(r, err)
		f := form(broken)
		f.NewInvalid, f.Broken = true, texts
		v.Data = f
	default:
		v.Data = form(nil)
	}
	s.Problem(w, r, "password", v, err)
}

// needsCard reports whether the customer's password change needs their card (A12). If that cannot be read, the
// fields are shown: the server decides on saving anyway.
func (s *area) needsCard(r *http.Request) bool {
	need, err := s.Recovery.NeedsCard(r.Context(), core.SessionOf(r).Authenticator()) // the person's card in a business user's session
	if err != nil {
		s.Log().Error("needs card", slog.String("error", err.Error()))
		return true
	}
	return need
}

// isHTMX reports whether the request came from htmx, which needs a header instead of a redirect status to leave
// the page.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// redirect sends the browser to target; htmx requests get a full-page redirect header instead.
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusForbidden)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// need is what a page asks of a session (auth.Admit) while steps that must come first are pending: a
// session whose password must change (set by staff, or expired) may only change it or log out; then a customer who
// has not accepted the current terms may only read and accept them or log out. The password page stays open to a
// customer who has not accepted the terms: changing a password is a security step nothing should stand in front
// of, and the forced change leads to the terms next anyway.
func need(path string) auth.Need {
	switch path {
	case "/logout", passwordPath:
		return auth.Need{PasswordChange: true, TermsPending: true}
	case acceptPath:
		return auth.Need{TermsPending: true}
	}
	return auth.Need{}
}

// gate keeps a logged-in customer on the steps that must come first (the profile area's part of
// requireSession): it sends a session the gate refused for a pending password change to the password page, and
// one refused for the terms to the page that accepts them. It reports whether it answered the request.
func gate(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case errors.Is(err, auth.ErrPasswordChangeRequired):
		redirect(w, r, passwordPath)
	case errors.Is(err, terms.ErrAcceptanceRequired):
		redirect(w, r, acceptPath)
	default:
		return false
	}
	return true
}
