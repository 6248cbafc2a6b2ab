package creditcards

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/core"
)

// statementRow is one statement in the list (F18).
type statementRow struct {
	ID, Cut, Total, Minimum, Due string
}

// lineRow is one transaction of a statement; Split links a purchase to its instalment offers (F20).
type lineRow struct {
	When, Description, Amount, Split string
	Credit                           bool
}

// planRow is an instalment plan.
type planRow struct {
	ID, Offer, Principal, Fee, Progress, Status string
	Open                                        bool
}

// statements is the card's page: its figures (F11), its actions and its statements (F18).
func (s *area) statements(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	list, err := s.Credit.Statements(r.Context(), sum.CustomerID, sum.CardID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := core.Lang(r)
	p := page{Card: s.headerOf(sum, r), Heading: "web_cc_statements", Nav: true, Empty: "web_cc_no_statements"}
	for _, st := range list {
		p.Statements = append(p.Statements, statementRow{ID: st.ID, Cut: i18n.FormatDate(st.CutDate.Start(), l),
			Total: amount(st.TotalDue, sum.Currency, l), Minimum: amount(st.MinimumDue, sum.Currency, l),
			Due: i18n.FormatDate(st.DueDate.Start(), l)})
	}
	s.render(w, r, p, nil)
}

// statement is one statement with its figures and transactions (F18).
func (s *area) statement(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	st, lines, err := s.Credit.StatementLines(r.Context(), sum.CustomerID, sum.CardID, r.PathValue("sid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, cur := core.Lang(r), sum.Currency
	a := func(v int64) string { return amount(v, cur, l) }
	p := page{Card: s.headerOf(sum, r), Heading: "web_cc_statement", Back: base(sum.CardID) + "/statements",
		Empty: "web_cc_no_lines", Statement: []row{
			{"st-period", "web_cc_period", i18n.FormatDate(st.PeriodFrom.Start(), l) + " – " + i18n.FormatDate(st.CutDate.Start(), l), false},
			{"st-previous", "web_cc_previous", a(st.PreviousBalance), false},
			{"st-purchases", "web_cc_purchases", a(st.Purchases), false},
			{"st-cash", "web_cc_cash", a(st.Cash), false},
			{"st-payments", "web_cc_payments", a(st.Payments), false},
			{"st-interest", "web_cc_interest", a(st.Interest), false},
			{"st-fees", "web_cc_fees", a(st.Fees), false},
			{"st-unbilled", "web_cc_unbilled", a(st.Unbilled), false},
			{"st-total", "web_cc_total_due", a(st.TotalDue), true},
			{"st-minimum", "web_cc_minimum_due", a(st.MinimumDue), true},
			{"st-due", "web_cc_due_date", i18n.FormatDate(st.DueDate.Start(), l), true},
			{"st-points", "web_cc_points", strconv.FormatInt(st.Points, 10), false}}}
	for _, ln := range lines {
		row := lineRow{When: i18n.FormatDate(ln.PostedAt, l), Description: ln.Description, Amount: a(ln.Amount),
			Credit: ln.Amount > 0}
		if ln.Kind == creditcard.KindPurchase {
			row.Split = base(sum.CardID) + "/instalments?tid=" + url.QueryEscape(ln.EntryID)
		}
		p.Lines = append(p.Lines, row)
	}
	s.render(w, r, p, nil)
}

// instalments lists the card's plans and, for ?tid, the offers for that purchase (F20).
func (s *area) instalments(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok {
		return
	}
	p, err := s.instalmentsPage(r, sum, r.URL.Query().Get("tid"))
	s.render(w, r, p, err)
}

func (s *area) instalmentsPage(r *http.Request, sum creditcard.Summary, tid string) (page, error) {
	ctx, l := r.Context(), core.Lang(r)
	p := page{Card: s.headerOf(sum, r), Heading: "web_cc_instalments", Intro: "web_cc_instalments_intro",
		Back: base(sum.CardID) + "/statements", Empty: "web_cc_no_plans"}
	plans, err := s.Credit.Plans(ctx, sum.CustomerID, sum.CardID)
	if err != nil {
		return p, err
	}
	for _, pl := range plans {
		p.Plans = append(p.Plans, planRow{ID: pl.ID, Offer: s.Message(r, "web_cc_months", map[string]string{
			"n": strconv.Itoa(pl.Months)}), Principal: amount(pl.Principal, sum.Currency, l),
			Fee: amount(pl.Fee, sum.Currency, l), Progress: strconv.Itoa(pl.Billed) + "/" + strconv.Itoa(pl.Months),
			Status: "web_cc_plan_" + pl.Status, Open: pl.Status == creditcard.PlanActive})
	}
	if tid == "" {
		return p, nil
	}
	offers, err := s.Credit.Offers(ctx, sum.CustomerID, sum.CardID, tid)
	if err != nil {
		return p, err
	}
	var opts []option
	for i, o := range offers {
		opts = append(opts, option{Value: o.ID, Selected: i == 0, Text: s.Message(r, "web_cc_offer", map[string]string{
			"n": strconv.Itoa(o.Months), "monthly": amount(o.Monthly, sum.Currency, l),
			"fee": amount(o.Fee, sum.Currency, l)})})
	}
	p.Action, p.Submit = base(sum.CardID)+"/instalments", "web_cc_continue"
	p.Fields = []field{{Name: "offer", Label: "web_cc_offer_choose", Kind: "radio", Options: opts}}
	p.Hidden = []kv{{"tid", tid}}
	return p, nil
}

// split reviews, then makes, the split of a purchase by the offer chosen.
func (s *area) split(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, l, f := r.Context(), core.Lang(r), r.PostForm
	offers, err := s.Credit.Offers(ctx, sum.CustomerID, sum.CardID, f.Get("tid"))
	if err == nil {
		err = creditcard.ErrOfferNotFound
		for _, o := range offers {
			if o.ID != f.Get("offer") {
				continue
			}
			rows := []row{{"cc-principal", "web_cc_principal", amount(o.Principal, sum.Currency, l), false},
				{"cc-months", "web_cc_months_label", strconv.Itoa(o.Months), false},
				{"cc-monthly", "web_cc_monthly", amount(o.Monthly, sum.Currency, l), true},
				{"cc-fee", "web_cc_fee", amount(o.Fee, sum.Currency, l), false}}
			if f.Get("step") != "confirm" {
				s.render(w, r, s.review(sum, r, "web_cc_instalments", "/instalments", rows,
					[]kv{{"tid", f.Get("tid")}, {"offer", o.ID}}), nil)
				return
			}
			if _, err = s.Credit.Split(ctx, sum.CustomerID, sum.CardID, f.Get("tid"), o.ID); err == nil {
				s.done(w, r, sum, "web_cc_split_done", rows)
				return
			}
		}
	}
	p, _ := s.instalmentsPage(r, sum, "")
	s.render(w, r, p, err)
}

// closePlan reviews, then makes, a plan's early closure.
func (s *area) closePlan(w http.ResponseWriter, r *http.Request) {
	sum, ok := s.card(w, r)
	if !ok || !s.ParseForm(w, r, "malformed_json") {
		return
	}
	path := "/instalments/" + url.PathEscape(r.PathValue("pid")) + "/close"
	rows := []row{{"cc-close", "web_cc_close_what", s.Message(r, "web_cc_close_explained", nil), true}}
	if r.PostForm.Get("step") != "confirm" {
		s.render(w, r, s.review(sum, r, "web_cc_close_title", path, rows, nil), nil)
		return
	}
	if err := s.Credit.CloseEarly(r.Context(), sum.CustomerID, sum.CardID, r.PathValue("pid")); err != nil {
		p, _ := s.instalmentsPage(r, sum, "")
		s.render(w, r, p, err)
		return
	}
	s.done(w, r, sum, "web_cc_close_done", rows)
}
