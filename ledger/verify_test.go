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

// tamper changes the database behind the ledger's back; undo puts it back exactly.
type tamper struct {
	sql, undo string
	arg       func(w soundLedger) []any
}

func (tp tamper) apply(t *testing.T, f *fixture, w soundLedger) (undo func()) {
	t.Helper()
	args := tp.arg(w)
	if _, err := f.d.Exec(f.ctx, tp.sql, args...); err != nil {
		t.Fatalf("tamper: %v", err)
	}
	return func() {
		if _, err := f.d.Exec(f.ctx, tp.undo, args...); err != nil {
			t.Fatalf("undo tampering: %v", err)
		}
	}
}

// deletePosting deletes an account's posting and returns how to put it back.
func deletePosting(t *testing.T, f *fixture, accountID string, seq int64) (undo func()) {
	t.Helper()
	const cols = "id, entry_id, account_id, seq, amount, currency, balance_after, posted_at, description, counterparty, counterparty_iban, search"
	var id, entry, account, currency, desc, cp, iban, search string
	var s, amount, after, at int64
	if err := f.d.QueryRow(f.ctx, "SELECT "+cols+" FROM postings WHERE account_id = ? AND seq = ?", accountID, seq).
		Scan(&id, &entry, &account, &s, &amount, &currency, &after, &at, &desc, &cp, &iban, &search); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.Exec(f.ctx, "DELETE FROM postings WHERE id = ?", id); err != nil {
		t.Fatalf("tamper: %v", err)
	}
	return func() {
		if _, err := f.d.Exec(f.ctx, "INSERT INTO postings ("+cols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			id, entry, account, s, amount, currency, after, at, desc, cp, iban, search); err != nil {
			t.Fatalf("undo tampering: %v", err)
		}
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		w := newSoundLedger(t, f)
		sqlTamper := func(tp tamper) func(t *testing.T) func() {
			return func(t *testing.T) func() { return tp.apply(t, f, w) }
		}
		for _, tc := range []struct {
			name   string
			tamper func(t *testing.T) (undo func())
			want   []string
			detail string // one break's detail, if the test knows it
		}{
			{
				name: "balance changed without a posting",
				tamper: sqlTamper(tamper{"UPDATE accounts SET balance = balance + 1 WHERE id = ?",
					"UPDATE accounts SET balance = balance - 1 WHERE id = ?", func(w soundLedger) []any { return []any{w.a.ID} }}),
				want:   []string{"balance_equals_postings", "last_running_balance"},
				detail: w.a.ID + " (1)",
			},
			{
				name:   "posting deleted",
				tamper: func(t *testing.T) func() { return deletePosting(t, f, w.a.ID, 2) },
				want: []string{"currency_sum", "entry_balanced", "balance_equals_postings", "sequence_without_gaps",
					"running_balance"},
				detail: "ALL (3000)",
			},
			{
				name: "posting amount changed",
				tamper: sqlTamper(tamper{"UPDATE postings SET amount = amount + 1 WHERE account_id = ? AND seq = 1",
					"UPDATE postings SET amount = amount - 1 WHERE account_id = ? AND seq = 1",
					func(w soundLedger) []any { return []any{w.b.ID} }}),
				want: []string{"currency_sum", "entry_balanced", "balance_equals_postings", "running_balance"},
			},
			{
				name: "held without a hold",
				tamper: sqlTamper(tamper{"UPDATE accounts SET held = held + 200 WHERE id = ?",
					"UPDATE accounts SET held = held - 200 WHERE id = ?", func(w soundLedger) []any { return []any{w.b.ID} }}),
				want:   []string{"held_equals_holds"},
				detail: w.b.ID + " (200)",
			},
			{
				name: "hold settled without lifting held",
				tamper: sqlTamper(tamper{"UPDATE holds SET status = 'released' WHERE account_id = ?",
					"UPDATE holds SET status = 'active' WHERE account_id = ?", func(w soundLedger) []any { return []any{w.a.ID} }}),
				want: []string{"held_equals_holds"},
			},
			{
				name: "overdraft cut below what is used",
				tamper: sqlTamper(tamper{"UPDATE accounts SET overdraft_limit = 0 WHERE id = ?",
					"UPDATE accounts SET overdraft_limit = 2000 WHERE id = ?", func(w soundLedger) []any { return []any{w.c.ID} }}),
				want:   []string{"available_not_negative"},
				detail: w.c.ID + " (-1500)",
			},
			{
				name: "postings after the account was blocked",
				tamper: sqlTamper(tamper{"UPDATE accounts SET status = 'blocked' WHERE id = ?",
					"UPDATE accounts SET status = 'active' WHERE id = ?", func(w soundLedger) []any { return []any{w.b.ID} }}),
				want: []string{"no_posting_when_not_active"},
			},
			{
				name: "posting in another currency",
				tamper: sqlTamper(tamper{"UPDATE postings SET currency = 'EUR' WHERE account_id = ? AND seq = 2",
					"UPDATE postings SET currency = 'ALL' WHERE account_id = ? AND seq = 2",
					func(w soundLedger) []any { return []any{w.b.ID} }}),
				want: []string{"posting_currency", "currency_sum", "entry_balanced"},
			},
			{
				name: "hold in another currency",
				tamper: sqlTamper(tamper{"UPDATE holds SET currency = 'EUR' WHERE account_id = ?",
					"UPDATE holds SET currency = 'ALL' WHERE account_id = ?", func(w soundLedger) []any { return []any{w.a.ID} }}),
				want: []string{"hold_currency"},
			},
			{
				name: "running balance wrong in the middle",
				tamper: sqlTamper(tamper{"UPDATE postings SET balance_after = balance_after + 1 WHERE account_id = ? AND seq = 2",
					"UPDATE postings SET balance_after = balance_after - 1 WHERE account_id = ? AND seq = 2",
					func(w soundLedger) []any { return []any{w.a.ID} }}),
				want: []string{"running_balance"},
			},
			{
				name: "last running balance wrong",
				tamper: sqlTamper(tamper{"UPDATE postings SET balance_after = balance_after + 1 WHERE account_id = ? AND seq = 3",
					"UPDATE postings SET balance_after = balance_after - 1 WHERE account_id = ? AND seq = 3",
					func(w soundLedger) []any { return []any{w.a.ID} }}),
				want: []string{"running_balance", "last_running_balance"},
			},
			{
				name: "sequence skipped",
				tamper: sqlTamper(tamper{"UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ?",
					"UPDATE accounts SET last_seq = last_seq - 1 WHERE id = ?", func(w soundLedger) []any { return []any{w.a.ID} }}),
				want: []string{"sequence_without_gaps"},
			},
			{
				name: "entry without postings",
				tamper: sqlTamper(tamper{"INSERT INTO journal_entries (id, kind, posted_at) VALUES ('orphan-entry', 'transfer', 0)",
					"DELETE FROM journal_entries WHERE id = 'orphan-entry'", func(soundLedger) []any { return nil }}),
				want: []string{"entry_has_postings"},
			},
		} {
			t.Run(tc.name, func(t *testing.T) {
				undo := tc.tamper(t)
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
				if tc.detail != "" && !slices.ContainsFunc(breaks, func(b ledger.Break) bool { return b.Detail == tc.detail }) {
					t.Errorf("no break with detail %q:\n%s", tc.detail, strings.Join(details, "\n"))
				}
				undo()
				f.assertSound(t) // the next case starts from a sound ledger again
			})
		}
	})
}
