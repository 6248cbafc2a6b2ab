package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestAPreferentialRequestOverTheAPI: the customer asks for a preferential rate for 15,000 EUR (under 10,000 is
// refused with its code), sees it in their requests waiting for the bank, cannot execute it before the bank's rate
// nor without an Idempotency-Key; once staff propose 98.40 the request shows the rate and the amounts allowed
// (±10 %), one cent beyond is refused, and 16,500 EUR executes into 1,623,600.00 lek — once, a repeat answering the
// first. Another customer's request is not found; an executed one cannot be cancelled; a cancelled one cannot be
// executed.
func TestAPreferentialRequestOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		if _, err := b.services.FX.Publish(ctx, fx.Rate{Currency: money.EUR, Buy: "97.80", Sell: "99.40"}); err != nil {
			t.Fatal(err)
		}
		tok := b.login(t, "100000001")
		eur := b.account(t, "100000001", money.EUR, ledger.TypeCurrent)
		lek := b.account(t, "100000001", money.ALL, ledger.TypeCurrent)
		if _, err := b.ledger.CashDeposit(ctx, eur.ID, money.New(20_000_00, money.EUR), "test"); err != nil {
			t.Fatal(err)
		}
		ask := func(amount string) map[string]any {
			return map[string]any{"from_account_id": eur.ID, "to_account_id": lek.ID, "sell_amount": amount}
		}
		r := b.problemWithParams(t, "POST", "/api/v1/fx/requests", tok, ask("9999.99"), http.StatusUnprocessableEntity,
			"fx_request_below_minimum", "10000.00 EUR")
		if got := r.fieldCodes(); len(got) != 1 || got[0] != "sell_amount:fx_request_below_minimum" {
			t.Errorf("errors %v", got)
		}
		b.expectProblem(t, "POST", "/api/v1/fx/requests", tok, map[string]any{"from_account_id": eur.ID,
			"to_account_id": eur.ID, "sell_amount": "15000"}, http.StatusBadRequest, "fx_same_currency")
		other := b.account(t, "100000002", money.ALL, ledger.TypeCurrent)
		b.expectProblem(t, "POST", "/api/v1/fx/requests", tok, map[string]any{"from_account_id": eur.ID,
			"to_account_id": other.ID, "sell_amount": "15000"}, http.StatusNotFound, "account_not_found")

		r = b.do(t, "POST", "/api/v1/fx/requests", tok, ask("15000"))
		wantStatus(t, r, http.StatusCreated)
		id := r.str("id")
		if r.str("status") != "requested" || r.json["offer"] != nil || r.json["execution"] != nil || r.str("side") != "sell" {
			t.Fatalf("asked %s", r.body)
		}
		if amt, _ := r.json["amount"].(map[string]any); amt["amount"] != "15000.00" || amt["currency"] != "EUR" {
			t.Fatalf("amount %v", r.json["amount"])
		}
		execute := "/api/v1/fx/requests/" + id + "/execute"
		b.expectProblem(t, "POST", execute, tok, map[string]any{}, http.StatusConflict, "fx_request_not_confirmed",
			"Idempotency-Key", "k1")
		b.expectProblem(t, "POST", execute, tok, map[string]any{}, http.StatusBadRequest, "idempotency_key_missing",
			invalidOnPurpose, "no key")

		if _, err := b.services.FX.Propose(ctx, fx.Offer{RequestID: id, Rate: "98.40",
			ValidUntil: b.clock.Now().Add(2 * time.Hour), ProposedBy: "backoffice"}); err != nil {
			t.Fatal(err)
		}
		r = b.do(t, "GET", "/api/v1/fx/requests", tok, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["requests"].([]any)
		if len(list) != 1 {
			t.Fatalf("requests %s", r.body)
		}
		got, _ := list[0].(map[string]any)
		offer, _ := got["offer"].(map[string]any)
		minA, _ := offer["min_amount"].(map[string]any)
		maxA, _ := offer["max_amount"].(map[string]any)
		if got["status"] != "confirmed" || offer["rate"] != "98.40" || offer["base"] != "EUR" || offer["quoted"] != "ALL" ||
			minA["amount"] != "13500.00" || maxA["amount"] != "16500.00" {
			t.Fatalf("confirmed %v", got)
		}
		b.problemWithParams(t, "POST", execute, tok, map[string]any{"amount": "16500.01"}, http.StatusUnprocessableEntity,
			"fx_request_amount_out_of_range", "13500.00 EUR", "Idempotency-Key", "k2")
		r = b.do(t, "POST", execute, tok, map[string]any{"amount": "16500"}, "Idempotency-Key", "k3")
		wantStatus(t, r, http.StatusCreated)
		ex, _ := r.json["execution"].(map[string]any)
		sell, _ := ex["sell"].(map[string]any)
		buy, _ := ex["buy"].(map[string]any)
		if r.str("status") != "executed" || sell["amount"] != "16500.00" || buy["amount"] != "1623600.00" ||
			buy["currency"] != "ALL" || r.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("executed %s", r.body)
		}
		r = b.do(t, "POST", execute, tok, map[string]any{"amount": "16500.00"}, "Idempotency-Key", "k3")
		wantStatus(t, r, http.StatusCreated)
		if r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("a repeat was not a replay: %s", r.body)
		}
		if got := b.fresh(t, eur.ID).Balance; got != eur.Balance+20_000_00-16_500_00 {
			t.Fatalf("euros %d", got)
		}
		if got := b.fresh(t, lek.ID).Balance; got != lek.Balance+1_623_600_00 {
			t.Fatalf("lek %d", got)
		}
		elira := b.login(t, "100000002")
		b.expectProblem(t, "POST", execute, elira, map[string]any{}, http.StatusNotFound, "fx_request_not_found",
			"Idempotency-Key", "k4")
		b.expectProblem(t, "POST", "/api/v1/fx/requests/"+id+"/cancel", elira, nil, http.StatusNotFound,
			"fx_request_not_found")
		b.expectProblem(t, "POST", "/api/v1/fx/requests/"+id+"/cancel", tok, nil, http.StatusConflict,
			"fx_request_executed")

		r = b.do(t, "POST", "/api/v1/fx/requests", tok, ask("12000"))
		wantStatus(t, r, http.StatusCreated)
		second := r.str("id")
		r = b.do(t, "POST", "/api/v1/fx/requests/"+second+"/cancel", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "cancelled" || r.str("cancelled_at") == "" {
			t.Fatalf("cancelled %s", r.body)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/fx/requests/"+second+"/cancel", tok, nil), http.StatusOK)
		b.expectProblem(t, "POST", "/api/v1/fx/requests/"+second+"/execute", tok, map[string]any{},
			http.StatusConflict, "fx_request_cancelled", "Idempotency-Key", "k5")
	})
}

// problemWithParams is expectProblem for a problem whose message names its parameters: the detail in each
// language says want (a parameter's value) and the two differ.
func (b *bank) problemWithParams(t *testing.T, method, path, token string, body any, status int, code, want string,
	headers ...string) reply {
	t.Helper()
	sq := b.do(t, method, path, token, body, headers...)
	en := b.do(t, method, path, token, body, append(slices.Clone(headers), "Accept-Language", "en")...)
	for _, r := range []reply{sq, en} {
		if r.status != status || r.str("code") != code || !strings.Contains(r.str("detail"), want) {
			t.Fatalf("got %d %q %q, want %d %q saying %q", r.status, r.str("code"), r.str("detail"), status, code, want)
		}
	}
	if sq.str("detail") == en.str("detail") || sq.header.Get("Content-Language") != "sq" ||
		en.header.Get("Content-Language") != "en" {
		t.Errorf("details %q and %q", sq.str("detail"), en.str("detail"))
	}
	return sq
}
