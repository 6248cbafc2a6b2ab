package api_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
)

// appKey is the key pair a phone keeps behind its biometrics.
type appKey struct{ *ecdsa.PrivateKey }

func newAppKey(t *testing.T, curve elliptic.Curve) appKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return appKey{k}
}

func (k appKey) public() string {
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	return base64.StdEncoding.EncodeToString(der)
}

func (k appKey) sign(t *testing.T, msg []byte) string {
	t.Helper()
	h := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, k.PrivateKey, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// registerDevice registers a phone for the session's customer and returns its id.
func (b *bank) registerDevice(t *testing.T, token string, k appKey) string {
	t.Helper()
	r := b.do(t, "POST", "/api/v1/devices", token, map[string]any{"name": "iPhone 15", "type": "ios",
		"public_key": k.public(), "screen_lock": true, "password": demo.Password}, "X-Device-Location", "Tiranë")
	wantStatus(t, r, http.StatusCreated)
	if r.str("id") == "" || r.json["trusted"] != false || r.json["trusted_since"] != nil {
		t.Fatalf("registered device %s", r.body)
	}
	return r.str("id")
}

// appLogin logs in with password and SMS code from the device and returns the token and the trust offer.
// softPIN sets up a Soft PIN on the trusted device as its app does (A6): from the device, a challenge, its key's
// signature of it and the password. It returns the answer to the set-up.
func (b *bank) softPIN(t *testing.T, token, id string, k appKey) reply {
	t.Helper()
	r := b.do(t, "POST", "/api/v1/devices/"+id+"/soft-pin/challenge", token, nil, "X-Device-ID", id)
	wantStatus(t, r, http.StatusOK)
	raw, _ := base64.StdEncoding.DecodeString(r.str("challenge"))
	return b.do(t, "POST", "/api/v1/devices/"+id+"/soft-pin", token, map[string]string{"challenge_id": r.str("challenge_id"),
		"signature": k.sign(t, raw), "password": demo.Password}, "X-Device-ID", id)
}

func (b *bank) appLogin(t *testing.T, clientNumber, deviceID string) (string, bool) {
	t.Helper()
	b.clock.Advance(7 * time.Minute) // under the 10 SMS codes an hour
	ch := b.startLogin(t, clientNumber, demo.Password)
	r := b.finishLogin(t, ch, b.otp(t, clientNumber), "X-Device-ID", deviceID)
	wantStatus(t, r, http.StatusOK)
	offer, ok := r.json["trust_offer"].(bool)
	if !ok {
		t.Fatalf("no trust_offer in %s", r.body)
	}
	return r.str("access_token"), offer
}

func TestTrustedDeviceJourneyOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		token := b.login(t, arben)
		// A18: the login came from no registered device.
		if _, err := b.dispatcher.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		msgs, _ := b.sandbox.InboxFor(context.Background(), b.customer(t, arben).Mobile, 1)
		if len(msgs) == 0 || !strings.Contains(msgs[0].Body, "pajisje e re") {
			t.Fatalf("no new-device alert: %+v", msgs)
		}
		b.expectProblem(t, "POST", "/api/v1/devices", token, map[string]any{"name": "Pixel", "type": "android",
			"public_key": newAppKey(t, elliptic.P384()).public()}, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "a P-384 key and no password")
		key := newAppKey(t, elliptic.P256())
		id := b.registerDevice(t, token, key)

		// A7: the offer comes at the 3rd consecutive login from the device.
		var offers []bool
		for range 3 {
			_, offer := b.appLogin(t, arben, id)
			offers = append(offers, offer)
		}
		if offers[0] || offers[1] || !offers[2] {
			t.Fatalf("offers %v", offers)
		}
		token, _ = b.appLogin(t, arben, id)
		b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/trust", token, map[string]string{"password": "Wrong-pass9"},
			http.StatusBadRequest, "password_wrong", "X-Device-ID", id)
		token, _ = b.appLogin(t, arben, id) // the failures above are reset by a login
		r := b.do(t, "POST", "/api/v1/devices/"+id+"/trust", token, map[string]string{"password": demo.Password},
			"X-Device-Location", "Durrës", "X-Device-ID", id)
		wantStatus(t, r, http.StatusOK)
		if r.json["trusted"] != true || r.str("trusted_since") == "" || r.json["smart_otp"] != true ||
			r.json["soft_pin"] != true || r.json["remember_me"] != true {
			t.Fatalf("trusted %s", r.body)
		}
		// A19: the Smart OTP toggle; it needs the screen lock.
		r = b.do(t, "PATCH", "/api/v1/devices/"+id, token, map[string]bool{"smart_otp": false})
		wantStatus(t, r, http.StatusOK)
		if r.json["smart_otp"] != false {
			t.Fatalf("toggle off %s", r.body)
		}
		r = b.do(t, "PATCH", "/api/v1/devices/"+id, token, map[string]bool{"smart_otp": true})
		wantStatus(t, r, http.StatusOK)
		b.expectProblem(t, "PATCH", "/api/v1/devices/"+id, token, map[string]bool{"smart_otp": true, "screen_lock": false},
			http.StatusConflict, "screen_lock_required")
		r = b.do(t, "GET", "/api/v1/devices", token, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["devices"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["name"] != "iPhone 15" || list[0].(map[string]any)["last_action_at"] == nil {
			t.Fatalf("list %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/devices/"+id+"/activity", token, nil)
		wantStatus(t, r, http.StatusOK)
		acts, _ := r.json["activity"].([]any)
		if len(acts) < 3 || acts[0].(map[string]any)["action"] != "trusted" || acts[0].(map[string]any)["location"] != "Durrës" {
			t.Fatalf("activity %s", r.body)
		}

		// A4: biometrics alone on the trusted device.
		r = b.do(t, "POST", "/api/v1/auth/device-login/challenge", "", map[string]string{"username": arben, "device_id": id})
		wantStatus(t, r, http.StatusOK)
		raw, _ := base64.StdEncoding.DecodeString(r.str("challenge"))
		chID := r.str("challenge_id")
		r = b.do(t, "POST", "/api/v1/auth/device-login", "", map[string]string{"challenge_id": chID, "signature": key.sign(t, raw)})
		wantStatus(t, r, http.StatusOK)
		if r.str("access_token") == "" || r.str("assurance") != "full" {
			t.Fatalf("biometric login %s", r.body)
		}
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", r.str("access_token"), nil), http.StatusOK)
		b.expectProblem(t, "POST", "/api/v1/auth/device-login", "", map[string]string{"challenge_id": chID,
			"signature": key.sign(t, raw)}, http.StatusUnauthorized, "device_challenge_invalid")

		// A5: Smart OTP answers the code step.
		ch := b.startLogin(t, arben, demo.Password)
		r = b.do(t, "POST", "/api/v1/auth/login/smart-otp", "", map[string]string{"challenge_id": ch, "device_id": id,
			"signature": key.sign(t, []byte(ch))})
		wantStatus(t, r, http.StatusOK)
		if r.str("assurance") != "full" {
			t.Errorf("Smart OTP login %s: want a full session", r.body)
		}
		token = r.str("access_token")

		// A6: Soft PIN instead of the SMS code; the same code twice is refused.
		r = b.softPIN(t, token, id, key)
		wantStatus(t, r, http.StatusCreated)
		secret := r.str("secret")
		if secret == "" || !strings.HasPrefix(r.str("otpauth_uri"), "otpauth://totp/") {
			t.Fatalf("soft pin %s", r.body)
		}
		if _, err := b.dispatcher.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if msgs, err := b.sandbox.InboxFor(context.Background(), b.customer(t, arben).Mobile, 1); err != nil ||
			len(msgs) == 0 || !strings.Contains(msgs[0].Body, "Soft PIN") {
			t.Fatalf("no Soft PIN alert: %+v %v", msgs, err)
		}
		code, err := device.SoftPINCode(secret, b.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		ch = b.startLogin(t, arben, demo.Password)
		wantStatus(t, b.finishLogin(t, ch, code), http.StatusOK)
		ch = b.startLogin(t, arben, demo.Password)
		b.expectProblem(t, "POST", "/api/v1/auth/login/otp", "", map[string]string{"challenge_id": ch, "otp": code},
			http.StatusUnauthorized, "otp_invalid")

		// Deactivated: the key stops working at once.
		token = b.login(t, arben)
		wantStatus(t, b.do(t, "DELETE", "/api/v1/devices/"+id, token, nil), http.StatusNoContent)
		r = b.do(t, "POST", "/api/v1/auth/device-login/challenge", "", map[string]string{"username": arben, "device_id": id})
		raw, _ = base64.StdEncoding.DecodeString(r.str("challenge"))
		r = b.do(t, "POST", "/api/v1/auth/device-login", "", map[string]string{"challenge_id": r.str("challenge_id"),
			"signature": key.sign(t, raw)})
		b.checkProblem(t, r, http.StatusUnauthorized, "login_failed", i18n.SQ)
		b.expectProblem(t, "GET", "/api/v1/devices/"+id+"/activity", token, nil, http.StatusNotFound, "device_not_found")
	})
}

func TestBiometricLoginOnAnUntrustedDeviceAsksForTheSMSCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		key := newAppKey(t, elliptic.P256())
		id := b.registerDevice(t, b.login(t, elira), key)
		r := b.do(t, "POST", "/api/v1/auth/device-login/challenge", "", map[string]string{"username": elira, "device_id": id})
		raw, _ := base64.StdEncoding.DecodeString(r.str("challenge"))
		r = b.do(t, "POST", "/api/v1/auth/device-login", "", map[string]string{"challenge_id": r.str("challenge_id"),
			"signature": key.sign(t, raw)})
		wantStatus(t, r, http.StatusOK)
		if r.str("access_token") != "" || r.str("otp_channel") != "sms" || r.str("challenge_id") == "" {
			t.Fatalf("answer %s", r.body)
		}
		wantStatus(t, b.finishLogin(t, r.str("challenge_id"), b.otp(t, elira), "X-Device-ID", id), http.StatusOK)
		// An unknown user answers as a wrong signature does.
		r = b.do(t, "POST", "/api/v1/auth/device-login/challenge", "", map[string]string{"username": "100009999", "device_id": id})
		wantStatus(t, r, http.StatusOK)
		raw, _ = base64.StdEncoding.DecodeString(r.str("challenge"))
		r = b.do(t, "POST", "/api/v1/auth/device-login", "", map[string]string{"challenge_id": r.str("challenge_id"),
			"signature": key.sign(t, raw)}, "Accept-Language", "en")
		b.checkProblem(t, r, http.StatusUnauthorized, "login_failed", i18n.EN)
	})
}

func TestAnotherCustomersDeviceIsA404(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		id := b.registerDevice(t, b.login(t, arben), newAppKey(t, elliptic.P256()))
		other := b.login(t, dritan)
		pw := map[string]string{"password": demo.Password}
		softPIN := map[string]string{"challenge_id": "0190c6f0-0000-7000-8000-000000000000", "signature": "AA==",
			"password": demo.Password}
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/devices/" + id + "/activity", nil},
			{"DELETE", "/api/v1/devices/" + id, nil},
			{"POST", "/api/v1/devices/" + id + "/trust", pw},
			{"POST", "/api/v1/devices/" + id + "/soft-pin/challenge", nil},
			{"POST", "/api/v1/devices/" + id + "/soft-pin", softPIN},
			{"DELETE", "/api/v1/devices/not-an-id", nil},
		} {
			b.expectProblem(t, req.method, req.path, other, req.body, http.StatusNotFound, "device_not_found",
				"X-Device-ID", id)
		}
		r := b.do(t, "GET", "/api/v1/devices", other, nil)
		if list, _ := r.json["devices"].([]any); len(list) != 0 {
			t.Fatalf("other customer sees %s", r.body)
		}
	})
}

func TestThirdTrustedDeviceIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		token := b.login(t, arben)
		pw := map[string]string{"password": demo.Password}
		for i := range 3 {
			id := b.registerDevice(t, token, newAppKey(t, elliptic.P256()))
			for range 3 {
				token, _ = b.appLogin(t, arben, id) // to the trust offer
			}
			if i < 2 {
				wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+id+"/trust", token, pw, "X-Device-ID", id), http.StatusOK)
			} else {
				b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/trust", token, pw, http.StatusConflict,
					"trusted_device_limit", "X-Device-ID", id)
			}
		}
	})
}

func TestDeviceRoutesRefuseBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		key := newAppKey(t, elliptic.P256())
		id := b.registerDevice(t, tok, key)
		ch := b.startLogin(t, dritan, demo.Password)
		tests := []struct {
			name, method, path string
			body               any
			status             int
			code               string
		}{
			{"an unknown field", "POST", "/api/v1/devices", map[string]any{"name": "x", "type": "ios", "public_key": key.public(), "pin": "1"}, 400, "unknown_field"},
			{"no fields", "POST", "/api/v1/devices", map[string]any{}, 400, "validation_failed"},
			{"a NUL in the name", "POST", "/api/v1/devices", map[string]any{"name": "a\x00b", "type": "ios", "public_key": key.public()}, 400, "validation_failed"},
			{"an RSA-sized garbage key", "POST", "/api/v1/devices", map[string]any{"name": "x", "type": "ios", "public_key": strings.Repeat("A", 2000)}, 400, "validation_failed"},
			{"a NUL device id", "GET", "/api/v1/devices/%00/activity", nil, 404, "device_not_found"},
			{"an invalid UTF-8 device id", "DELETE", "/api/v1/devices/%FF%FE", nil, 404, "device_not_found"},
			{"trust without a password", "POST", "/api/v1/devices/" + id + "/trust", map[string]string{}, 400, "validation_failed"},
			{"an ID document that is not base64", "POST", "/api/v1/devices/" + id + "/trust", map[string]any{"password": demo.Password,
				"id_document": map[string]any{"sod": "%%%", "data_groups": map[string]string{"1": "AA=="}}}, 400, "malformed_json"},
			{"an ID document with data group 0", "POST", "/api/v1/devices/" + id + "/trust", map[string]any{"password": demo.Password,
				"id_document": map[string]any{"sod": "AA==", "data_groups": map[string]string{"0": "AA=="}}}, 400, "validation_failed"},
			{"an ID document with data group 01", "POST", "/api/v1/devices/" + id + "/trust", map[string]any{"password": demo.Password,
				"id_document": map[string]any{"sod": "AA==", "data_groups": map[string]string{"01": "AA=="}}}, 400, "validation_failed"},
			{"an ID document with an unknown field", "POST", "/api/v1/devices/" + id + "/trust", map[string]any{"password": demo.Password,
				"id_document": map[string]any{"sod": "AA==", "dg1": "AA=="}}, 400, "unknown_field"},
			{"a password change without the repeat", "POST", "/api/v1/me/password/device", map[string]string{"device_id": id,
				"challenge_id": ch, "signature": "AA==", "new_password": "Vjeshta#4826"}, 400, "validation_failed"},
			{"a password challenge without a device", "POST", "/api/v1/me/password/device/challenge", map[string]string{}, 400, "validation_failed"},
			{"a password challenge for a NUL device", "POST", "/api/v1/me/password/device/challenge", map[string]string{"device_id": "\x00"}, 404, "device_not_found"},
			{"a password change with an unknown field", "POST", "/api/v1/me/password/device", map[string]string{"old_password": "x"}, 400, "unknown_field"},
			{"a Soft PIN with the password alone", "POST", "/api/v1/devices/" + id + "/soft-pin", map[string]string{"password": demo.Password}, 400, "validation_failed"},
			{"a Soft PIN with an unknown field", "POST", "/api/v1/devices/" + id + "/soft-pin", map[string]string{"code": "1"}, 400, "unknown_field"},
			{"a Soft PIN asked from no device", "POST", "/api/v1/devices/" + id + "/soft-pin", map[string]string{"challenge_id": ch,
				"signature": "AA==", "password": demo.Password}, 403, "device_not_current"},
			{"a Soft PIN challenge asked from no device", "POST", "/api/v1/devices/" + id + "/soft-pin/challenge", nil, 403, "device_not_current"},
			{"a challenge without a device", "POST", "/api/v1/auth/device-login/challenge", map[string]string{"username": arben}, 400, "validation_failed"},
			{"a device login with a NUL challenge", "POST", "/api/v1/auth/device-login", map[string]string{"challenge_id": "\x00", "signature": "AA=="}, 401, "device_challenge_invalid"},
			{"a device login with an unknown challenge", "POST", "/api/v1/auth/device-login", map[string]string{"challenge_id": "0190c6f0-0000-7000-8000-000000000000", "signature": "%%%"}, 401, "device_challenge_invalid"},
			{"Smart OTP with a NUL challenge", "POST", "/api/v1/auth/login/smart-otp", map[string]string{"challenge_id": "\x00", "device_id": id, "signature": "AA=="}, 401, "otp_invalid"},
			{"Smart OTP with a NUL device and bad base64", "POST", "/api/v1/auth/login/smart-otp", map[string]string{"challenge_id": ch, "device_id": "\x00", "signature": "%%%"}, 401, "otp_invalid"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b.expectProblem(t, tt.method, tt.path, tok, tt.body, tt.status, tt.code, invalidOnPurpose, tt.name)
			})
		}
		// Garbage in the device headers is not counted and never fails the login.
		ch = b.startLogin(t, elira, demo.Password)
		r := b.finishLogin(t, ch, b.otp(t, elira), "X-Device-ID", "\xff\xfe", "X-Device-Location", "\xff"+strings.Repeat("x", 500))
		wantStatus(t, r, http.StatusOK)
	})
}

func TestASoftPINIsSetUpOnlyOnTheTrustedDeviceItselfWithItsSignature(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		key, other := newAppKey(t, elliptic.P256()), newAppKey(t, elliptic.P256())
		token := b.login(t, arben)
		id := b.registerDevice(t, token, key)
		otherID := b.registerDevice(t, token, other)
		// Not trusted yet.
		b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/soft-pin/challenge", token, nil, http.StatusForbidden,
			"device_not_trusted", "X-Device-ID", id)
		for range 3 {
			token, _ = b.appLogin(t, arben, id) // to the trust offer (A7)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+id+"/trust", token, map[string]string{"password": demo.Password},
			"X-Device-ID", id), http.StatusOK)
		// A session on the customer's other phone cannot take this phone's secret.
		b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/soft-pin/challenge", token, nil, http.StatusForbidden,
			"device_not_current", "X-Device-ID", otherID)
		r := b.do(t, "POST", "/api/v1/devices/"+id+"/soft-pin/challenge", token, nil, "X-Device-ID", id)
		wantStatus(t, r, http.StatusOK)
		raw, _ := base64.StdEncoding.DecodeString(r.str("challenge"))
		if len(raw) != 32 || r.json["expires_in"] != float64(120) {
			t.Fatalf("challenge %s", r.body)
		}
		chID := r.str("challenge_id")
		good := map[string]string{"challenge_id": chID, "signature": key.sign(t, raw), "password": demo.Password}
		b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/soft-pin", token, good, http.StatusForbidden,
			"device_not_current", "X-Device-ID", otherID)
		// Another key's signature: refused, and the challenge is spent.
		b.checkProblem(t, b.do(t, "POST", "/api/v1/devices/"+id+"/soft-pin", token, map[string]string{"challenge_id": chID,
			"signature": other.sign(t, raw), "password": demo.Password}, "X-Device-ID", id), http.StatusUnauthorized,
			"signature_invalid", i18n.SQ)
		b.expectProblem(t, "POST", "/api/v1/devices/"+id+"/soft-pin", token, good, http.StatusUnauthorized,
			"device_challenge_invalid", "X-Device-ID", id)
		r = b.do(t, "GET", "/api/v1/devices", token, nil)
		for _, dv := range r.json["devices"].([]any) {
			if dv.(map[string]any)["soft_pin_provisioned"] == true {
				t.Fatalf("a Soft PIN was set up by refused requests: %s", r.body)
			}
		}
		wantStatus(t, b.softPIN(t, token, id, key), http.StatusCreated)
	})
}
