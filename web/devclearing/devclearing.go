// Package devclearing is the demo bank's page of the clearing-house sandbox (/dev/clearing): another bank sends a
// customer a payment, a clearing session runs now, and the messages the sandbox exchanged with the bank are
// listed. Like the demo inbox, it exists only in demo mode with the payment sandbox on; `kumbara admin clearing`
// does the same from the command line.
package devclearing

import (
	"embed"
	"net/http"
	"strings"

	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the demo's clearing page: its template and, in demo mode with the payment sandbox only, its routes.
func Area() core.Area {
	return core.Area{Name: "devclearing", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		if site.Inbox == nil || site.ClearingHouse == nil || site.Payments == nil {
			return nil
		}
		s := &area{site}
		return []core.Route{
			{Method: "GET", Path: "/dev/clearing", Policy: core.Public(""), Handler: s.page},
			{Method: "POST", Path: "/dev/clearing/inbound", Policy: core.Public(""), Handler: s.inbound},
			{Method: "POST", Path: "/dev/clearing/session", Policy: core.Public(""), Handler: s.session},
		}
	}}
}

type area struct{ *core.Site }

type row struct {
	ID, Name, Scheme, Status, Time string
	ToBank                         bool
}

type pageData struct {
	Messages   []row
	Schemes    []string
	Currencies []money.Currency
	Form       map[string]string
}

func (s *area) data(r *http.Request) (pageData, error) {
	d := pageData{Schemes: payment.Schemes(), Currencies: money.Currencies(), Form: map[string]string{"currency": "ALL", "scheme": "aech"}}
	for _, k := range []string{"iban", "amount", "currency", "name", "remittance", "scheme"} {
		if v := r.PostFormValue(k); v != "" {
			d.Form[k] = v
		}
	}
	msgs, err := s.ClearingHouse.Recent(r.Context(), 20)
	if err != nil {
		return d, err
	}
	for _, m := range msgs {
		d.Messages = append(d.Messages, row{ID: m.ID, Name: m.Name, Scheme: m.Scheme, Status: m.Status, ToBank: m.ToBank,
			Time: m.At.In(clock.Tirane).Format("02.01.2006 15:04:05")})
	}
	return d, nil
}

func (s *area) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.show(w, r, http.StatusOK, "", nil)
}

// show renders the page with a notice or a problem.
func (s *area) show(w http.ResponseWriter, r *http.Request, status int, notice string, problem error) {
	d, err := s.data(r)
	if err != nil {
		problem = err
	}
	v := core.View{Title: "web_devch_title", Data: d, Notice: notice}
	if problem != nil {
		s.Problem(w, r, "devclearing", v, problem)
		return
	}
	s.Render(w, r, status, "devclearing", v)
}

func (s *area) inbound(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	to, err := iban.Parse(r.PostFormValue("iban"))
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", err)
		return
	}
	cur, err := money.ParseCurrency(strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))))
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", err)
		return
	}
	mark := ','
	if core.Lang(r) == i18n.EN {
		mark = '.'
	}
	typed, err := money.Typed(r.PostFormValue("amount"), mark)
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", err)
		return
	}
	amount, err := money.ParsePositive(typed, cur)
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = "Alba Trade Shpk"
	}
	_, err = s.ClearingHouse.Inject(r.Context(), clearinghouse.Inbound{IBAN: to, Amount: amount, Name: name,
		Remittance: strings.TrimSpace(r.PostFormValue("remittance")), Scheme: r.PostFormValue("scheme")})
	if err != nil {
		s.show(w, r, http.StatusUnprocessableEntity, "", err)
		return
	}
	s.show(w, r, http.StatusOK, s.Message(r, "web_devch_sent", nil), nil)
}

func (s *area) session(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	if _, err := s.Payments.RunSession(r.Context()); err != nil {
		s.show(w, r, http.StatusServiceUnavailable, "", err)
		return
	}
	if _, err := s.ClearingHouse.Work(r.Context()); err != nil {
		s.show(w, r, http.StatusServiceUnavailable, "", err)
		return
	}
	s.show(w, r, http.StatusOK, s.Message(r, "web_devch_session_done", nil), nil)
}
