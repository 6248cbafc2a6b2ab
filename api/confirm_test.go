package api_test

import (
	"crypto/elliptic"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// payElira asks Arben's current ALL account to pay Elira's amount ALL; it returns the answer.
func (b *bank) payElira(t *testing.T, tok, amount, key string) reply {
	t.Helper()
	from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
	to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
	return b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal", "from_account_id": from.ID,
		"to_iban": to.IBAN, "amount": amount, "currency": "ALL", "description": "Qira"}, "Idempotency-Key", key)
}

func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func TestPaymentAboveTheLowValueLimitIsConfirmedWithTheSMSCodeThatNamesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		before := b.money(t)

		r := b.payElira(t, tok, "10000", "pay-1")
		wantStatus(t, r, http.StatusAccepted)
		id := r.str("id")
		conf, _ := r.json["confirmation"].(map[string]any)
		if r.str("status") != "pending_confirmation" || conf == nil || conf["challenge_id"] == "" ||
			!strings.Contains(conf["message"].(string), conf["challenge_id"].(string)) || r.str("expires_at") == "" {
			t.Fatalf("answer %s, want pending_confirmation with a challenge", r.body)
		}
		b.expectNothingMoved(t, before)
		b.expectProblem(t, "GET", "/api/v1/transfers/"+id+"/receipt", tok, nil, http.StatusConflict, "transfer_not_completed")
		code := b.otp(t, arben)
		msgs, _ := b.sandbox.InboxFor(t.Context(), b.customer(t, arben).Mobile, 1)
		for _, want := range []string{"10.000,00 ALL", "E**** S****", to.IBAN} {
			if !strings.Contains(msgs[0].Body, want) {
				t.Errorf("SMS %q does not name %q", msgs[0].Body, want)
			}
		}

		// Another customer cannot confirm, or even see, Arben's payment.
		eliraTok := b.login(t, elira)
		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", eliraTok, map[string]any{"method": "sms", "code": code},
			http.StatusNotFound, "transfer_not_found")
		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": otherCode(code)},
			http.StatusUnauthorized, "otp_invalid")
		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "carrier_pigeon"},
			http.StatusBadRequest, "validation_failed", invalidOnPurpose, "an unknown method")
		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "device_signature",
			"device_id": "x", "signature": "AAAA"}, http.StatusNotFound, "device_not_found")
		b.expectNothingMoved(t, before)

		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": code})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "completed" || r.json["confirmation"] != nil {
			t.Fatalf("confirm answer %s", r.body)
		}
		if got := b.fresh(t, to.ID).Balance - before.balances[to.ID][0]; got != 1000000 {
			t.Errorf("Elira received %d, want 1000000", got)
		}
		// The same confirmation again returns the completed transfer and moves nothing.
		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": code})
		wantStatus(t, r, http.StatusOK)
		if r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("repeated confirmation not marked as a replay")
		}
		if got := b.fresh(t, to.ID).Balance - before.balances[to.ID][0]; got != 1000000 {
			t.Errorf("Elira received %d after a repeated confirmation, want 1000000", got)
		}
		wantStatus(t, b.do(t, "GET", "/api/v1/transfers/"+id+"/receipt", tok, nil), http.StatusOK)
	})
}

func TestFiveWrongPaymentCodesBlockTheChannel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		r := b.payElira(t, tok, "10000", "pay-1")
		wantStatus(t, r, http.StatusAccepted)
		code := b.otp(t, arben)
		path := "/api/v1/transfers/" + r.str("id") + "/confirm"
		wrong := map[string]any{"method": "sms", "code": otherCode(code)}
		for range 4 {
			b.checkProblem(t, b.do(t, "POST", path, tok, wrong), http.StatusUnauthorized, "otp_invalid", i18n.SQ)
		}
		b.checkProblem(t, b.do(t, "POST", path, tok, wrong), http.StatusForbidden, "channel_blocked", i18n.SQ)
		blocked, err := b.auth.Blocked(t.Context(), b.customer(t, arben).ID)
		if err != nil || !blocked {
			t.Fatalf("channel blocked = %v, %v; want blocked after 5 wrong payment codes", blocked, err)
		}
		// The session that guessed ends with the block.
		b.checkProblem(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusUnauthorized, "session_expired", i18n.SQ)
	})
}

func TestACodeForOneTransferCannotConfirmAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		first := b.payElira(t, tok, "10000", "pay-1")
		wantStatus(t, first, http.StatusAccepted)
		firstCode := b.otp(t, arben)
		second := b.payElira(t, tok, "20000", "pay-2")
		wantStatus(t, second, http.StatusAccepted)
		secondCode := b.otp(t, arben)
		if firstCode != secondCode {
			b.expectProblem(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", tok,
				map[string]any{"method": "sms", "code": firstCode}, http.StatusUnauthorized, "otp_invalid")
		}
		// A resent code replaces the old one.
		r := b.do(t, "POST", "/api/v1/transfers/"+second.str("id")+"/challenge", tok, nil)
		wantStatus(t, r, http.StatusCreated)
		resent := b.otp(t, arben)
		if resent != secondCode {
			b.expectProblem(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", tok,
				map[string]any{"method": "sms", "code": secondCode}, http.StatusUnauthorized, "otp_invalid")
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", tok,
			map[string]any{"method": "sms", "code": resent}), http.StatusOK)
		wantStatus(t, b.do(t, "POST", "/api/v1/transfers/"+first.str("id")+"/confirm", tok,
			map[string]any{"method": "sms", "code": firstCode}), http.StatusOK)
	})
}

func TestTrustedBeneficiariesAreAddedByAConfirmedPaymentAndCanBeRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		r := b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal", "from_account_id": from.ID,
			"to_iban": to.IBAN, "amount": "10000", "currency": "ALL", "trust_payee": true}, "Idempotency-Key", "pay-1")
		wantStatus(t, r, http.StatusAccepted)
		if conf, _ := r.json["confirmation"].(map[string]any); conf["trust_payee"] != true {
			t.Fatalf("challenge %s does not carry the request to trust", r.body)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/transfers/"+r.str("id")+"/confirm", tok,
			map[string]any{"method": "sms", "code": b.otp(t, arben)}), http.StatusOK)
		list := b.do(t, "GET", "/api/v1/beneficiaries/trusted", tok, nil)
		wantStatus(t, list, http.StatusOK)
		if !strings.Contains(string(list.body), to.IBAN) {
			t.Fatalf("trusted beneficiaries %s, want %s", list.body, to.IBAN)
		}
		r = b.payElira(t, tok, "50000", "pay-2")
		wantStatus(t, r, http.StatusCreated)
		if r.str("exemption") != "trusted_beneficiary" {
			t.Errorf("payment to a trusted beneficiary: %s", r.body)
		}
		// Elira sees only her own list, and cannot remove Arben's beneficiary.
		eliraTok := b.login(t, elira)
		b.expectProblem(t, "DELETE", "/api/v1/beneficiaries/trusted/"+to.IBAN, eliraTok, nil, http.StatusNotFound, "beneficiary_not_found")
		wantStatus(t, b.do(t, "DELETE", "/api/v1/beneficiaries/trusted/"+to.IBAN, tok, nil), http.StatusNoContent)
		wantStatus(t, b.payElira(t, tok, "50000", "pay-3"), http.StatusAccepted)
	})
}

func TestATrustedDeviceConfirmsAPaymentBySigningItOrWithItsSoftPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		token := b.login(t, arben)
		key := newAppKey(t, elliptic.P256())
		id := b.registerDevice(t, token, key)
		for range 3 {
			token, _ = b.appLogin(t, arben, id) // to the trust offer (A7)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+id+"/trust", token, map[string]string{"password": demo.Password},
			"X-Device-ID", id), http.StatusOK)
		r := b.softPIN(t, token, id, key)
		wantStatus(t, r, http.StatusCreated)
		secret := r.str("secret")

		// A signature over the challenge's message confirms; one over another transfer's message does not.
		first := b.payElira(t, token, "10000", "sig-1")
		wantStatus(t, first, http.StatusAccepted)
		second := b.payElira(t, token, "20000", "sig-2")
		wantStatus(t, second, http.StatusAccepted)
		msgOf := func(r reply) string { return r.json["confirmation"].(map[string]any)["message"].(string) }
		b.checkProblem(t, b.do(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", token, map[string]any{
			"method": "device_signature", "device_id": id, "signature": key.sign(t, []byte(msgOf(first)))}),
			http.StatusUnauthorized, "signature_invalid", i18n.SQ)
		r = b.do(t, "POST", "/api/v1/transfers/"+first.str("id")+"/confirm", token, map[string]any{
			"method": "device_signature", "device_id": id, "signature": key.sign(t, []byte(msgOf(first)))})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "completed" {
			t.Fatalf("confirmed by signature: %s", r.body)
		}

		// The Soft PIN answers the challenge's question (OCRA); the answer to another question is refused.
		question := second.json["confirmation"].(map[string]any)["question"].(string)
		wrong, err := device.SoftPINResponse(secret, strings.Repeat("0", 64))
		if err != nil {
			t.Fatal(err)
		}
		b.checkProblem(t, b.do(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", token, map[string]any{
			"method": "soft_pin", "device_id": id, "response": wrong}), http.StatusUnauthorized, "soft_pin_invalid", i18n.SQ)
		right, err := device.SoftPINResponse(secret, question)
		if err != nil {
			t.Fatal(err)
		}
		r = b.do(t, "POST", "/api/v1/transfers/"+second.str("id")+"/confirm", token, map[string]any{
			"method": "soft_pin", "device_id": id, "response": right})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "completed" {
			t.Fatalf("confirmed by Soft PIN: %s", r.body)
		}
	})
}

func TestConcurrentWrongPaymentCodesNeverGetPastTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		before := b.money(t)
		r := b.payElira(t, tok, "10000", "pay-1")
		wantStatus(t, r, http.StatusAccepted)
		code := b.otp(t, arben)
		path := "/api/v1/transfers/" + r.str("id") + "/confirm"
		var wg sync.WaitGroup
		var confirmed atomic.Int64
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got, err := b.send("POST", path, tok, map[string]any{"method": "sms", "code": otherCode(code)}); err == nil &&
					got.status == http.StatusOK {
					confirmed.Add(1)
				}
			}()
		}
		wg.Wait()
		// The right code, now, finds the channel blocked.
		if got, err := b.send("POST", path, tok, map[string]any{"method": "sms", "code": code}); err != nil || got.status == http.StatusOK {
			confirmed.Add(1)
		}
		var failures, blocked int
		if err := d.QueryRow(t.Context(), "SELECT failed_attempts, blocked FROM credentials WHERE customer_id = ?",
			b.customer(t, arben).ID).Scan(&failures, &blocked); err != nil {
			t.Fatal(err)
		}
		if blocked != 1 || failures > 5 {
			t.Errorf("after 20 concurrent wrong codes: %d failures counted, blocked = %d; want at most 5 and blocked", failures, blocked)
		}
		if confirmed.Load() != 0 {
			t.Errorf("the right code confirmed the payment after the wrong ones blocked the channel")
		}
		b.expectNothingMoved(t, before)
	})
}
