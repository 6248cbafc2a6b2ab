package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// recordingPasskeys stands in for the passkey service: it records whether anything asked it to verify.
type recordingPasskeys struct{ calls int }

func (p *recordingPasskeys) FinishConfirmation(context.Context, string, string, []byte, []byte) error {
	p.calls++
	return nil
}

func TestAPIRefusesPasskeyConfirmationBecauseItIsAWebCeremony(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		pk := &recordingPasskeys{}
		b.sca.Passkeys = pk // as serve wires it: the web app confirms payments with passkeys
		tok := b.login(t, arben)
		before := b.money(t)

		r := b.payElira(t, tok, "10000", "pay-pk")
		wantStatus(t, r, http.StatusAccepted)
		id := r.str("id")
		conf, _ := r.json["confirmation"].(map[string]any)
		var methods []string
		for _, m := range conf["methods"].([]any) {
			methods = append(methods, m.(string))
		}
		if slices.Contains(methods, "passkey") || !slices.Contains(methods, "sms") {
			t.Errorf("API offers methods %v, want sms and no passkey", methods)
		}

		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "passkey"},
			http.StatusUnprocessableEntity, "method_unavailable", invalidOnPurpose, "a method the API does not offer")
		if pk.calls != 0 {
			t.Errorf("the passkey verifier was asked %d times", pk.calls)
		}
		var failures int
		if err := d.QueryRow(t.Context(), "SELECT failed_attempts FROM credentials WHERE customer_id = ?",
			b.customer(t, arben).ID).Scan(&failures); err != nil || failures != 0 {
			t.Errorf("a refused method counted %d failures (%v)", failures, err)
		}
		b.expectNothingMoved(t, before)

		// The payment still waits, and its SMS code confirms it.
		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": b.otp(t, arben)})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "completed" {
			t.Fatalf("confirm answer %s", r.body)
		}
	})
}
