package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestACardPurchaseThroughTheNetworkShowsPendingThenCompleted: a terminal's authorisation through the sandbox
// routes is pending on the holder's card, a decline carries its reason, the day's clearing file makes it
// completed; another customer's card is 404 and an unknown status 400.
func TestACardPurchaseThroughTheNetworkShowsPendingThenCompleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		k, err := b.cards.Issue(context.Background(), card.IssueRequest{CustomerID: acc.CustomerID, AccountID: acc.ID,
			Type: card.Visa, Contactless: true, PIN: "4826"})
		if err != nil {
			t.Fatal(err)
		}
		auth := map[string]any{"id": "net-1", "card_id": k.ID, "amount": "25.40", "currency": "ALL",
			"merchant": "Supermarket Conad", "mcc": "5411", "country": "AL", "card_present": true}
		r := b.do(t, "POST", "/dev/card-network/authorisations", "", auth)
		wantStatus(t, r, http.StatusOK)
		if r.json["approved"] != true || r.str("authorisation_id") != "net-1" {
			t.Fatalf("answer %s", r.body)
		}
		auth["id"], auth["entry_mode"] = "net-2", "magstripe"
		r = b.do(t, "POST", "/dev/card-network/authorisations", "", auth)
		if r.json["approved"] != false || r.str("reason") != "control_off" || r.str("control") != "magstripe" {
			t.Fatalf("magstripe %s", r.body)
		}
		tok := b.login(t, arben)
		path := "/api/v1/cards/" + k.ID + "/transactions"
		r = b.do(t, "GET", path+"?status=pending", tok, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["transactions"].([]any)
		if len(list) != 1 {
			t.Fatalf("pending %s", r.body)
		}
		wantStatus(t, b.do(t, "POST", "/dev/card-network/clearing/run", "", nil), http.StatusOK)
		r = b.do(t, "GET", path+"?status=completed", tok, nil)
		list, _ = r.json["transactions"].([]any)
		if len(list) != 1 {
			t.Fatalf("completed %s", r.body)
		}
		b.expectProblem(t, "GET", path+"?status=later", tok, nil, http.StatusBadRequest, "card_transaction_status_invalid")
		other := b.login(t, elira)
		b.expectProblem(t, "GET", path, other, nil, http.StatusNotFound, "card_not_found")
	})
}
