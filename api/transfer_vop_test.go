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

// An in-bank transfer that names its payee (payee_name) has the name checked, as a payment to another bank has,
// and answers what the check said in verification, in the payments' shape: made at once, read back, waiting for
// confirmation and confirmed. Without a name there is no verification; a name the check does not take, and a
// name on an own transfer, are refused about payee_name.
func TestAnInBankTransferAnswersItsNameCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		body := func(amount, name string) map[string]any {
			m := map[string]any{"type": "internal", "from_account_id": from.ID, "to_iban": to.IBAN, "amount": amount,
				"currency": "ALL"}
			if name != "" {
				m["payee_name"] = name
			}
			return m
		}
		verification := func(r reply) map[string]any {
			v, _ := r.json["verification"].(map[string]any)
			return v
		}

		for i, tc := range []struct {
			why, name, result, shown string
		}{
			{"the holder's name", "Elira Shehu", "match", ""},
			{"an initial", "E. Shehu", "close_match", "Elira Shehu"},
			{"another name, which does not stop the transfer", "Dritan Çela", "no_match", ""},
			{"no name", "", "", ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				key := "vop-" + string(rune('a'+i))
				r := b.do(t, "POST", "/api/v1/transfers", tok, body("10", tc.name), "Idempotency-Key", key)
				wantStatus(t, r, http.StatusCreated)
				read := b.do(t, "GET", "/api/v1/transfers/"+r.str("id"), tok, nil)
				wantStatus(t, read, http.StatusOK)
				again := b.do(t, "POST", "/api/v1/transfers", tok, body("10", tc.name), "Idempotency-Key", key)
				wantStatus(t, again, http.StatusCreated)
				if again.header.Get("Idempotent-Replayed") != "true" {
					t.Errorf("repeat not replayed: %s", again.body)
				}
				for what, got := range map[string]reply{"answer": r, "GET": read, "repeat": again} {
					v := verification(got)
					if tc.result == "" {
						if v != nil {
							t.Errorf("%s has a verification without a name: %s", what, got.body)
						}
						continue
					}
					if v == nil || v["result"] != tc.result {
						t.Errorf("%s verification %v, want %s", what, v, tc.result)
						continue
					}
					if name, named := v["name"]; named != (tc.shown != "") || (named && name != tc.shown) {
						t.Errorf("%s verification names %v, want %q", what, v["name"], tc.shown)
					}
				}
			})
		}

		// Waiting for confirmation, and confirmed: the check made before it is what the transfer says.
		r := b.do(t, "POST", "/api/v1/transfers", tok, body("10000", "Elira Shehi"), "Idempotency-Key", "vop-pending")
		wantStatus(t, r, http.StatusAccepted)
		if v := verification(r); v == nil || v["result"] != "close_match" || v["name"] != "Elira Shehu" {
			t.Fatalf("pending transfer's verification %v", v)
		}
		done := b.do(t, "POST", "/api/v1/transfers/"+r.str("id")+"/confirm", tok,
			map[string]any{"method": "sms", "code": b.otp(t, arben)})
		wantStatus(t, done, http.StatusOK)
		if v := verification(done); done.str("status") != "completed" || v == nil || v["result"] != "close_match" ||
			v["name"] != "Elira Shehu" {
			t.Errorf("confirmed transfer %s", done.body)
		}

		for _, tc := range []struct {
			why  string
			body map[string]any
			want string
		}{
			{"a control character in the name", body("1", "Elira\u202eShehu"), "payee_name:description_invalid_characters"},
			{"a name on an own transfer", map[string]any{"type": "own", "from_account_id": from.ID,
				"to_account_id": b.account(t, arben, money.ALL, ledger.TypeSavings).ID, "amount": "1", "currency": "ALL",
				"payee_name": "Arben Hoxha"}, "payee_name:validation_failed"},
		} {
			t.Run(tc.why, func(t *testing.T) {
				before := b.money(t)
				bad := b.expectProblem(t, "POST", "/api/v1/transfers", tok, tc.body, http.StatusBadRequest,
					"validation_failed", "Idempotency-Key", "vop-bad-"+strings.ReplaceAll(tc.why, " ", "-"))
				if got := bad.fieldCodes(); !slices.Contains(got, tc.want) {
					t.Errorf("errors %v, want %s", got, tc.want)
				}
				b.expectNothingMoved(t, before)
			})
		}
	})
}

// The name checks of in-bank transfers count against the customer's allowance of checks, which payments to other
// banks and the check on its own spend too: past it the transfer is refused with 429 rate_limited and Retry-After,
// and nothing moves.
func TestInBankNameChecksShareTheCustomersAllowance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation()
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		for range 20 {
			wantStatus(t, b.do(t, "POST", "/api/v1/payees/verify", tok, map[string]string{"iban": to.IBAN,
				"name": "Elira Shehu"}), http.StatusOK)
		}
		before := b.money(t)
		r := b.expectProblem(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal",
			"from_account_id": from.ID, "to_iban": to.IBAN, "amount": "1", "currency": "ALL", "payee_name": "Elira Shehu"},
			http.StatusTooManyRequests, "rate_limited", "Idempotency-Key", "vop-limited")
		if r.header.Get("Retry-After") == "" {
			t.Errorf("no Retry-After: %v", r.header)
		}
		b.expectNothingMoved(t, before)
		// Without a name nothing is checked, so nothing is limited.
		wantStatus(t, b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal",
			"from_account_id": from.ID, "to_iban": to.IBAN, "amount": "1", "currency": "ALL"},
			"Idempotency-Key", "vop-unnamed"), http.StatusCreated)
	})
}
