package ledger

import (
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// DirectionNone is a history filter that matches nothing: asking for another currency than the account's. It is
// a direction rather than an error because the answer to "this account's USD lines" is simply "none".
const DirectionNone = "none"

// MaxSearchText bounds the history's text search.
const MaxSearchText = 100

// HistoryQueryKeys are the query parameters ParseHistoryQuery understands; any other is refused, so a typo in a
// filter is reported instead of silently ignored.
var HistoryQueryKeys = []string{"from", "to", "min_amount", "max_amount", "direction", "q", "currency", "sort",
	"cursor", "limit"}

// BusinessDay parses YYYY-MM-DD as the start of that day in the bank's time zone; field names the parameter in
// the error.
func BusinessDay(v, field string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, v, clock.Tirane)
	if err != nil {
		return time.Time{}, ErrInvalidDate.Field(field)
	}
	return t, nil
}

func badQuery(field string) error { return kumbara.ErrInvalidQuery.Field(field) }

// ParseHistoryQuery reads F26's filters from a query string, the one rule for the API and the web app: dates are
// business days (to inclusive), amounts are decimal strings of the account's currency compared without sign,
// direction is in, out or all, q a text of at most MaxSearchText characters, sort one of the four orders. Empty
// values do not filter. A currency other than the account's gives Direction DirectionNone.
func ParseHistoryQuery(q url.Values, cur money.Currency) (HistoryFilter, error) {
	var f HistoryFilter
	for k := range q {
		if !slices.Contains(HistoryQueryKeys, k) {
			return f, badQuery(k)
		}
	}
	if v := q.Get("from"); v != "" {
		t, err := BusinessDay(v, "from")
		if err != nil {
			return f, err
		}
		f.From = t
	}
	if v := q.Get("to"); v != "" {
		t, err := BusinessDay(v, "to")
		if err != nil {
			return f, err
		}
		f.To = t.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, ErrInvalidDateRange
	}
	for _, b := range []struct {
		name string
		dst  *int64
	}{{"min_amount", &f.MinAmount}, {"max_amount", &f.MaxAmount}} {
		if v := q.Get(b.name); v != "" {
			a, err := money.ParseDecimal(v, cur)
			if err != nil || a.Minor < 0 {
				return f, money.ErrInvalidAmount.Field(b.name)
			}
			*b.dst = a.Minor
		}
	}
	if f.MinAmount > 0 && f.MaxAmount > 0 && f.MinAmount > f.MaxAmount {
		return f, badQuery("max_amount")
	}
	switch d := q.Get("direction"); d {
	case "", "all":
	case DirectionIn, DirectionOut:
		f.Direction = d
	default:
		return f, badQuery("direction")
	}
	if v := q.Get("currency"); v != "" {
		c, err := money.ParseCurrency(v)
		if err != nil {
			return f, err
		}
		if c != cur {
			f.Direction = DirectionNone
		}
	}
	f.Text = q.Get("q")
	if utf8.RuneCountInString(f.Text) > MaxSearchText || !text.Storable(f.Text) {
		return f, badQuery("q")
	}
	f.Text = text.Clean(f.Text) // the form descriptions are kept in, so a full-width search finds them too
	switch v := q.Get("sort"); v {
	case "", SortDateDesc, SortDateAsc, SortAmountDesc, SortAmountAsc:
		f.Sort = v
	default:
		return f, badQuery("sort")
	}
	f.Cursor = q.Get("cursor")
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return f, ErrInvalidLimit
		}
		f.Limit = n
	}
	return f, nil
}
