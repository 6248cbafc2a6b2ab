package ledger_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

func TestRenamingAnAccountKeepsTheNameInItsPlainFormAndRefusesABlankOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.open(t, 0)
		ptr := func(s string) *string { return &s }
		for _, tc := range []struct {
			name, in, want string
		}{
			{"a plain name", "Për pushimet", "Për pushimet"},
			{"space around it", "  Kursime  ", "Kursime"},
			{"full-width letters", "Ｋｕｒｓｉｍｅ", "Kursime"},
			{"a combining accent", "Pushime ne\u0308 Sarande\u0308", "Pushime në Sarandë"},
			{"a non-breaking space", "Për\u00a0shtëpinë", "Për shtëpinë"},
			{"40 letters", strings.Repeat("ë", ledger.MaxAccountName), strings.Repeat("ë", ledger.MaxAccountName)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.l.Rename(f.ctx, a.CustomerID, a.ID, ledger.Relabel{Name: ptr(tc.in)})
				if err != nil {
					t.Fatalf("Rename(%q): %v", tc.in, err)
				}
				if got.Name != tc.want || f.get(t, a.ID).Name != tc.want {
					t.Fatalf("Rename(%q) keeps %q (stored %q), want %q", tc.in, got.Name, f.get(t, a.ID).Name, tc.want)
				}
			})
		}
		for _, tc := range []struct {
			name  string
			r     ledger.Relabel
			field string
			code  string
		}{
			{"an empty name", ledger.Relabel{Name: ptr("")}, "name", "field_required"},
			{"a blank name", ledger.Relabel{Name: ptr(" \t\n ")}, "name", "field_required"},
			{"a tab inside", ledger.Relabel{Name: ptr("a\tb")}, "name", "description_invalid_characters"},
			{"a name of spaces", ledger.Relabel{Name: ptr("   ")}, "name", "field_required"},
			{"a name of non-breaking spaces", ledger.Relabel{Name: ptr("\u00a0\u3000")}, "name", "field_required"},
			{"41 letters", ledger.Relabel{Name: ptr(strings.Repeat("a", ledger.MaxAccountName+1))}, "name", "description_too_long"},
			{"markup", ledger.Relabel{Name: ptr("<b>x</b>")}, "name", "description_invalid_characters"},
			{"a line break", ledger.Relabel{Name: ptr("a\nb")}, "name", "description_invalid_characters"},
			{"a NUL byte", ledger.Relabel{Name: ptr("a\x00b")}, "name", "description_invalid_characters"},
			{"invalid UTF-8", ledger.Relabel{Name: ptr("a\xffb")}, "name", "description_invalid_characters"},
			{"a path for a logo", ledger.Relabel{Logo: ptr("../../etc/passwd")}, "logo", "validation_failed"},
			{"a long logo", ledger.Relabel{Logo: ptr(strings.Repeat("a", 33))}, "logo", "validation_failed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.get(t, a.ID)
				_, err := f.l.Rename(f.ctx, a.CustomerID, a.ID, tc.r)
				e, ok := kumbara.As(err)
				if !ok || e.Kind != kumbara.KindInvalid || e.Code != "validation_failed" || len(e.Fields) != 1 ||
					e.Fields[0] != (kumbara.FieldError{Field: tc.field, Code: tc.code}) {
					t.Fatalf("Rename = %v (%+v), want validation_failed with %s/%s", err, e, tc.field, tc.code)
				}
				if after := f.get(t, a.ID); after.Name != before.Name || after.Logo != before.Logo {
					t.Fatalf("a refused rename changed the account to %q %q", after.Name, after.Logo)
				}
			})
		}

		t.Run("a logo alone leaves the name", func(t *testing.T) {
			before := f.get(t, a.ID)
			got, err := f.l.Rename(f.ctx, a.CustomerID, a.ID, ledger.Relabel{Logo: ptr("beach-1")})
			if err != nil || got.Name != before.Name || got.Logo != "beach-1" {
				t.Fatalf("Rename = %q %q, %v", got.Name, got.Logo, err)
			}
		})
		t.Run("another customer's account and ids no account has are not found", func(t *testing.T) {
			other := f.open(t, 0)
			for _, id := range []string{other.ID, "a\x00b", "\xff", "nonexistent"} {
				_, err := f.l.Rename(f.ctx, a.CustomerID, id, ledger.Relabel{Name: ptr("Imja")})
				if kumbara.CodeOf(err) != "account_not_found" {
					t.Errorf("Rename(%q) = %v, want account_not_found", id, err)
				}
			}
			if f.get(t, other.ID).Name == "Imja" {
				t.Fatal("another customer's account was renamed")
			}
		})
	})
}

func TestLockOwnedFindsOnlyTheCustomersAccountAndUsableSaysWhetherMoneyMayMove(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, other := f.open(t, 0), f.open(t, 0)
		lock := func(customerID, id string) (ledger.Account, error) {
			var got ledger.Account
			err := d.InTx(f.ctx, func(tx *db.Tx) error {
				var err error
				got, err = ledger.LockOwned(f.ctx, tx, customerID, id)
				return err
			})
			return got, err
		}
		if got, err := lock(a.CustomerID, a.ID); err != nil || got.ID != a.ID || got.Usable() != nil {
			t.Fatalf("LockOwned = %+v, %v", got, err)
		}
		for _, id := range []string{other.ID, "no-such-account"} {
			if _, err := lock(a.CustomerID, id); kumbara.CodeOf(err) != "account_not_found" {
				t.Errorf("LockOwned(%s) = %v, want account_not_found", id, err)
			}
		}
		for status, code := range map[ledger.Status]string{ledger.Blocked: "account_blocked", ledger.Closed: "account_closed"} {
			acc := f.open(t, 0)
			if err := f.setStatus(t, acc.ID, status); err != nil {
				t.Fatal(err)
			}
			if got := kumbara.CodeOf(f.get(t, acc.ID).Usable()); got != code {
				t.Errorf("a %s account: %s, want %s", status, got, code)
			}
		}
	})
}
