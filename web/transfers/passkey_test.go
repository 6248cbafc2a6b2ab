package transfers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/transfer"
)

// pendingPayment makes a payment of client's that waits for confirmation (5000 ALL to the other demo customer).
func (b *bank) pendingPayment(t *testing.T, client, payee, key string) string {
	t.Helper()
	cust, mine := b.demoAccounts(t, client)
	_, theirs := b.demoAccounts(t, payee)
	tr, _, err := b.Transfers.Create(context.Background(), cust, key, transfer.Request{Type: transfer.Internal,
		FromAccountID: mine[0].ID, ToIBAN: theirs[0].IBAN, Amount: "5000", Currency: "ALL", Description: "Qira"})
	if err != nil || tr.Status != transfer.PendingConfirmation {
		t.Fatalf("transfer %+v, %v: want one waiting for confirmation", tr, err)
	}
	return tr.ID
}

func TestPaymentPasskeyStepsAnswerBadInputWithAStableCodeAndNever500(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	mine := b.pendingPayment(t, "100000001", "100000002", "pk-mine")
	theirs := b.pendingPayment(t, "100000002", "100000001", "pk-theirs")
	const js = "application/json"
	options := func(id string) string { return "/transfers/" + id + "/confirm/passkey/options" }
	confirm := func(id string) string { return "/transfers/" + id + "/confirm/passkey" }
	for _, tc := range []struct {
		name, path, contentType, body string
		status                        int
		code                          string
	}{
		{"a form instead of JSON", options(mine), "application/x-www-form-urlencoded", "x=1", 400, "unsupported_media_type"},
		{"no body", options(mine), js, "", 400, "malformed_json"},
		{"an unknown field", options(mine), js, `{"amount":"1"}`, 400, "unknown_field"},
		{"a customer without passkeys", options(mine), js, `{}`, 422, "passkey_none"},
		{"another customer's transfer", options(theirs), js, `{}`, 404, "transfer_not_found"},
		{"an unknown transfer", options("nope"), js, `{}`, 404, "transfer_not_found"},
		{"no assertion", confirm(mine), js, `{"ceremony_id":"x"}`, 400, "validation_failed"},
		{"too large", confirm(mine), js, `{"ceremony_id":"` + strings.Repeat("a", 80<<10) + `"}`, 413, "body_too_large"},
		{"another customer's transfer to confirm", confirm(theirs), js, `{"ceremony_id":"x","response":{}}`, 404, "transfer_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := webtest.PostJSON(t, b.Bank, tc.path, token, tc.contentType, tc.body)
			if a.Status != tc.status || a.JSON["code"] != tc.code || a.JSON["error"] == "" {
				t.Fatalf("answer %d %v, want %d %s", a.Status, a.JSON, tc.status, tc.code)
			}
		})
	}
	if n := b.Failures(t, "100000001"); n != 0 {
		t.Fatalf("bad input counted %d failures", n)
	}
	// An answer to a ceremony that was never begun is a wrong proof: refused, and counted like a wrong code.
	a := webtest.PostJSON(t, b.Bank, confirm(mine), token, js, `{"ceremony_id":"x","response":{}}`)
	if a.Status != http.StatusUnauthorized || a.JSON["code"] != "passkey_invalid" ||
		a.JSON["error"] != b.Message("web_trpk_invalid") {
		t.Fatalf("a made-up ceremony: %d %v", a.Status, a.JSON)
	}
	if n := b.Failures(t, "100000001"); n != 1 {
		t.Fatalf("a refused assertion counted %d failures, want 1", n)
	}
	if s := b.pendingStatus(t, mine); s != transfer.PendingConfirmation {
		t.Fatalf("the payment is %s after refusals", s)
	}
	// Without a session the steps send the browser to the login page (passkeys.js follows it there).
	if a := webtest.PostJSON(t, b.Bank, options(mine), "", js, `{}`); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/login") {
		t.Fatalf("options without a session: %d %s", a.Status, a.Location)
	}
}
