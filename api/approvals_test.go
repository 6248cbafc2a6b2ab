package api_test

import (
	"crypto/elliptic"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/threeds"
)

// purchase has the card network ask Arben to approve an online purchase with his debit card; it returns the
// approval's id.
func (b *bank) purchase(t *testing.T, ref, merchant string, amount int64) string {
	t.Helper()
	ctx := t.Context()
	cards, err := b.cards.List(ctx, b.customer(t, arben).ID)
	if err != nil {
		t.Fatal(err)
	}
	var cardID string
	if len(cards) > 0 {
		cardID = cards[0].ID
	} else {
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		c, err := b.cards.Issue(ctx, card.IssueRequest{CustomerID: acc.CustomerID, AccountID: acc.ID, Type: card.Visa, PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		cardID = c.ID
	}
	a, _, err := b.services.ThreeDS.Ask(ctx, threeds.Request{CardID: cardID, NetworkRef: ref, Merchant: merchant,
		Amount: money.New(amount, money.ALL)})
	if err != nil {
		t.Fatalf("Ask: %v", err)
	}
	return a.ID
}

func TestAnOnlinePurchaseIsApprovedInTheAppWithTheSMSCodeThatNamesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		id := b.purchase(t, "net-1", "Librari Adrion", 2_450_00)
		code := b.otp(t, arben)
		msgs, _ := b.sandbox.InboxFor(t.Context(), b.customer(t, arben).Mobile, 1)
		for _, want := range []string{"2.450,00 ALL", "Librari Adrion"} {
			if !strings.Contains(msgs[0].Body, want) {
				t.Errorf("SMS %q does not name %q", msgs[0].Body, want)
			}
		}
		r := b.do(t, "GET", "/api/v1/approvals?status=pending", tok, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["approvals"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["merchant"] != "Librari Adrion" ||
			list[0].(map[string]any)["amount"] != "2450.00" || list[0].(map[string]any)["expires_in"] != float64(300) {
			t.Fatalf("pending approvals %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/approvals/"+id, tok, nil)
		wantStatus(t, r, http.StatusOK)
		if r.json["confirmation"] == nil {
			t.Fatalf("a pending approval without its challenge: %s", r.body)
		}

		// Another customer neither sees nor decides it.
		eliraTok := b.login(t, elira)
		b.expectProblem(t, "GET", "/api/v1/approvals/"+id, eliraTok, nil, http.StatusNotFound, "threeds_approval_not_found")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/approve", eliraTok, map[string]any{"method": "sms", "code": code},
			http.StatusNotFound, "threeds_approval_not_found")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/reject", eliraTok, nil, http.StatusNotFound, "threeds_approval_not_found")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/approve", tok, map[string]any{"method": "sms", "code": otherCode(code)},
			http.StatusUnauthorized, "otp_invalid")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/approve", tok, map[string]any{"method": "passkey"},
			http.StatusUnprocessableEntity, "method_unavailable", invalidOnPurpose, "a passkey is a web ceremony")

		r = b.do(t, "POST", "/api/v1/approvals/"+id+"/approve", tok, map[string]any{"method": "sms", "code": code})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "approved" || r.str("method") != "sms" || r.json["confirmation"] != nil {
			t.Fatalf("approve answer %s", r.body)
		}
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/approve", tok, map[string]any{"method": "sms", "code": code},
			http.StatusConflict, "threeds_approval_not_pending")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+id+"/reject", tok, nil, http.StatusConflict, "threeds_approval_not_pending")
		if st, _ := b.services.ThreeDS.Result(t.Context(), "net-1"); st != threeds.Approved {
			t.Errorf("the network reads %q", st)
		}

		// Rejected: once.
		rejected := b.purchase(t, "net-2", "Shop", 100_00)
		r = b.do(t, "POST", "/api/v1/approvals/"+rejected+"/reject", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "rejected" {
			t.Fatalf("reject answer %s", r.body)
		}
		b.expectProblem(t, "POST", "/api/v1/approvals/"+rejected+"/reject", tok, nil, http.StatusConflict, "threeds_approval_not_pending")

		// Expired after 5 minutes: a new code is refused, and so is a decision.
		late := b.purchase(t, "net-3", "Shop", 200_00)
		b.clock.Advance(threeds.DefaultValidity)
		b.expectProblem(t, "POST", "/api/v1/approvals/"+late+"/challenge", tok, nil, http.StatusGone, "threeds_approval_expired")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+late+"/approve", tok, map[string]any{"method": "sms", "code": "123456"},
			http.StatusGone, "threeds_approval_expired")
		b.expectProblem(t, "POST", "/api/v1/approvals/"+late+"/reject", tok, nil, http.StatusGone, "threeds_approval_expired")

		r = b.do(t, "GET", "/api/v1/approvals?status=history", tok, nil)
		wantStatus(t, r, http.StatusOK)
		var statuses []string
		for _, a := range r.json["approvals"].([]any) {
			statuses = append(statuses, a.(map[string]any)["status"].(string))
		}
		if got := strings.Join(statuses, " "); got != "expired rejected approved" {
			t.Errorf("history %s, want expired rejected approved (newest first)", got)
		}
		b.expectProblem(t, "GET", "/api/v1/approvals?status=all", tok, nil, http.StatusBadRequest, "threeds_filter_invalid",
			invalidOnPurpose, "a filter outside the list")
	})
}

func TestATrustedDeviceApprovesAPurchaseBySigningItOrWithItsSoftPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		token := b.login(t, arben)
		key := newAppKey(t, elliptic.P256())
		devID := b.registerDevice(t, token, key)
		for range 3 {
			token, _ = b.appLogin(t, arben, devID) // to the trust offer (A7)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+devID+"/trust", token, map[string]string{"password": demo.Password},
			"X-Device-ID", devID), http.StatusOK)
		r := b.softPIN(t, token, devID, key)
		wantStatus(t, r, http.StatusCreated)
		secret := r.str("secret")
		challenge := func(id string) map[string]any {
			r := b.do(t, "GET", "/api/v1/approvals/"+id, token, nil)
			wantStatus(t, r, http.StatusOK)
			return r.json["confirmation"].(map[string]any)
		}

		first, second := b.purchase(t, "sig-1", "Shop A", 100_00), b.purchase(t, "sig-2", "Shop B", 100_00)
		// A signature over one purchase's message approves that one only.
		sig := key.sign(t, []byte(challenge(first)["message"].(string)))
		b.expectProblem(t, "POST", "/api/v1/approvals/"+second+"/approve", token, map[string]any{
			"method": "device_signature", "device_id": devID, "signature": sig}, http.StatusUnauthorized, "signature_invalid")
		r = b.do(t, "POST", "/api/v1/approvals/"+first+"/approve", token, map[string]any{
			"method": "device_signature", "device_id": devID, "signature": sig})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "approved" || r.str("method") != "device_signature" {
			t.Fatalf("approved by signature: %s", r.body)
		}

		// The Soft PIN answers the purchase's question (OCRA).
		right, err := device.SoftPINResponse(secret, challenge(second)["question"].(string))
		if err != nil {
			t.Fatal(err)
		}
		r = b.do(t, "POST", "/api/v1/approvals/"+second+"/approve", token, map[string]any{
			"method": "soft_pin", "device_id": devID, "response": right})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "approved" || r.str("method") != "soft_pin" {
			t.Fatalf("approved by Soft PIN: %s", r.body)
		}
	})
}
