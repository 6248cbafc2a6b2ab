package device_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

const pw = "Kumbara2026"

type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	auth  *auth.Service
	dev   *device.Service
	disp  *outbox.Dispatcher
	inbox *outbox.Sandbox
	n     int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	key := device.DeriveKey([]byte("0123456789abcdef0123456789abcdef"))
	f.auth = &auth.Service{Texts: i18n.MustNew(), DB: d, Clock: f.clk, Customers: f.cs, Hasher: password.ForTests, Config: auth.DefaultConfig(),
		Key: []byte("0123456789abcdef0123456789abcdef"), SoftPIN: device.SoftPINs{Clock: f.clk, Key: key}}
	f.dev = &device.Service{DB: d, Clock: f.clk, Auth: f.auth, Customers: f.cs, Config: device.DefaultConfig(), Key: key}
	f.inbox = &outbox.Sandbox{DB: d, Clock: f.clk}
	f.disp = &outbox.Dispatcher{DB: d, Sender: f.inbox, Clock: f.clk}
	return f
}

func (f *fixture) person(t *testing.T) customer.Customer {
	t.Helper()
	f.n++
	birth := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, f.n*37)
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(birth, f.n%2 == 1, f.n).String(), FirstName: "Arta", LastName: "Krasniqi",
		Mobile: fmt.Sprintf("+35569%07d", f.n)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.auth.SetPassword(f.ctx, c.ID, pw, false); err != nil {
		t.Fatal(err)
	}
	return c
}

// phone is a device's key pair.
type phone struct{ key *ecdsa.PrivateKey }

func newPhone(t *testing.T) phone {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return phone{k}
}

func (p phone) public() string {
	der, _ := x509.MarshalPKIXPublicKey(&p.key.PublicKey)
	return base64.StdEncoding.EncodeToString(der)
}

func (p phone) sign(t *testing.T, msg []byte) []byte {
	h := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, p.key, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func (f *fixture) register(t *testing.T, c customer.Customer, p phone, screenLock bool) device.Device {
	t.Helper()
	d, err := f.dev.Register(f.ctx, c.ID, device.NewDevice{Name: "iPhone i Artës", Type: device.IOS,
		PublicKey: p.public(), ScreenLock: screenLock, Password: pw}, device.Seen{Location: "Tiranë"})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return d
}

var codeRE = regexp.MustCompile(`\b\d{6}\b`)

// sms delivers the outbox and returns the newest SMS of the customer.
func (f *fixture) sms(t *testing.T, c customer.Customer) string {
	t.Helper()
	if _, err := f.disp.RunOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.inbox.InboxFor(f.ctx, c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS: %v", err)
	}
	return msgs[0].Body
}

// login logs in with password and SMS code and records the login from deviceID; it returns the trust offer.
func (f *fixture) login(t *testing.T, c customer.Customer, deviceID string) bool {
	t.Helper()
	ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	_, sess, err := f.auth.VerifyOTP(f.ctx, ch.ID, codeRE.FindString(f.sms(t, c)))
	if err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
	offer, err := f.dev.RecordLogin(f.ctx, sess.CustomerID, device.ActionLogin, device.Seen{DeviceID: deviceID, Agent: "KumbaraApp/2.1 iOS"})
	if err != nil {
		t.Fatalf("RecordLogin: %v", err)
	}
	f.clk.Advance(7 * time.Minute) // under the 10 SMS codes an hour
	return offer
}

// offer records the customer's OfferAt consecutive logins from the device, which brings it to the trust offer.
func (f *fixture) offer(t *testing.T, c customer.Customer, d device.Device) {
	t.Helper()
	for range f.dev.Config.OfferAt {
		if _, err := f.dev.RecordLogin(f.ctx, c.ID, device.ActionLogin, device.Seen{DeviceID: d.ID}); err != nil {
			t.Fatalf("RecordLogin: %v", err)
		}
	}
}

// trust trusts the device from itself after the trust offer, with the password.
func (f *fixture) trust(t *testing.T, c customer.Customer, d device.Device) device.Device {
	t.Helper()
	f.offer(t, c, d)
	got, err := f.dev.Trust(f.ctx, c.ID, d.ID, device.TrustProof{Password: pw}, device.Seen{DeviceID: d.ID})
	if err != nil {
		t.Fatalf("Trust: %v", err)
	}
	return got
}

// provision sets up a Soft PIN on the device as its app does: from the device, its signature of a fresh challenge
// and the password.
func (f *fixture) provision(t *testing.T, c customer.Customer, d device.Device, p phone) (device.SoftPIN, error) {
	t.Helper()
	seen := device.Seen{DeviceID: d.ID}
	ch, err := f.dev.SoftPINChallenge(f.ctx, c.ID, d.ID, seen)
	if err != nil {
		return device.SoftPIN{}, err
	}
	return f.dev.ProvisionSoftPIN(f.ctx, c.ID, d.ID, device.SoftPINProof{ChallengeID: ch.ID,
		Signature: p.sign(t, ch.Challenge), Password: pw}, seen)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || (e.Code != code && !slices.ContainsFunc(e.Fields, func(fe kumbara.FieldError) bool { return fe.Code == code })) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func TestRegisterAcceptsOnlyP256Keys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		der384, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)
		rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
		derRSA, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
		for name, key := range map[string]string{
			"P-384": base64.StdEncoding.EncodeToString(der384), "RSA": base64.StdEncoding.EncodeToString(derRSA),
			"not base64": "%%%", "garbage": base64.StdEncoding.EncodeToString([]byte("hello")), "empty": "",
		} {
			_, err := f.dev.Register(f.ctx, c.ID, device.NewDevice{Name: "x", Type: device.Android, PublicKey: key}, device.Seen{})
			if e, _ := kumbara.As(err); e == nil || e.Kind != kumbara.KindInvalid {
				t.Errorf("%s key: %v", name, err)
			} else {
				wantCode(t, err, "device_key_invalid")
			}
		}
		_, err := f.dev.Register(f.ctx, c.ID, device.NewDevice{Name: "", Type: "windows", PublicKey: newPhone(t).public()}, device.Seen{})
		wantCode(t, err, "device_type_invalid")
		wantCode(t, err, "device_name_invalid")
		if list, _ := f.dev.List(f.ctx, c.ID); len(list) != 0 {
			t.Fatalf("%d devices after refusals", len(list))
		}
	})
}

func TestTrustIsOfferedExactlyAtTheThirdConsecutiveLoginFromOneDevice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		a := f.register(t, c, newPhone(t), true)
		b := f.register(t, c, newPhone(t), true)
		var got []bool
		for _, id := range []string{a.ID, a.ID, b.ID, a.ID, a.ID, "", a.ID, a.ID, a.ID, a.ID} {
			got = append(got, f.login(t, c, id))
		}
		// a, a, (b breaks the run), a, a, (a login from no device breaks it), a, a, a (3rd: offer), a (4th)
		want := []bool{false, false, false, false, false, false, false, false, true, false}
		if !slices.Equal(got, want) {
			t.Fatalf("offers %v, want %v", got, want)
		}
		// A trusted device is not offered again.
		f.trust(t, c, a)
		for range 3 {
			f.login(t, c, b.ID)
		}
		f.trust(t, c, b)
		for range 3 {
			if f.login(t, c, a.ID) {
				t.Fatal("offer on a trusted device")
			}
		}
	})
}

func TestAtMostTwoTrustedDevices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		one, two, three := f.register(t, c, newPhone(t), true), f.register(t, c, newPhone(t), false), f.register(t, c, newPhone(t), true)
		got := f.trust(t, c, one)
		if !got.Trusted || !got.RememberMe || !got.SmartOTP || !got.SoftPIN || got.TrustedAt.IsZero() {
			t.Fatalf("trusted device %+v", got)
		}
		if got := f.trust(t, c, two); got.SmartOTP {
			t.Fatal("Smart OTP on for a device without a screen lock (A19)")
		}
		f.offer(t, c, three)
		_, err := f.dev.Trust(f.ctx, c.ID, three.ID, device.TrustProof{Password: pw}, device.Seen{DeviceID: three.ID})
		wantCode(t, err, "trusted_device_limit")
		// Trusting needs the password, and a wrong one counts.
		_, err = f.dev.Trust(f.ctx, c.ID, three.ID, device.TrustProof{Password: "Wrong-pass1"}, device.Seen{DeviceID: three.ID})
		wantCode(t, err, "password_wrong")
		// Deactivating one makes room.
		if err := f.dev.Deactivate(f.ctx, c.ID, one.ID, device.Seen{}); err != nil {
			t.Fatal(err)
		}
		f.trust(t, c, three)
		list, err := f.dev.List(f.ctx, c.ID)
		if err != nil || len(list) != 2 || list[0].ID != two.ID || list[1].ID != three.ID {
			t.Fatalf("list %+v, %v", list, err)
		}
	})
}

func TestAnotherCustomersDeviceIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		arta, other := f.person(t), f.person(t)
		p := newPhone(t)
		dev := f.register(t, arta, p, true)
		f.trust(t, arta, dev)
		_, err := f.dev.Get(f.ctx, other.ID, dev.ID)
		wantCode(t, err, "device_not_found")
		_, err = f.dev.History(f.ctx, other.ID, dev.ID)
		wantCode(t, err, "device_not_found")
		_, err = f.dev.Trust(f.ctx, other.ID, dev.ID, device.TrustProof{Password: pw}, device.Seen{DeviceID: dev.ID})
		wantCode(t, err, "device_not_found")
		wantCode(t, f.dev.Deactivate(f.ctx, other.ID, dev.ID, device.Seen{}), "device_not_found")
		_, err = f.dev.SoftPINChallenge(f.ctx, other.ID, dev.ID, device.Seen{DeviceID: dev.ID})
		wantCode(t, err, "device_not_found")
		_, err = f.dev.ProvisionSoftPIN(f.ctx, other.ID, dev.ID, device.SoftPINProof{Password: pw}, device.Seen{DeviceID: dev.ID})
		wantCode(t, err, "device_not_found")
		wantCode(t, f.dev.VerifySignature(f.ctx, other.ID, dev.ID, []byte("m"), p.sign(t, []byte("m"))), "device_not_found")
		wantCode(t, f.dev.VerifySoftPINResponse(f.ctx, other.ID, dev.ID, "00ff00ff", "12345678"), "device_not_found")
		wantCode(t, f.dev.Deactivate(f.ctx, arta.ID, "not-a-uuid", device.Seen{}), "device_not_found")
		// The other customer's login naming the device is not counted for either of them.
		if f.login(t, other, dev.ID) {
			t.Fatal("offer")
		}
		if h, _ := f.dev.History(f.ctx, arta.ID, dev.ID); len(h) != 5 { // registered, 3 logins, trusted
			t.Fatalf("history %+v", h)
		}
	})
}

func TestLoginFromANewDeviceQueuesAnAlert(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		f.login(t, c, "")
		msg := f.sms(t, c)
		if !strings.Contains(msg, "pajisje e re") || !strings.Contains(msg, "02.03.2026 09:00") ||
			!strings.Contains(msg, "KumbaraApp/2.1 iOS") || !strings.Contains(msg, "ndryshoni fjalëkalimin") ||
			codeRE.MatchString(msg) {
			t.Fatalf("alert %q", msg)
		}
		dev := f.register(t, c, newPhone(t), true)
		f.login(t, c, dev.ID)
		if msg := f.sms(t, c); strings.Contains(msg, "pajisje e re") {
			t.Fatalf("alert for a registered device: %q", msg)
		}
	})
}

func TestBiometricLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		start := func(username, id string) device.Challenge {
			ch, err := f.dev.LoginChallenge(f.ctx, username, id)
			if err != nil || len(ch.Challenge) != 32 || ch.ExpiresIn != 2*time.Minute {
				t.Fatalf("LoginChallenge: %+v %v", ch, err)
			}
			return ch
		}
		// Not trusted (A3): the signature leads to the SMS code step.
		ch := start(c.ClientNumber, dev.ID)
		res, err := f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
		if err != nil || res.Code == nil || res.Token != "" {
			t.Fatalf("untrusted: %+v %v", res, err)
		}
		if _, _, err := f.auth.VerifyOTP(f.ctx, res.Code.ID, codeRE.FindString(f.sms(t, c))); err != nil {
			t.Fatalf("code step: %v", err)
		}
		// Replayed challenge.
		_, err = f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
		wantCode(t, err, "device_challenge_invalid")
		// Trusted (A4): the signature alone opens a full session.
		f.trust(t, c, dev)
		ch = start(c.NationalID, dev.ID)
		res, err = f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{Location: "Durrës"})
		if err != nil || res.Token == "" || res.Session.Assurance != auth.Full || res.Code != nil {
			t.Fatalf("trusted: %+v %v", res, err)
		}
		if h, _ := f.dev.History(f.ctx, c.ID, dev.ID); h[0].Action != device.ActionBiometricLogin || h[0].Location != "Durrës" {
			t.Fatalf("history %+v", h)
		}
		// Expired.
		ch = start(c.ClientNumber, dev.ID)
		f.clk.Advance(2*time.Minute + time.Second)
		_, err = f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
		wantCode(t, err, "device_challenge_invalid")
		// Unknown user, unknown device, another's key and a signature of something else answer alike.
		stranger := newPhone(t)
		for name, try := range map[string]func() error{
			"unknown user": func() error {
				ch := start("999999999", dev.ID)
				_, err := f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
				return err
			},
			"unknown device": func() error {
				ch := start(c.ClientNumber, "0196a000-0000-7000-8000-000000000000")
				_, err := f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
				return err
			},
			"wrong key": func() error {
				ch := start(c.ClientNumber, dev.ID)
				_, err := f.dev.Login(f.ctx, ch.ID, stranger.sign(t, ch.Challenge), device.Seen{})
				return err
			},
		} {
			if err := try(); kumbara.CodeOf(err) != "login_failed" {
				t.Errorf("%s: %v", name, err)
			}
		}
		// Wrong signatures count: with the one above, four more block the channel.
		for i := 0; i < 4; i++ {
			ch := start(c.ClientNumber, dev.ID)
			_, err = f.dev.Login(f.ctx, ch.ID, []byte("not a signature"), device.Seen{})
		}
		wantCode(t, err, "channel_blocked")
		ch = start(c.ClientNumber, dev.ID)
		_, err = f.dev.Login(f.ctx, ch.ID, p.sign(t, ch.Challenge), device.Seen{})
		wantCode(t, err, "channel_blocked")
	})
}

func TestSmartOTPAnswersTheCodeStepOnATrustedDevice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		login := func() string {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
			if err != nil {
				t.Fatal(err)
			}
			return ch.ID
		}
		// Not trusted yet: refused, and counted like a wrong code.
		ch := login()
		_, _, err := f.dev.SmartOTP(f.ctx, ch, dev.ID, p.sign(t, []byte(ch)), device.Seen{})
		wantCode(t, err, "otp_invalid")
		f.trust(t, c, dev)
		// A signature of something else.
		_, _, err = f.dev.SmartOTP(f.ctx, ch, dev.ID, p.sign(t, []byte("other")), device.Seen{})
		wantCode(t, err, "otp_invalid")
		token, sess, err := f.dev.SmartOTP(f.ctx, ch, dev.ID, p.sign(t, []byte(ch)), device.Seen{})
		if err != nil || token == "" || sess.Assurance != auth.Full {
			t.Fatalf("SmartOTP: %v", err)
		}
		// Single use.
		_, _, err = f.dev.SmartOTP(f.ctx, ch, dev.ID, p.sign(t, []byte(ch)), device.Seen{})
		wantCode(t, err, "otp_used")
		// Deactivated: refused at once.
		if err := f.dev.Deactivate(f.ctx, c.ID, dev.ID, device.Seen{}); err != nil {
			t.Fatal(err)
		}
		ch = login()
		_, _, err = f.dev.SmartOTP(f.ctx, ch, dev.ID, p.sign(t, []byte(ch)), device.Seen{})
		wantCode(t, err, "otp_invalid")
	})
}

func TestSoftPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		_, err := f.provision(t, c, dev, p)
		wantCode(t, err, "device_not_trusted")
		f.trust(t, c, dev)
		sp, err := f.provision(t, c, dev, p)
		if err != nil || len(sp.Secret) != 52 || !strings.HasPrefix(sp.URI, "otpauth://totp/Kumbara:") ||
			!strings.Contains(sp.URI, "secret="+sp.Secret) {
			t.Fatalf("ProvisionSoftPIN: %+v %v", sp, err)
		}
		var stored string
		if err := d.QueryRow(f.ctx, "SELECT soft_pin_secret FROM devices WHERE id = ?", dev.ID).Scan(&stored); err != nil ||
			strings.Contains(stored, sp.Secret) {
			t.Fatalf("stored secret %q (%v)", stored, err)
		}
		loginWith := func(code string) error {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, code)
			return err
		}
		code, _ := device.SoftPINCode(sp.Secret, f.clk.Now())
		if err := loginWith(code); err != nil {
			t.Fatalf("Soft PIN login: %v", err)
		}
		// The same code again (same time step): refused.
		wantCode(t, loginWith(code), "otp_invalid")
		// The next step's code works within the skew; then the current one is older than the last used.
		next, _ := device.SoftPINCode(sp.Secret, f.clk.Now().Add(30*time.Second))
		if err := loginWith(next); err != nil {
			t.Fatalf("next step: %v", err)
		}
		// Two steps ahead is outside the skew.
		f.clk.Advance(90 * time.Second)
		far, _ := device.SoftPINCode(sp.Secret, f.clk.Now().Add(60*time.Second))
		wantCode(t, loginWith(far), "otp_invalid")
		// Regenerating: the old secret's codes stop working.
		f.clk.Advance(30 * time.Second)
		sp2, err := f.provision(t, c, dev, p)
		if err != nil || sp2.Secret == sp.Secret {
			t.Fatalf("regenerate: %v", err)
		}
		old, _ := device.SoftPINCode(sp.Secret, f.clk.Now())
		wantCode(t, loginWith(old), "otp_invalid")
		// Payment responses (OCRA) with the new secret.
		q := strings.Repeat("a1", 32)
		resp, err := device.SoftPINResponse(sp2.Secret, q)
		if err != nil || len(resp) != 8 {
			t.Fatalf("SoftPINResponse: %q %v", resp, err)
		}
		if err := f.dev.VerifySoftPINResponse(f.ctx, c.ID, dev.ID, q, resp); err != nil {
			t.Fatalf("VerifySoftPINResponse: %v", err)
		}
		wrong := "00000000"
		if resp == wrong {
			wrong = "00000001"
		}
		wantCode(t, f.dev.VerifySoftPINResponse(f.ctx, c.ID, dev.ID, q, wrong), "soft_pin_invalid")
		wantCode(t, f.dev.VerifySoftPINResponse(f.ctx, c.ID, dev.ID, "xyz", resp), "soft_pin_question_invalid")
		// Failures since the last login: the far code, the old secret's code and the wrong response.
		var failures int
		if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID).Scan(&failures); err != nil || failures != 3 {
			t.Fatalf("failed_attempts %d (%v), want 3", failures, err)
		}
	})
}

func TestWrongSoftPINCodesStopAtTheFailureLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		f.trust(t, c, dev)
		sp, err := f.provision(t, c, dev, p)
		if err != nil {
			t.Fatal(err)
		}
		right, _ := device.SoftPINCode(sp.Secret, f.clk.Now())
		wrong := "000000"
		if right == wrong {
			wrong = "000001"
		}
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 5; i++ {
			_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, wrong)
			if i < 5 {
				wantCode(t, err, "otp_invalid")
			}
		}
		wantCode(t, err, "channel_blocked")
		_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, right)
		if err == nil {
			t.Fatal("right code accepted after the limit")
		}
	})
}

func TestVerifySignature(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		msg := []byte("transfer 1250.00 ALL to AL47...")
		wantCode(t, f.dev.VerifySignature(f.ctx, c.ID, dev.ID, msg, p.sign(t, msg)), "device_not_trusted")
		f.trust(t, c, dev)
		if err := f.dev.VerifySignature(f.ctx, c.ID, dev.ID, msg, p.sign(t, msg)); err != nil {
			t.Fatalf("VerifySignature: %v", err)
		}
		err := f.dev.VerifySignature(f.ctx, c.ID, dev.ID, []byte("transfer 9999.00 ALL"), p.sign(t, msg))
		wantCode(t, err, "signature_invalid")
		if e, _ := kumbara.As(err); e.Kind != kumbara.KindUnauthorized {
			t.Fatalf("kind %d", e.Kind)
		}
		if err := f.dev.Deactivate(f.ctx, c.ID, dev.ID, device.Seen{}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.dev.VerifySignature(f.ctx, c.ID, dev.ID, msg, p.sign(t, msg)), "device_not_found")
		if _, err := f.dev.Get(f.ctx, c.ID, dev.ID); kumbara.CodeOf(err) != "device_not_found" {
			t.Fatalf("deactivated device still listed: %v", err)
		}
	})
}

func TestConcurrentTrustsNeverExceedTwo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		// Only one device can be at the offer at a time, so these are trusted by the ID document.
		issuer := iddoctest.NewIssuer(t)
		f.dev.IDDocs = issuer.Verifier(f.clk)
		chip := issuer.Chip(iddoctest.MRZFor(c))
		var ids []string
		for range 4 {
			ids = append(ids, f.register(t, c, newPhone(t), true).ID)
		}
		errs := make(chan error, len(ids))
		for _, id := range ids {
			go func() {
				_, err := f.dev.Trust(f.ctx, c.ID, id, device.TrustProof{Password: pw, IDDocument: &chip},
					device.Seen{DeviceID: id})
				errs <- err
			}()
		}
		ok, limited := 0, 0
		for range ids {
			switch err := <-errs; kumbara.CodeOf(err) {
			case "trusted_device_limit":
				limited++
			default:
				if err != nil {
					t.Fatalf("Trust: %v", err)
				}
				ok++
			}
		}
		if ok != 2 || limited != 2 {
			t.Fatalf("%d trusted, %d refused", ok, limited)
		}
	})
}

func TestASoftPINCodeLogsInOnceEvenWhenSentTwiceAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, true)
		f.trust(t, c, dev)
		sp, err := f.provision(t, c, dev, p)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := device.SoftPINCode(sp.Secret, f.clk.Now())
		var challenges []string
		for range 2 {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
			if err != nil {
				t.Fatal(err)
			}
			challenges = append(challenges, ch.ID)
		}
		errs := make(chan error, 2)
		for _, ch := range challenges {
			go func() {
				_, _, err := f.auth.VerifyOTP(f.ctx, ch, code)
				errs <- err
			}()
		}
		ok := 0
		for range 2 {
			if err := <-errs; err == nil {
				ok++
			} else if kumbara.CodeOf(err) != "otp_invalid" {
				t.Fatalf("VerifyOTP: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d logins with one Soft PIN code", ok)
		}
	})
}

func TestSmartOTPToggleNeedsATrustedDeviceWithAScreenLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		dev := f.register(t, c, p, false)
		on, off := true, false
		_, err := f.dev.Configure(f.ctx, c.ID, dev.ID, device.Settings{SmartOTP: &on})
		wantCode(t, err, "device_not_trusted")
		f.trust(t, c, dev)
		_, err = f.dev.Configure(f.ctx, c.ID, dev.ID, device.Settings{SmartOTP: &on})
		wantCode(t, err, "screen_lock_required")
		got, err := f.dev.Configure(f.ctx, c.ID, dev.ID, device.Settings{SmartOTP: &on, ScreenLock: &on})
		if err != nil || !got.SmartOTP || !got.ScreenLock {
			t.Fatalf("Configure: %+v %v", got, err)
		}
		// Losing the screen lock turns Smart OTP off, and Smart OTP logins stop.
		if got, err = f.dev.Configure(f.ctx, c.ID, dev.ID, device.Settings{ScreenLock: &off}); err != nil || got.SmartOTP {
			t.Fatalf("Configure: %+v %v", got, err)
		}
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = f.dev.SmartOTP(f.ctx, ch.ID, dev.ID, p.sign(t, []byte(ch.ID)), device.Seen{})
		wantCode(t, err, "otp_invalid")
		_, err = f.dev.Configure(f.ctx, f.person(t).ID, dev.ID, device.Settings{SmartOTP: &off})
		wantCode(t, err, "device_not_found")
	})
}

// Activating biometrics (A3) is confirmed with the password, which counts towards the lockout like any, and the
// device then remembers the customer (A2).
func TestActivatingBiometricsAsksForThePasswordAndRemembersTheCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		p := newPhone(t)
		n := device.NewDevice{Name: "iPhone i Artës", Type: device.IOS, PublicKey: p.public(), ScreenLock: true}

		_, err := f.dev.Register(f.ctx, c.ID, n, device.Seen{})
		wantCode(t, err, "field_required")
		n.Password = "Gabim2026x"
		_, err = f.dev.Register(f.ctx, c.ID, n, device.Seen{})
		wantCode(t, err, "password_wrong")
		var failures int
		if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID).Scan(&failures); err != nil || failures != 1 {
			t.Errorf("failed attempts after a wrong password: %d, %v; want 1", failures, err)
		}
		if list, _ := f.dev.List(f.ctx, c.ID); len(list) != 0 {
			t.Fatalf("%d devices registered without the password", len(list))
		}

		n.Password = pw
		got, err := f.dev.Register(f.ctx, c.ID, n, device.Seen{})
		if err != nil || !got.RememberMe || got.Trusted {
			t.Fatalf("Register = %+v, %v; want an untrusted device that remembers the customer", got, err)
		}
		if again, err := f.dev.Get(f.ctx, c.ID, got.ID); err != nil || !again.RememberMe {
			t.Errorf("Get = %+v, %v; want remember-me on", again, err)
		}
	})
}
