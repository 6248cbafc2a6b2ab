package creditcards

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/web/core"
)

// option is one choice of a select or a set of radio buttons: Label is a catalogue key, Text a value shown as is.
type option struct {
	Value, Label, Text string
	Selected           bool
}

// field is one input of a form.
type field struct {
	Name, Label, Kind, Value, Hint, Mode string // Kind: select, radio, text, password
	Options                              []option
}

// kv is a hidden input.
type kv struct{ Name, Value string }

// row is one line of a review or a result: Label a catalogue key, Value shown as is.
type row struct {
	ID, Label, Value string
	Strong           bool
}

// page is every page of the area but the statements: a form, a review to confirm, or a result.
type page struct {
	Card                 *header
	Heading, Intro       string // catalogue keys
	Action, Submit, Back string // Submit a catalogue key
	Fields               []field
	Rows                 []row
	Hidden               []kv
	Done                 bool
	Links                []row // Label a catalogue key, Value the address
	Nav                  bool  // the card's actions, on its statements page
	Statements           []statementRow
	Statement            []row
	Lines                []lineRow
	Plans                []planRow
	Empty                string // a catalogue key, when a list has nothing
}

func (s *area) render(w http.ResponseWriter, r *http.Request, p page, err error) {
	v := core.View{Title: p.Heading, Data: p}
	if err != nil {
		s.Problem(w, r, "cc_page", v, err)
		return
	}
	s.Render(w, r, http.StatusOK, "cc_page", v)
}

func (s *area) headerOf(sum creditcard.Summary, r *http.Request) *header {
	h := s.header(sum, core.Lang(r))
	return &h
}

func base(id string) string { return "/cards/" + url.PathEscape(id) }

// ---- Paying the card (F17) ----

func kindOptions(selected string) []option {
	if selected == "" {
		selected = creditcard.PayMinimum
	}
	var out []option
	for _, k := range []string{creditcard.PayMinimum, creditcard.PayRemaining, creditcard.PayOther} {
		out = append(out, option{Value: k, Label: "web_cc_pay_" + k, Selected: k == selected})
	}
	return out
}

func (s *area) payPage(r *http.Request, sum creditcard.Summary, v url.Values) (page, error) {
	accounts, err := s.currentAccounts(r.Context(), sum.CustomerID, sum.Currency, core.Lang(r), v.Get("from"))
	if err != nil {
		return page{}, err
	}
	return page{Card: s.headerOf(sum, r), Heading: "web_cc_pay_title", Intro: "web_cc_pay_intro",
		Action: base(sum.CardID) + "/pay", Submit: "web_cc_continue", Back: base(sum.CardID) + "/statements",
		Fields: []field{{Name: "from", Label: "web_cc_from", Kind: "select", Options: accounts},
			{Name: "kind", Label: "web_cc_pay_kind", Kind: "radio", Options: kindOptions(v.Get("kind"))},
			{Name: "amount", Label: "web_cc_amount", Kind: "text", Mode: "decimal", Value: v.Get("amount"),
				Hint: "web_cc_amount_hint"}}}, nil
}

func (s *area) payForm(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	p, err := s.payPage(r, sum, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, p, nil)
}

// payRequest reads the payment's form: the amount only for "other".
func payRequest(r *http.Request, sum creditcard.Summary) (creditcard.PayRequest, error) {
	f := r.PostForm
	req := creditcard.PayRequest{FromAccountID: f.Get("from"), Kind: f.Get("kind"), IdempotencyKey: f.Get("key")}
	if req.Kind == creditcard.PayOther || req.Kind == "" {
		a, err := typed(core.Lang(r), strings.TrimSpace(f.Get("amount")), sum.Currency)
		if err != nil {
			return req, err
		}
		req.Amount = a
	}
	return req, nil
}

func (s *area) pay(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f := r.Context(), core.Lang(r), r.PostForm
	req, err := payRequest(r, sum)
	if err == nil {
		req.Preview = f.Get("step") != "confirm"
		var paid creditcard.Payment
		if paid, err = s.Credit.Pay(ctx, sum.CustomerID, sum.CardID, req); err == nil {
			rows := []row{{"cc-card", "web_cc_card", sum.Card.Masked, false},
				{"cc-from", "web_cc_from", s.accountLabel(ctx, sum.CustomerID, req.FromAccountID, l), false},
				{"cc-kind", "web_cc_pay_kind", s.Message(r, "web_cc_pay_"+req.Kind, nil), false},
				{"cc-amount", "web_cc_amount", amount(paid.Amount, paid.Currency, l), true}}
			if req.Preview {
				s.render(w, r, s.review(sum, r, "web_cc_pay_title", "/pay", rows, []kv{{"from", req.FromAccountID},
					{"kind", req.Kind}, {"amount", f.Get("amount")}}), nil)
				return
			}
			s.done(w, r, sum, "web_cc_paid", rows)
			return
		}
	}
	p, perr := s.payPage(r, sum, f)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	s.render(w, r, p, err)
}

// review is the confirmation page of an action at base+path: what will happen, and the button that does it.
func (s *area) review(sum creditcard.Summary, r *http.Request, heading, path string, rows []row, hidden []kv) page {
	hidden = append(hidden, kv{"step", "confirm"}, kv{"key", newKey()})
	return page{Card: s.headerOf(sum, r), Heading: heading, Intro: "web_cc_review_intro", Action: base(sum.CardID) + path,
		Submit: "web_cc_confirm", Back: base(sum.CardID) + path, Rows: rows, Hidden: hidden}
}

// done is the result of a confirmed action.
func (s *area) done(w http.ResponseWriter, r *http.Request, sum creditcard.Summary, heading string, rows []row) {
	if fresh, err := s.Credit.Summary(r.Context(), sum.CustomerID, sum.CardID); err == nil {
		sum = fresh
	}
	s.render(w, r, page{Card: s.headerOf(sum, r), Heading: heading, Intro: "web_cc_done_intro", Rows: rows, Done: true,
		Links: []row{{"cc-statements", "web_cc_statements", base(sum.CardID) + "/statements", false}}}, nil)
}

// ---- Cash advance (F16) ----

func (s *area) cashPage(r *http.Request, sum creditcard.Summary, v url.Values) (page, error) {
	accounts, err := s.currentAccounts(r.Context(), sum.CustomerID, sum.Currency, core.Lang(r), v.Get("to"))
	if err != nil {
		return page{}, err
	}
	return page{Card: s.headerOf(sum, r), Heading: "web_cc_cash_title", Intro: "web_cc_cash_intro",
		Action: base(sum.CardID) + "/cash-advance", Submit: "web_cc_continue", Back: base(sum.CardID) + "/statements",
		Fields: []field{{Name: "to", Label: "web_cc_to", Kind: "select", Options: accounts},
			{Name: "amount", Label: "web_cc_amount", Kind: "text", Mode: "decimal", Value: v.Get("amount")}}}, nil
}

func (s *area) cashForm(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	p, err := s.cashPage(r, sum, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, p, nil)
}

func (s *area) cash(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f := r.Context(), core.Lang(r), r.PostForm
	minor, err := typed(l, strings.TrimSpace(f.Get("amount")), sum.Currency)
	if err == nil {
		req := creditcard.CashAdvanceRequest{ToAccountID: f.Get("to"), Amount: minor,
			Confirm: f.Get("step") == "confirm", IdempotencyKey: f.Get("key")}
		var ca creditcard.CashAdvance
		if ca, err = s.Credit.CashAdvance(ctx, sum.CustomerID, sum.CardID, req); err == nil {
			rows := []row{{"cc-to", "web_cc_to", s.accountLabel(ctx, sum.CustomerID, req.ToAccountID, l), false},
				{"cc-amount", "web_cc_amount", amount(ca.Amount, ca.Currency, l), false},
				{"cc-fee", "web_cc_fee", amount(ca.Fee, ca.Currency, l), false},
				{"cc-total", "web_cc_total", amount(ca.Amount+ca.Fee, ca.Currency, l), true}}
			if !req.Confirm {
				s.render(w, r, s.review(sum, r, "web_cc_cash_title", "/cash-advance", rows,
					[]kv{{"to", req.ToAccountID}, {"amount", f.Get("amount")}}), nil)
				return
			}
			s.done(w, r, sum, "web_cc_cash_done", rows)
			return
		}
	}
	p, perr := s.cashPage(r, sum, f)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	s.render(w, r, p, err)
}

// ---- Automatic payment (F14) ----

func (s *area) autoPage(r *http.Request, sum creditcard.Summary, v url.Values) (page, error) {
	sel := v.Get("account")
	if sel == "" {
		sel = sum.AutoAccountID
	}
	accounts, err := s.currentAccounts(r.Context(), sum.CustomerID, sum.Currency, core.Lang(r), sel)
	if err != nil {
		return page{}, err
	}
	pct := v.Get("percent")
	if pct == "" {
		pct = strconv.Itoa(sum.AutoPercent)
	}
	var opts []option
	for _, p := range []string{"25", "100", "0"} {
		opts = append(opts, option{Value: p, Label: "web_cc_auto_" + p, Selected: p == pct})
	}
	return page{Card: s.headerOf(sum, r), Heading: "web_cc_auto_title", Intro: "web_cc_auto_intro",
		Action: base(sum.CardID) + "/auto-payment", Submit: "web_cc_continue", Back: base(sum.CardID) + "/statements",
		Fields: []field{{Name: "percent", Label: "web_cc_auto_level", Kind: "radio", Options: opts},
			{Name: "account", Label: "web_cc_from", Kind: "select", Options: accounts}}}, nil
}

func (s *area) autoForm(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	p, err := s.autoPage(r, sum, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, p, nil)
}

func (s *area) auto(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f := r.Context(), core.Lang(r), r.PostForm
	pct, err := strconv.Atoi(f.Get("percent"))
	if err != nil {
		pct = -1 // the domain's refusal names it
	}
	rows := []row{{"cc-level", "web_cc_auto_level", s.Message(r, "web_cc_auto_"+f.Get("percent"), nil), true}}
	if pct > 0 {
		rows = append(rows, row{"cc-from", "web_cc_from", s.accountLabel(ctx, sum.CustomerID, f.Get("account"), l), false})
	}
	if f.Get("step") != "confirm" && pct >= 0 {
		s.render(w, r, s.review(sum, r, "web_cc_auto_title", "/auto-payment", rows,
			[]kv{{"percent", f.Get("percent")}, {"account", f.Get("account")}}), nil)
		return
	}
	if err = s.Credit.SetAutoPayment(ctx, sum.CustomerID, sum.CardID, pct, f.Get("account")); err == nil {
		s.done(w, r, sum, "web_cc_auto_done", rows)
		return
	}
	p, perr := s.autoPage(r, sum, f)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	s.render(w, r, p, err)
}

// ---- Limits (F12, F13) ----

func (s *area) limitsPage(r *http.Request, sum creditcard.Summary, v url.Values) page {
	internet, supp := v.Get("internet"), v.Get("supplementary")
	if internet == "" {
		internet = strconv.Itoa(sum.InternetPercent)
	}
	if supp == "" {
		supp = strconv.Itoa(sum.SupplementaryPercent)
	}
	return page{Card: s.headerOf(sum, r), Heading: "web_cc_limits_title", Intro: "web_cc_limits_intro",
		Action: base(sum.CardID) + "/limits", Submit: "web_cc_continue", Back: base(sum.CardID) + "/statements",
		Fields: []field{{Name: "internet", Label: "web_cc_internet", Kind: "text", Mode: "numeric", Value: internet,
			Hint: "web_cc_percent_hint"},
			{Name: "supplementary", Label: "web_cc_supplementary", Kind: "text", Mode: "numeric", Value: supp,
				Hint: "web_cc_percent_hint"}}}
}

func (s *area) limitsForm(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	s.render(w, r, s.limitsPage(r, sum, r.URL.Query()), nil)
}

// percent reads a percentage; what is not a whole number is -1, which the domain refuses with its code.
func percent(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%")))
	if err != nil {
		return -1
	}
	return n
}

func (s *area) limits(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f := r.Context(), core.Lang(r), r.PostForm
	internet, supp := percent(f.Get("internet")), percent(f.Get("supplementary"))
	rows := []row{{"cc-internet", "web_cc_internet", strconv.Itoa(internet) + " % · " +
		amount(sum.Limit*int64(max(internet, 0))/100, sum.Currency, l), true},
		{"cc-supplementary", "web_cc_supplementary", strconv.Itoa(supp) + " %", false}}
	if f.Get("step") != "confirm" {
		p := s.review(sum, r, "web_cc_limits_title", "/limits", rows,
			[]kv{{"internet", f.Get("internet")}, {"supplementary", f.Get("supplementary")}})
		p.Fields = []field{{Name: "pin", Label: "web_cc_pin", Kind: "password", Mode: "numeric", Hint: "web_cc_pin_hint"}}
		s.render(w, r, p, nil)
		return
	}
	err := s.Credit.SetInternetLimit(ctx, sum.CustomerID, sum.CardID, internet, f.Get("pin"))
	if err == nil && supp != sum.SupplementaryPercent {
		err = s.Credit.SetSupplementaryLimit(ctx, sum.CustomerID, sum.CardID, supp)
	}
	if err == nil {
		s.done(w, r, sum, "web_cc_limits_done", rows)
		return
	}
	s.render(w, r, s.limitsPage(r, sum, f), err)
}

// ---- Paying another card by its number (Y17) ----

func (s *area) otherPage(r *http.Request, v url.Values) (page, error) {
	ws := core.SessionOf(r)
	accounts, err := s.currentAccounts(r.Context(), ws.CustomerID, "ALL", core.Lang(r), v.Get("from"))
	if err != nil {
		return page{}, err
	}
	return page{Heading: "web_cc_other_title", Intro: "web_cc_other_intro", Action: "/cards/pay",
		Submit: "web_cc_continue", Back: "/", Fields: []field{
			{Name: "number", Label: "web_cc_number", Kind: "text", Mode: "numeric", Value: v.Get("number")},
			{Name: "from", Label: "web_cc_from", Kind: "select", Options: accounts},
			{Name: "amount", Label: "web_cc_amount", Kind: "text", Mode: "decimal", Value: v.Get("amount")}}}, nil
}

func (s *area) otherForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.otherPage(r, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, p, nil)
}

func (s *area) payOther(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f, customerID := r.Context(), core.Lang(r), r.PostForm, core.SessionOf(r).CustomerID
	payee, cr, err := s.Credit.FindPayee(ctx, f.Get("number"))
	if err == nil {
		var minor int64
		if minor, err = typed(l, strings.TrimSpace(f.Get("amount")), cr.Currency); err == nil {
			req := creditcard.PayRequest{FromAccountID: f.Get("from"), Kind: creditcard.PayOther, Amount: minor,
				IdempotencyKey: f.Get("key"), Preview: f.Get("step") != "confirm"}
			var paid creditcard.Payment
			if paid, err = s.Credit.PayByNumber(ctx, customerID, f.Get("number"), req); err == nil {
				rows := []row{{"cc-card", "web_cc_card", payee.Masked, false},
					{"cc-holder", "web_cc_holder", payee.Holder, false},
					{"cc-from", "web_cc_from", s.accountLabel(ctx, customerID, req.FromAccountID, l), false},
					{"cc-amount", "web_cc_amount", amount(paid.Amount, paid.Currency, l), true}}
				if req.Preview {
					s.render(w, r, page{Heading: "web_cc_other_title", Intro: "web_cc_review_intro",
						Action: "/cards/pay", Submit: "web_cc_confirm", Back: "/cards/pay", Rows: rows,
						Hidden: []kv{{"number", f.Get("number")}, {"from", req.FromAccountID},
							{"amount", f.Get("amount")}, {"step", "confirm"}, {"key", newKey()}}}, nil)
					return
				}
				s.render(w, r, page{Heading: "web_cc_paid", Intro: "web_cc_done_intro", Rows: rows, Done: true}, nil)
				return
			}
		}
	}
	p, perr := s.otherPage(r, f)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p.Fields[0].Value = "" // the number is not written back into the page
	s.render(w, r, p, err)
}
