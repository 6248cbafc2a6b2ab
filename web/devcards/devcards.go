// Package devcards is the demo bank's card terminal (/dev/cards): a person plays a merchant or an ATM against a
// demo customer's card through the card network sandbox — an authorisation answered at once, approved or declined
// with its reason —, reverses one, and has the network deliver the day's clearing file now. An online purchase
// may ask for 3-D Secure (the default): the page then waits for the holder to approve it in /approvals, and sends
// the authorisation with the approval's reference and authentication value only once approved. Like /dev/clearing, it
// exists only in demo mode with the sandboxes on; `kumbara admin cards clearing` runs the file from the command
// line.
package devcards

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the demo's card terminal: its template and, in demo mode with the card network sandbox only, its routes.
func Area() core.Area {
	return core.Area{Name: "devcards", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		if site.Inbox == nil || site.CardNetwork == nil {
			return nil
		}
		s := &area{site}
		return []core.Route{
			{Method: "GET", Path: "/dev/cards", Policy: core.Public(""), Handler: s.page},
			// The terminal takes a PIN: the card's own three tries count it (httpx.TerminalPIN).
			{Method: "POST", Path: "/dev/cards/authorise", Policy: core.Public(httpx.TerminalPIN), Handler: s.authorise},
			{Method: "POST", Path: "/dev/cards/reverse", Policy: core.Public(""), Handler: s.reverse},
			{Method: "POST", Path: "/dev/cards/clearing", Policy: core.Public(""), Handler: s.clearing},
			{Method: "GET", Path: "/dev/cards/3ds/{ref}", Policy: core.Public(""), Handler: s.secure},
		}
	}}
}

type area struct{ *core.Site }

type cardRow struct{ ID, Label string }

type sentRow struct {
	ID, Card, Amount, Merchant, Answer, Time string
	Approved, Reversible                     bool
}

type pageData struct {
	Cards      []cardRow
	Sent       []sentRow
	Currencies []money.Currency
	Modes      []string
	Form       map[string]string
	Answer     *answer
	Secure     *secure // the 3-D Secure step of an online purchase
}

type answer struct {
	Approved bool
	Text     string
}

// demoCards are the demo customers' cards, masked.
func (s *area) demoCards(r *http.Request) ([]card.Card, error) {
	var ids []string
	for _, l := range demo.Logins {
		c, err := s.Customers.ByClientNumber(r.Context(), l.ClientNumber)
		if err != nil {
			continue
		}
		ids = append(ids, c.ID)
	}
	return s.CardNetwork.CardsOf(r.Context(), ids)
}

func (s *area) data(r *http.Request) (pageData, error) {
	d := pageData{Currencies: money.Currencies(), Modes: []string{issuing.EntryChip, issuing.EntryContactless,
		issuing.EntryMagstripe, issuing.EntryEcommerce}, Form: map[string]string{"currency": "ALL", "terminal": "shop",
		"merchant": "Supermarket Conad", "country": "AL", "mode": issuing.EntryChip, "threeds": "1"}}
	for _, k := range []string{"card", "terminal", "amount", "currency", "merchant", "country", "mode"} {
		if v := r.PostFormValue(k); v != "" {
			d.Form[k] = v
		}
	}
	if r.Method == http.MethodPost && r.PostForm.Has("amount") {
		// An unticked box sends nothing: on the terminal's form sent, 3-D Secure is what it said.
		d.Form["threeds"] = r.PostFormValue("threeds")
	}
	cards, err := s.demoCards(r)
	if err != nil {
		return d, err
	}
	masked := map[string]string{}
	for _, c := range cards {
		label := c.Masked + " · " + string(c.Type)
		if c.Status != card.Active {
			label += " (" + string(c.Status) + ")"
		}
		masked[c.ID] = c.Masked
		d.Cards = append(d.Cards, cardRow{ID: c.ID, Label: label})
	}
	sent, err := s.CardNetwork.Recent(r.Context(), 20)
	if err != nil {
		return d, err
	}
	for _, x := range sent {
		row := sentRow{ID: x.ID, Card: masked[x.CardID], Amount: x.Amount.Decimal() + " " + string(x.Amount.Currency),
			Merchant: x.Merchant, Approved: x.Approved, Time: x.At.In(clock.Tirane).Format("02.01.2006 15:04:05"),
			Reversible: x.Approved && !x.Reversed && !x.Presented && x.ParentID == ""}
		row.Answer = s.Message(r, "web_devcards_approved", nil)
		if !x.Approved {
			row.Answer = s.Message(r, "web_devcards_reason_"+x.Reason, nil)
		}
		if x.Reversed {
			row.Answer = s.Message(r, "web_devcards_reversed", nil)
		}
		d.Sent = append(d.Sent, row)
	}
	return d, nil
}

func (s *area) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.show(w, r, http.StatusOK, "", nil, nil)
}

// show renders the page with a notice, the terminal's answer or a problem.
func (s *area) show(w http.ResponseWriter, r *http.Request, status int, notice string, a *answer, problem error) {
	d, err := s.data(r)
	if err != nil {
		problem = err
	}
	d.Answer = a
	s.render(w, r, status, notice, d, problem)
}

func (s *area) render(w http.ResponseWriter, r *http.Request, status int, notice string, d pageData, problem error) {
	v := core.View{Title: "web_devcards_title", Data: d, Notice: notice}
	if problem != nil {
		s.Problem(w, r, "devcards", v, problem)
		return
	}
	s.Render(w, r, status, "devcards", v)
}

// authorise sends the terminal's request: a shop's purchase or an ATM's withdrawal (MCC 6011, PIN asked).
func (s *area) authorise(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	cur, err := money.ParseCurrency(strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))))
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", nil, err)
		return
	}
	mark := ','
	if core.Lang(r) == i18n.EN {
		mark = '.'
	}
	typed, err := money.Typed(r.PostFormValue("amount"), mark)
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", nil, err)
		return
	}
	amount, err := money.ParsePositive(typed, cur)
	if err != nil {
		s.show(w, r, http.StatusBadRequest, "", nil, err)
		return
	}
	req := issuing.Request{ID: uuid.Must(uuid.NewV7()).String(), CardID: r.PostFormValue("card"), Amount: amount,
		Merchant: strings.TrimSpace(r.PostFormValue("merchant")), MCC: "5411",
		Country: strings.ToUpper(strings.TrimSpace(r.PostFormValue("country"))), CardPresent: true,
		EntryMode: r.PostFormValue("mode"), PIN: r.PostFormValue("pin")}
	if req.EntryMode == issuing.EntryEcommerce {
		req.CardPresent = false
	}
	if r.PostFormValue("terminal") == "atm" {
		req.MCC, req.CardPresent, req.Merchant = "6011", true, "ATM Banka Kumbara"
		if req.EntryMode == issuing.EntryEcommerce {
			req.EntryMode = issuing.EntryChip
		}
	}
	if req.Merchant == "" {
		req.Merchant = "Supermarket Conad"
	}
	if req.EntryMode == issuing.EntryEcommerce && r.PostFormValue("threeds") != "" && s.ThreeDS != nil {
		s.askHolder(w, r, req)
		return
	}
	a, err := s.CardNetwork.Authorise(r.Context(), req)
	if err != nil {
		s.show(w, r, http.StatusUnprocessableEntity, "", nil, err)
		return
	}
	s.show(w, r, http.StatusOK, "", s.answerOf(r, a), nil)
}

// answerOf is the issuer's answer as the terminal shows it.
func (s *area) answerOf(r *http.Request, a issuing.Answer) *answer {
	out := &answer{Approved: a.Approved, Text: s.Message(r, "web_devcards_approved", nil)}
	if !a.Approved {
		out.Text = s.Message(r, "web_devcards_reason_"+string(a.Reason), nil)
		if a.Control != "" {
			out.Text += " (" + s.Message(r, "web_devcards_control_"+a.Control, nil) + ")"
		}
	}
	return out
}

func (s *area) reverse(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	if err := s.CardNetwork.Reverse(r.Context(), r.PostFormValue("id")); err != nil {
		s.show(w, r, http.StatusConflict, "", nil, err)
		return
	}
	s.show(w, r, http.StatusOK, s.Message(r, "web_devcards_reversed", nil), nil, nil)
}

func (s *area) clearing(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	res, err := s.CardNetwork.RunClearing(r.Context(), calendar.DateOf(s.Clock.Now()))
	if err != nil {
		s.show(w, r, http.StatusServiceUnavailable, "", nil, err)
		return
	}
	s.show(w, r, http.StatusOK, s.Message(r, "web_devcards_cleared", map[string]string{"posted": itoa(res.Posted),
		"repeated": itoa(res.Repeated)}), nil, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
