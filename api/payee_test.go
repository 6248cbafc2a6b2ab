package api_test

import (
	"net/http"
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
