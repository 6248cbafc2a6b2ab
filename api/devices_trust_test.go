package api_test

import (
	"context"
	"crypto/elliptic"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
)

// idDocumentBody is a chip as the app sends it: EF.SOD and the data groups it read, without DG2.
func idDocumentBody(chip iddoc.Chip) map[string]any {
	groups := map[string]string{}
	for n, dg := range chip.DataGroups {
		if n != 2 {
			groups[strconv.Itoa(n)] = base64.StdEncoding.EncodeToString(dg)
		}
	}
	return map[string]any{"sod": base64.StdEncoding.EncodeToString(chip.SOD), "data_groups": groups}
}

func TestTrustingADeviceNeedsItsTrustOfferOrTheCustomersIDDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		issuer := iddoctest.NewIssuer(t)
		arbenDoc := issuer.Chip(iddoctest.MRZFor(b.customer(t, arben)))
		eliraDoc := issuer.Chip(iddoctest.MRZFor(b.customer(t, elira)))
		tampered := issuer.Chip(iddoctest.MRZFor(b.customer(t, arben)))
		forged := iddoctest.MRZFor(b.customer(t, elira))
		tampered.DataGroups[1] = iddoctest.DG1(iddoctest.TD1(forged))

		token := b.login(t, arben)
		phone := b.registerDevice(t, token, newAppKey(t, elliptic.P256()))
		tablet := b.registerDevice(t, token, newAppKey(t, elliptic.P256()))
		withDoc := func(chip iddoc.Chip) map[string]any {
			return map[string]any{"password": demo.Password, "id_document": idDocumentBody(chip)}
		}
		trust := "/api/v1/devices/" + phone + "/trust"
		pw := map[string]string{"password": demo.Password}

		// Without a verifier the bank cannot take the document way.
		b.devices.IDDocs = nil
		r, err := b.send("POST", trust, token, withDoc(arbenDoc), "X-Device-ID", phone)
		if err != nil || r.status != http.StatusServiceUnavailable || r.str("code") != "id_document_unavailable" {
			t.Fatalf("without a verifier: %v %d %s", err, r.status, r.body)
		}
		b.devices.IDDocs = issuer.Verifier(b.clock)
		tests := []struct {
			name, device string
			body         any
			status       int
			code         string
		}{
			{"the password alone before the offer", phone, pw, http.StatusForbidden, "trust_not_offered"},
			{"without X-Device-ID", "", pw, http.StatusForbidden, "device_not_current"},
			{"from another of the customer's devices", tablet, withDoc(arbenDoc), http.StatusForbidden, "device_not_current"},
			{"a tampered document", phone, withDoc(tampered), http.StatusUnprocessableEntity, "id_document_invalid"},
			{"another person's document", phone, withDoc(eliraDoc), http.StatusUnprocessableEntity, "id_document_mismatch"},
			{"the document with a wrong password", phone, map[string]any{"password": "Wrong-pass9",
				"id_document": idDocumentBody(arbenDoc)}, http.StatusBadRequest, "password_wrong"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				headers := []string{"X-Device-ID", tt.device}
				if tt.device == "" {
					headers = []string{invalidOnPurpose, tt.name}
				}
				b.expectProblem(t, "POST", trust, token, tt.body, tt.status, tt.code, headers...)
			})
		}
		token = b.login(t, arben) // the wrong password above is reset by a login
		r = b.do(t, "GET", "/api/v1/devices", token, nil)
		if strings.Contains(string(r.body), `"trusted":true`) {
			t.Fatalf("a refused request trusted a device: %s", r.body)
		}

		// The document way: no offer needed; EF.SOD and DG1 fit the body limit.
		r = b.do(t, "POST", trust, token, withDoc(arbenDoc), "X-Device-ID", phone, "X-Device-Location", "Korçë")
		wantStatus(t, r, http.StatusOK)
		if r.json["trusted"] != true {
			t.Fatalf("trusted %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/devices/"+phone+"/activity", token, nil)
		acts, _ := r.json["activity"].([]any)
		if len(acts) == 0 || acts[0].(map[string]any)["action"] != "trusted_by_id_document" {
			t.Fatalf("activity %s", r.body)
		}

		// The offer way: the 3rd consecutive login from the tablet.
		for range 3 {
			token, _ = b.appLogin(t, arben, tablet)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+tablet+"/trust", token, pw, "X-Device-ID", tablet), http.StatusOK)
		r = b.do(t, "GET", "/api/v1/devices/"+tablet+"/activity", token, nil)
		acts, _ = r.json["activity"].([]any)
		if len(acts) == 0 || acts[0].(map[string]any)["action"] != "trusted" {
			t.Fatalf("activity %s", r.body)
		}
	})
}

func TestChangingThePasswordOnATrustedDeviceWithTheNewOneTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		key := newAppKey(t, elliptic.P256())
		token := b.login(t, arben)
		phone := b.registerDevice(t, token, key)
		untrusted := b.registerDevice(t, token, newAppKey(t, elliptic.P256()))
		for range 3 {
			token, _ = b.appLogin(t, arben, phone)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/devices/"+phone+"/trust", token, map[string]string{"password": demo.Password},
			"X-Device-ID", phone), http.StatusOK)
		elsewhere := b.login(t, arben)
		token, _ = b.appLogin(t, arben, phone)
		on := []string{"X-Device-ID", phone}
		challenge := func() (string, []byte) {
			t.Helper()
			r := b.do(t, "POST", "/api/v1/me/password/device/challenge", token, map[string]string{"device_id": phone}, on...)
			wantStatus(t, r, http.StatusOK)
			raw, err := base64.StdEncoding.DecodeString(r.str("challenge"))
			if err != nil || len(raw) != 32 || r.json["expires_in"] != float64(120) {
				t.Fatalf("challenge %s", r.body)
			}
			return r.str("challenge_id"), raw
		}
		const newPW = "Vjeshta#4826"
		body := func(ch, sig, pw1, pw2 string) map[string]string {
			return map[string]string{"device_id": phone, "challenge_id": ch, "signature": sig, "new_password": pw1,
				"new_password_repeat": pw2}
		}

		// A SmartPay (partial) session of the same phone may not.
		r := b.do(t, "POST", "/api/v1/auth/login/partial", "", map[string]string{"username": arben, "password": demo.Password}, on...)
		wantStatus(t, r, http.StatusOK)
		b.expectProblem(t, "POST", "/api/v1/me/password/device/challenge", r.str("access_token"),
			map[string]string{"device_id": phone}, http.StatusForbidden, "assurance_insufficient", on...)
		b.expectProblem(t, "POST", "/api/v1/me/password/device/challenge", token, map[string]string{"device_id": phone},
			http.StatusForbidden, "device_not_current", invalidOnPurpose, "without X-Device-ID")
		b.expectProblem(t, "POST", "/api/v1/me/password/device/challenge", token, map[string]string{"device_id": untrusted},
			http.StatusForbidden, "device_not_trusted", "X-Device-ID", untrusted)
		b.expectProblem(t, "POST", "/api/v1/me/password/device/challenge", b.login(t, elira),
			map[string]string{"device_id": phone}, http.StatusNotFound, "device_not_found", on...)

		ch, raw := challenge()
		b.expectProblem(t, "POST", "/api/v1/me/password/device", token, body(ch, key.sign(t, raw), newPW, "Vjeshta#4827"),
			http.StatusBadRequest, "password_mismatch", on...)
		// A biometric login's challenge signed by the phone does not change the password.
		r = b.do(t, "POST", "/api/v1/auth/device-login/challenge", "", map[string]string{"username": arben, "device_id": phone})
		loginRaw, _ := base64.StdEncoding.DecodeString(r.str("challenge"))
		b.expectProblem(t, "POST", "/api/v1/me/password/device", token, body(r.str("challenge_id"), key.sign(t, loginRaw), newPW, newPW),
			http.StatusUnauthorized, "device_challenge_invalid", on...)
		// Another key's signature spends the challenge.
		wrong, wrongRaw := challenge()
		r = b.do(t, "POST", "/api/v1/me/password/device", token, body(wrong, newAppKey(t, elliptic.P256()).sign(t, wrongRaw), newPW, newPW), on...)
		b.checkProblem(t, r, http.StatusUnauthorized, "signature_invalid", i18n.SQ)
		b.expectProblem(t, "POST", "/api/v1/me/password/device", token, body(wrong, key.sign(t, wrongRaw), newPW, newPW),
			http.StatusUnauthorized, "device_challenge_invalid", on...)

		// The first challenge was not spent by the mismatch.
		wantStatus(t, b.do(t, "POST", "/api/v1/me/password/device", token, body(ch, key.sign(t, raw), newPW, newPW), on...),
			http.StatusNoContent)
		if _, err := b.dispatcher.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs, _ := b.sandbox.InboxFor(ctx, b.customer(t, arben).Mobile, 1)
		if len(msgs) == 0 || !strings.Contains(msgs[0].Body, "u ndryshua") {
			t.Fatalf("no password alert: %+v", msgs)
		}
		b.expectProblem(t, "GET", "/api/v1/me", elsewhere, nil, http.StatusUnauthorized, "session_expired")
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", token, nil), http.StatusOK)
		b.loginWith(t, arben, newPW)
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": arben, "password": demo.Password},
			http.StatusUnauthorized, "login_failed")
	})
}
