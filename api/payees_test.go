package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Verification of Payee answers each of the scheme's results for this bank's accounts and for other banks' (the
// sandbox), with the account's name on a close match only.
func TestVerifyPayeeAnswersTheSchemesResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t)
		tok := b.login(t, arben)
		eliras := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		closed, err := b.customers.OpenAccount(context.Background(), b.customer(t, dritan).ID, money.EUR,
			ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return ledger.SetStatus(context.Background(), tx, b.clock.Now(), closed.ID, ledger.Closed)
		}); err != nil {
			t.Fatal(err)
		}
		credins, err := iban.Parse("AL47212110090000000235698741")
		if err != nil {
			t.Fatal(err)
		}
		b.services.VoPSandbox.Add(credins, "Besnik Gjokaj")
		unknown, err := iban.NewAlbanian("205", "1001", "1234567")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			why, iban, name, result, shown string
		}{
			{"the holder's name", eliras.IBAN, "Elira Shehu", "match", ""},
			{"folded and reordered", iban.IBAN(eliras.IBAN).Printable(), "SHEHU elira", "match", ""},
			{"an initial", eliras.IBAN, "E. Shehu", "close_match", "Elira Shehu"},
			{"another name", eliras.IBAN, "Dritan Çela", "no_match", ""},
			{"a closed account", closed.IBAN, "Dritan Çela", "not_possible", ""},
			{"a business without its legal form", b.account(t, business, money.ALL, ledger.TypeCurrent).IBAN,
				"Embelsira Tirana", "match", ""},
			{"another bank's account", credins.Printable(), "Besnik Gjokaj", "match", ""},
			{"another bank's account, close", credins.String(), "Besnik Gjoka", "close_match", "Besnik Gjokaj"},
			{"another bank's account it does not hold", unknown.String(), "Besnik Gjokaj", "not_possible", ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				r := b.do(t, "POST", "/api/v1/payees/verify", tok, map[string]string{"iban": tc.iban, "name": tc.name})
				wantStatus(t, r, http.StatusOK)
				if r.str("result") != tc.result || r.str("name") != tc.shown {
					t.Errorf("answer %s %q, want %s %q", r.str("result"), r.str("name"), tc.result, tc.shown)
				}
				if _, named := r.json["name"]; named != (tc.shown != "") {
					t.Errorf("answer %s names the account: %s", r.str("result"), r.body)
				}
				if r.str("checked_at") == "" {
					t.Errorf("no checked_at: %s", r.body)
				}
			})
		}

		// Another bank that cannot be reached is not an error: the check was not possible, and the customer may pay.
		b.services.VoPSandbox.SetDown(true)
		r := b.do(t, "POST", "/api/v1/payees/verify", tok, map[string]string{"iban": credins.String(),
			"name": "Besnik Gjokaj"})
		wantStatus(t, r, http.StatusOK)
		if r.str("result") != "not_possible" {
			t.Errorf("the other bank down: %s", r.body)
		}
	})
}

// A check names what is wrong with each field, in both languages, and a customer's checks are limited: 20 at once,
// then one every 6 seconds, with Retry-After.
func TestVerifyPayeeRefusesBadInputAndTooManyChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, dritan)
		payee := b.account(t, elira, money.ALL, ledger.TypeCurrent).IBAN
		for _, tc := range []struct {
			why  string
			body map[string]string
			want []string
		}{
			{"nothing", map[string]string{"iban": "", "name": ""}, []string{"iban:field_required", "name:field_required"}},
			{"a wrong IBAN", map[string]string{"iban": "AL47212110090000000235698742", "name": "Elira Shehu"},
				[]string{"iban:iban_invalid"}},
			{"a name too long", map[string]string{"iban": payee, "name": strings.Repeat("Elira ", 30)},
				[]string{"name:description_too_long"}},
			{"a hidden character", map[string]string{"iban": payee, "name": "Elira\u200bShehu"},
				[]string{"name:description_invalid_characters"}},
		} {
			t.Run(tc.why, func(t *testing.T) {
				r := b.expectProblem(t, "POST", "/api/v1/payees/verify", tok, tc.body, http.StatusBadRequest,
					"validation_failed")
				if got := r.fieldCodes(); !slices.Equal(got, tc.want) {
					t.Errorf("errors %v, want %v", got, tc.want)
				}
			})
		}
		b.expectProblem(t, "POST", "/api/v1/payees/verify", "", map[string]string{"iban": payee, "name": "Elira"},
			http.StatusUnauthorized, "unauthenticated")

		// Refused input spent nothing: the whole allowance is left.
		for i := 1; i <= 20; i++ {
			r := b.do(t, "POST", "/api/v1/payees/verify", tok, map[string]string{"iban": payee, "name": "Elira Shehu"})
			wantStatus(t, r, http.StatusOK)
		}
		r := b.expectProblem(t, "POST", "/api/v1/payees/verify", tok,
			map[string]string{"iban": payee, "name": "Elira Shehu"}, http.StatusTooManyRequests, "rate_limited")
		if got := r.header.Get("Retry-After"); got != "6" {
			t.Errorf("Retry-After %q, want 6", got)
		}
		// Another customer has an allowance of their own.
		other := b.do(t, "POST", "/api/v1/payees/verify", b.login(t, arben),
			map[string]string{"iban": payee, "name": "Elira Shehu"})
		wantStatus(t, other, http.StatusOK)
	})
}
