package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/ledger"
)

// finLogo is one of the pictures a customer can give an account (F6). The set is fixed and drawn with emoji, so
// the page needs no images; the API takes the same short names.
type finLogo struct{ Name, Symbol string }

var finLogos = []finLogo{
	{"wallet", "👛"}, {"piggy-bank", "🐷"}, {"house", "🏠"}, {"car", "🚗"},
	{"plane", "✈️"}, {"gift", "🎁"}, {"briefcase", "💼"}, {"graduation", "🎓"},
}

// finLogoSymbol is the picture of a logo name; a name set through the API that the web app does not know shows
// nothing rather than a broken picture.
func finLogoSymbol(name string) string {
	for _, l := range finLogos {
		if l.Name == name {
			return l.Symbol
		}
	}
	return ""
}

// finLabel translates key+"_"+value, or shows value itself when the catalogue has no such text (a type or status
// added later), rather than the generic error sentence.
func (s *Server) finLabel(r *http.Request, key, value string) string {
	if code := key + "_" + value; s.Catalogue.Has(code) {
		return s.finMessage(r, code, nil)
	}
	return value
}

// finGroups writes an IBAN in groups of four, as it is printed on cards and statements, so it can be read aloud
// and checked against paper.
func finGroups(iban string) string {
	var b strings.Builder
	for i, c := range []rune(iban) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

type finDetailsData struct {
	Nav                                                 finNav
	Holder, Opened, OpenedISO, IBAN, IBANGroups, Number string
	Currency, Type, Status                              string
	Ledger, Held, Available, Overdraft                  int64
}

func (s *Server) finDetails(w http.ResponseWriter, r *http.Request) {
	a, ok := s.finAccount(w, r)
	if !ok {
		return
	}
	v := view{Title: "web_fin_details_title"}
	c, err := s.Customers.Get(r.Context(), a.CustomerID)
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	if r.URL.Query().Get("m") == "saved" {
		v.Notice = s.finMessage(r, "web_fin_saved", nil)
	}
	v.Data = finDetailsData{Nav: finNavFor(a), Holder: c.Name(), Opened: finDate(r, a.OpenedAt),
		OpenedISO: a.OpenedAt.In(tirane).Format(time.DateOnly), IBAN: a.IBAN, IBANGroups: finGroups(a.IBAN),
		Number: a.Number, Currency: string(a.Currency), Type: s.finLabel(r, "web_fin_type", a.Type),
		Status: s.finLabel(r, "web_fin_status", string(a.Status)), Ledger: a.Balance, Held: a.Held,
		Available: a.Available(), Overdraft: a.OverdraftLimit}
	s.render(w, r, http.StatusOK, "account_details", v)
}

type finLogoOption struct {
	Name, Symbol, Label string
	Checked             bool
}

type finSettingsData struct {
	Nav   finNav
	Name  string
	Max   int
	Logos []finLogoOption
}

func (s *Server) finSettingsView(r *http.Request, a ledger.Account, name, logo string) view {
	d := finSettingsData{Nav: finNavFor(a), Name: name, Max: ledger.MaxAccountName}
	d.Logos = append(d.Logos, finLogoOption{Name: "", Label: s.finMessage(r, "web_fin_logo_none", nil), Checked: logo == ""})
	for _, l := range finLogos {
		d.Logos = append(d.Logos, finLogoOption{Name: l.Name, Symbol: l.Symbol,
			Label: s.finMessage(r, "web_fin_logo_"+strings.ReplaceAll(l.Name, "-", "_"), nil), Checked: l.Name == logo})
	}
	return view{Title: "web_fin_settings_title", Data: d}
}

func (s *Server) finSettings(w http.ResponseWriter, r *http.Request) {
	a, ok := s.finAccount(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "account_settings", s.finSettingsView(r, a, a.Name, a.Logo))
}

func (s *Server) finSaveSettings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "validation_failed")
		return
	}
	a, ok := s.finAccount(w, r)
	if !ok {
		return
	}
	name, logo := r.PostForm.Get("name"), r.PostForm.Get("logo")
	v := s.finSettingsView(r, a, name, logo)
	if _, err := s.Ledger.Rename(r.Context(), a.CustomerID, a.ID, ledger.Relabel{Name: &name, Logo: &logo}); err != nil {
		if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
			// The form says what is wrong with the field, not that something was.
			v.Error = s.finMessage(r, e.Fields[0].Code, e.Params)
			s.render(w, r, http.StatusBadRequest, "account_settings", v)
			return
		}
		s.problem(w, r, "account_settings", v, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+url.PathEscape(a.ID)+"?m=saved", http.StatusSeeOther)
}
