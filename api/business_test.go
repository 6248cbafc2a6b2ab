package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The demo business's representative is Arben; his own password here differs from the business's.
const arbenOwn = "Lule-Shqipe7"

// representativeLogin logs Arben in to the demo business with his own client number and password and the
// business's NIPT, the code coming to his own phone; it returns the bearer token.
func (b *bank) representativeLogin(t *testing.T, pw string) string {
	t.Helper()
	r := b.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": arben, "nipt": demo.BusinessNIPT,
		"password": pw})
	wantStatus(t, r, http.StatusOK)
	r = b.finishLogin(t, r.str("challenge_id"), b.otp(t, arben))
	wantStatus(t, r, http.StatusOK)
	if r.json["trust_offer"] != false {
		t.Errorf("a business user was offered device trust: %s", r.body)
	}
	return r.str("access_token")
}

func TestRepresentativeActsForTheBusinessWithTheirOwnCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		if err := b.auth.SetPassword(ctx, b.customer(t, arben).ID, arbenOwn, false); err != nil {
			t.Fatal(err)
		}
		tok := b.representativeLogin(t, arbenOwn)

		// The business's accounts, not Arben's own.
		r := b.do(t, "GET", "/api/v1/accounts", tok, nil)
		wantStatus(t, r, http.StatusOK)
		bizAcc := b.account(t, business, money.ALL, ledger.TypeCurrent)
		got, _ := r.json["accounts"].([]any)
		if len(got) != 1 || got[0].(map[string]any)["id"] != bizAcc.ID {
			t.Fatalf("accounts %s, want only the business's %s", r.body, bizAcc.ID)
		}
		own := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		b.expectProblem(t, "GET", "/api/v1/accounts/"+own.ID, tok, nil, http.StatusNotFound, "account_not_found")
		r = b.do(t, "GET", "/api/v1/me", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if r.str("client_number") != business || r.str("kind") != "business" || r.str("user_client_number") != arben ||
			!strings.Contains(r.str("user_name"), "Arben") {
			t.Errorf("/me = %s, want the business with Arben as its user", r.body)
		}

		// A payment of the business is confirmed with a code sent to Arben's phone.
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		r = b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal", "from_account_id": bizAcc.ID,
			"to_iban": to.IBAN, "amount": "10000", "currency": "ALL", "description": "Furnizim"}, "Idempotency-Key", "biz-1")
		wantStatus(t, r, http.StatusAccepted)
		conf, _ := r.json["confirmation"].(map[string]any)
		if conf == nil || !strings.Contains(conf["masked_phone"].(string), b.customer(t, arben).Mobile[len(b.customer(t, arben).Mobile)-2:]) {
			t.Errorf("confirmation %v, want the code sent to Arben's phone", conf)
		}
		code := b.otp(t, arben)
		id := r.str("id")
		// A wrong payment code (sent twice: Albanian and English) counts towards Arben's lockout, not the business's.
		b.expectProblem(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms",
			"code": otherCode(code)}, http.StatusUnauthorized, "otp_invalid")
		for who, want := range map[string]int{arben: 2, business: 0} {
			var n int
			if err := b.db.QueryRow(ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?",
				b.customer(t, who).ID).Scan(&n); err != nil || n != want {
				t.Errorf("failed_attempts of %s = %d (%v), want %d", who, n, err, want)
			}
		}
		r = b.do(t, "POST", "/api/v1/transfers/"+id+"/confirm", tok, map[string]any{"method": "sms", "code": code})
		wantStatus(t, r, http.StatusOK)

		// Steps on one's own devices are refused; the password change is Arben's own.
		b.expectProblem(t, "GET", "/api/v1/devices", tok, nil, http.StatusForbidden, "business_user_not_allowed")
		b.expectProblem(t, "POST", "/api/v1/auth/forget-me", tok, nil, http.StatusForbidden, "business_user_not_allowed",
			"X-Device-ID", "phone-1")
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, map[string]string{"old_password": demo.Password,
			"new_password": "Deti.Jon48"}, http.StatusBadRequest, "password_wrong")
		r = b.do(t, "POST", "/api/v1/me/password", tok, map[string]string{"old_password": arbenOwn,
			"new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.loginWith(t, arben, "Deti.Jon48")
		b.loginWith(t, business, demo.Password)
	})
}

func TestBusinessUserLoginFailsAlikeForEveryWrongFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		if err := b.auth.SetPassword(context.Background(), b.customer(t, arben).ID, arbenOwn, false); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, username, nipt, pw string }{
			{"a wrong NIPT", arben, "L99999999A", arbenOwn},
			{"a person who is not a representative", elira, demo.BusinessNIPT, demo.Password},
			{"the business's password with a person's client number", arben, demo.BusinessNIPT, demo.Password},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b.expectProblem(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": tc.username,
					"nipt": tc.nipt, "password": tc.pw}, http.StatusUnauthorized, "login_failed")
			})
		}
	})
}
