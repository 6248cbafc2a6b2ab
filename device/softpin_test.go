package device_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
)

func TestASoftPINIsSetUpOnlyFromTheDeviceWithItsSignatureAndThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p, q := newPhone(t), newPhone(t)
		dev := f.trust(t, c, f.register(t, c, p, true))
		other := f.trust(t, c, f.register(t, c, q, true))
		first, err := f.provision(t, c, dev, p)
		if err != nil {
			t.Fatalf("provision: %v", err)
		}
		if _, err := f.disp.RunOnce(f.ctx); err != nil {
			t.Fatal(err)
		}
		stored := func() string {
			var s string
			if err := d.QueryRow(f.ctx, "SELECT soft_pin_secret FROM devices WHERE id = ?", dev.ID).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		before := stored()
		here := device.Seen{DeviceID: dev.ID}
		challenge := func(t *testing.T) device.Challenge {
			ch, err := f.dev.SoftPINChallenge(f.ctx, c.ID, dev.ID, here)
			if err != nil {
				t.Fatalf("SoftPINChallenge: %v", err)
			}
			return ch
		}
		used := challenge(t)
		if _, err := f.dev.ProvisionSoftPIN(f.ctx, c.ID, dev.ID, device.SoftPINProof{ChallengeID: used.ID,
			Signature: q.sign(t, used.Challenge), Password: pw}, here); err == nil {
			t.Fatal("a wrong signature was accepted")
		}
		// The challenges below are made before the clock moves on for the expired one.
		pwChange, err := f.dev.PasswordChallenge(f.ctx, c.ID, dev.ID, here)
		if err != nil {
			t.Fatal(err)
		}
		otherDevice, err := f.dev.SoftPINChallenge(f.ctx, c.ID, other.ID, device.Seen{DeviceID: other.ID})
		if err != nil {
			t.Fatal(err)
		}
		expired := challenge(t)
		f.clk.Advance(f.dev.Config.ChallengeValidity + time.Second)

		cases := []struct {
			name string
			seen device.Seen
			ch   func(t *testing.T) device.Challenge
			key  phone
			pw   string
			code string
		}{
			{"a request from no device", device.Seen{}, challenge, p, pw, "device_not_current"},
			{"a request from the customer's other device", device.Seen{DeviceID: other.ID}, challenge, p, pw, "device_not_current"},
			{"another key's signature", here, challenge, q, pw, "signature_invalid"},
			{"a wrong password", here, challenge, p, "Wrong-pass1", "password_wrong"},
			{"a challenge already used", here, func(*testing.T) device.Challenge { return used }, p, pw, "device_challenge_invalid"},
			{"an expired challenge", here, func(*testing.T) device.Challenge { return expired }, p, pw, "device_challenge_invalid"},
			{"a password change's challenge", here, func(*testing.T) device.Challenge { return pwChange }, p, pw, "device_challenge_invalid"},
			{"the other device's challenge", here, func(*testing.T) device.Challenge { return otherDevice }, p, pw, "device_challenge_invalid"},
			{"no challenge", here, func(*testing.T) device.Challenge { return device.Challenge{ID: "x", Challenge: []byte("x")} }, p, pw, "device_challenge_invalid"},
		}
		for _, tc := range cases {
			ch := tc.ch(t)
			_, err := f.dev.ProvisionSoftPIN(f.ctx, c.ID, dev.ID, device.SoftPINProof{ChallengeID: ch.ID,
				Signature: tc.key.sign(t, ch.Challenge), Password: tc.pw}, tc.seen)
			if err == nil {
				t.Fatalf("%s: accepted", tc.name)
			}
			wantCode(t, err, tc.code)
			if stored() != before {
				t.Fatalf("%s: the device's secret changed", tc.name)
			}
		}
		// Asking for the challenge from elsewhere is refused too.
		_, err = f.dev.SoftPINChallenge(f.ctx, c.ID, dev.ID, device.Seen{DeviceID: other.ID})
		wantCode(t, err, "device_not_current")
		if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
			t.Errorf("%d SMS sent for refused set-ups", n)
		}
		// The wrong signatures and the wrong password counted towards the lockout.
		var failures int
		if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID).Scan(&failures); err != nil || failures != 3 {
			t.Fatalf("failed_attempts %d (%v), want 3", failures, err)
		}

		// From the device, with its signature and the password: a new secret, and the customer is told.
		sp, err := f.provision(t, c, dev, p)
		if err != nil || sp.Secret == first.Secret {
			t.Fatalf("provision again: %v", err)
		}
		body := f.sms(t, c)
		if !strings.Contains(body, "Soft PIN") || !strings.Contains(body, dev.Name) || codeRE.MatchString(body) {
			t.Errorf("alert %q", body)
		}
		if h, _ := f.dev.History(f.ctx, c.ID, dev.ID); len(h) == 0 || h[0].Action != device.ActionSoftPIN {
			t.Errorf("history %+v", h)
		}
	})
}
