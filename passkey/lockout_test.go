package passkey_test

import (
	"crypto/sha256"
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/passkey/passkeytest"
)

func TestConcurrentWrongAssertionsNeverGetPastTheLockout(t *testing.T) {
	const wrong = 20
	challenge := sha256.Sum256([]byte("250.00 EUR|AL35202111090000000001234567|transfer-7"))
	for _, tc := range []struct {
		name string
		// prepare begins a ceremony and has the authenticator answer it (in the test's goroutine: the software
		// authenticator is not safe for concurrent use); the returned finish runs concurrently.
		prepare func(t *testing.T, f *fixture, customerID string, a *passkeytest.Authenticator) func() (string, error)
	}{
		{"login", func(t *testing.T, f *fixture, _ string, a *passkeytest.Authenticator) func() (string, error) {
			opts, id, err := f.pk.BeginLogin(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			resp := a.Get(t, opts)
			return func() (string, error) {
				token, _, err := f.pk.FinishLogin(f.ctx, id, resp)
				return token, err
			}
		}},
		{"payment confirmation", func(t *testing.T, f *fixture, customerID string, a *passkeytest.Authenticator) func() (string, error) {
			opts, id, err := f.pk.BeginConfirmation(f.ctx, customerID, challenge[:])
			if err != nil {
				t.Fatal(err)
			}
			resp := a.Get(t, opts)
			return func() (string, error) {
				return "", f.pk.FinishConfirmation(f.ctx, customerID, id, challenge[:], resp)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				c, sess := f.person(t)
				a, _ := f.register(t, sess, "phone")
				// A right assertion works and gives its place back.
				if _, err := tc.prepare(t, f, c.ID, a)(); err != nil {
					t.Fatalf("right assertion: %v", err)
				}
				if n := f.failures(t, c.ID); n != 0 {
					t.Fatalf("a right assertion left %d failures", n)
				}
				// Wrong assertions name the customer but lack user verification (presence only).
				finish := make([]func() (string, error), wrong+1)
				for i := range finish {
					a.Flags = passkeytest.FlagUP
					if i == wrong/2 {
						a.Flags = passkeytest.FlagUP | passkeytest.FlagUV
					}
					finish[i] = tc.prepare(t, f, c.ID, a)
				}
				a.Flags = passkeytest.FlagUP | passkeytest.FlagUV
				var wg sync.WaitGroup
				errs := make([]error, wrong+1)
				for i := range finish {
					wg.Go(func() { _, errs[i] = finish[i]() })
				}
				wg.Wait()
				// Each wrong assertion checked stays counted, so the count says how many were checked.
				if n := f.failures(t, c.ID); n > 5 {
					t.Errorf("%d failures counted: more than 5 wrong assertions were checked", n)
				}
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
					t.Errorf("Blocked = %v, %v; want the channel blocked", blocked, err)
				}
				for i, err := range errs {
					code := kumbara.CodeOf(err)
					switch {
					case i == wrong/2:
						if err != nil && code != "channel_blocked" {
							t.Errorf("the right assertion: %v, want accepted or channel_blocked", err)
						}
					case code != "passkey_invalid" && code != "channel_blocked":
						t.Errorf("wrong assertion %d: %v, want passkey_invalid or channel_blocked", i, err)
					}
				}
				// Now a right assertion is refused before it is verified.
				_, err := tc.prepare(t, f, c.ID, a)()
				wantCode(t, err, "channel_blocked")
				if n := f.failures(t, c.ID); n > 5 {
					t.Errorf("%d failures counted after the block", n)
				}
			})
		})
	}
}
