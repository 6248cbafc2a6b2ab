package finances

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

// pageSize is how many lines the history shows at a time: a phone screen or two.
const pageSize = 25

// historyKeys are the filters the history form sends, in the API's names, so ledger.ParseHistoryQuery reads
// both and a filter the API refuses the web app refuses too. The web app has no currency filter: an account holds
// one currency.
func historyKeys() []string {
	return []string{"from", "to", "min_amount", "max_amount", "direction", "q", "sort"}
}

type option struct {
	Value, Label string
	Selected     bool
}

type line struct {
	ID, AccountID, Description, Counterparty, CounterpartyIBAN string
	// Transfer is the customer's own transfer the line belongs to, whose page is the line's detail; "" for others.
	Transfer                                string
	Seq, Amount                             int64
	Credit                                  bool
	Signed, Balance, Date, Time, ISO, Label string
}

type historyData struct {
	Nav        nav
	Form       map[string]string
	Directions []option
	Sorts      []option
	Lines      []line
	More       string // URL of the next page; empty on the last
	First      bool   // the first page, not one fetched by "more"
	Open       bool   // a filter is set, so the filter form starts unfolded
	OOB        bool   // rendering the parts htmx swaps out of band
	Loaded     string // what the live region announces after "more"
}

func (s *area) history(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	form := map[string]string{}
	for _, k := range historyKeys() {
		form[k] = q.Get(k)
	}
	d := historyData{Nav: navFor(a), Form: form, First: q.Get("cursor") == ""}
	for k, v := range form {
		d.Open = d.Open || v != "" && !(k == "direction" && v == "all") && !(k == "sort" && v == ledger.SortDateDesc)
	}
	for _, o := range []string{"all", ledger.DirectionIn, ledger.DirectionOut} {
		d.Directions = append(d.Directions, option{Value: o, Label: s.Message(r, "web_fin_direction_"+o, nil),
			Selected: o == form["direction"] || o == "all" && form["direction"] == ""})
	}
	for _, o := range []string{ledger.SortDateDesc, ledger.SortDateAsc, ledger.SortAmountDesc, ledger.SortAmountAsc} {
		d.Sorts = append(d.Sorts, option{Value: o, Label: s.Message(r, "web_fin_sort_"+o, nil),
			Selected: o == form["sort"] || o == ledger.SortDateDesc && form["sort"] == ""})
	}
	// "More" asks htmx for the next lines only; without JavaScript the same link loads them as a page.
	more := r.Header.Get("HX-Request") == "true" && !d.First
	w.Header().Set("Vary", "HX-Request")
	v := core.View{Title: "web_fin_history_title", Data: &d}

	f, err := ledger.ParseHistoryQuery(q, a.Currency)
	if err == nil {
		f.Limit = pageSize
		var page ledger.Page
		if page, err = s.Ledger.History(r.Context(), a.ID, f); err == nil {
			d.Lines, err = s.lines(r, page.Lines)
			if page.NextCursor != "" {
				d.More = nextPage(a.ID, q, page.NextCursor)
			}
		}
	}
	if more {
		d.OOB = true
		if err != nil {
			// A tampered "more" link: say so where the link was.
			v.Error = s.ProblemText(r, err)
		} else {
			d.Loaded = s.Message(r, "web_fin_more_loaded", map[string]string{"n": strconv.Itoa(len(d.Lines))})
		}
		s.Fragment(w, r, "history", []string{"history_lines", "history_more", "history_status"}, v)
		return
	}
	if err != nil {
		s.Problem(w, r, "history", v, err)
		return
	}
	s.Render(w, r, http.StatusOK, "history", v)
}

func (s *area) lines(r *http.Request, lines []ledger.Line) ([]line, error) {
	entries := make([]string, 0, len(lines))
	for _, l := range lines {
		entries = append(entries, l.EntryID)
	}
	transfers, err := s.Transfers.OfEntries(r.Context(), core.SessionOf(r).CustomerID, entries)
	if err != nil {
		return nil, err
	}
	out := make([]line, 0, len(lines))
	in, outLabel := s.Message(r, "web_fin_credit", nil), s.Message(r, "web_fin_debit", nil)
	lang := core.Lang(r)
	for _, l := range lines {
		cur := string(l.Currency)
		fl := line{ID: l.ID, AccountID: l.AccountID, Description: l.Describe(s.Catalogue, lang), Counterparty: l.Counterparty,
			CounterpartyIBAN: l.CounterpartyIBAN, Transfer: transfers[l.EntryID], Seq: l.Seq, Amount: l.Amount,
			Credit: l.Amount > 0,
			Signed: amount(r, l.Amount, cur), Balance: amount(r, l.BalanceAfter, cur),
			Date: date(r, l.PostedAt), Time: l.PostedAt.In(clock.Tirane).Format("15:04"),
			ISO: l.PostedAt.Format(time.RFC3339), Label: outLabel}
		if fl.Credit {
			// The sign is part of the amount, not only its colour: "+1.250,00 ALL".
			fl.Signed, fl.Label = "+"+fl.Signed, in
		}
		out = append(out, fl)
	}
	return out, nil
}

// nextPage is the URL of the page after cursor with the same filters; empty filters are left out so the link
// stays short and shareable.
func nextPage(id string, q url.Values, cursor string) string {
	next := url.Values{}
	for _, k := range historyKeys() {
		if v := q.Get(k); v != "" {
			next.Set(k, v)
		}
	}
	next.Set("cursor", cursor)
	return "/accounts/" + url.PathEscape(id) + "/history?" + next.Encode()
}
