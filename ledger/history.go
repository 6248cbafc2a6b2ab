package ledger

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
)

// Line is one posting as the account holder sees it on their history and statement.
type Line struct {
	ID               string
	EntryID          string
	AccountID        string
	Seq              int64
	Amount           int64 // credit > 0, debit < 0
	Currency         money.Currency
	BalanceAfter     int64
	PostedAt         time.Time
	Description      string // as written; show it through Describe
	Text             Text   // set when the bank wrote the description
	Counterparty     string // as the holder may see it: another customer's name masked
	CounterpartyIBAN string
	// CounterpartyMasked says Counterparty is another customer's name, masked (see asHolderSees).
	CounterpartyMasked bool
	// ValueDate is the day the money counts from, midnight in Tirane: the day it was posted, or after the close
	// of business or on a day the bank is closed, the next working day (T14).
	ValueDate time.Time
}

// Sort orders of the history.
const (
	SortDateDesc   = "date_desc"
	SortDateAsc    = "date_asc"
	SortAmountDesc = "amount_desc"
	SortAmountAsc  = "amount_asc"
)

// Directions of the history filter.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// HistoryFilter narrows an account's history (F26). Zero fields do not filter. Amount bounds compare the amount
// without its sign; From and To are instants (the caller turns business dates into them).
type HistoryFilter struct {
	From, To  time.Time // From inclusive, To exclusive
	MinAmount int64
	MaxAmount int64
	Direction string
	Text      string
	Sort      string
	Cursor    string
	Limit     int
}

// MaxPageSize caps a history page.
const MaxPageSize = 100

// Page is one page of history; NextCursor is empty on the last page.
type Page struct {
	Lines      []Line
	NextCursor string
}

const lineColumns = `id, entry_id, account_id, seq, amount, currency, balance_after, posted_at, description,
	counterparty, counterparty_iban, text_key, text_params, value_date`

func scanLine(s db.Scanner) (Line, error) {
	var l Line
	var at int64
	var params, vd string
	err := s.Scan(&l.ID, &l.EntryID, &l.AccountID, &l.Seq, &l.Amount, &l.Currency, &l.BalanceAfter, &at,
		&l.Description, &l.Counterparty, &l.CounterpartyIBAN, &l.Text.Key, &params, &vd)
	l.PostedAt = db.FromMicros(at)
	l.ValueDate = valueDay(vd, l.PostedAt)
	if p, ok := decodeParams(params); ok {
		l.Text.Params = p
	} else {
		l.Text = Text{} // unreadable parameters: the description as written beats a text with holes
	}
	return l, err
}

// History returns one page of an account's postings with keyset pagination: the cursor holds the sort key of the
// last line shown, so a page costs the same however deep it is.
func (s *Store) History(ctx context.Context, accountID string, f HistoryFilter) (Page, error) {
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 20
	}
	if f.Sort == "" {
		f.Sort = SortDateDesc
	}
	if f.Direction == DirectionNone {
		return Page{}, nil
	}
	where := []string{"account_id = ?"}
	args := []any{accountID}
	if !f.From.IsZero() || !f.To.IsZero() {
		lo, hi, err := s.seqRange(ctx, accountID, f.From, f.To)
		if err != nil {
			return Page{}, err
		}
		where, args = append(where, "seq >= ? AND seq < ?"), append(args, lo, hi)
	}
	if f.MinAmount > 0 {
		where, args = append(where, "(amount >= ? OR amount <= ?)"), append(args, f.MinAmount, -f.MinAmount)
	}
	if f.MaxAmount > 0 {
		where, args = append(where, "amount <= ? AND amount >= ?"), append(args, f.MaxAmount, -f.MaxAmount)
	}
	switch f.Direction {
	case DirectionIn:
		where = append(where, "amount > 0")
	case DirectionOut:
		where = append(where, "amount < 0")
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		where, args = append(where, "search LIKE ? ESCAPE '\\'"), append(args, "%"+escapeLike(Fold(t))+"%")
	}
	var order string
	switch f.Sort {
	case SortDateDesc:
		order = "seq DESC"
	case SortDateAsc:
		order = "seq ASC"
	case SortAmountDesc:
		order = "amount DESC, seq DESC"
	case SortAmountAsc:
		order = "amount ASC, seq ASC"
	default:
		return Page{}, badQuery("sort")
	}
	if f.Cursor != "" {
		amt, seq, err := decodeCursor(f.Cursor, f.Sort)
		if err != nil {
			return Page{}, err
		}
		switch f.Sort {
		case SortDateDesc:
			where, args = append(where, "seq < ?"), append(args, seq)
		case SortDateAsc:
			where, args = append(where, "seq > ?"), append(args, seq)
		case SortAmountDesc:
			where, args = append(where, "(amount < ? OR (amount = ? AND seq < ?))"), append(args, amt, amt, seq)
		case SortAmountAsc:
			where, args = append(where, "(amount > ? OR (amount = ? AND seq > ?))"), append(args, amt, amt, seq)
		}
	}
	q := "SELECT " + lineColumns + " FROM postings WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + order + " LIMIT ?"
	args = append(args, f.Limit+1)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	var p Page
	if p.Lines, err = db.Collect(rows, scanLine); err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	if len(p.Lines) > f.Limit {
		p.Lines = p.Lines[:f.Limit]
		last := p.Lines[len(p.Lines)-1]
		p.NextCursor = encodeCursor(f.Sort, last.Amount, last.Seq)
	}
	if err := s.asHolderSees(ctx, p.Lines); err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	return p, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// A cursor names its sort so a cursor from one order is refused by another.
func encodeCursor(sort string, amount, seq int64) string {
	raw := sort + ":" + strconv.FormatInt(amount, 10) + ":" + strconv.FormatInt(seq, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(c, sort string) (amount, seq int64, err error) {
	if len(c) > 128 {
		return 0, 0, ErrInvalidCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, ErrInvalidCursor
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != sort {
		return 0, 0, ErrInvalidCursor
	}
	amount, err1 := strconv.ParseInt(parts[1], 10, 64)
	seq, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || seq < 0 {
		return 0, 0, ErrInvalidCursor
	}
	return amount, seq, nil
}

// Period is what a statement shows: the balance before From, the postings in [From, To), the balance after.
type Period struct {
	Opening, Closing int64
	TotalCredits     int64
	TotalDebits      int64 // positive
	Lines            []Line
}

// MaxStatementLines bounds one statement; a longer period must be split.
const MaxStatementLines = 20000

// Statement returns an account's postings in [from, to) with the opening and closing balances.
func (s *Store) Statement(ctx context.Context, accountID string, from, to time.Time) (Period, error) {
	var p Period
	lo, hi, err := s.seqRange(ctx, accountID, from, to)
	if err != nil {
		return p, err
	}
	if hi-lo > MaxStatementLines {
		return Period{}, ErrDateRangeTooLong.With("more than %d lines", MaxStatementLines)
	}
	if lo > 1 {
		if err := s.DB.QueryRow(ctx, "SELECT balance_after FROM postings WHERE account_id = ? AND seq = ?",
			accountID, lo-1).Scan(&p.Opening); err != nil {
			return p, fmt.Errorf("statement opening: %w", err)
		}
	}
	rows, err := s.DB.Query(ctx, "SELECT "+lineColumns+` FROM postings WHERE account_id = ? AND seq >= ? AND seq < ?
		ORDER BY seq`, accountID, lo, hi)
	if err != nil {
		return p, fmt.Errorf("statement: %w", err)
	}
	if p.Lines, err = db.Collect(rows, scanLine); err != nil {
		return p, fmt.Errorf("statement: %w", err)
	}
	if err := s.asHolderSees(ctx, p.Lines); err != nil {
		return p, fmt.Errorf("statement: %w", err)
	}
	p.Closing = p.Opening
	for _, l := range p.Lines {
		p.Closing = l.BalanceAfter
		if l.Amount > 0 {
			p.TotalCredits += l.Amount
		} else {
			p.TotalDebits -= l.Amount
		}
	}
	return p, nil
}

// seqRange turns a time range [from, to) into the range of posting numbers [lo, hi) of an account. Numbers grow
// with time on each account, so two binary searches over the (account_id, seq) index find the ends; a zero from or
// to leaves that end open.
func (s *Store) seqRange(ctx context.Context, accountID string, from, to time.Time) (lo, hi int64, err error) {
	var last int64
	if err := s.DB.QueryRow(ctx, "SELECT last_seq FROM accounts WHERE id = ?", accountID).Scan(&last); err != nil {
		return 0, 0, fmt.Errorf("seq range: %w", err)
	}
	lo, hi = 1, last+1
	if !from.IsZero() {
		if lo, err = s.firstSeqFrom(ctx, accountID, last, from); err != nil {
			return 0, 0, err
		}
	}
	if !to.IsZero() {
		if hi, err = s.firstSeqFrom(ctx, accountID, last, to); err != nil {
			return 0, 0, err
		}
	}
	return lo, max(lo, hi), nil
}

// firstSeqFrom returns the first posting number of the account posted at or after t, or last+1 if none.
func (s *Store) firstSeqFrom(ctx context.Context, accountID string, last int64, t time.Time) (int64, error) {
	target := db.Micros(t)
	lo, hi := int64(1), last+1
	for lo < hi {
		mid := lo + (hi-lo)/2
		var at int64
		if err := s.DB.QueryRow(ctx, "SELECT posted_at FROM postings WHERE account_id = ? AND seq = ?",
			accountID, mid).Scan(&at); err != nil {
			return 0, fmt.Errorf("seq search: %w", err)
		}
		if at >= target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// valueDay is a stored value date as midnight in Tirane; a row without one (none should be left after migration
// 00028) is valued on the day it was posted.
func valueDay(stored string, postedAt time.Time) time.Time {
	d, err := calendar.ParseDate(stored)
	if err != nil {
		d = calendar.DateOf(postedAt)
	}
	return d.Start()
}
