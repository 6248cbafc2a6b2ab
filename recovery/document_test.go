package recovery_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
	"github.com/kumbara/kumbara/identity"
)

// docFixture is the recovery fixture with a test country whose CSCA the bank trusts, and Alice with a history of
// five passwords: oldPW (the oldest), three more, and currentPW.
func docFixture(t *testing.T, d *db.DB) (*fixture, *iddoctest.Issuer) {
	t.Helper()
	f := newFixture(t, d)
	country := iddoctest.NewIssuer(t)
	f.rec.IDDocs = country.Verifier(f.clk)
	for _, pw := range []string{"Fushe-Kruje1", "Liqeni-Ohr2", "Vlore-Deti3", currentPW} {
		f.clk.Advance(time.Hour)
		if err := f.auth.SetPassword(f.ctx, f.alice.ID, pw, false); err != nil {
			t.Fatalf("SetPassword %s: %v", pw, err)
		}
	}
	return f, country
}

const currentPW = "Shkoder-Ura4"

func (f *fixture) docProof(country *iddoctest.Issuer, previous string) identity.Proof {
	return identity.Proof{Document: country.Chip(iddoctest.MRZFor(f.alice)), PreviousPassword: previous}
}

func TestRecoveryWithTheIDDocumentAndAPreviousPasswordEndsInALogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		token, _ := f.login(t, f.alice, currentPW)
		// Any of the last five passwords will do; here the oldest of them.
		f.recover(t, f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, oldPW), newPW)
		if _, err := f.auth.Authenticate(f.ctx, token); kumbara.CodeOf(err) != "session_expired" {
			t.Fatalf("the session from before the recovery: %v, want session_expired", err)
		}
		if _, err := f.auth.Login(f.ctx, f.alice.ClientNumber, currentPW); kumbara.CodeOf(err) != "login_failed" {
			t.Fatalf("Login with the old password: %v, want login_failed", err)
		}
		f.login(t, f.alice, newPW)
	})
}

func TestRecoveryWithTheIDDocumentAnswersWrongDocumentsPasswordsAndCustomersAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		// One more password, so the first one falls out of the last five.
		f.clk.Advance(time.Hour)
		if err := f.auth.SetPassword(f.ctx, f.alice.ID, thirdPW, false); err != nil {
			t.Fatal(err)
		}
		bob := f.person(t)
		if err := f.auth.SetPassword(f.ctx, bob.ID, oldPW, false); err != nil {
			t.Fatal(err)
		}
		bobsCard := country.Chip(iddoctest.MRZFor(bob))
		cases := []struct {
			name     string
			username string
			proof    identity.Proof
		}{
			{"unknown client number", "99999999", f.docProof(country, thirdPW)},
			{"a password older than the last five", f.alice.ClientNumber, f.docProof(country, oldPW)},
			{"a password never used", f.alice.ClientNumber, f.docProof(country, "Nuk-Ishte9")},
			{"someone else's document", f.alice.ClientNumber, identity.Proof{Document: bobsCard, PreviousPassword: thirdPW}},
		}
		if _, err := f.disp.RunOnce(f.ctx); err != nil { // the alerts of the password changes above
			t.Fatal(err)
		}
		var first *kumbara.Error
		for _, tc := range cases {
			_, err := f.start(tc.username, identity.MethodIDDocument, tc.proof)
			e, ok := kumbara.As(err)
			if !ok || e.Code != "recovery_failed" || e.Kind != kumbara.KindUnauthorized {
				t.Fatalf("%s: %v, want recovery_failed", tc.name, err)
			}
			if first == nil {
				first = e
			} else if !reflect.DeepEqual(e, first) {
				t.Errorf("%s: %#v differs from %#v", tc.name, e, first)
			}
		}
		if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
			t.Errorf("%d SMS sent for failed proofs", n)
		}
		// The previous password that is still one of the last five works.
		f.recover(t, f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, "Liqeni-Ohr2"), newPW)
	})
}

func TestWrongPreviousPasswordsWithTheRightDocumentBlockTheChannel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		for i := 0; i < auth.DefaultConfig().MaxFailures; i++ {
			_, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, "Nuk-Ishte9"))
			wantCode(t, err, "recovery_failed")
		}
		if blocked, _ := f.auth.Blocked(f.ctx, f.alice.ID); !blocked {
			t.Fatal("channel not blocked after 5 wrong previous passwords")
		}
		// From now on the document tells nothing about the password: a right one answers as a wrong one.
		_, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, currentPW))
		wantCode(t, err, "recovery_failed")
	})
}

func TestOnABlockedOrClosedChannelTheDocumentAnswersRightAndWrongPasswordsAlike(t *testing.T) {
	for _, state := range []string{"blocked", "closed"} {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			f, country := docFixture(t, d)
			if state == "blocked" {
				for i := 0; i < auth.DefaultConfig().MaxFailures; i++ {
					_, _ = f.auth.Login(f.ctx, f.alice.ClientNumber, "Wrong-pass1")
				}
			} else if err := f.auth.CloseChannel(f.ctx, f.alice.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.disp.RunOnce(f.ctx); err != nil {
				t.Fatal(err)
			}
			var first *kumbara.Error
			// Many more guesses than the lockout allows, the right passwords among them.
			for i, pw := range []string{"Nuk-Ishte9", currentPW, "Nuk-Ishte8", oldPW, "Nuk-Ishte7", "Nuk-Ishte6",
				"Liqeni-Ohr2", "Nuk-Ishte5", currentPW} {
				_, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, pw))
				e, ok := kumbara.As(err)
				if !ok || e.Code != "recovery_failed" {
					t.Fatalf("%s channel, try %d: %v, want recovery_failed", state, i, err)
				}
				if first == nil {
					first = e
				} else if !reflect.DeepEqual(e, first) {
					t.Errorf("%s channel, try %d: %#v differs from %#v", state, i, e, first)
				}
			}
			if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
				t.Errorf("%s channel: %d SMS sent", state, n)
			}
			registered, refused, err := f.auth.Registered(f.ctx, f.alice.ID)
			if err != nil || !registered || kumbara.CodeOf(refused) != "channel_"+state {
				t.Errorf("after the guesses: %v %v %v, want the channel still %s", registered, refused, err, state)
			}
		})
	}
}

func TestADocumentThatFailsVerificationIsRefusedWhoeverItNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		tampered := f.docProof(country, oldPW)
		dg1 := append([]byte(nil), tampered.Document.DataGroups[1]...)
		dg1[len(dg1)-1] ^= 1
		tampered.Document.DataGroups = map[int][]byte{1: dg1}
		foreign := iddoctest.NewIssuer(t) // a country the bank does not trust
		expired := iddoctest.MRZFor(f.alice)
		expired.ExpiryDate = t0.AddDate(0, 0, -1)
		cases := []struct {
			name  string
			proof identity.Proof
			code  string
		}{
			{"a changed data group", tampered, iddoc.CodeInvalid},
			{"an untrusted country", identity.Proof{Document: foreign.Chip(iddoctest.MRZFor(f.alice)), PreviousPassword: oldPW},
				iddoc.CodeInvalid},
			{"an expired document", identity.Proof{Document: country.Chip(expired), PreviousPassword: oldPW}, iddoc.CodeExpired},
		}
		for _, tc := range cases {
			for _, username := range []string{f.alice.ClientNumber, "99999999"} {
				_, err := f.start(username, identity.MethodIDDocument, tc.proof)
				if kumbara.CodeOf(err) != tc.code {
					t.Errorf("%s for %s: %v, want %s", tc.name, username, err, tc.code)
				}
			}
		}
		// A bank without country signing certificates cannot verify documents at all.
		f.rec.IDDocs = nil
		_, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, oldPW))
		wantCode(t, err, iddoc.CodeUnavailable)
	})
}

func TestARecoveryWithTheIDDocumentDoesNotLiftABlock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		st, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, currentPW))
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		code := f.sms(t, f.alice.Mobile)
		// The document's proof is a password anyone holding a copy of the chip may guess at: it is no strong proof.
		f.block(t)
		wantCode(t, f.rec.Complete(f.ctx, st.ID, code, newPW), "channel_blocked")
		_, err = f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, currentPW))
		wantCode(t, err, "recovery_failed")
		if blocked, err := f.auth.Blocked(f.ctx, f.alice.ID); err != nil || !blocked {
			t.Fatalf("Blocked = %v, %v", blocked, err)
		}
	})
}
