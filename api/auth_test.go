package api_test

import (
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

func TestPartialSessionCannotChangeThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.loginOnDevice(t, arben, "phone-1")
		r := b.do(t, "POST", "/api/v1/auth/login/partial", "", loginBody(arben, demo.Password), "X-Device-ID", "phone-1")
		wantStatus(t, r, http.StatusOK)
		tok := r.str("access_token")
		for _, tc := range []struct {
			path string
			body map[string]string
		}{
			{"/api/v1/me/password", map[string]string{"old_password": demo.Password, "new_password": "Lule-Shqipe7",
				"card_last6": "000000", "card_pin": "0000"}},
			{"/api/v1/me/password/device", map[string]string{"device_id": "phone-1", "challenge_id": "x",
				"signature": "AA==", "new_password": "Lule-Shqipe7", "new_password_repeat": "Lule-Shqipe7"}},
			{"/api/v1/me/password/device/challenge", map[string]string{"device_id": "phone-1"}},
		} {
			t.Run(tc.path, func(t *testing.T) {
				b.expectProblem(t, "POST", tc.path, tok, tc.body, http.StatusForbidden, "assurance_insufficient",
					"X-Device-ID", "phone-1")
			})
		}
		// The password is the same: the partial login still works with it.
		r = b.do(t, "POST", "/api/v1/auth/login/partial", "", loginBody(arben, demo.Password), "X-Device-ID", "phone-1")
		wantStatus(t, r, http.StatusOK)
	})
}
