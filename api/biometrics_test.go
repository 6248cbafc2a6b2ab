package api_test

import (
	"crypto/elliptic"
	"net/http"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

// Activating biometric login on the app's device (A3, POST /devices) asks for the password and turns on
// remember-me (A2).
func TestActivatingBiometricsOverTheAPIAsksForThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		token := b.login(t, arben)
		key := newAppKey(t, elliptic.P256())
		body := map[string]any{"name": "iPhone 15", "type": "ios", "public_key": key.public(), "screen_lock": true}

		r := b.expectProblem(t, "POST", "/api/v1/devices", token, body, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "no password")
		if !slices.Contains(r.fieldCodes(), "password:field_required") {
			t.Errorf("errors %v, want password:field_required", r.fieldCodes())
		}
		body["password"] = "Gabim2026x"
		b.expectProblem(t, "POST", "/api/v1/devices", token, body, http.StatusBadRequest, "password_wrong")
		if list := b.do(t, "GET", "/api/v1/devices", token, nil); len(list.json["devices"].([]any)) != 0 {
			t.Fatalf("devices after refusals: %s", list.body)
		}

		body["password"] = demo.Password
		r = b.do(t, "POST", "/api/v1/devices", token, body)
		wantStatus(t, r, http.StatusCreated)
		if r.json["remember_me"] != true || r.json["trusted"] != false {
			t.Errorf("activated device %s, want remember_me on and not trusted", r.body)
		}
	})
}
