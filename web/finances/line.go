package finances

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

type lineData struct {
	Nav nav
	line
	Kind, Status, StatusBadge string
	Reference                 string
	ValueDate, ValueISO       string
	Reversed                  bool
}

// lineDetail is one history line on its own page: the counterparty as the customer may see them (ledger.LineOf
// decides), the reference, booking time and value date, the amount and the balance after, and the transfer's
// receipt when the line is the customer's own transfer. A line of another account — another customer's included —
// gets the same not-found page as an unknown one.
func (s *area) lineDetail(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	v := core.View{Title: "web_fin_line_title"}
	detail, err := s.Ledger.LineOf(r.Context(), a.ID, r.PathValue("line"))
	var lines []line
	if err == nil {
		lines, err = s.lines(r, []ledger.Line{detail.Line})
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	d := lineData{Nav: navFor(a), line: lines[0], Kind: s.label(r, "web_fin_kind", detail.Kind),
		Status: s.label(r, "web_fin_line_status", detail.Status), StatusBadge: "badge-ok",
		Reference: detail.Reference, ValueDate: date(r, detail.ValueDate),
		ValueISO: detail.ValueDate.In(clock.Tirane).Format(time.DateOnly)}
	if detail.Status == ledger.LineReversed {
		d.StatusBadge, d.Reversed = "badge-warn", true
	}
	v.Data = &d
	s.Render(w, r, http.StatusOK, "history_line", v)
}
