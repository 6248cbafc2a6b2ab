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

// The payee check answers another customer's name masked; the transfer's answers (made now, waiting for
// confirmation, read back) must not tell the payer more of it.
func TestTransferAnswersNameAnotherCustomerAsThePayeeCheckDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		check := b.do(t, "GET", "/api/v1/payees?by=iban&value="+to.IBAN, tok, nil)
		wantStatus(t, check, http.StatusOK)
		masked := check.str("masked_name")
		if masked != "E**** S****" {
			t.Fatalf("payee check names %q", masked)
		}

		small := b.payElira(t, tok, "100", "masked-small")
		wantStatus(t, small, http.StatusCreated)
		pending := b.payElira(t, tok, "10000", "masked-pending")
		wantStatus(t, pending, http.StatusAccepted)
		for _, r := range []reply{small, pending} {
			if got := r.str("to_name"); got != masked {
				t.Errorf("%s transfer answers to_name %q, want %q", r.str("status"), got, masked)
			}
			read := b.do(t, "GET", "/api/v1/transfers/"+r.str("id"), tok, nil)
			wantStatus(t, read, http.StatusOK)
			if got := read.str("to_name"); got != masked {
				t.Errorf("GET of the %s transfer answers to_name %q, want %q", r.str("status"), got, masked)
			}
		}
	})
}

// The payee's phone of an in-bank transfer (T3) is taken, kept and answered, and the phone is told by SMS; a
// number that is no mobile is refused with the field named; the payer's history line leads to the transfer.
func TestTransferKeepsThePayeePhoneAndTellsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		body := map[string]any{"type": "internal", "from_account_id": from.ID, "to_iban": to.IBAN, "amount": "150",
			"currency": "ALL", "description": "Kafe", "payee_phone": "068 765 4321"}
		r := b.do(t, "POST", "/api/v1/transfers", tok, body, "Idempotency-Key", "phone-1")
		wantStatus(t, r, http.StatusCreated)
		if r.str("payee_phone") != "+355687654321" {
			t.Errorf("answer payee_phone %q", r.str("payee_phone"))
		}
		read := b.do(t, "GET", "/api/v1/transfers/"+r.str("id"), tok, nil)
		if read.str("payee_phone") != "+355687654321" {
			t.Errorf("GET payee_phone %q", read.str("payee_phone"))
		}
		if _, err := b.dispatcher.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		msgs, err := b.sandbox.InboxFor(t.Context(), "+355687654321", 5)
		if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Body, "150,00 ALL") ||
			!strings.Contains(msgs[0].Body, "Arben Hoxha") {
			t.Errorf("SMS to the payee's phone: %+v, %v", msgs, err)
		}

		lines := b.do(t, "GET", "/api/v1/accounts/"+from.ID+"/transactions?limit=1", tok, nil)
		wantStatus(t, lines, http.StatusOK)
		list, _ := lines.json["transactions"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["transfer_id"] != r.str("id") {
			t.Errorf("payer's history line %v does not lead to transfer %s", list, r.str("id"))
		}
		eliraTok := b.login(t, elira)
		theirs := b.do(t, "GET", "/api/v1/accounts/"+to.ID+"/transactions?limit=1", eliraTok, nil)
		if list, _ := theirs.json["transactions"].([]any); len(list) != 1 || list[0].(map[string]any)["transfer_id"] != nil {
			t.Errorf("payee's history line %v leads to the payer's transfer", list)
		}

		body["payee_phone"], body["amount"] = "04 222 3333", "1"
		bad := b.expectProblem(t, "POST", "/api/v1/transfers", tok, body, http.StatusBadRequest, "mobile_invalid",
			"Idempotency-Key", "phone-2")
		if got := bad.fieldCodes(); !slices.Contains(got, "payee_phone:mobile_invalid") {
			t.Errorf("errors %v, want payee_phone:mobile_invalid", got)
		}
	})
}
