package device_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
)

func TestTrustNeedsTheDeviceItselfAndTheOfferOrTheCustomersIDDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		issuer := iddoctest.NewIssuer(t)
		stranger := f.person(t)
		own := func(c customer.Customer) *iddoc.Chip {
			chip := issuer.Chip(iddoctest.MRZFor(c))
			delete(chip.DataGroups, 2) // the app need not send the face
			return &chip
		}
		tests := []struct {
			name      string
			logins    int  // consecutive logins from the device first
			elsewhere bool // then one from the customer's other device
			fromOther bool // the request names the other device in X-Device-ID
			password  string
			doc       func(c customer.Customer) *iddoc.Chip
			verifier  bool
			code      string // "" when the device becomes trusted
			action    string
		}{
			{name: "at the offer with the password", logins: 3, code: "", action: device.ActionTrusted},
			{name: "past the offer", logins: 5, code: "", action: device.ActionTrusted},
			{name: "by the ID document without the offer", logins: 0, doc: own, verifier: true,
				action: device.ActionTrustedByIDDocument},
			{name: "before the offer", logins: 2, code: "trust_not_offered"},
			{name: "after a login from another device", logins: 3, elsewhere: true, code: "trust_not_offered"},
			{name: "from another device at the offer", logins: 3, fromOther: true, code: "device_not_current"},
			{name: "from another device with the ID document", doc: own, verifier: true, fromOther: true,
				code: "device_not_current"},
			{name: "at the offer with a wrong password", logins: 3, password: "Wrong-pass1", code: "password_wrong"},
			{name: "the ID document with a wrong password", doc: own, verifier: true, password: "Wrong-pass1",
				code: "password_wrong"},
			{name: "someone else's ID document", verifier: true, code: iddoc.CodeMismatch,
				doc: func(customer.Customer) *iddoc.Chip { return own(stranger) }},
			{name: "a tampered ID document", verifier: true, code: iddoc.CodeInvalid,
				doc: func(c customer.Customer) *iddoc.Chip {
					chip := own(c)
					m := iddoctest.MRZFor(c)
					m.DocumentNumber = "ZZ9999999"
					chip.DataGroups[1] = iddoctest.DG1(iddoctest.TD1(m))
					return chip
				}},
			{name: "an ID document without DG1", verifier: true, code: iddoc.CodeInvalid,
				doc: func(c customer.Customer) *iddoc.Chip {
					chip := own(c)
					delete(chip.DataGroups, 1)
					return chip
				}},
			{name: "an ID document where the bank has no verifier", doc: own, code: iddoc.CodeUnavailable},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := f.person(t)
				dev, other := f.register(t, c, newPhone(t), true), f.register(t, c, newPhone(t), true)
				for range tt.logins {
					if _, err := f.dev.RecordLogin(f.ctx, c.ID, device.ActionLogin, device.Seen{DeviceID: dev.ID}); err != nil {
						t.Fatal(err)
					}
				}
				if tt.elsewhere {
					if _, err := f.dev.RecordLogin(f.ctx, c.ID, device.ActionLogin, device.Seen{DeviceID: other.ID}); err != nil {
						t.Fatal(err)
					}
				}
				f.dev.IDDocs = nil
				if tt.verifier {
					f.dev.IDDocs = issuer.Verifier(f.clk)
				}
				proof := device.TrustProof{Password: pw}
				if tt.password != "" {
					proof.Password = tt.password
				}
				if tt.doc != nil {
					proof.IDDocument = tt.doc(c)
				}
				seen := device.Seen{DeviceID: dev.ID, Location: "Vlorë"}
				if tt.fromOther {
					seen.DeviceID = other.ID
				}
				got, err := f.dev.Trust(f.ctx, c.ID, dev.ID, proof, seen)
				stored, gerr := f.dev.Get(f.ctx, c.ID, dev.ID)
				if gerr != nil {
					t.Fatal(gerr)
				}
				h, _ := f.dev.History(f.ctx, c.ID, dev.ID)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					if stored.Trusted || h[0].Action == device.ActionTrusted || h[0].Action == device.ActionTrustedByIDDocument {
						t.Fatalf("refused, yet trusted: %+v %+v", stored, h[0])
					}
					return
				}
				if err != nil || !got.Trusted || !stored.Trusted || !stored.SoftPIN || !stored.SmartOTP {
					t.Fatalf("Trust: %+v %v", stored, err)
				}
				if h[0].Action != tt.action || h[0].Location != "Vlorë" {
					t.Fatalf("history %+v, want %s", h[0], tt.action)
				}
				if msg := f.sms(t, c); !strings.Contains(msg, "u autorizua si e besuar") {
					t.Fatalf("no trust alert: %q", msg)
				}
			})
		}
	})
}

func TestPasswordChangeOnATrustedDeviceWithTheNewPasswordTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		phoneDev := f.trust(t, c, f.register(t, c, p, true))
		untrusted := f.register(t, c, newPhone(t), true)
		otherToken, _, err := f.auth.OpenSession(f.ctx, c.ID, auth.Full)
		if err != nil {
			t.Fatal(err)
		}
		token, sess, err := f.auth.OpenSession(f.ctx, c.ID, auth.Full)
		if err != nil {
			t.Fatal(err)
		}
		on := device.Seen{DeviceID: phoneDev.ID, Location: "Shkodër"}
		challenge := func() device.Challenge {
			t.Helper()
			ch, err := f.dev.PasswordChallenge(f.ctx, c.ID, phoneDev.ID, on)
			if err != nil || len(ch.Challenge) != 32 || ch.ExpiresIn != 2*time.Minute {
				t.Fatalf("PasswordChallenge: %+v %v", ch, err)
			}
			return ch
		}
		const newPW = "Vjeshta#4826"
		change := func(ch device.Challenge, sig []byte, pw1, pw2 string, seen device.Seen) error {
			return f.dev.ChangePassword(f.ctx, sess, device.PasswordChange{DeviceID: phoneDev.ID, ChallengeID: ch.ID,
				Signature: sig, New: pw1, Repeat: pw2}, seen)
		}

		// Only from the trusted device itself.
		_, err = f.dev.PasswordChallenge(f.ctx, c.ID, untrusted.ID, device.Seen{DeviceID: untrusted.ID})
		wantCode(t, err, "device_not_trusted")
		_, err = f.dev.PasswordChallenge(f.ctx, c.ID, phoneDev.ID, device.Seen{DeviceID: untrusted.ID})
		wantCode(t, err, "device_not_current")
		_, err = f.dev.PasswordChallenge(f.ctx, f.person(t).ID, phoneDev.ID, on)
		wantCode(t, err, "device_not_found")

		ch := challenge()
		sig := p.sign(t, ch.Challenge)
		// Refusals that leave the challenge unspent.
		for _, tt := range []struct {
			name, pw1, pw2 string
			seen           device.Seen
			code           string
		}{
			{"two different new passwords", newPW, "Vjeshta#4827", on, "password_mismatch"},
			{"a new password against A11", "abc", "abc", on, "validation_failed"},
			{"the current password again", pw, pw, on, "validation_failed"},
			{"from another device", newPW, newPW, device.Seen{DeviceID: untrusted.ID}, "device_not_current"},
			{"from no device", newPW, newPW, device.Seen{}, "device_not_current"},
		} {
			err := change(ch, sig, tt.pw1, tt.pw2, tt.seen)
			if e, ok := kumbara.As(err); !ok || (e.Code != tt.code && !(tt.code == "validation_failed" && e.Kind == kumbara.KindInvalid)) {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		// A login challenge's signature does not change the password, nor a password challenge's log in.
		login, err := f.dev.LoginChallenge(f.ctx, c.ClientNumber, phoneDev.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, change(login, p.sign(t, login.Challenge), newPW, newPW, on), "device_challenge_invalid")
		other := challenge()
		_, err = f.dev.Login(f.ctx, other.ID, p.sign(t, other.Challenge), on)
		wantCode(t, err, "device_challenge_invalid")
		// Expired.
		late := challenge()
		f.clk.Advance(2*time.Minute + time.Second)
		wantCode(t, change(late, p.sign(t, late.Challenge), newPW, newPW, on), "device_challenge_invalid")
		// A wrong signature spends the challenge and counts.
		wrong := challenge()
		wantCode(t, change(wrong, p.sign(t, []byte("something else")), newPW, newPW, on), "signature_invalid")
		wantCode(t, change(wrong, p.sign(t, wrong.Challenge), newPW, newPW, on), "device_challenge_invalid")
		var failures int
		if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID).Scan(&failures); err != nil || failures != 1 {
			t.Fatalf("failed_attempts %d (%v), want 1", failures, err)
		}
		if _, err := f.auth.Login(f.ctx, c.ClientNumber, newPW); kumbara.CodeOf(err) != "login_failed" {
			t.Fatalf("password changed by a refused request: %v", err)
		}

		// The first challenge, still unspent (minutes have passed: a fresh one).
		ch = challenge()
		if err := change(ch, p.sign(t, ch.Challenge), newPW, newPW, on); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if msg := f.sms(t, c); !strings.Contains(msg, "fjalëkalimi juaj i bankës dixhitale u ndryshua") {
			t.Fatalf("no alert: %q", msg)
		}
		if _, err := f.auth.Authenticate(f.ctx, otherToken); err == nil {
			t.Fatal("another session survived the password change")
		}
		if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
			t.Fatalf("the current session ended: %v", err)
		}
		if _, err := f.auth.Login(f.ctx, c.ClientNumber, newPW); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}
		if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw); kumbara.CodeOf(err) != "login_failed" {
			t.Fatalf("login with the old password: %v", err)
		}
		if h, _ := f.dev.History(f.ctx, c.ID, phoneDev.ID); h[0].Action != device.ActionPasswordChanged || h[0].Location != "Shkodër" {
			t.Fatalf("history %+v", h[0])
		}
		// Single use.
		wantCode(t, change(ch, p.sign(t, ch.Challenge), "Dimri#58371", "Dimri#58371", on), "device_challenge_invalid")
	})
}

func TestWrongPasswordChangeSignaturesBlockTheChannel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		dev := f.trust(t, c, f.register(t, c, newPhone(t), true))
		_, sess, err := f.auth.OpenSession(f.ctx, c.ID, auth.Full)
		if err != nil {
			t.Fatal(err)
		}
		stranger := newPhone(t)
		seen := device.Seen{DeviceID: dev.ID}
		for i := 1; i <= 5; i++ {
			ch, err := f.dev.PasswordChallenge(f.ctx, c.ID, dev.ID, seen)
			if err != nil {
				t.Fatal(err)
			}
			err = f.dev.ChangePassword(f.ctx, sess, device.PasswordChange{DeviceID: dev.ID, ChallengeID: ch.ID,
				Signature: stranger.sign(t, ch.Challenge), New: "Vjeshta#4826", Repeat: "Vjeshta#4826"}, seen)
			if i < 5 {
				wantCode(t, err, "signature_invalid")
			} else {
				wantCode(t, err, "channel_blocked")
			}
		}
		if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
			t.Fatalf("after the limit: Blocked = %v, %v", blocked, err)
		}
	})
}
