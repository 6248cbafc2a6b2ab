package payments

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/core"
)

// kind is one type of payment and its form: domestic (T5), SEPA and international (T6).
type kind struct {
	Type, Path, Title, Intro string
	Short                    string // the title in a word or two, for a button
	// Currency is the currency the type's payments are in ("" for the account's own).
	Currency string
}

func kinds() []kind {
	return []kind{
		{Type: payment.Domestic, Path: "/payments/domestic", Title: "web_pay_domestic_title", Short: "web_pay_domestic_short", Intro: "web_pay_domestic_intro", Currency: "ALL"},
		{Type: payment.SEPA, Path: "/payments/sepa", Title: "web_pay_sepa_title", Short: "web_pay_sepa_short", Intro: "web_pay_sepa_intro", Currency: "EUR"},
		{Type: payment.International, Path: "/payments/international", Title: "web_pay_international_title", Short: "web_pay_international_short", Intro: "web_pay_international_intro"},
	}
}

func kindOf(typ string) (kind, bool) {
	i := slices.IndexFunc(kinds(), func(k kind) bool { return k.Type == typ })
	if i < 0 {
		return kind{}, false
	}
	return kinds()[i], true
}

// option is one choice of a select or a group of radio buttons.
type option struct {
	Value, Label string
	Selected     bool
	Disabled     bool
}

// field is one input of a payment form: its name (the form's, as input names it), label, value, hint and the
// payment service's problem with it, already in the page's language.
type field struct {
	Name, ID, Label, Hint, Value, Error, Type string
	Autocomplete, InputMode                   string
	Max                                       int
	Required, Checked                         bool
	Options                                   []option
	// Link is an address the label names (the terms of international payments).
	Link, LinkLabel string
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
	ID, Legend, Intro string
	Fields            []field
}

// saved is one of the customer's saved beneficiaries, as the picker offers it.
type saved struct {
	ID, Label string
}

// formPage is a payment form with what was typed and the problems the payment service found.
type formPage struct {
	Kind   kind
	Groups []group
	// Saved are the beneficiaries the form can be filled from; Picked names the one that filled it.
	Saved  []saved
	Picked string
	// NoAccount: the customer has no account the type's payments can be made from.
	NoAccount bool
	// Unplaced are the problems with fields this form does not show (a request's field the page has no input
	// for), said above the form in their own words so that no refusal goes unexplained (Z8).
	Unplaced []string
}

// fieldWords are the pages' own words for codes whose catalogue messages speak of a transfer's description
// (where the free-text rule was first written), said of the field they stand beside.
func fieldWords() map[string]string {
	return map[string]string{
		text.ErrTooLong.Code:           "web_pay_too_long",
		text.ErrInvalidCharacters.Code: "web_pay_invalid_characters",
	}
}

// problems are the field problems of err in the page's language, by the form's field names (a field the form does
// not name keeps the request's): the first problem of each field.
func (s *area) problems(l i18n.Lang, err error) map[string]string {
	out := map[string]string{}
	e, ok := kumbara.As(err)
	if !ok {
		return out
	}
	words := fieldWords()
	for _, f := range e.Fields {
		name := formField(f.Field)
		if name == "" {
			name = f.Field
		}
		if out[name] != "" {
			continue
		}
		key := f.Code
		if own, ok := words[f.Code]; ok && name != "description" {
			key = own
		}
		// A refusal about one field carries its message's parameters (the account's currency, say).
		out[name] = s.Catalogue.Message(l, key, localParams(l, e.Params))
	}
	return out
}

// accounts are the customer's accounts that are not closed, in the ledger's order.
func (s *area) accounts(ctx context.Context, customerID string) ([]ledger.Account, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	// A credit card's account moves only through the card's pages.
	return slices.DeleteFunc(all, func(a ledger.Account) bool {
		return a.Status == ledger.Closed || a.Type == ledger.TypeCredit
	}), nil
}

func accountByID(accounts []ledger.Account, id string) (ledger.Account, bool) {
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.ID == id })
	if i < 0 {
		return ledger.Account{}, false
	}
	return accounts[i], true
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, "AL35 **** 0001", as the transfer
// pages do.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

// typedAmount reads the amount as the customer typed it, in the page's language (money.Typed).
func typedAmount(l i18n.Lang, s string) (string, error) {
	mark := ','
	if l == i18n.EN {
		mark = '.'
	}
	return money.Typed(s, mark)
}

// currencyOf is the currency a payment of kind k is in: the type's, the one chosen on an international payment's
// form, or the account's.
func currencyOf(k kind, accounts []ledger.Account, in input) string {
	if k.Currency != "" {
		return k.Currency
	}
	if in.Currency != "" {
		return in.Currency
	}
	if a, ok := accountByID(accounts, in.From); ok {
		return string(a.Currency)
	}
	return "ALL"
}

// formPage builds the form of kind k with what was typed and err's problems beside their fields.
func (s *area) formPage(r *http.Request, k kind, in input, err error) (formPage, error) {
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	accounts, aerr := s.accounts(ctx, cust)
	if aerr != nil {
		return formPage{}, aerr
	}
	msg := func(key string) string { return s.Catalogue.Message(l, key, nil) }
	errs := s.problems(l, err)
	f := func(name, label, hint, value string, max int, required bool) field {
		return field{Name: name, ID: "pay-" + strings.ReplaceAll(name, "_", "-"), Label: msg(label), Hint: hintOf(msg, hint),
			Value: value, Error: errs[name], Type: "text", Autocomplete: "off", Max: max, Required: required}
	}
	check := func(name, label, hint string, on bool) field {
		c := f(name, label, hint, "1", 0, false)
		c.Type, c.Checked = "checkbox", on
		return c
	}
	page := formPage{Kind: k}

	// The account: any of the customer's; one in another currency than the payment's pays at the bank's rate,
	// shown on the review before the customer confirms.
	from := f("from", "web_pay_from", "web_pay_from_hint_fx", in.From, 0, true)
	from.Type = "select"
	from.Options = []option{{Value: "", Label: msg("web_pay_choose_account")}}
	for _, a := range accounts {
		label := a.Title(s.Catalogue, l) + " · " + maskIBAN(a.IBAN) + " · " +
			i18n.FormatAmount(a.Available(), string(a.Currency), l) + " " + msg("web_pay_available")
		blocked := a.Status != ledger.Active
		if blocked {
			label += " · " + msg("web_pay_blocked")
		}
		from.Options = append(from.Options, option{Value: a.ID, Label: label, Selected: a.ID == in.From, Disabled: blocked})
	}
	page.NoAccount = len(from.Options) == 1
	amountHint := "web_pay_amount_hint_" + strings.ToLower(k.Currency)
	if k.Currency == "" {
		amountHint = "web_pay_amount_hint_account"
	}
	amount := f("amount", "web_pay_amount", amountHint, in.Amount, 24, true)
	amount.InputMode = "decimal"
	description := f("description", "web_pay_description", "web_pay_description_hint", in.Description, 140, false)
	description.Hint += " " + transfer.DescriptionChars

	// The beneficiary, in the manual's order: name, account, address (and the bank, for an account abroad).
	who := group{ID: "pay-who", Legend: msg("web_pay_group_beneficiary")}
	name := f("name", "web_pay_name", "", in.Name, beneficiary.MaxName, true)
	ibanField := f("iban", "web_pay_iban", "web_pay_iban_hint_"+k.Type, in.IBAN, 50, k.Type != payment.International)
	ibanField.Autocomplete = "off"
	who.Fields = append(who.Fields, name, ibanField)
	if k.Type == payment.International {
		who.Intro = msg("web_pay_international_account_intro")
		who.Fields = append(who.Fields,
			f("account_number", "web_pay_account_number", "web_pay_account_number_hint", in.AccountNumber, 40, false),
			f("bic", "web_pay_bic", "web_pay_bic_hint", in.BIC, 14, false),
			f("bank_name", "web_pay_bank_name", "", in.BankName, beneficiary.MaxBankName, false),
			f("bank_address", "web_pay_bank_address", "", in.BankAddress, beneficiary.MaxBankAddress, false))
	}
	where := group{ID: "pay-where", Legend: msg("web_pay_group_address"), Intro: msg("web_pay_address_intro_" + k.Type)}
	country := in.Country
	if country == "" && k.Type == payment.Domestic {
		country = "AL"
	}
	street := f("street", "web_pay_street", "", in.Street, beneficiary.MaxStreet, k.Type == payment.International)
	street.Autocomplete = "off"
	where.Fields = append(where.Fields, street,
		f("city", "web_pay_city", "", in.City, beneficiary.MaxCity, true),
		f("postal_code", "web_pay_postal_code", "", in.PostalCode, beneficiary.MaxPostalCode, false),
		f("country", "web_pay_country", "web_pay_country_hint", country, 2, true))
	if k.Type != payment.SEPA {
		phone := f("phone", "web_pay_phone", "web_pay_phone_hint", in.Phone, 24, false)
		phone.Type = "tel"
		where.Fields = append(where.Fields, phone)
	}

	// The payment: from which account, how much, what for, who bears the charges and how fast.
	what := group{ID: "pay-what", Legend: msg("web_pay_group_payment"), Fields: []field{from}}
	if k.Type == payment.International {
		// An international payment may be in any currency the bank offers: from an account in another, it is
		// bought at the bank's rate.
		cur := f("currency", "web_pay_currency", "web_pay_currency_hint", in.Currency, 0, false)
		cur.Type = "select"
		cur.Options = []option{{Value: "", Label: msg("web_pay_currency_account"), Selected: in.Currency == ""}}
		for _, c := range money.Currencies() {
			cur.Options = append(cur.Options, option{Value: string(c), Label: string(c), Selected: string(c) == in.Currency})
		}
		what.Fields = append(what.Fields, cur)
	}
	what.Fields = append(what.Fields, amount, description)
	if k.Type != payment.SEPA {
		charges := f("charges", "web_pay_charges", "web_pay_charges_hint", "", 0, true)
		charges.Type = "radio"
		chosen := strings.ToUpper(in.Charges)
		if chosen == "" {
			chosen = payment.ChargesSHA
		}
		for _, c := range []string{payment.ChargesOUR, payment.ChargesSHA, payment.ChargesBEN} {
			charges.Options = append(charges.Options, option{Value: c, Label: msg("web_pay_charges_" + strings.ToLower(c)),
				Selected: c == chosen})
		}
		what.Fields = append(what.Fields, charges)
	}
	if k.Type != payment.International {
		instant := check("instant", "web_pay_instant", "web_pay_instant_hint_"+k.Type, in.Instant)
		what.Fields = append(what.Fields, instant)
	}
	if k.Type == payment.Domestic {
		what.Fields = append(what.Fields, check("urgent", "web_pay_urgent", "web_pay_urgent_hint", in.Urgent))
		if business, _ := s.Customers.IsBusiness(ctx, cust); business {
			// Z7: the business channel may ask for today's value date, or nothing.
			what.Fields = append(what.Fields, check("today", "web_pay_today", "web_pay_today_hint", in.Today))
		}
	}
	page.Groups = []group{who, where, what}

	if k.Type == payment.International {
		why := group{ID: "pay-why", Legend: msg("web_pay_group_purpose")}
		cat := f("purpose_category", "web_pay_purpose_category", "", in.PurposeCategory, 0, true)
		cat.Type = "select"
		cat.Options = []option{{Value: "", Label: msg("web_pay_choose")}}
		for _, c := range payment.PurposeCategories {
			cat.Options = append(cat.Options, option{Value: c, Label: msg("web_pay_purpose_" + strings.ToLower(c)),
				Selected: strings.EqualFold(c, in.PurposeCategory)})
		}
		bcat := f("beneficiary_category", "web_pay_beneficiary_category", "", in.BeneficiaryCat, 0, true)
		bcat.Type = "select"
		bcat.Options = []option{{Value: "", Label: msg("web_pay_choose")}}
		for _, c := range payment.BeneficiaryCategories {
			bcat.Options = append(bcat.Options, option{Value: c, Label: msg("web_pay_beneficiary_category_" + c),
				Selected: strings.EqualFold(c, in.BeneficiaryCat)})
		}
		terms := check("terms", "web_pay_terms", "", in.Terms)
		terms.Required, terms.Link, terms.LinkLabel = true, "/terms", msg("web_pay_terms_link")
		why.Fields = []field{cat, f("purpose", "web_pay_purpose", "web_pay_purpose_hint", in.Purpose, payment.MaxPurpose, true),
			bcat, terms}
		page.Groups = append(page.Groups, why)
	}
	page.Groups = append(page.Groups, group{ID: "pay-save-group", Legend: msg("web_pay_group_save"),
		Fields: []field{check("save", "web_pay_save", "web_pay_save_hint", in.Save)}})
	shown := map[string]bool{}
	for _, g := range page.Groups {
		for _, fl := range g.Fields {
			shown[fl.Name] = true
		}
	}
	for name, problem := range errs {
		if !shown[name] && !slices.Contains(page.Unplaced, problem) {
			page.Unplaced = append(page.Unplaced, problem)
		}
	}
	slices.Sort(page.Unplaced)

	if s.Beneficiaries != nil {
		list, berr := s.Beneficiaries.List(ctx, cust, "")
		if berr != nil {
			return formPage{}, berr
		}
		for _, b := range list {
			if (k.Type == payment.Domestic && !strings.HasPrefix(b.IBAN, "AL")) || (k.Type == payment.SEPA && b.IBAN == "") {
				continue // the picker offers what the type pays; the payment service judges the rest
			}
			label := b.Name
			if b.Nickname != "" {
				label += " (" + b.Nickname + ")"
			}
			page.Saved = append(page.Saved, saved{ID: b.ID, Label: label + " · " + b.Printable()})
		}
	}
	return page, nil
}

func hintOf(msg func(string) string, key string) string {
	if key == "" {
		return ""
	}
	return msg(key)
}

// showForm renders the form of kind k with what was typed and, if err is set, the payment service's problem with it.
func (s *area) showForm(w http.ResponseWriter, r *http.Request, k kind, in input, picked string, err error) {
	in.Type = k.Type
	page, ferr := s.formPage(r, k, in, err)
	if ferr != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, ferr)
		return
	}
	page.Picked = picked
	v := core.View{Title: k.Title, Data: page}
	if err != nil {
		s.problem(w, r, "payment_form", v, err)
		return
	}
	s.Render(w, r, http.StatusOK, "payment_form", v)
}

// formHandler shows kind k's form: empty, filled from a saved beneficiary (?beneficiary=), again from one of the
// customer's payments (?again=, "make it again"), or with what an address carries ("change the details").
func (s *area) formHandler(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		in := inputFrom(q)
		cust := core.SessionOf(r).CustomerID
		var picked string
		if id := q.Get("again"); id != "" {
			p, err := s.Payments.Get(r.Context(), cust, id)
			if err != nil {
				s.notFound(w, r, err)
				return
			}
			in = fromPayment(p)
		}
		if id := q.Get("beneficiary"); id != "" && s.Beneficiaries != nil {
			b, err := s.Beneficiaries.Get(r.Context(), cust, id)
			if err != nil {
				s.showForm(w, r, k, in, "", err)
				return
			}
			in, picked = in.withBeneficiary(b), b.Name
		}
		s.showForm(w, r, k, in, picked, nil)
	}
}

// submitHandler previews the payment of kind k (payment.Service.Preview: every check the payment will meet, its
// funds and the name check) and, when it passes, sends the browser to its review; otherwise the form again with
// each problem beside its field.
func (s *area) submitHandler(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.ParseForm(w, r, "malformed_json") {
			return
		}
		in := inputFrom(r.PostForm)
		in.Type = k.Type
		cust := core.SessionOf(r).CustomerID
		accounts, err := s.accounts(r.Context(), cust)
		if err != nil {
			s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
			return
		}
		typed, err := typedAmount(core.Lang(r), in.Amount)
		if err != nil {
			s.showForm(w, r, k, in, "", err)
			return
		}
		if _, err := s.Payments.Preview(r.Context(), cust, in.request(typed, currencyOf(k, accounts, in))); err != nil {
			s.showForm(w, r, k, in, "", err)
			return
		}
		in.Amount = typed
		http.Redirect(w, r, "/payments/review?"+s.fresh(cust, in).Encode(), http.StatusSeeOther)
	}
}
