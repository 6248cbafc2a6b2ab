// Package beneficiaries is the internet branch's address book of beneficiaries (T1): the customer's saved
// beneficiaries with a search that ignores accents, adding, editing and deleting one (after a confirmation). The
// rules are package beneficiary's; these pages pass what was typed through and show its answer beside each field.
package beneficiaries

import (
	"embed"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the beneficiaries pages: its pages and routes.
func Area() core.Area {
	return core.Area{Name: "beneficiaries", Templates: core.Dir(templates, "templates"),
		Routes: func(site *core.Site) []core.Route { return (&area{site}).routes() }}
}

// area is the beneficiaries pages' handlers, on the site.
type area struct{ *core.Site }

// routes are the address book's pages. A business's users keep the business's book, as in the API.
func (s *area) routes() []core.Route {
	if s.Beneficiaries == nil {
		return nil
	}
	return []core.Route{
		{Method: "GET", Path: "/beneficiaries", Policy: core.Private(""), Handler: s.listPage},
		{Method: "GET", Path: "/beneficiaries/new", Policy: core.Private(""), Handler: s.newPage},
		{Method: "POST", Path: "/beneficiaries/new", Policy: core.Private(""), Handler: s.add},
		{Method: "GET", Path: "/beneficiaries/{id}/edit", Policy: core.Private(""), Handler: s.editPage},
		{Method: "POST", Path: "/beneficiaries/{id}/edit", Policy: core.Private(""), Handler: s.edit},
		{Method: "GET", Path: "/beneficiaries/{id}/delete", Policy: core.Private(""), Handler: s.deletePage},
		{Method: "POST", Path: "/beneficiaries/{id}/delete", Policy: core.Private(""), Handler: s.delete},
	}
}

type row struct {
	ID, Name, Nickname, Account, City, Country string
}

type listData struct {
	Query string
	Rows  []row
}

func toRow(b beneficiary.Beneficiary) row {
	return row{ID: b.ID, Name: b.Name, Nickname: b.Nickname, Account: b.Printable(), City: b.Address.City,
		Country: b.Address.Country}
}

// notice is the message a redirect after a change asks the list to show (?m=).
func notice(m string) (string, bool) {
	key, ok := map[string]string{"added": "web_bn_added", "changed": "web_bn_changed", "deleted": "web_bn_deleted"}[m]
	return key, ok
}

func (s *area) listPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	v := core.View{Title: "web_bn_title"}
	list, err := s.Beneficiaries.List(r.Context(), core.SessionOf(r).CustomerID, q)
	if err != nil {
		v.Data = listData{Query: q}
		s.Problem(w, r, "beneficiaries", v, err)
		return
	}
	data := listData{Query: q, Rows: []row{}}
	for _, b := range list {
		data.Rows = append(data.Rows, toRow(b))
	}
	v.Data = data
	if key, ok := notice(r.URL.Query().Get("m")); ok {
		v.Notice = s.Catalogue.Message(core.Lang(r), key, nil)
	}
	s.Render(w, r, http.StatusOK, "beneficiaries", v)
}

// load returns one of the customer's beneficiaries; another customer's is the not-found page.
func (s *area) load(w http.ResponseWriter, r *http.Request) (beneficiary.Beneficiary, bool) {
	b, err := s.Beneficiaries.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, beneficiary.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, beneficiary.ErrNotFound.Code)
		return beneficiary.Beneficiary{}, false
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return beneficiary.Beneficiary{}, false
	}
	return b, true
}

func (s *area) newPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "beneficiary_form", core.View{Title: "web_bn_new_title",
		Data: s.form(core.Lang(r), "/beneficiaries/new", "web_bn_new_title", beneficiary.Input{Address: beneficiary.Address{Country: "AL"}}, nil)})
}

func (s *area) editPage(w http.ResponseWriter, r *http.Request) {
	b, ok := s.load(w, r)
	if !ok {
		return
	}
	s.Render(w, r, http.StatusOK, "beneficiary_form", core.View{Title: "web_bn_edit_title",
		Data: s.form(core.Lang(r), "/beneficiaries/"+b.ID+"/edit", "web_bn_edit_title", inputOf(b), nil)})
}

func (s *area) add(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	in := posted(r)
	if _, err := s.Beneficiaries.Add(r.Context(), core.SessionOf(r).CustomerID, in); err != nil {
		s.refused(w, r, "/beneficiaries/new", "web_bn_new_title", in, err)
		return
	}
	http.Redirect(w, r, "/beneficiaries?m=added", http.StatusSeeOther)
}

func (s *area) edit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	in := posted(r)
	_, err := s.Beneficiaries.Update(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), in)
	if errors.Is(err, beneficiary.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, beneficiary.ErrNotFound.Code)
		return
	}
	if err != nil {
		s.refused(w, r, "/beneficiaries/"+url.PathEscape(r.PathValue("id"))+"/edit", "web_bn_edit_title", in, err)
		return
	}
	http.Redirect(w, r, "/beneficiaries?m=changed", http.StatusSeeOther)
}

// refused shows the form again as it was typed, with the domain's message and each field's own beside it.
func (s *area) refused(w http.ResponseWriter, r *http.Request, action, title string, in beneficiary.Input, err error) {
	var fields []kumbara.FieldError
	if e, ok := kumbara.As(err); ok {
		fields = e.Fields
	}
	s.Problem(w, r, "beneficiary_form", core.View{Title: title, Data: s.form(core.Lang(r), action, title, in, fields)}, err)
}

func (s *area) deletePage(w http.ResponseWriter, r *http.Request) {
	b, ok := s.load(w, r)
	if !ok {
		return
	}
	s.Render(w, r, http.StatusOK, "beneficiary_delete", core.View{Title: "web_bn_delete_title", Data: toRow(b)})
}

func (s *area) delete(w http.ResponseWriter, r *http.Request) {
	err := s.Beneficiaries.Delete(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, beneficiary.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, beneficiary.ErrNotFound.Code)
		return
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, "/beneficiaries?m=deleted", http.StatusSeeOther)
}

// posted reads the form, named as the API names the fields (the address's without "address.").
func posted(r *http.Request) beneficiary.Input {
	f := r.PostForm.Get
	return beneficiary.Input{Name: f("name"), Nickname: f("nickname"), IBAN: f("iban"), AccountNumber: f("account_number"),
		BIC: f("bic"), BankName: f("bank_name"), BankAddress: f("bank_address"), Phone: f("phone"),
		Address: beneficiary.Address{Street: f("street"), City: f("city"), PostalCode: f("postal_code"), Country: f("country")}}
}

func inputOf(b beneficiary.Beneficiary) beneficiary.Input {
	return beneficiary.Input{Name: b.Name, Nickname: b.Nickname, IBAN: b.Printable(), BIC: b.BIC, BankName: b.BankName,
		BankAddress: b.BankAddress, Address: b.Address, Phone: b.Phone, AccountNumber: b.AccountNumber}
}

// field is one input of the form: its name (the API's, without "address."), label, value, hint and problem.
type field struct {
	Name, ID, Label, Hint, Value, Error, Type, Autocomplete string
	Max                                                     int
	Required                                                bool
}

// Described is what the input's aria-describedby names: its problem, then its hint.
func (f field) Described() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

type group struct {
	Legend, Intro string
	Fields        []field
}

type formData struct {
	Action, Title string
	Groups        []group
}

// fieldWords are the page's own words for the free-text rule's codes, whose messages speak of a transfer's
// description (where the rule was first written): said of the field they stand beside.
func fieldWords() map[string]string {
	return map[string]string{
		text.ErrTooLong.Code:           "web_bn_too_long",
		text.ErrInvalidCharacters.Code: "web_bn_invalid_characters",
	}
}

// form lays the input out in the manual's order: who, which account, the bank (for an account number), where,
// and a phone; problems are the domain's field codes, each shown beside its field in the page's language.
func (s *area) form(l i18n.Lang, action, title string, in beneficiary.Input, problems []kumbara.FieldError) formData {
	msg := func(key string) string { return s.Catalogue.Message(l, key, nil) }
	errs, words := map[string]string{}, fieldWords()
	for _, p := range problems {
		name, _ := strings.CutPrefix(p.Field, "address.")
		if _, seen := errs[name]; seen {
			continue
		}
		key := p.Code
		if own, ok := words[p.Code]; ok {
			key = own
		}
		errs[name] = msg(key)
	}
	f := func(name, label, hint, value, typ, auto string, max int, required bool) field {
		return field{Name: name, ID: "bn-" + name, Label: msg(label), Hint: hintOf(msg, hint), Value: value,
			Error: errs[name], Type: typ, Autocomplete: auto, Max: max, Required: required}
	}
	return formData{Action: action, Title: title, Groups: []group{
		{Legend: msg("web_bn_who"), Fields: []field{
			f("name", "web_bn_name", "", in.Name, "text", "off", beneficiary.MaxName, true),
			f("nickname", "web_bn_nickname", "web_bn_nickname_hint", in.Nickname, "text", "off", beneficiary.MaxNickname, false),
		}},
		{Legend: msg("web_bn_account"), Intro: msg("web_bn_account_intro"), Fields: []field{
			f("iban", "web_bn_iban", "web_bn_iban_hint", in.IBAN, "text", "off", 50, false),
			f("account_number", "web_bn_account_number", "web_bn_account_number_hint", in.AccountNumber, "text", "off", 40, false),
		}},
		{Legend: msg("web_bn_bank"), Intro: msg("web_bn_bank_intro"), Fields: []field{
			f("bic", "web_bn_bic", "web_bn_bic_hint", in.BIC, "text", "off", 14, false),
			f("bank_name", "web_bn_bank_name", "", in.BankName, "text", "off", beneficiary.MaxBankName, false),
			f("bank_address", "web_bn_bank_address", "", in.BankAddress, "text", "off", beneficiary.MaxBankAddress, false),
		}},
		{Legend: msg("web_bn_address"), Fields: []field{
			f("street", "web_bn_street", "", in.Address.Street, "text", "off", beneficiary.MaxStreet, false),
			f("city", "web_bn_city", "", in.Address.City, "text", "off", beneficiary.MaxCity, true),
			f("postal_code", "web_bn_postal_code", "", in.Address.PostalCode, "text", "off", beneficiary.MaxPostalCode, false),
			f("country", "web_bn_country", "web_bn_country_hint", in.Address.Country, "text", "off", 2, true),
			f("phone", "web_bn_phone", "web_bn_phone_hint", in.Phone, "tel", "off", 24, false),
		}},
	}}
}

func hintOf(msg func(string) string, key string) string {
	if key == "" {
		return ""
	}
	return msg(key)
}
