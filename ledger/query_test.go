package ledger_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

func TestParseHistoryQueryReadsTheAPIsAndTheWebsFilters(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, clock.Tirane)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name  string
		query string
		want  ledger.HistoryFilter
	}{
		{"nothing filters nothing", "", ledger.HistoryFilter{}},
		{"empty values, as a form sends them, filter nothing",
			"from=&to=&min_amount=&max_amount=&direction=all&q=&sort=", ledger.HistoryFilter{}},
		{"the last day is included", "from=2026-11-01&to=2026-11-20",
			ledger.HistoryFilter{From: day("2026-11-01"), To: day("2026-11-21")}},
		{"amounts are decimals of the account's currency", "min_amount=10&max_amount=1250.5",
			ledger.HistoryFilter{MinAmount: 1000, MaxAmount: 125050}},
		{"direction, text, sort, cursor and limit", "direction=out&q=Qira&sort=amount_asc&cursor=abc&limit=7",
			ledger.HistoryFilter{Direction: ledger.DirectionOut, Text: "Qira", Sort: ledger.SortAmountAsc, Cursor: "abc", Limit: 7}},
		{"text is searched for in the form descriptions are kept in", "q=%EF%BC%B1ira%C2%A0tetor",
			ledger.HistoryFilter{Text: "Qira tetor"}},
		{"another currency matches nothing", "currency=EUR", ledger.HistoryFilter{Direction: ledger.DirectionNone}},
		{"the account's currency matches", "currency=ALL", ledger.HistoryFilter{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			got, err := ledger.ParseHistoryQuery(q, money.ALL)
			if err != nil {
				t.Fatal(err)
			}
			if !got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To) {
				t.Fatalf("period %v – %v, want %v – %v", got.From, got.To, tc.want.From, tc.want.To)
			}
			got.From, got.To, tc.want.From, tc.want.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseHistoryQueryRefusesBadFiltersWithTheirCode(t *testing.T) {
	tests := []struct{ query, code, field string }{
		{"from=2026-13-01", "invalid_date", "from"},
		{"to=yesterday", "invalid_date", "to"},
		{"from=2026-11-02&to=2026-11-01", "invalid_date_range", "to"},
		{"min_amount=abc", "invalid_amount", "min_amount"},
		{"max_amount=-1", "invalid_amount", "max_amount"},
		{"min_amount=1.001", "invalid_amount", "min_amount"},
		{"min_amount=5&max_amount=4", "invalid_query", "max_amount"},
		{"direction=both", "invalid_query", "direction"},
		{"sort=random", "invalid_query", "sort"},
		{"q=%00", "invalid_query", "q"},
		{"limit=101", "invalid_limit", "limit"},
		{"page=2", "invalid_query", "page"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			_, err := ledger.ParseHistoryQuery(q, money.ALL)
			e, ok := kumbara.As(err)
			if !ok || e.Code != tc.code || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
				t.Fatalf("err = %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
}

func TestHistoryOfAnotherCurrencyIsEmpty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, _ := history(t, f)
		p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Direction: ledger.DirectionNone})
		if err != nil || len(p.Lines) != 0 || p.NextCursor != "" {
			t.Fatalf("page %+v, %v; want an empty last page", p, err)
		}
	})
}
