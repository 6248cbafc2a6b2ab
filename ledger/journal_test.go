package ledger_test

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// TestAJournalEntryIsReadWithItsLegsAndItsReversal: staff weighing a reversal read the entry as the books hold it,
// the debit first, each leg with its account and the counterparty unmasked; once reversed, the entry names its
// reversal and the reversal the entry; an unknown or unreadable id is transaction_not_found.
func TestAJournalEntryIsReadWithItsLegsAndItsReversal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		e := transfer(a.ID, b.ID, 2_500)
		e.Legs[1].Counterparty, e.Legs[1].CounterpartyIBAN = "Arben Gashi", a.IBAN
		id, err := f.l.Post(f.ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.l.JournalEntry(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != "transfer" || got.Description != "Transfertë" || !got.PostedAt.Equal(f.clk.Now()) ||
			got.ReversesID != "" || got.ReversedBy != "" || len(got.Legs) != 2 {
			t.Fatalf("entry %+v", got)
		}
		debit, credit := got.Legs[0], got.Legs[1]
		if debit.Amount != -2_500 || debit.Account.ID != a.ID || debit.Account.IBAN != a.IBAN ||
			credit.Amount != 2_500 || credit.Account.CustomerID != b.CustomerID || credit.Counterparty != "Arben Gashi" ||
			credit.CounterpartyMasked {
			t.Errorf("legs %+v", got.Legs)
		}

		rev, err := f.l.Reverse(f.ctx, id, "Gabim operatori")
		if err != nil {
			t.Fatal(err)
		}
		if got, err = f.l.JournalEntry(f.ctx, id); err != nil || got.ReversedBy != rev {
			t.Errorf("reversed entry names %q, want %q (%v)", got.ReversedBy, rev, err)
		}
		mirror, err := f.l.JournalEntry(f.ctx, rev)
		if err != nil || mirror.Kind != ledger.KindReversal || mirror.ReversesID != id || mirror.Legs[0].Account.ID != b.ID ||
			!mirror.Touches(a.ID) || mirror.Touches("elsewhere") {
			t.Errorf("reversal %+v (%v)", mirror, err)
		}

		for _, bad := range []string{"", "no-such-entry", "\xff\xfe"} {
			if _, err := f.l.JournalEntry(f.ctx, bad); !errors.Is(err, ledger.ErrTransactionNotFound) {
				t.Errorf("JournalEntry(%q) = %v, want transaction_not_found", bad, err)
			}
		}
	})
}
