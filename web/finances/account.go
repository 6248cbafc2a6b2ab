package finances

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

// accountLogo is one of the pictures a customer can give an account (F6). The set is fixed and drawn with emoji, so
// the page needs no images; the API takes the same short names.
type accountLogo struct{ Name, Symbol string }

func accountLogos() []accountLogo {
	return []accountLogo{
		{"wallet", "👛"}, {"piggy-bank", "🐷"}, {"house", "🏠"}, {"car", "🚗"},
		{"plane", "✈️"}, {"gift", "🎁"}, {"briefcase", "💼"}, {"graduation", "🎓"},
	}
}

// logoSymbol is the picture of a logo name; a name set through the API that the web app does not know shows
// nothing rather than a broken picture.
func logoSymbol(name string) string {
	for _, l := range accountLogos() {
		if l.Name == name {
			return l.Symbol
		}
	}
	return ""
}

// label translates key+"_"+value, or shows value itself when the catalogue has no such text (a type or status
// added later), rather than the generic error sentence.
func (s *area) label(r *http.Request, key, value string) string {
	if code := key + "_" + value; s.Catalogue.Has(code) {
		return s.Message(r, code, nil)
	}
	return value
}

// groups writes an IBAN in groups of four, as it is printed on cards and statements, so it can be read aloud
// and checked against paper.
func groups(iban string) string {
	var b strings.Builder
	for i, c := range []rune(iban) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

type detailsData struct {
	Nav                                                 nav
	Holder, Opened, OpenedISO, IBAN, IBANGroups, Number string
	Currency, Type, Status                              string
	Ledger, Held, Available, Overdraft                  int64
}

func (s *area) details(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	v := core.View{Title: "web_fin_details_title"}
	c, err := s.Customers.Get(r.Context(), a.CustomerID)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	if r.URL.Query().Get("m") == "saved" {
		v.Notice = s.Message(r, "web_fin_saved", nil)
	}
	v.Data = detailsData{Nav: navFor(a), Holder: c.Name(), Opened: date(r, a.OpenedAt),
		OpenedISO: a.OpenedAt.In(clock.Tirane).Format(time.DateOnly), IBAN: a.IBAN, IBANGroups: groups(a.IBAN),
		Number: a.Number, Currency: string(a.Currency), Type: ledger.TypeName(s.Catalogue, core.Lang(r), a.Type),
		Status: s.label(r, "web_fin_status", string(a.Status)), Ledger: a.Balance, Held: a.Held,
		Available: a.Available(), Overdraft: a.OverdraftLimit}
	s.Render(w, r, http.StatusOK, "account_details", v)
}

type logoOption struct {
	Name, Symbol, Label string
	Checked             bool
}

type settingsData struct {
	Nav   nav
	Name  string
	Max   int
	Logos []logoOption
}

func (s *area) settingsView(r *http.Request, a ledger.Account, name, logo string) core.View {
	d := settingsData{Nav: navFor(a), Name: name, Max: ledger.MaxAccountName}
	d.Logos = append(d.Logos, logoOption{Name: "", Label: s.Message(r, "web_fin_logo_none", nil), Checked: logo == ""})
	for _, l := range accountLogos() {
		d.Logos = append(d.Logos, logoOption{Name: l.Name, Symbol: l.Symbol,
			Label: s.Message(r, "web_fin_logo_"+strings.ReplaceAll(l.Name, "-", "_"), nil), Checked: l.Name == logo})
	}
	return core.View{Title: "web_fin_settings_title", Data: d}
}

func (s *area) settings(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	s.Render(w, r, http.StatusOK, "account_settings", s.settingsView(r, a, a.Name, a.Logo))
}

func (s *area) saveSettings(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "validation_failed") {
		return
	}
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	name, logo := r.PostForm.Get("name"), r.PostForm.Get("logo")
	v := s.settingsView(r, a, name, logo)
	if _, err := s.Ledger.Rename(r.Context(), a.CustomerID, a.ID, ledger.Relabel{Name: &name, Logo: &logo}); err != nil {
		if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
			// The form says what is wrong with the field, not that something was.
			v.Error = s.Message(r, e.Fields[0].Code, e.Params)
			s.Render(w, r, http.StatusBadRequest, "account_settings", v)
			return
		}
		s.Problem(w, r, "account_settings", v, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+url.PathEscape(a.ID)+"?m=saved", http.StatusSeeOther)
}
