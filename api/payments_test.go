package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// withDirectory puts the banks the tests pay in the bank directory: 212 takes instant payments, 202 does not.
func (b *bank) withDirectory(t *testing.T) *bank {
	t.Helper()
	for _, x := range []bankdir.Bank{{Code: "212", BIC: "CDISALTR", Name: "Credins Bank", Instant: true, Active: true},
		{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank", Active: true}} {
		if _, err := b.services.Directory.Put(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func domesticBody(from string, amount string) map[string]any {
	return map[string]any{"type": "domestic", "from_account_id": from, "amount": amount, "currency": "ALL",
		"description": "Qira", "charges": "SHA", "beneficiary": map[string]any{"name": "Dritan Çela",
			"iban": "AL47 2121 1009 0000 0002 3569 8741", "address": map[string]any{"city": "Durrës", "country": "AL"}}}
}

// TestADomesticPaymentThroughTheAPI: made, waiting for the session with its fee and value date, sent, settled;
// every status with its time on GET; the money moved once.
func TestADomesticPaymentThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation().withDirectory(t)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		before := b.fresh(t, acc.ID).Balance
		r := b.do(t, "POST", "/api/v1/transfers", tok, domesticBody(acc.ID, "2000.00"), "Idempotency-Key", "pay-1")
		wantStatus(t, r, http.StatusCreated)
		id := r.str("id")
		fee, _ := r.json["fee"].(map[string]any)
		if r.str("scheme") != "aech" || r.str("status") != "waiting" || fee["amount"] != "100.00" ||
			r.str("value_date") == "" {
			t.Fatalf("created %s", r.body)
		}
		if v, _ := r.json["verification"].(map[string]any); v["result"] != "not_possible" {
			t.Errorf("verification %v: the other bank's name check has no such account in the sandbox", v)
		}
		again := b.do(t, "POST", "/api/v1/transfers", tok, domesticBody(acc.ID, "2000.00"), "Idempotency-Key", "pay-1")
		wantStatus(t, again, http.StatusCreated)
		if again.str("id") != id || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("repeat %s", again.body)
		}
		if _, err := b.services.Payments.RunSession(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := b.services.ClearingHouse.Work(context.Background()); err != nil {
			t.Fatal(err)
		}
		r = b.do(t, "GET", "/api/v1/transfers/"+id, tok, nil)
		wantStatus(t, r, http.StatusOK)
		var seen []string
		for _, e := range r.json["events"].([]any) {
			seen = append(seen, e.(map[string]any)["status"].(string))
		}
		if r.str("status") != "settled" || !slices.Equal(seen, []string{"accepted", "waiting", "sent", "settled"}) {
			t.Fatalf("after settlement %s", r.body)
		}
		if got := b.fresh(t, acc.ID).Balance; got != before-2_100_00 {
			t.Errorf("balance %d, want %d", got, before-2_100_00)
		}
		rc := b.do(t, "GET", "/api/v1/transfers/"+id+"/receipt", tok, nil)
		wantStatus(t, rc, http.StatusOK)
		if ct := rc.header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("receipt %s", ct)
		}
		r = b.do(t, "GET", "/api/v1/payments", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if list, _ := r.json["payments"].([]any); len(list) != 1 {
			t.Errorf("payments %s", r.body)
		}
		other := b.login(t, dritan)
		b.expectProblem(t, "GET", "/api/v1/transfers/"+id, other, nil, http.StatusNotFound, "transfer_not_found")
	})
}

// TestBadPaymentsThroughTheAPI: each refusal a 4xx with its code, nothing moved.
func TestBadPaymentsThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation().withDirectory(t)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		before := b.money(t)
		own, _ := iban.NewAlbanian(testBank.Code, testBank.Branch, "0000000012345678")
		for i, tt := range []struct {
			change func(map[string]any)
			status int
			code   string
		}{
			{func(m map[string]any) { m["currency"] = "EUR" }, http.StatusUnprocessableEntity, "payment_currency_unsupported"},
			{func(m map[string]any) { m["charges"] = "XYZ" }, http.StatusBadRequest, "validation_failed"},
			{func(m map[string]any) { m["beneficiary"].(map[string]any)["iban"] = own.String() }, http.StatusUnprocessableEntity, "payment_own_bank"},
			{func(m map[string]any) { m["beneficiary"].(map[string]any)["iban"] = "AL47212110090000000235698742" }, http.StatusBadRequest, "validation_failed"},
			{func(m map[string]any) { m["amount"] = "99999999" }, http.StatusUnprocessableEntity, "insufficient_funds"},
			{func(m map[string]any) { m["type"] = "sepa"; m["currency"] = "EUR"; m["charges"] = "OUR" }, http.StatusBadRequest, "validation_failed"},
		} {
			body := domesticBody(acc.ID, "10.00")
			tt.change(body)
			r := b.do(t, "POST", "/api/v1/transfers", tok, body, "Idempotency-Key", "bad-"+string(rune('a'+i)))
			if r.status != tt.status || r.str("code") != tt.code {
				t.Errorf("case %d: %d %s, want %d %s", i, r.status, r.str("code"), tt.status, tt.code)
			}
		}
		b.expectNothingMoved(t, before)
	})
}

// TestAPaymentAboveTheLowValueLimitIsConfirmedByItsSMSCode: 202 with the challenge; a new code on request; the
// old code no longer works; the new one confirms and the payment is held.
func TestAPaymentAboveTheLowValueLimitIsConfirmedByItsSMSCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		r := b.do(t, "POST", "/api/v1/transfers", tok, domesticBody(acc.ID, "20000.00"), "Idempotency-Key", "pay-sms")
		wantStatus(t, r, http.StatusAccepted)
		id := r.str("id")
		if r.str("status") != "pending_confirmation" || r.json["confirmation"] == nil {
			t.Fatalf("created %s", r.body)
		}
		first := b.otp(t, arben)
		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/challenge", tok, nil)
		wantStatus(t, r, http.StatusCreated)
		second := b.otp(t, arben)
		if first == second {
			t.Fatal("the new challenge sent the same code")
		}
		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": second})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "waiting" {
			t.Fatalf("confirmed %s", r.body)
		}
		if held := b.fresh(t, acc.ID).Held; held != 20_100_00 {
			t.Errorf("held %d, want 20,100.00", held)
		}
	})
}

// TestAPaymentFromAnAccountInAnotherCurrencyAnswersItsExchange: 2,000 ALL from a euro account at the bank's buy rate
// 97.80 — 2,100.00 ALL with the fee, 2,100 / 97.80 = 21.4723… → 21.47 EUR — answered in `exchange` and taken from
// the account.
func TestAPaymentFromAnAccountInAnotherCurrencyAnswersItsExchange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation().withDirectory(t)
		if _, err := b.services.FX.Publish(context.Background(), fx.Rate{Currency: money.EUR, Buy: "97.80",
			Sell: "99.40", PublishedBy: "desk", ApprovedBy: "manager"}); err != nil {
			t.Fatal(err)
		}
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		before := b.fresh(t, acc.ID).Balance
		r := b.do(t, "POST", "/api/v1/transfers", tok, domesticBody(acc.ID, "2000.00"), "Idempotency-Key", "pay-fx")
		wantStatus(t, r, http.StatusCreated)
		x, _ := r.json["exchange"].(map[string]any)
		charged, _ := x["charged"].(map[string]any)
		if x["rate"] != "97.80" || x["base"] != "EUR" || x["quoted"] != "ALL" || charged["amount"] != "21.47" ||
			charged["currency"] != "EUR" {
			t.Fatalf("exchange %v", x)
		}
		// It waits for the clearing session with the euros held.
		if got := b.fresh(t, acc.ID); got.Balance != before || got.Held != 21_47 {
			t.Errorf("balance %d held %d, want %d with 21.47 EUR held", got.Balance, got.Held, before)
		}
	})
}
