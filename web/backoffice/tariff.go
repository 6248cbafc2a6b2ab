package backoffice

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/web/core"
)

const tariffPath = Prefix + "/tariff"

// The payment tariff: the rates in force and the latest versions (payments.read, every role), and for a member
// who maintains it (tariff.manage) a form that asks for a new rate — a rate's "change" fills it — which waits for a
// second member's approval (four-eyes, as `kumbara admin tariff set`): the page then names the request.
func (s *Server) tariffRoutes() []Route {
	return []Route{
		{Method: "GET", Path: tariffPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.tariffPage},
		{Method: "POST", Path: tariffPath, Policy: Staffed(""), Permission: staff.TariffManage, Handler: s.setTariff},
	}
}

// TariffHistoryShown is how many of the tariff's latest versions the page lists.
const TariffHistoryShown = 20

// tariffData is the tariff's page.
type tariffData struct {
	Schemes []rateGroup // the rates in force, by scheme
	History []rateRow   // the latest versions staff set, newest first
	Form    tariffForm
}

// rateGroup is one scheme's rates in force.
type rateGroup struct {
	Scheme, Name string
	Rates        []rateRow
}

// rateRow is a rate as the pages show it: its scheme and charges named in the page's language.
type rateRow struct {
	tariff.Rate
	SchemeName, ChargesName string
	PercentText             string // "0,15 %" the page's way; "" for none
	Default                 bool   // the migration's default, in force since always
	Change                  string // the address that fills the form with it
}

// tariffForm is a rate as typed, with the choices of its lists.
type tariffForm struct {
	Scheme, Charges, Currency                     string
	Fixed, Percent, Min, Max, Correspondent       string
	SchemeChoices, ChargeChoices, CurrencyChoices []option
}

// option is one option of a list, chosen or not.
type option struct {
	Value, Label string
	Selected     bool
}

// selectField is one labelled list of a form with its problem, as the "select" template writes it.
type selectField struct {
	ID, Label, Problem string
	Options            []option
}

// Select describes a form's list: name (its id and form name), the catalogue key of its label, and its options.
func (v View) Select(name, label string, options []option) selectField {
	return selectField{ID: name, Label: v.T(label), Problem: v.Field(name), Options: options}
}

// rateRow says r in the page's language.
func (s *Server) rateRow(r *http.Request, rt tariff.Rate) rateRow {
	row := rateRow{Rate: rt, SchemeName: s.message(r, "web_bo_scheme_"+rt.Scheme, nil),
		ChargesName: s.message(r, "web_bo_charges_"+strings.ToLower(rt.Charges), nil),
		Default:     rt.ValidFrom.UnixMicro() == 0,
		Change: tariffPath + "?" + url.Values{"scheme": {rt.Scheme}, "charges": {rt.Charges},
			"currency": {string(rt.Currency)}}.Encode() + "#tariff-form"}
	if rt.Percent != "" {
		p := rt.Percent
		if core.Lang(r) == i18n.SQ {
			p = strings.ReplaceAll(p, ".", ",")
		}
		row.PercentText = p + " %"
	}
	return row
}

// tariffForm is f with its lists, each with f's choice selected.
func (s *Server) tariffForm(r *http.Request, f tariffForm) tariffForm {
	f.SchemeChoices, f.ChargeChoices, f.CurrencyChoices = nil, nil, nil
	for _, sc := range tariff.Schemes() {
		f.SchemeChoices = append(f.SchemeChoices, option{Value: sc, Label: s.message(r, "web_bo_scheme_"+sc, nil),
			Selected: sc == f.Scheme})
	}
	for _, c := range tariff.ChargesAll() {
		f.ChargeChoices = append(f.ChargeChoices, option{Value: c,
			Label: s.message(r, "web_bo_charges_"+strings.ToLower(c), nil), Selected: c == f.Charges})
	}
	for _, c := range money.Currencies() {
		f.CurrencyChoices = append(f.CurrencyChoices, option{Value: string(c), Label: string(c),
			Selected: string(c) == f.Currency})
	}
	return f
}

func (s *Server) tariffPage(w http.ResponseWriter, r *http.Request) {
	var v View
	s.flash(r, &v)
	var f tariffForm
	// ?scheme=&charges=&currency= fills the form with that rate in force, to change it.
	if q := r.URL.Query(); q.Get("scheme") != "" && MemberOf(r).Can(staff.TariffManage) {
		f = tariffForm{Scheme: q.Get("scheme"), Charges: q.Get("charges"), Currency: q.Get("currency")}
		if rates, err := s.Tariff.Current(r.Context()); err == nil {
			for _, rt := range rates {
				if rt.Scheme == f.Scheme && rt.Charges == f.Charges && string(rt.Currency) == f.Currency {
					dec := func(minor int64) string { return money.New(minor, rt.Currency).Decimal() }
					f.Fixed, f.Percent, f.Min, f.Max = dec(rt.Fixed), rt.Percent, dec(rt.Min), dec(rt.Max)
					f.Correspondent = dec(rt.Correspondent)
				}
			}
		}
	}
	s.showTariff(w, r, http.StatusOK, v, f)
}

// showTariff renders the tariff as it is now, with v's notice or problem and the form f.
func (s *Server) showTariff(w http.ResponseWriter, r *http.Request, status int, v View, f tariffForm) {
	ctx := r.Context()
	rates, err := s.Tariff.Current(ctx)
	var hist []tariff.Rate
	if err == nil {
		hist, err = s.Tariff.History(ctx, "", TariffHistoryShown)
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := tariffData{Form: s.tariffForm(r, f)}
	for _, rt := range rates {
		row := s.rateRow(r, rt)
		if n := len(d.Schemes); n == 0 || d.Schemes[n-1].Scheme != rt.Scheme {
			d.Schemes = append(d.Schemes, rateGroup{Scheme: rt.Scheme, Name: row.SchemeName})
		}
		last := &d.Schemes[len(d.Schemes)-1]
		last.Rates = append(last.Rates, row)
	}
	// The default tariff is in force since always, which the rates say; the history is what staff changed.
	for _, rt := range hist {
		if row := s.rateRow(r, rt); !row.Default {
			d.History = append(d.History, row)
		}
	}
	v.Title, v.Data = "web_bo_tariff_title", d
	s.render(w, r, status, "tariff", v)
}

// setTariff asks for the rate typed, which waits for a second member: the page then names the request. A refusal
// is said on the form, each field's problem beside it, with what was typed kept. Amounts are typed the page's way
// (money.Typed) in the rate's currency, an empty one is none; the percentage takes the page's decimal mark too.
func (s *Server) setTariff(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	pf := r.PostForm
	f := tariffForm{Scheme: pf.Get("scheme"), Charges: pf.Get("charges"), Currency: pf.Get("currency"),
		Fixed: pf.Get("fixed"), Percent: pf.Get("percent"), Min: pf.Get("min"), Max: pf.Get("max"),
		Correspondent: pf.Get("correspondent")}
	rt := tariff.Rate{Scheme: f.Scheme, Charges: f.Charges, Currency: money.Currency(f.Currency),
		Percent: decimalPoint(f.Percent)}
	var fields []kumbara.FieldError
	if rt.Currency.Valid() {
		for _, a := range []struct {
			field, typed string
			minor        *int64
		}{{"fixed", f.Fixed, &rt.Fixed}, {"min", f.Min, &rt.Min}, {"max", f.Max, &rt.Max},
			{"correspondent", f.Correspondent, &rt.Correspondent}} {
			if strings.TrimSpace(a.typed) == "" {
				continue
			}
			dec, err := typedAmount(r, a.typed)
			var amt money.Amount
			if err == nil {
				amt, err = money.ParseDecimal(dec, rt.Currency)
			}
			if e, ok := kumbara.As(err); ok {
				fields = append(fields, e.At(a.field))
				continue
			}
			*a.minor = amt.Minor
		}
	}
	refuse := func(err error) {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showTariff(w, r, status, v, f)
		})
	}
	if len(fields) > 0 {
		refuse(kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	o, err := s.Operations.SetTariff(r.Context(), MemberOf(r), rt)
	if err != nil {
		refuse(err)
		return
	}
	answered(w, r, tariffPath, o, "")
}

// decimalPoint is a number typed with a decimal comma ("0,15") written with a point, as the tariff reads it.
func decimalPoint(s string) string {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}
