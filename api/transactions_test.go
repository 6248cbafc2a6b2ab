package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// A history line's detail: the payee masked in it and in the list, the receipt of one's own transfer, and a 404 for
// any line that is not the account's.
func TestTransactionDetailShowsTheLineAsTheCustomerMaySeeIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		paid := b.payElira(t, tok, "100", "detail-1")
		wantStatus(t, paid, http.StatusCreated)
		list := b.do(t, "GET", "/api/v1/accounts/"+from.ID+"/transactions?limit=1", tok, nil)
		wantStatus(t, list, http.StatusOK)
		lines, _ := list.json["transactions"].([]any)
		if len(lines) != 1 {
			t.Fatalf("history %v", list.json)
		}
		first := lines[0].(map[string]any)
		if first["counterparty"] != "E**** S****" {
			t.Errorf("the history names the payee %q", first["counterparty"])
		}
		id, _ := first["id"].(string)
		r := b.do(t, "GET", "/api/v1/accounts/"+from.ID+"/transactions/"+id, tok, nil)
		wantStatus(t, r, http.StatusOK)
		for key, want := range map[string]string{"id": id, "counterparty": "E**** S****", "counterparty_iban": to.IBAN,
			"kind": "transfer", "status": "booked", "amount": "-100.00", "direction": "out",
			"transfer_id": paid.str("id"), "receipt": "/api/v1/transfers/" + paid.str("id") + "/receipt",
			"reference": r.str("entry_id"), "value_date": b.clock.Now().In(clock.Tirane).Format("2006-01-02")} {
			if got := r.str(key); got != want {
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
		if r.json["counterparty_masked"] != true {
			t.Errorf("counterparty_masked %v", r.json["counterparty_masked"])
		}
		receipt := b.do(t, "GET", r.str("receipt"), tok, nil)
		wantStatus(t, receipt, http.StatusOK)

		theirs := b.allHistoryIDs(t, b.login(t, elira), to.ID)
		for _, tc := range []struct{ name, path string }{
			{"the payee's line under the payer's account", "/api/v1/accounts/" + from.ID + "/transactions/" + theirs[0]},
			{"the payer's line under the payee's account", "/api/v1/accounts/" + to.ID + "/transactions/" + id},
			{"an unknown line", "/api/v1/accounts/" + from.ID + "/transactions/0190f1f0-0000-7000-8000-000000000000"},
			{"a NUL in the line", "/api/v1/accounts/" + from.ID + "/transactions/" + url.PathEscape("a\x00b")},
			{"invalid UTF-8 in the line", "/api/v1/accounts/" + from.ID + "/transactions/%FF"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code := "transaction_not_found"
				if tc.path[len("/api/v1/accounts/"):][:len(to.ID)] == to.ID {
					code = "account_not_found"
				}
				b.expectProblem(t, "GET", tc.path, tok, nil, http.StatusNotFound, code)
			})
		}
	})
}

// allHistoryIDs is the line ids of an account's history, newest first.
func (b *bank) allHistoryIDs(t *testing.T, token, accountID string) []string {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/accounts/"+accountID+"/transactions?limit=100", token, nil)
	wantStatus(t, r, http.StatusOK)
	var ids []string
	lines, _ := r.json["transactions"].([]any)
	for _, l := range lines {
		ids = append(ids, l.(map[string]any)["id"].(string))
	}
	return ids
}
