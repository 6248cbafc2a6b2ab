package api_test

import (
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// cardIn returns the card with the id from a GET /api/v1/cards answer.
func cardIn(t *testing.T, r reply, id string) map[string]any {
	t.Helper()
	list, _ := r.json["cards"].([]any)
	for _, c := range list {
		if m, _ := c.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("card %s not in %s", id, r.body)
	return nil
}

func TestTheCustomerReadsTheirCardsWithControlsAndAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, arben)
		tok := b.login(t, arben)
		r := b.do(t, "GET", "/api/v1/cards", tok, nil)
		wantStatus(t, r, http.StatusOK)
		got := cardIn(t, r, c.ID)
		if got["kind"] != "debit" || got["scheme"] != "visa" || got["masked_pan"] != c.Masked || got["status"] != "active" ||
			got["holder"] != c.Holder || got["expires"] != c.Expires || got["currency"] != "ALL" {
			t.Fatalf("card %v", got)
		}
		k, _ := got["controls"].(map[string]any)
		if k["online"] != true || k["magstripe"] != false || k["daily_purchase_limit"] != "500000.00" ||
			k["daily_atm_limit"] != "200000.00" {
			t.Fatalf("controls %v", k)
		}
		accounts, _ := got["accounts"].([]any)
		if first, _ := accounts[0].(map[string]any); len(accounts) != 1 || first["primary"] != true || first["id"] != c.AccountID {
			t.Fatalf("accounts %v", accounts)
		}
		one := b.do(t, "GET", "/api/v1/cards/"+c.ID, tok, nil)
		wantStatus(t, one, http.StatusOK)
		h := b.do(t, "GET", "/api/v1/cards/"+c.ID+"/history", tok, nil)
		wantStatus(t, h, http.StatusOK)
		if ev, _ := h.json["events"].([]any); len(ev) != 1 || ev[0].(map[string]any)["event"] != "issued" {
			t.Fatalf("history %s", h.body)
		}
	})
}

func TestAnotherCustomersCardIsNotFoundOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, arben)
		tok := b.login(t, elira)
		pw := map[string]string{"password": demo.Password}
		base := "/api/v1/cards/" + c.ID
		b.expectProblem(t, "GET", base, tok, nil, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "GET", base+"/history", tok, nil, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "POST", base+"/block", tok, map[string]string{"reason": "lost"}, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "POST", base+"/unblock", tok, pw, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "POST", base+"/reprint", tok, pw, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "POST", base+"/pin", tok, map[string]string{"pin": "5821", "password": demo.Password},
			http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "PATCH", base+"/controls", tok, map[string]any{"online": false}, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "POST", base+"/accounts/"+c.AccountID, tok, pw, http.StatusNotFound, "card_not_found")
		b.expectProblem(t, "DELETE", base+"/accounts/"+c.AccountID, tok, nil, http.StatusNotFound, "card_not_found")
		r := b.do(t, "GET", "/api/v1/cards", tok, nil)
		if list, _ := r.json["cards"].([]any); len(list) != 0 {
			t.Fatalf("Elira sees %s", r.body)
		}
	})
}

func TestCardBlockReactivateReprintAndANewPINOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, arben)
		tok := b.login(t, arben)
		base := "/api/v1/cards/" + c.ID
		b.expectProblem(t, "POST", base+"/block", tok, map[string]string{"reason": "forever"}, http.StatusBadRequest,
			"card_block_reason_invalid")
		r := b.do(t, "POST", base+"/block", tok, map[string]string{"reason": "temporary"})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "blocked" {
			t.Fatalf("block %s", r.body)
		}
		b.expectProblem(t, "POST", base+"/unblock", tok, map[string]string{}, http.StatusBadRequest, "validation_failed")
		r = b.do(t, "POST", base+"/unblock", tok, map[string]string{"password": demo.Password})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "active" {
			t.Fatalf("unblock %s", r.body)
		}
		b.expectProblem(t, "POST", base+"/pin", tok, map[string]string{"pin": "1234", "password": demo.Password},
			http.StatusBadRequest, "card_pin_weak")
		r = b.do(t, "POST", base+"/pin", tok, map[string]string{"pin": "5821", "password": demo.Password})
		wantStatus(t, r, http.StatusOK)
		if r.json["pin_pending"] != true {
			t.Fatalf("pin %s", r.body)
		}
		r = b.do(t, "POST", base+"/block", tok, map[string]string{"reason": "lost"})
		wantStatus(t, r, http.StatusOK)
		b.expectProblem(t, "POST", base+"/unblock", tok, map[string]string{"password": demo.Password}, http.StatusForbidden,
			"card_lost_reactivation")
		r = b.do(t, "POST", base+"/reprint", tok, map[string]string{"password": demo.Password})
		wantStatus(t, r, http.StatusCreated)
		if r.str("status") != "ordered" || r.str("replaces") != c.ID || r.str("masked_pan") == c.Masked {
			t.Fatalf("reprint %s", r.body)
		}
		b.expectProblem(t, "POST", base+"/block", tok, map[string]string{"reason": "temporary"}, http.StatusConflict, "card_final")
		list := b.do(t, "GET", "/api/v1/cards", tok, nil)
		if old := cardIn(t, list, c.ID); old["status"] != "replaced" || old["replaced_by"] != r.str("id") {
			t.Fatalf("old card %v", old)
		}
		h := b.do(t, "GET", base+"/history", tok, nil)
		events, _ := h.json["events"].([]any)
		var names []string
		for _, e := range events {
			names = append(names, e.(map[string]any)["event"].(string))
		}
		want := []string{"reprinted", "reported_lost", "pin_changed", "reactivated", "blocked", "issued"}
		if len(names) != len(want) {
			t.Fatalf("history %v, want %v", names, want)
		}
		for i := range want {
			if names[i] != want[i] {
				t.Fatalf("history %v, want %v", names, want)
			}
		}
	})
}

func TestCardControlsAndLinkedAccountsOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, arben)
		tok := b.login(t, arben)
		base := "/api/v1/cards/" + c.ID
		r := b.do(t, "PATCH", base+"/controls", tok, map[string]any{"online": false, "daily_atm_limit": "20000"})
		wantStatus(t, r, http.StatusOK)
		if k := r.json["controls"].(map[string]any); k["online"] != false || k["daily_atm_limit"] != "20000.00" {
			t.Fatalf("controls %s", r.body)
		}
		b.problemWithParams(t, "PATCH", base+"/controls", tok, map[string]any{"daily_purchase_limit": "500000.01",
			"password": demo.Password}, http.StatusBadRequest, "card_limit_too_high", "500000.00 ALL")
		b.expectProblem(t, "PATCH", base+"/controls", tok, map[string]any{"daily_purchase_limit": "lots"},
			http.StatusBadRequest, "validation_failed")
		b.expectProblem(t, "PATCH", base+"/controls", tok, map[string]any{"online": true}, http.StatusBadRequest,
			"validation_failed")
		r = b.do(t, "PATCH", base+"/controls", tok, map[string]any{"online": true, "password": demo.Password})
		wantStatus(t, r, http.StatusOK)

		eur := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		eliras := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		pw := map[string]string{"password": demo.Password}
		b.expectProblem(t, "POST", base+"/accounts/"+eliras.ID, tok, pw, http.StatusNotFound, "account_not_found")
		b.expectProblem(t, "DELETE", base+"/accounts/"+c.AccountID, tok, nil, http.StatusConflict, "card_primary_unlink")
		r = b.do(t, "POST", base+"/accounts/"+eur.ID, tok, pw)
		wantStatus(t, r, http.StatusOK)
		if accounts, _ := r.json["accounts"].([]any); len(accounts) != 2 || accounts[1].(map[string]any)["currency"] != "EUR" {
			t.Fatalf("linked %s", r.body)
		}
		b.expectProblem(t, "POST", base+"/accounts/"+eur.ID, tok, pw, http.StatusConflict, "card_account_already_linked")
		r = b.do(t, "DELETE", base+"/accounts/"+eur.ID, tok, nil)
		wantStatus(t, r, http.StatusOK)
		b.expectProblem(t, "DELETE", base+"/accounts/"+eur.ID, tok, nil, http.StatusNotFound, "card_account_not_linked")
	})
}
