package backoffice

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

const fxPositionPath = Prefix + "/fx/position"

// The bank's FX position (ledger.read: it is the bank's own books, as `kumbara admin fx position`): each currency's
// position valued at the current mid, the total in lek — what a revaluation at those mids would book — and the
// business day's FX income, rounding and revaluation, read from the ledger at each request (fx.Service.Position).
func (s *Server) fxPositionRoutes() []Route {
	return []Route{{Method: "GET", Path: fxPositionPath, Policy: Staffed(""), Permission: staff.LedgerRead,
		Handler: s.fxPositionPage}}
}

// fxPositionData is the position as the page shows it.
type fxPositionData struct {
	At           time.Time
	BusinessDate calendar.Date
	Lines        []fxPositionRow
	Total        int64 // lek minor units
	Unrated      string
	Income       int64
	Rounding     int64
	Revaluation  int64
}

// fxPositionRow is one currency's position, its mid in the page's language.
type fxPositionRow struct {
	fx.PositionLine
	MidText string // "98,60" in Albanian, "98.60" in English; "" without a rate
}

// Side is the position's direction: long (the bank holds the currency), short (it owes it), or "" when flat.
func (r fxPositionRow) Side() string {
	switch {
	case r.Balance.Minor > 0:
		return "long"
	case r.Balance.Minor < 0:
		return "short"
	}
	return ""
}

func (s *Server) fxPositionPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.FX.Position(r.Context())
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := fxPositionData{At: p.At, BusinessDate: p.BusinessDate, Total: p.Total.Minor, Income: p.Income.Minor,
		Rounding: p.Rounding.Minor, Revaluation: p.Revaluation.Minor}
	for _, l := range p.Lines {
		d.Lines = append(d.Lines, fxPositionRow{PositionLine: l, MidText: decimalIn(l.Mid, core.Lang(r))})
	}
	var unrated []string
	for _, c := range p.Unrated {
		unrated = append(unrated, string(c))
	}
	d.Unrated = strings.Join(unrated, ", ")
	s.render(w, r, http.StatusOK, "fx_position", View{Title: "web_bo_fxpos_title", Data: d})
}

// decimalIn writes a decimal as the fx package writes it ("1234.5678") the way lang reads numbers: the thousands
// grouped and the decimal mark of the language ("1.234,5678" in Albanian, "1,234.5678" in English), as amounts are.
func decimalIn(s string, lang i18n.Lang) string {
	if s == "" {
		return ""
	}
	thousands, mark := ".", ","
	if lang == i18n.EN {
		thousands, mark = ",", "."
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteByte(whole[i])
	}
	if dot {
		b.WriteString(mark + frac)
	}
	return b.String()
}
