package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

func TestRenamingAnAccountRefusesABlankNameAndKeepsThePlainForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeSavings)
		path := "/api/v1/accounts/" + acc.ID
		for _, tc := range []struct {
			name, in, field string
			headers         []string // a request the document itself refuses is marked as such
		}{
			{"an empty name", "", "name:field_required", nil},
			{"a blank name", " \u00a0\u3000 ", "name:field_required", nil},
			{"41 characters", strings.Repeat("a", 41), "name:description_too_long", []string{invalidOnPurpose, "over 40 characters"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := b.expectProblem(t, "PATCH", path, tok, map[string]string{"name": tc.in}, http.StatusBadRequest,
					"validation_failed", tc.headers...)
				if got := r.fieldCodes(); !slices.Equal(got, []string{tc.field}) {
					t.Fatalf("errors %v, want %s", got, tc.field)
				}
				if got := b.fresh(t, acc.ID).Name; got != acc.Name {
					t.Fatalf("a refused name changed the account to %q", got)
				}
			})
		}
		r := b.do(t, "PATCH", path, tok, map[string]string{"name": " Ｐｅｒ ｐｕｓｈｉｍｅｔ "})
		wantStatus(t, r, http.StatusOK)
		if r.str("name") != "Per pushimet" || b.fresh(t, acc.ID).Name != "Per pushimet" {
			t.Fatalf("answered %q, stored %q, want the plain form", r.str("name"), b.fresh(t, acc.ID).Name)
		}
		// A logo alone leaves the name as it is.
		r = b.do(t, "PATCH", path, tok, map[string]string{"logo": "plane"})
		wantStatus(t, r, http.StatusOK)
		if got := b.fresh(t, acc.ID); got.Name != "Per pushimet" || got.Logo != "plane" || r.str("name") != got.Name {
			t.Fatalf("after the logo: %q %q", got.Name, got.Logo)
		}
	})
}
