package card_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// FuzzNormalizeNumber: whatever is typed, the answer is empty or 12–19 digits passing the Luhn check, and typing it
// again in groups gives the same number.
func FuzzNormalizeNumber(f *testing.F) {
	for _, s := range []string{"4000 0012 3456 7899", "4000-0012-3456-7899", "", "abc", "4000001234567898", "0000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		pan := card.NormalizeNumber(typed)
		if pan == "" {
			return
		}
		if len(pan) < 12 || len(pan) > 19 || !card.Luhn(pan) {
			t.Fatalf("NormalizeNumber(%q) = %q", typed, pan)
		}
		if again := card.NormalizeNumber(pan[:4] + " " + pan[4:]); again != pan {
			t.Fatalf("grouped again: %q, want %q", again, pan)
		}
	})
}

// TestACardIsFoundByItsFullNumberOnlyWhileActive: the number as printed (in groups) finds the card; a number one
// digit off, a malformed one and the number of a card no longer active find nothing (card_not_found).
func TestACardIsFoundByItsFullNumberOnlyWhileActive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		pan := f.reveal(t, c.ID)
		got, err := f.cards.FindByNumber(f.ctx, pan[:4]+" "+pan[4:8]+" "+pan[8:12]+" "+pan[12:])
		if err != nil || got.ID != c.ID {
			t.Fatalf("FindByNumber = %+v, %v", got, err)
		}
		off := pan[:len(pan)-1] + string('0'+(pan[len(pan)-1]-'0'+5)%10)
		for _, n := range []string{off, "12345", "x" + pan} {
			if _, err := f.cards.FindByNumber(f.ctx, n); err != card.ErrNotFound {
				t.Errorf("FindByNumber(%d chars) = %v", len(n), err)
			}
		}
		if _, err := d.Exec(f.ctx, "UPDATE cards SET status = 'blocked' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.cards.FindByNumber(f.ctx, pan); err != card.ErrNotFound {
			t.Errorf("a blocked card: %v", err)
		}
	})
}

// The network's one query names the card's columns qualified by their table: the same columns, in the same order.
func TestNetworkColumnsAreTheCardColumnsQualified(t *testing.T) {
	plain := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "cards.", "")), " ") }
	if got, want := plain(card.NetworkColumns), plain(card.Columns); got != want {
		t.Fatalf("the network's columns differ from the card's:\n%s\n%s", got, want)
	}
}
