package passkey_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/passkey/passkeytest"
	"github.com/kumbara/kumbara/password"
)

const (
	pw     = "Kumbara2026"
	rpID   = "localhost"
	origin = "http://localhost:8080"
)

type fixture struct {
	ctx  context.Context
	d    *db.DB
	clk  *clock.Fake
	cs   *customer.Service
	auth *auth.Service
	pk   *passkey.Service
	n    atomic.Int64
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	key := []byte("0123456789abcdef0123456789abcdef")
	f.auth = &auth.Service{Texts: i18n.MustNew(), DB: d, Clock: f.clk, Customers: f.cs, Hasher: password.ForTests, Config: auth.DefaultConfig(),
		Key: key}
	pk, err := passkey.New(d, f.clk, f.auth, f.cs, key, passkey.Config{RPID: rpID, Origins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	f.pk = pk
	return f
}

// person creates an individual with a password and a full session.
func (f *fixture) person(t *testing.T) (customer.Customer, auth.Session) {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37), n%2 == 0, n).String(),
		FirstName:  "Arta", LastName: fmt.Sprintf("Kola%c", 'a'+n), Mobile: fmt.Sprintf("+35569%07d", n)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.auth.SetPassword(f.ctx, c.ID, pw, false); err != nil {
		t.Fatal(err)
	}
	_, sess, err := f.auth.OpenSession(f.ctx, c.ID, auth.Full)
	if err != nil {
		t.Fatal(err)
	}
	return c, sess
}

// register adds a software passkey for the session's customer.
func (f *fixture) register(t *testing.T, sess auth.Session, name string) (*passkeytest.Authenticator, passkey.Passkey) {
	t.Helper()
	a := passkeytest.New(t, rpID, origin)
	opts, id, err := f.pk.BeginRegistration(f.ctx, sess, pw)
	if err != nil {
		t.Fatalf("begin registration: %v", err)
	}
	p, err := f.pk.FinishRegistration(f.ctx, sess.CustomerID, id, name, a.Create(t, opts))
	if err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	return a, p
}

func (f *fixture) failures(t *testing.T, customerID string) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", customerID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kumbara.CodeOf(err); got != code {
		t.Fatalf("error %v (code %q), want %q", err, got, code)
	}
}

func TestRegisteredPasskeyLogsInWithAFullSessionAndIsListed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		a, p := f.register(t, sess, "  Laptopi i punës ")
		if p.Name != "Laptopi i punës" {
			t.Fatalf("name %q", p.Name)
		}
		f.clk.Advance(time.Minute)
		opts, id, err := f.pk.BeginLogin(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var o struct {
			UserVerification string `json:"userVerification"`
			Allow            []any  `json:"allowCredentials"`
		}
		if err := json.Unmarshal(opts, &o); err != nil || o.UserVerification != "required" || len(o.Allow) != 0 {
			t.Fatalf("login options %s: %v", opts, err)
		}
		token, s, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if s.CustomerID != c.ID || s.Assurance != auth.Full || token == "" {
			t.Fatalf("session %+v", s)
		}
		if got, err := f.auth.Authenticate(f.ctx, token); err != nil || got.CustomerID != c.ID {
			t.Fatalf("token does not authenticate: %v", err)
		}
		list, err := f.pk.List(f.ctx, c.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("list %v %v", list, err)
		}
		if !list[0].CreatedAt.Equal(p.CreatedAt) || !list[0].LastUsedAt.Equal(f.clk.Now()) || list[0].Name != p.Name {
			t.Fatalf("listed %+v", list[0])
		}
	})
}

func TestAddingAPasskeyNeedsTheRightPasswordInAFullSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		_, _, err := f.pk.BeginRegistration(f.ctx, auth.Session{CustomerID: c.ID, Assurance: auth.Partial}, pw)
		wantCode(t, err, "assurance_insufficient")
		for i := 1; i < 5; i++ {
			_, _, err := f.pk.BeginRegistration(f.ctx, sess, "Wrong2026x")
			wantCode(t, err, "password_wrong")
			if n := f.failures(t, c.ID); n != i {
				t.Fatalf("failures %d, want %d", n, i)
			}
		}
		_, _, err = f.pk.BeginRegistration(f.ctx, sess, "Wrong2026x")
		wantCode(t, err, "channel_blocked")
		_, _, err = f.pk.BeginRegistration(f.ctx, sess, pw)
		wantCode(t, err, "channel_blocked") // the right password does not lift a block
	})
}

func TestCeremoniesExpireAfterFiveMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		a := passkeytest.New(t, rpID, origin)
		opts, id, err := f.pk.BeginRegistration(f.ctx, sess, pw)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(passkey.CeremonyValidity + time.Second)
		_, err = f.pk.FinishRegistration(f.ctx, c.ID, id, "late", a.Create(t, opts))
		wantCode(t, err, "passkey_registration_failed")

		a, _ = f.register(t, sess, "phone")
		opts, id, err = f.pk.BeginLogin(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(passkey.CeremonyValidity - time.Second)
		if _, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts)); err != nil {
			t.Fatalf("within five minutes: %v", err)
		}
		opts, id, _ = f.pk.BeginLogin(f.ctx)
		f.clk.Advance(passkey.CeremonyValidity + time.Second)
		_, _, err = f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "passkey_invalid")
	})
}

func TestACeremonyIsUsedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, sess := f.person(t)
		a, _ := f.register(t, sess, "phone")
		opts, id, err := f.pk.BeginLogin(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		resp := a.Get(t, opts)
		if _, _, err := f.pk.FinishLogin(f.ctx, id, resp); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.pk.FinishLogin(f.ctx, id, resp)
		wantCode(t, err, "passkey_invalid")
		// A fresh signature over the same ceremony is refused too.
		_, _, err = f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "passkey_invalid")
		// And a login ceremony's id does not finish a registration.
		_, err = f.pk.FinishRegistration(f.ctx, sess.CustomerID, id, "x", resp)
		wantCode(t, err, "passkey_registration_failed")
	})
}

func TestAnotherCustomersPasskeyIsNotFoundAndConfirmsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alice, aliceSess := f.person(t)
		bob, bobSess := f.person(t)
		aliceKey, p := f.register(t, aliceSess, "alice")
		f.register(t, bobSess, "bob")
		_, err := f.pk.Get(f.ctx, bob.ID, p.ID)
		wantCode(t, err, "passkey_not_found")
		wantCode(t, f.pk.Remove(f.ctx, bob.ID, p.ID), "passkey_not_found")
		wantCode(t, f.pk.Remove(f.ctx, bob.ID, "nonexistent\x00"), "passkey_not_found")
		if list, _ := f.pk.List(f.ctx, alice.ID); len(list) != 1 {
			t.Fatal("alice's passkey was removed by bob")
		}
		// Bob's confirmation cannot be answered with Alice's passkey.
		challenge := sha256.Sum256([]byte("1000.00 ALL to AL47 ... transfer 1"))
		opts, id, err := f.pk.BeginConfirmation(f.ctx, bob.ID, challenge[:])
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.pk.FinishConfirmation(f.ctx, bob.ID, id, challenge[:], aliceKey.Get(t, opts)), "passkey_invalid")
		// Alice's ceremony cannot be finished as Bob.
		opts, id, _ = f.pk.BeginConfirmation(f.ctx, alice.ID, challenge[:])
		wantCode(t, f.pk.FinishConfirmation(f.ctx, bob.ID, id, challenge[:], aliceKey.Get(t, opts)), "passkey_invalid")
		// Nor can Bob finish Alice's registration ceremony.
		opts, id, _ = f.pk.BeginRegistration(f.ctx, aliceSess, pw)
		_, err = f.pk.FinishRegistration(f.ctx, bob.ID, id, "stolen", passkeytest.New(t, rpID, origin).Create(t, opts))
		wantCode(t, err, "passkey_registration_failed")
	})
}

func TestASignCounterThatGoesBackIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		a, _ := f.register(t, sess, "phone")
		for range 3 {
			opts, id, _ := f.pk.BeginLogin(f.ctx)
			if _, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts)); err != nil {
				t.Fatal(err)
			}
		}
		clone := *a
		clone.Count = 1 // a copy of the key that has signed less often
		opts, id, _ := f.pk.BeginLogin(f.ctx)
		_, _, err := f.pk.FinishLogin(f.ctx, id, clone.Get(t, opts))
		wantCode(t, err, "passkey_invalid")
		if n := f.failures(t, c.ID); n != 1 {
			t.Fatalf("failures %d, want 1", n)
		}
		// The same count again is a regression too.
		a.Count--
		opts, id, _ = f.pk.BeginLogin(f.ctx)
		_, _, err = f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "passkey_invalid")
	})
}

func TestConfirmationIsBoundToItsChallenge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		_, _, err := f.pk.BeginConfirmation(f.ctx, c.ID, make([]byte, 32))
		wantCode(t, err, "passkey_none")
		a, _ := f.register(t, sess, "phone")
		challenge := sha256.Sum256([]byte("250.00 EUR|AL35202111090000000001234567|transfer-7"))
		opts, id, err := f.pk.BeginConfirmation(f.ctx, c.ID, challenge[:])
		if err != nil {
			t.Fatal(err)
		}
		var o struct {
			Challenge        string `json:"challenge"`
			UserVerification string `json:"userVerification"`
			Allow            []struct {
				ID string `json:"id"`
			} `json:"allowCredentials"`
		}
		if err := json.Unmarshal(opts, &o); err != nil {
			t.Fatal(err)
		}
		if o.Challenge != base64.RawURLEncoding.EncodeToString(challenge[:]) || o.UserVerification != "required" || len(o.Allow) != 1 ||
			o.Allow[0].ID != base64.RawURLEncoding.EncodeToString(a.CredID) {
			t.Fatalf("options %s", opts)
		}
		changed := sha256.Sum256([]byte("2500.00 EUR|AL35202111090000000001234567|transfer-7"))
		wantCode(t, f.pk.FinishConfirmation(f.ctx, c.ID, id, changed[:], a.Get(t, opts)), "passkey_invalid")
		if n := f.failures(t, c.ID); n != 1 {
			t.Fatalf("failures %d, want 1", n)
		}
		opts, id, _ = f.pk.BeginConfirmation(f.ctx, c.ID, challenge[:])
		if err := f.pk.FinishConfirmation(f.ctx, c.ID, id, challenge[:], a.Get(t, opts)); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		// The authenticator signing another challenge than the ceremony's is refused too.
		_, id, _ = f.pk.BeginConfirmation(f.ctx, c.ID, challenge[:])
		wantCode(t, f.pk.FinishConfirmation(f.ctx, c.ID, id, challenge[:], a.Sign(t, base64.RawURLEncoding.EncodeToString(changed[:]))), "passkey_invalid")
	})
}

func TestARemovedPasskeyNoLongerLogsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		a, p := f.register(t, sess, "phone")
		if err := f.pk.Remove(f.ctx, c.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		opts, id, _ := f.pk.BeginLogin(f.ctx)
		_, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "passkey_invalid")
		if list, _ := f.pk.List(f.ctx, c.ID); len(list) != 0 {
			t.Fatalf("still listed: %v", list)
		}
	})
}

func TestFailedAssertionsCountTowardsTheLockoutAndABlockHolds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		a, _ := f.register(t, sess, "phone")
		// Without user verification (presence only) the assertion is refused.
		a.Flags = passkeytest.FlagUP
		for i := 1; i < 5; i++ {
			opts, id, _ := f.pk.BeginLogin(f.ctx)
			_, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
			wantCode(t, err, "passkey_invalid")
		}
		opts, id, _ := f.pk.BeginLogin(f.ctx)
		_, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "channel_blocked")
		a.Flags = passkeytest.FlagUP | passkeytest.FlagUV
		opts, id, _ = f.pk.BeginLogin(f.ctx)
		_, _, err = f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
		wantCode(t, err, "channel_blocked")
		if err := f.auth.Unblock(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		opts, id, _ = f.pk.BeginLogin(f.ctx)
		if _, _, err := f.pk.FinishLogin(f.ctx, id, a.Get(t, opts)); err != nil {
			t.Fatalf("after unblock: %v", err)
		}
	})
}

func TestBadInputAnswersPasskeyInvalidAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		f.register(t, sess, "phone")
		for _, tc := range []struct{ name, ceremony, body string }{
			{"unknown ceremony", "00000000-0000-0000-0000-000000000000", `{}`},
			{"nul in ceremony id", "a\x00b", `{}`},
			{"invalid utf-8", "\xff\xfe", `{}`},
			{"garbage body", "", `not json`},
			{"empty object", "", `{}`},
			{"huge body", "", `"` + string(make([]byte, passkey.MaxResponse)) + `"`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				id := tc.ceremony
				if id == "" {
					_, id, _ = f.pk.BeginLogin(f.ctx)
				}
				_, _, err := f.pk.FinishLogin(f.ctx, id, []byte(tc.body))
				wantCode(t, err, "passkey_invalid")
			})
		}
		if n := f.failures(t, c.ID); n != 0 {
			t.Fatalf("failures %d for input naming nobody", n)
		}
		for _, name := range []string{"tab\tin", string(make([]rune, 41))} {
			_, err := passkey.CleanName(name)
			wantCode(t, err, "passkey_name_invalid")
		}
	})
}

func TestAddingAPasskeyTellsTheCustomerBySMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, sess := f.person(t)
		inbox := &outbox.Sandbox{DB: d, Clock: f.clk}
		disp := &outbox.Dispatcher{DB: d, Sender: inbox, Clock: f.clk}
		if _, err := disp.RunOnce(f.ctx); err != nil { // anything from before
			t.Fatal(err)
		}
		// A registration that fails tells nobody anything.
		_, id, err := f.pk.BeginRegistration(f.ctx, sess, pw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.pk.FinishRegistration(f.ctx, sess.CustomerID, id, "x", []byte(`{}`))
		if err == nil {
			t.Fatal("a registration without an attestation was accepted")
		}
		if n, _ := disp.RunOnce(f.ctx); n != 0 {
			t.Fatalf("%d SMS for a failed registration", n)
		}

		f.register(t, sess, "Laptopi 123456")
		if n, err := disp.RunOnce(f.ctx); n != 1 || err != nil {
			t.Fatalf("%d SMS (%v), want the alert", n, err)
		}
		msgs, err := inbox.InboxFor(f.ctx, c.Mobile, 1)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("inbox %v %v", msgs, err)
		}
		body := msgs[0].Body
		// 08:00 UTC on 2 March is 09:00 in Tirana.
		if !strings.Contains(body, "passkey") || !strings.Contains(body, "Laptopi 1234") ||
			!strings.Contains(body, "02.03.2026 09:00") {
			t.Errorf("alert %q", body)
		}
		if regexp.MustCompile(`\d{5}`).MatchString(body) {
			t.Errorf("alert %q carries something that reads as a code", body)
		}
	})
}

func TestABlockedOrClosedChannelRefusesPasskeyLoginAndPaymentConfirmation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, state := range []string{"blocked", "closed"} {
			c, sess := f.person(t)
			a, _ := f.register(t, sess, "phone")
			if state == "blocked" {
				for range auth.DefaultConfig().MaxFailures {
					_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Wrong-pass1")
				}
			} else if err := f.auth.CloseChannel(f.ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			opts, id, err := f.pk.BeginLogin(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = f.pk.FinishLogin(f.ctx, id, a.Get(t, opts))
			wantCode(t, err, "channel_"+state)
			challenge := sha256.Sum256([]byte("transfer 5000 ALL to AL47 " + state))
			opts, id, err = f.pk.BeginConfirmation(f.ctx, c.ID, challenge[:])
			if err != nil {
				t.Fatal(err)
			}
			err = f.pk.FinishConfirmation(f.ctx, c.ID, id, challenge[:], a.Get(t, opts))
			wantCode(t, err, "channel_"+state)
			// Nothing about the passkey was written.
			list, err := f.pk.List(f.ctx, c.ID)
			if err != nil || len(list) != 1 || !list[0].LastUsedAt.IsZero() {
				t.Fatalf("%s channel: passkeys %+v (%v), want one never used", state, list, err)
			}
		}
	})
}
