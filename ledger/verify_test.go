package ledger_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// soundLedger is a small ledger with every kind of row Verify looks at: a is funded and pays b, b pays back, c is
// in its overdraft, a has an active hold.
type soundLedger struct {
	a, b, c ledger.Account
}

func newSoundLedger(t *testing.T, f *fixture) soundLedger {
	t.Helper()
	w := soundLedger{a: f.open(t, 0), b: f.open(t, 0), c: f.open(t, 2_000)}
	f.clk.Advance(time.Minute) // postings come after the accounts' status_at
	f.deposit(t, w.a.ID, 10_000)
	for _, tr := range []struct {
		from, to string
		amount   int64
	}{{w.a.ID, w.b.ID, 3_000}, {w.b.ID, w.a.ID, 1_000}, {w.c.ID, w.b.ID, 1_500}} {
		if _, err := f.l.Post(f.ctx, transfer(tr.from, tr.to, tr.amount)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.placeHold(t, w.a.ID, 500, f.clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.assertSound(t)
	return w
}

func TestVerifyFindsNothingOnASoundLedger(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.assertSound(t) // empty
		w := newSoundLedger(t, f)
		h, err := f.placeHold(t, w.b.ID, 100, f.clk.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.capture(h, w.a.ID, 60); err != nil {
			t.Fatal(err)
		}
		if err := f.setStatus(t, w.b.ID, ledger.Blocked); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Minute)
		f.assertSound(t)
	})
}

func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		sql    string
		arg    func(w soundLedger) []any
		want   []string
		detail func(w soundLedger) string // one break's detail, if it names a row the test knows
	}{
		{
			name:   "balance changed without a posting",
			sql:    "UPDATE accounts SET balance = balance + 1 WHERE id = ?",
			arg:    func(w soundLedger) []any { return []any{w.a.ID} },
			want:   []string{"balance_equals_postings", "last_running_balance"},
			detail: func(w soundLedger) string { return w.a.ID + " (1)" },
		},
		{
			name: "posting deleted",
			sql:  "DELETE FROM postings WHERE account_id = ? AND seq = 2",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"currency_sum", "entry_balanced", "balance_equals_postings", "sequence_without_gaps",
				"running_balance"},
			detail: func(w soundLedger) string { return "ALL (3000)" },
		},
		{
			name: "posting amount changed",
			sql:  "UPDATE postings SET amount = amount + 1 WHERE account_id = ? AND seq = 1",
			arg:  func(w soundLedger) []any { return []any{w.b.ID} },
			want: []string{"currency_sum", "entry_balanced", "balance_equals_postings", "running_balance"},
		},
		{
			name:   "held without a hold",
			sql:    "UPDATE accounts SET held = held + 200 WHERE id = ?",
			arg:    func(w soundLedger) []any { return []any{w.b.ID} },
			want:   []string{"held_equals_holds"},
			detail: func(w soundLedger) string { return w.b.ID + " (200)" },
		},
		{
			name: "hold settled without lifting held",
			sql:  "UPDATE holds SET status = 'released' WHERE account_id = ?",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"held_equals_holds"},
		},
		{
			name:   "overdraft cut below what is used",
			sql:    "UPDATE accounts SET overdraft_limit = 0 WHERE id = ?",
			arg:    func(w soundLedger) []any { return []any{w.c.ID} },
			want:   []string{"available_not_negative"},
			detail: func(w soundLedger) string { return w.c.ID + " (-1500)" },
		},
		{
			name: "postings after the account was blocked",
			sql:  "UPDATE accounts SET status = 'blocked' WHERE id = ?",
			arg:  func(w soundLedger) []any { return []any{w.b.ID} },
			want: []string{"no_posting_when_not_active"},
		},
		{
			name: "posting in another currency",
			sql:  "UPDATE postings SET currency = 'EUR' WHERE account_id = ? AND seq = 2",
			arg:  func(w soundLedger) []any { return []any{w.b.ID} },
			want: []string{"posting_currency", "currency_sum", "entry_balanced"},
		},
		{
			name: "hold in another currency",
			sql:  "UPDATE holds SET currency = 'EUR' WHERE account_id = ?",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"hold_currency"},
		},
		{
			name: "running balance wrong in the middle",
			sql:  "UPDATE postings SET balance_after = balance_after + 1 WHERE account_id = ? AND seq = 2",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"running_balance"},
		},
		{
			name: "last running balance wrong",
			sql:  "UPDATE postings SET balance_after = balance_after + 1 WHERE account_id = ? AND seq = 3",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"running_balance", "last_running_balance"},
		},
		{
			name: "sequence skipped",
			sql:  "UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ?",
			arg:  func(w soundLedger) []any { return []any{w.a.ID} },
			want: []string{"sequence_without_gaps"},
		},
		{
			name: "entry without postings",
			sql:  "INSERT INTO journal_entries (id, kind, posted_at) VALUES ('orphan-entry', 'transfer', 0)",
			arg:  func(soundLedger) []any { return nil },
			want: []string{"entry_has_postings"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				w := newSoundLedger(t, f)
				if _, err := d.Exec(f.ctx, tc.sql, tc.arg(w)...); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				breaks, err := f.l.Verify(f.ctx)
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				var checks, details []string
				for _, b := range breaks {
					if !slices.Contains(checks, b.Check) {
						checks = append(checks, b.Check)
					}
					details = append(details, b.String())
				}
				slices.Sort(checks)
				want := slices.Sorted(slices.Values(tc.want))
				if !slices.Equal(checks, want) {
					t.Errorf("checks %v, want %v; breaks:\n%s", checks, want, strings.Join(details, "\n"))
				}
				if tc.detail != nil {
					d := tc.detail(w)
					if !slices.ContainsFunc(breaks, func(b ledger.Break) bool { return b.Detail == d }) {
						t.Errorf("no break with detail %q:\n%s", d, strings.Join(details, "\n"))
					}
				}
			})
		})
	}
}
