package auth_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/password"
)

// slowHasher makes each password check take a few milliseconds, as argon2id does in production, so concurrent
// guesses overlap.
var slowHasher = password.Hasher{Params: password.Params{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}

// codeOf returns the code of the newest SMS on the customer's phone after delivering the outbox, or "".
func (f *fixture) codeOf(t testing.TB, mobile string) string {
	t.Helper()
	f.flush(t)
	msgs, err := f.inbox.InboxFor(f.ctx, mobile, 1)
	if err != nil {
		t.Fatalf("inbox: %v", err)
	}
	if len(msgs) == 0 {
		return ""
	}
	if m := codePattern.FindStringSubmatch(msgs[0].Body); m != nil {
		return m[1]
	}
	return ""
}

func TestConcurrentWrongPasswordsNeverGetPastTheLockout(t *testing.T) {
	const wrong = 20
	for _, tc := range []struct {
		name  string
		guess func(f *fixture, c customer.Customer, pw string) error
	}{
		{"login", func(f *fixture, c customer.Customer, pw string) error {
			_, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
			return err
		}},
		{"password check before a sensitive step", func(f *fixture, c customer.Customer, pw string) error {
			return f.auth.CheckPassword(f.ctx, c.ID, pw)
		}},
		{"password change", func(f *fixture, c customer.Customer, pw string) error {
			return f.auth.ChangePassword(f.ctx, auth.Session{CustomerID: c.ID}, pw, pw3)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d, auth.DefaultConfig())
				f.auth.Hasher = slowHasher
				c := f.person(t, "Arben", "Hoxha")
				token, _ := f.login(t, c, pw1)
				f.flush(t)
				var wg sync.WaitGroup
				errs := make([]error, wrong+1)
				for i := range wrong + 1 {
					wg.Go(func() {
						pw := "Gabim1234x"
						if i == wrong/2 {
							pw = pw1
						}
						errs[i] = tc.guess(f, c, pw)
					})
				}
				wg.Wait()
				// Each wrong password checked stays counted, so the count says how many were checked.
				if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID); n > 5 {
					t.Errorf("%d failures counted: more than 5 guesses were checked", n)
				}
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
					t.Errorf("Blocked = %v, %v; want the channel blocked", blocked, err)
				}
				for i, err := range errs {
					if i != wrong/2 {
						if e, ok := kumbara.As(err); !ok || (e.Code != "login_failed" && e.Code != "password_wrong" &&
							e.Code != "channel_blocked") {
							t.Errorf("guess %d: %v", i, err)
						}
					}
				}
				// Whatever the right password got, it opens nothing: the channel is blocked.
				if tc.name == "login" && errs[wrong/2] == nil {
					var id string
					if err := f.d.QueryRow(f.ctx, "SELECT id FROM login_challenges WHERE customer_id = ? ORDER BY created_at DESC LIMIT 1",
						c.ID).Scan(&id); err != nil {
						t.Fatal(err)
					}
					if _, _, err := f.auth.VerifyOTP(f.ctx, id, f.codeOf(t, c.Mobile)); err == nil {
						t.Error("the right password's code opened a session on a blocked channel")
					}
				}
				if _, err := f.auth.Authenticate(f.ctx, token); err == nil {
					t.Error("a session outlived the block")
				}
			})
		})
	}
}

func TestConcurrentWrongCodesOnSeveralChallengesNeverGetPastTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		var ids []string
		for range 3 {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ch.ID)
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			for range 5 {
				wg.Go(func() { _, _, _ = f.auth.VerifyOTP(f.ctx, id, "1234567") })
			}
		}
		wg.Wait()
		if n := f.count(t, "SELECT SUM(attempts) FROM login_challenges WHERE customer_id = ?", c.ID); n > 5 {
			t.Errorf("%d wrong codes were checked, want at most 5", n)
		}
		if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
			t.Errorf("Blocked = %v, %v; want blocked", blocked, err)
		}
	})
}

func TestPartialLoginDoesNotResetTheFailureCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		phone := auth.WithClient(f.ctx, auth.Client{DeviceID: "phone-a"})
		f.loginOn(t, c, auth.Client{DeviceID: "phone-a"})
		for range 4 {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, verifyErr(f.auth.VerifyOTP(f.ctx, ch.ID, "1234567")), kumbara.KindUnauthorized, "otp_invalid")
		}
		if _, _, err := f.auth.LoginPartial(phone, c.ClientNumber, pw1); err != nil {
			t.Fatalf("partial login: %v", err)
		}
		if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID); n != 4 {
			t.Fatalf("after a partial login %d failures are counted, want the 4 before it", n)
		}
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, verifyErr(f.auth.VerifyOTP(f.ctx, ch.ID, "1234567")), kumbara.KindForbidden, "channel_blocked")
	})
}

func verifyErr(_ string, _ auth.Session, err error) error { return err }

func TestPasswordReplacementEndsSessionsAndRetiresLoginsInProgress(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace func(f *fixture, c customer.Customer, own auth.Session) error
		keepOwn bool
	}{
		{"registering again", func(f *fixture, c customer.Customer, _ auth.Session) error {
			return f.auth.SetPassword(f.ctx, c.ID, pw2, false)
		}, false},
		{"staff setting a password", func(f *fixture, c customer.Customer, _ auth.Session) error {
			return f.auth.SetPassword(f.ctx, c.ID, pw2, true)
		}, false},
		{"password recovery", func(f *fixture, c customer.Customer, _ auth.Session) error {
			return f.auth.ResetPassword(f.ctx, c.ID, pw2)
		}, false},
		{"password change", func(f *fixture, c customer.Customer, own auth.Session) error {
			return f.auth.ChangePassword(f.ctx, own, pw1, pw2)
		}, true},
		{"password change on a trusted device", func(f *fixture, c customer.Customer, own auth.Session) error {
			return f.auth.ReplacePassword(f.ctx, own, pw2)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d, auth.DefaultConfig())
				c := f.person(t, "Arben", "Hoxha")
				ownToken, own := f.login(t, c, pw1)
				otherToken, _ := f.login(t, c, pw1)
				// Someone with the old password has passed the password step and waits for the code.
				ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
				if err != nil {
					t.Fatal(err)
				}
				code := f.deliver(t, c.Mobile, 1)
				if err := tc.replace(f, c, own); err != nil {
					t.Fatalf("replace: %v", err)
				}
				if _, err := f.auth.Authenticate(f.ctx, otherToken); err == nil {
					t.Error("another session outlived the password change")
				}
				if _, err := f.auth.Authenticate(f.ctx, ownToken); (err == nil) != tc.keepOwn {
					t.Errorf("own session: %v, want kept %v", err, tc.keepOwn)
				}
				if _, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, code); err == nil {
					t.Error("a login started with the old password was completed after the change")
				}
				_, err = f.auth.Resend(f.ctx, ch.ID)
				wantCode(t, err, kumbara.KindUnauthorized, "challenge_not_found")
			})
		})
	}
}

func TestLoginStartedWithTheOldPasswordCannotBeResentAfterAReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.auth.Resend(f.ctx, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		code := f.codeOf(t, c.Mobile)
		if err := f.auth.ResetPassword(f.ctx, c.ID, pw2); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{ch.ID, again.ID} {
			_, err := f.auth.Resend(f.ctx, id)
			wantCode(t, err, kumbara.KindUnauthorized, "challenge_not_found")
		}
		wantCode(t, verifyErr(f.auth.VerifyOTP(f.ctx, again.ID, code)), kumbara.KindUnauthorized, "otp_used")
	})
}

func TestChainedResendsAreRefusedTenMinutesAfterThePasswordStep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		last := ch.ID
		for i := 1; i <= 8; i++ {
			f.clk.Advance(450 * time.Second) // 8 resends over an hour
			next, err := f.auth.Resend(f.ctx, last)
			if time.Duration(i)*450*time.Second <= 10*time.Minute {
				if err != nil {
					t.Fatalf("resend %d: %v", i, err)
				}
				last = next.ID
				continue
			}
			wantCode(t, err, kumbara.KindUnauthorized, "challenge_not_found")
		}
	})
}

func TestBlockAndClosedChannelRetireLoginsInProgress(t *testing.T) {
	for _, tc := range []struct {
		name           string
		refuse, reopen func(f *fixture, c customer.Customer) error
	}{
		{"closed channel", func(f *fixture, c customer.Customer) error { return f.auth.CloseChannel(f.ctx, c.ID) },
			func(f *fixture, c customer.Customer) error { return f.auth.ReactivateChannel(f.ctx, c.ID) }},
		{"block", func(f *fixture, c customer.Customer) error {
			for range 5 {
				_ = f.auth.FailFactor(f.ctx, c.ID)
			}
			return nil
		}, func(f *fixture, c customer.Customer) error { return f.auth.Unblock(f.ctx, c.ID) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d, auth.DefaultConfig())
				c := f.person(t, "Arben", "Hoxha")
				ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
				if err != nil {
					t.Fatal(err)
				}
				code := f.deliver(t, c.Mobile, 1)
				if err := tc.refuse(f, c); err != nil {
					t.Fatal(err)
				}
				if err := tc.reopen(f, c); err != nil {
					t.Fatal(err)
				}
				wantCode(t, verifyErr(f.auth.VerifyOTP(f.ctx, ch.ID, code)), kumbara.KindUnauthorized, "otp_used")
				_, err = f.auth.Resend(f.ctx, ch.ID)
				wantCode(t, err, kumbara.KindUnauthorized, "challenge_not_found")
			})
		})
	}
}

func TestStartCodeRefusesAClosedChannelWithoutSendingAnSMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		if err := f.auth.CloseChannel(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.auth.StartCode(f.ctx, c.ID)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		if n := f.count(t, "SELECT COUNT(*) FROM login_challenges WHERE customer_id = ?", c.ID); n != 0 {
			t.Errorf("%d login codes for a closed channel", n)
		}
		if err := f.auth.ReactivateChannel(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		// The app's code step waits for the first login in the internet branch (A16), then starts again.
		_, err = f.auth.StartCode(f.ctx, c.ID)
		wantCode(t, err, kumbara.KindForbidden, "web_login_required")
		f.ctx = auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelWeb})
		f.login(t, c, pw1)
		if _, err := f.auth.StartCode(auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelAPI}), c.ID); err != nil {
			t.Errorf("StartCode after reactivation and a web login: %v", err)
		}
	})
}

func TestReservedFactorsNeverGetPastTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		// A right factor gives its place back.
		if err := f.auth.ReserveFactor(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.auth.SettleFactor(f.ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID); n != 0 {
			t.Fatalf("a right factor left %d failures", n)
		}
		// 20 concurrent wrong ones: at most 5 are checked, and the channel ends blocked.
		var wg sync.WaitGroup
		var checked atomic.Int64
		for range 20 {
			wg.Go(func() {
				if err := f.auth.ReserveFactor(f.ctx, c.ID); err != nil {
					wantCode(t, err, kumbara.KindForbidden, "channel_blocked")
					return
				}
				checked.Add(1)
				time.Sleep(5 * time.Millisecond) // checking the factor
				_ = f.auth.SettleFactor(f.ctx, c.ID, false)
			})
		}
		wg.Wait()
		if n := checked.Load(); n != 5 {
			t.Errorf("%d wrong factors were checked, want 5", n)
		}
		if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
			t.Errorf("Blocked = %v, %v", blocked, err)
		}
		wantCode(t, f.auth.ReserveFactor(f.ctx, "no-such-customer"), kumbara.KindUnauthorized, "login_failed")
	})
}
