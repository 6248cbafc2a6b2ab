package ledger_test

import (
	"database/sql"
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestReverseMirrorsPostingsAndRestoresBalances(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		e := transfer(a.ID, b.ID, 2_500)
		e.Legs[1].Counterparty, e.Legs[1].CounterpartyIBAN = "Arben Gashi", "AL35202111090000000001234567"
		entry, err := f.l.Post(f.ctx, e)
		if err != nil {
			t.Fatal(err)
		}

		rev, err := f.l.Reverse(f.ctx, entry, "Gabim operatori")
		if err != nil {
			t.Fatalf("reverse: %v", err)
		}
		f.assertBalance(t, a.ID, 10_000, 0)
		f.assertBalance(t, b.ID, 0, 0)

		orig, mirror := f.entryPostings(t, entry), f.entryPostings(t, rev)
		if len(mirror) != len(orig) {
			t.Fatalf("reversal has %d postings, want %d", len(mirror), len(orig))
		}
		for id, amt := range orig {
			if mirror[id] != -amt {
				t.Errorf("account %s: reversal posts %d, want %d", id, mirror[id], -amt)
			}
		}
		var kind, desc, ref string
		var reverses sql.NullString
		if err := d.QueryRow(f.ctx, "SELECT kind, description, reference, reverses_id FROM journal_entries WHERE id = ?",
			rev).Scan(&kind, &desc, &ref, &reverses); err != nil {
			t.Fatal(err)
		}
		if kind != "reversal" || desc != "Gabim operatori" || ref != entry || reverses.String != entry {
			t.Errorf("reversal entry: kind %q description %q reference %q reverses %q", kind, desc, ref, reverses.String)
		}
		lines := f.postings(t, b.ID)
		if last := lines[len(lines)-1]; last.Description != "Kthim: Transfertë hyrëse" || last.Counterparty != "Arben Gashi" ||
			last.CounterpartyIBAN != "AL35202111090000000001234567" || last.BalanceAfter != 0 {
			t.Errorf("reversal posting on payee: %+v", last)
		}
		f.assertSound(t)
	})
}

func TestReverseRefusesWhatCannotBeReversed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		entry, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 2_500))
		if err != nil {
			t.Fatal(err)
		}
		rev, err := f.l.Reverse(f.ctx, entry, "first")
		if err != nil {
			t.Fatal(err)
		}
		spent, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 4_000))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.Post(f.ctx, transfer(b.ID, a.ID, 3_000)); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name, id, code string
			kind           kumbara.Kind
		}{
			{"second reversal", entry, "already_reversed", kumbara.KindUnprocessable},
			{"reversal of a reversal", rev, "already_reversed", kumbara.KindUnprocessable},
			{"unknown entry", "00000000-0000-7000-8000-000000000000", "transaction_not_found", kumbara.KindNotFound},
			{"money already spent by the payee", spent, "insufficient_funds", kumbara.KindUnprocessable},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, a.ID, b.ID)
				_, err := f.l.Reverse(f.ctx, tc.id, "again")
				wantCode(t, err, tc.code)
				if kumbara.KindOf(err) != tc.kind {
					t.Errorf("kind %v, want %v", kumbara.KindOf(err), tc.kind)
				}
				f.assertUnchanged(t, before, a.ID, b.ID)
			})
		}
		f.assertSound(t)
	})
}

func TestConcurrentReversalsOfOneEntryPostOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		entry, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 2_500))
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = f.l.Reverse(f.ctx, entry, "duplicate click") })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch kumbara.CodeOf(err) {
			case "internal":
				if err != nil {
					t.Errorf("reverse: %v", err)
					continue
				}
				ok++
			case "already_reversed":
			default:
				t.Errorf("reverse: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d reversals succeeded, want 1", ok)
		}
		f.assertBalance(t, a.ID, 10_000, 0)
		f.assertBalance(t, b.ID, 0, 0)
		f.assertSound(t)
	})
}
