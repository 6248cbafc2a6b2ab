package ledger_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

const historySize = 250

// expected is what the test knows about one posting of the history account.
type expected struct {
	seq, amount, after int64
	at                 time.Time
	text               string // description, counterparty and IBAN as written
}

// history opens an account and gives it historySize postings, one a minute from t0+1m: two credits then a debit,
// seven amounts from 1.00 to 7.00 (so sorts by amount have long runs of ties), a few Albanian descriptions and
// a few with a literal '%'. It returns the account and the postings in sequence order.
func history(t *testing.T, f *fixture) (ledger.Account, []expected) {
	t.Helper()
	a := f.open(t, 0)
	vault, clearing := f.gl(t, ledger.TypeVault), f.gl(t, ledger.TypeClearing)
	var want []expected
	var balance int64
	for i := 1; i <= historySize; i++ {
		f.clk.Set(t0.Add(time.Duration(i) * time.Minute))
		amount := int64(i%7+1) * 100
		desc, cp, iban := "Transfer from Arta", "Arta Krasniqi", "AL35202111090000000001234567"
		other := vault.ID
		if i%3 == 0 {
			amount, desc, cp, iban, other = -amount, "Pagesë me kartë POS", "Supermarket Conad", "", clearing.ID
		}
		switch {
		case i%50 == 0:
			desc = "Rimbursim 100% i tarifës"
		case i%25 == 0:
			desc = "Pagesë për Shërbimin e ujit"
		}
		_, err := f.l.Post(f.ctx, ledger.Entry{Kind: "transfer", Description: desc, Legs: []ledger.Leg{
			{AccountID: a.ID, Amount: amount, Description: desc, Counterparty: cp, CounterpartyIBAN: iban},
			{AccountID: other, Amount: -amount, Description: desc},
		}})
		if err != nil {
			t.Fatalf("posting %d: %v", i, err)
		}
		balance += amount
		want = append(want, expected{seq: int64(i), amount: amount, after: balance, at: f.clk.Now(),
			text: desc + " " + cp + " " + iban})
	}
	return a, want
}

// allPages follows the cursors from the first page to the last.
func allPages(t *testing.T, f *fixture, id string, filter ledger.HistoryFilter) [][]ledger.Line {
	t.Helper()
	var pages [][]ledger.Line
	for {
		p, err := f.l.History(f.ctx, id, filter)
		if err != nil {
			t.Fatalf("history %+v: %v", filter, err)
		}
		pages = append(pages, p.Lines)
		if p.NextCursor == "" {
			return pages
		}
		if len(pages) > historySize {
			t.Fatal("cursor does not advance")
		}
		filter.Cursor = p.NextCursor
	}
}

func seqs(pages [][]ledger.Line) []int64 {
	var out []int64
	for _, p := range pages {
		for _, l := range p {
			out = append(out, l.Seq)
		}
	}
	return out
}

func TestHistoryPagesByDateWithoutDuplicatesOrGaps(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, want := history(t, f)
		for _, tc := range []struct {
			sort  string
			first int64
			step  int64
		}{
			{ledger.SortDateDesc, historySize, -1},
			{ledger.SortDateAsc, 1, 1},
		} {
			t.Run(tc.sort, func(t *testing.T) {
				pages := allPages(t, f, a.ID, ledger.HistoryFilter{Sort: tc.sort, Limit: 100})
				var sizes []int
				for _, p := range pages {
					sizes = append(sizes, len(p))
				}
				if !slices.Equal(sizes, []int{100, 100, 50}) {
					t.Fatalf("page sizes %v, want [100 100 50]", sizes)
				}
				for i, l := range slices.Concat(pages...) {
					seq := tc.first + int64(i)*tc.step
					if l.Seq != seq {
						t.Fatalf("line %d has seq %d, want %d", i, l.Seq, seq)
					}
					e := want[seq-1]
					if l.Amount != e.amount || l.BalanceAfter != e.after || !l.PostedAt.Equal(e.at) ||
						l.Description+" "+l.Counterparty+" "+l.CounterpartyIBAN != e.text || l.AccountID != a.ID {
						t.Fatalf("line %d: %+v, want %+v", i, l, e)
					}
				}
			})
		}

		// Without a limit a page has 20 lines, and a page is never longer than MaxPageSize.
		for _, limit := range []int{0, -1, ledger.MaxPageSize + 1} {
			p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Lines) != 20 || p.Lines[0].Seq != historySize || p.NextCursor == "" {
				t.Errorf("limit %d: %d lines from seq %d", limit, len(p.Lines), p.Lines[0].Seq)
			}
		}
		// Another account's history is empty.
		p, err := f.l.History(f.ctx, f.open(t, 0).ID, ledger.HistoryFilter{})
		if err != nil || len(p.Lines) != 0 || p.NextCursor != "" {
			t.Errorf("empty account: %d lines, cursor %q, %v", len(p.Lines), p.NextCursor, err)
		}
	})
}

func TestHistoryPagesByAmountKeepTiesAcrossPageBoundaries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, want := history(t, f)
		for _, tc := range []struct {
			sort string
			less func(x, y expected) bool // strict order of the sort
		}{
			{ledger.SortAmountDesc, func(x, y expected) bool {
				return x.amount > y.amount || x.amount == y.amount && x.seq > y.seq
			}},
			{ledger.SortAmountAsc, func(x, y expected) bool {
				return x.amount < y.amount || x.amount == y.amount && x.seq < y.seq
			}},
		} {
			for _, limit := range []int{7, 100} {
				t.Run(fmt.Sprintf("%s by %d", tc.sort, limit), func(t *testing.T) {
					pages := allPages(t, f, a.ID, ledger.HistoryFilter{Sort: tc.sort, Limit: limit})
					sorted := slices.Clone(want)
					slices.SortFunc(sorted, func(x, y expected) int {
						if tc.less(x, y) {
							return -1
						}
						return 1
					})
					var wantSeqs []int64
					for _, e := range sorted {
						wantSeqs = append(wantSeqs, e.seq)
					}
					if got := seqs(pages); !slices.Equal(got, wantSeqs) {
						t.Fatalf("limit %d: order %v, want %v", limit, got, wantSeqs)
					}
					tied := 0
					for i := 1; i < len(pages); i++ {
						prev := pages[i-1]
						if prev[len(prev)-1].Amount == pages[i][0].Amount {
							tied++
						}
					}
					if tied == 0 {
						t.Errorf("limit %d: no page boundary fell inside a run of equal amounts", limit)
					}
				})
			}
		}
	})
}

func TestHistoryFilters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, want := history(t, f)
		abs := func(v int64) int64 { return max(v, -v) }
		for _, tc := range []struct {
			name   string
			filter ledger.HistoryFilter
			keep   func(e expected) bool
		}{
			{"no filter", ledger.HistoryFilter{}, func(expected) bool { return true }},
			{"min amount by absolute value", ledger.HistoryFilter{MinAmount: 600},
				func(e expected) bool { return abs(e.amount) >= 600 }},
			{"max amount by absolute value", ledger.HistoryFilter{MaxAmount: 200},
				func(e expected) bool { return abs(e.amount) <= 200 }},
			{"amount range", ledger.HistoryFilter{MinAmount: 300, MaxAmount: 500},
				func(e expected) bool { return abs(e.amount) >= 300 && abs(e.amount) <= 500 }},
			{"money in", ledger.HistoryFilter{Direction: ledger.DirectionIn},
				func(e expected) bool { return e.amount > 0 }},
			{"money out", ledger.HistoryFilter{Direction: ledger.DirectionOut},
				func(e expected) bool { return e.amount < 0 }},
			{"money out over 5.00", ledger.HistoryFilter{Direction: ledger.DirectionOut, MinAmount: 501},
				func(e expected) bool { return e.amount <= -501 }},
			{"text in another case", ledger.HistoryFilter{Text: "  CONAD "},
				func(e expected) bool { return strings.Contains(e.text, "Conad") }},
			{"text with Albanian letters in capitals", ledger.HistoryFilter{Text: "SHËRBIMIN"},
				func(e expected) bool { return strings.Contains(e.text, "Shërbimin") }},
			{"text with ë", ledger.HistoryFilter{Text: "pagesë"},
				func(e expected) bool { return strings.Contains(e.text, "Pagesë") }},
			{"text by IBAN", ledger.HistoryFilter{Text: "al352021"},
				func(e expected) bool { return strings.Contains(e.text, "AL352021") }},
			{"percent sign is literal", ledger.HistoryFilter{Text: "%"},
				func(e expected) bool { return strings.Contains(e.text, "%") }},
			{"underscore is literal", ledger.HistoryFilter{Text: "_"}, func(expected) bool { return false }},
			{"from is inclusive, to exclusive", ledger.HistoryFilter{From: t0.Add(100 * time.Minute), To: t0.Add(150 * time.Minute)},
				func(e expected) bool { return e.seq >= 100 && e.seq < 150 }},
			{"from only", ledger.HistoryFilter{From: t0.Add(240 * time.Minute)},
				func(e expected) bool { return e.seq >= 240 }},
			{"to only", ledger.HistoryFilter{To: t0.Add(11 * time.Minute)},
				func(e expected) bool { return e.seq < 11 }},
			{"everything at once", ledger.HistoryFilter{From: t0.Add(20 * time.Minute), To: t0.Add(200 * time.Minute),
				Direction: ledger.DirectionIn, MinAmount: 200, MaxAmount: 600, Text: "arta"},
				func(e expected) bool {
					return e.seq >= 20 && e.seq < 200 && e.amount >= 200 && e.amount <= 600 && strings.Contains(e.text, "Arta")
				}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, sort := range []string{ledger.SortDateDesc, ledger.SortAmountAsc} {
					filter := tc.filter
					filter.Sort, filter.Limit = sort, 30
					got := seqs(allPages(t, f, a.ID, filter))
					var wantSeqs []int64
					for _, e := range want {
						if tc.keep(e) {
							wantSeqs = append(wantSeqs, e.seq)
						}
					}
					slices.Sort(got)
					if !slices.Equal(got, wantSeqs) {
						t.Errorf("%s: seqs %v, want %v", sort, got, wantSeqs)
					}
				}
			})
		}
	})
}

func TestHistoryRefusesForeignAndBrokenCursors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, _ := history(t, f)
		cursor := func(sort string) string {
			p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Sort: sort, Limit: 10})
			if err != nil || p.NextCursor == "" {
				t.Fatalf("first page: %v", err)
			}
			return p.NextCursor
		}
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, tc := range []struct {
			name, sort, cursor string
		}{
			{"date_asc cursor on date_desc", ledger.SortDateDesc, cursor(ledger.SortDateAsc)},
			{"date_desc cursor on amount_desc", ledger.SortAmountDesc, cursor(ledger.SortDateDesc)},
			{"amount_desc cursor on amount_asc", ledger.SortAmountAsc, cursor(ledger.SortAmountDesc)},
			{"not base64", ledger.SortDateDesc, "not a cursor!"},
			{"padded base64", ledger.SortDateDesc, base64.URLEncoding.EncodeToString([]byte("date_desc:0:5"))},
			{"too few parts", ledger.SortDateDesc, enc("date_desc:5")},
			{"too many parts", ledger.SortDateDesc, enc("date_desc:0:5:1")},
			{"amount not a number", ledger.SortAmountDesc, enc("amount_desc:x:5")},
			{"seq not a number", ledger.SortDateDesc, enc("date_desc:0:five")},
			{"negative seq", ledger.SortDateDesc, enc("date_desc:0:-1")},
			{"seq beyond int64", ledger.SortDateDesc, enc("date_desc:0:9223372036854775808")},
			{"too long", ledger.SortDateDesc, strings.Repeat("A", 200)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Sort: tc.sort, Cursor: tc.cursor})
				wantCode(t, err, "invalid_cursor")
				if e, _ := kumbara.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
					t.Errorf("fields of %v", err)
				}
			})
		}
		_, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Sort: "random"})
		wantCode(t, err, "invalid_query")
		// A cursor made by the same sort works.
		p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Sort: ledger.SortAmountDesc, Cursor: cursor(ledger.SortAmountDesc), Limit: 10})
		if err != nil || len(p.Lines) != 10 {
			t.Errorf("second page: %d lines, %v", len(p.Lines), err)
		}
	})
}

func TestStatementGivesOpeningClosingAndTotalsForAPeriod(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, want := history(t, f)
		last := want[len(want)-1]
		for _, tc := range []struct {
			name       string
			from, to   time.Time
			first, end int64 // seqs in the period: [first, end)
		}{
			{"middle of the history", t0.Add(100 * time.Minute), t0.Add(150 * time.Minute), 100, 150},
			{"from the first posting", t0, t0.Add(10*time.Minute + time.Second), 1, 11},
			{"between two postings", t0.Add(100*time.Minute + time.Second), t0.Add(101 * time.Minute), 101, 101},
			{"before any posting", t0.Add(-24 * time.Hour), t0, 1, 1},
			{"after the last posting", last.at.Add(time.Second), last.at.Add(24 * time.Hour), historySize + 1, historySize + 1},
			{"the whole history", t0, last.at.Add(time.Microsecond), 1, historySize + 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := f.l.Statement(f.ctx, a.ID, tc.from, tc.to)
				if err != nil {
					t.Fatal(err)
				}
				var opening, credits, debits int64
				if tc.first > 1 {
					opening = want[tc.first-2].after
				}
				closing := opening
				for _, e := range want[tc.first-1 : tc.end-1] {
					closing = e.after
					if e.amount > 0 {
						credits += e.amount
					} else {
						debits -= e.amount
					}
				}
				if p.Opening != opening || p.Closing != closing || p.TotalCredits != credits || p.TotalDebits != debits {
					t.Errorf("opening %d closing %d credits %d debits %d, want %d %d %d %d",
						p.Opening, p.Closing, p.TotalCredits, p.TotalDebits, opening, closing, credits, debits)
				}
				if p.Opening+p.TotalCredits-p.TotalDebits != p.Closing {
					t.Errorf("opening + credits - debits = %d, closing %d", p.Opening+p.TotalCredits-p.TotalDebits, p.Closing)
				}
				if int64(len(p.Lines)) != tc.end-tc.first {
					t.Fatalf("%d lines, want %d", len(p.Lines), tc.end-tc.first)
				}
				for i, l := range p.Lines {
					if l.Seq != tc.first+int64(i) {
						t.Fatalf("line %d has seq %d, want %d", i, l.Seq, tc.first+int64(i))
					}
				}
			})
		}
	})
}
