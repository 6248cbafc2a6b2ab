package auth_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/password"
)

func TestLoginSendsOneCodeBySMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		for _, tc := range []struct{ name, username string }{
			{"client number", c.ClientNumber},
			{"client number with spaces", c.ClientNumber[:3] + " " + c.ClientNumber[3:]},
			{"national ID", c.NationalID},
			{"national ID in lower case", strings.ToLower(c.NationalID)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				outboxBefore, sentBefore := f.count(t, "SELECT COUNT(*) FROM outbox"), f.sent.Load()
				ch, err := f.auth.Login(f.ctx, tc.username, pw1)
				if err != nil {
					t.Fatalf("Login(%q): %v", tc.username, err)
				}
				if ch.ID == "" || ch.Channel != "sms" || ch.MaskedPhone != kyc.MaskPhone(c.Mobile) ||
					ch.ExpiresIn != 2*time.Minute {
					t.Errorf("challenge = %+v", ch)
				}
				if strings.Contains(ch.MaskedPhone, c.Mobile[4:]) {
					t.Errorf("masked phone %q shows the number %s", ch.MaskedPhone, c.Mobile)
				}
				if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = ?", c.Mobile); n != outboxBefore+1 {
					t.Errorf("%d SMS to the customer in the outbox, want %d", n, outboxBefore+1)
				}
				if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != outboxBefore+1 {
					t.Errorf("outbox grew by %d messages, want 1", n-outboxBefore)
				}
				if got := f.sent.Load() - sentBefore; got != 1 {
					t.Errorf("Sent called %d times, want 1", got)
				}
				code := f.deliver(t, c.Mobile, 1)
				if _, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, code); err != nil {
					t.Errorf("the delivered code does not open the session: %v", err)
				}
			})
		}
	})
}

func TestVerifyOTPOpensAFullSessionThatAuthenticates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		token, sess := f.login(t, c, pw1)
		if len(token) < 22 { // 128 bits of base64
			t.Errorf("token %q is shorter than 128 bits", token)
		}
		if sess.ID == "" || sess.CustomerID != c.ID || sess.Assurance != auth.Full || sess.MustChange ||
			!sess.ExpiresAt.Equal(t0.Add(12*time.Hour)) {
			t.Errorf("session = %+v", sess)
		}
		got, err := f.auth.Authenticate(f.ctx, token)
		if err != nil {
			t.Fatalf("Authenticate: %v", err)
		}
		if got.ID != sess.ID || got.CustomerID != c.ID || got.Assurance != auth.Full || got.MustChange {
			t.Errorf("Authenticate = %+v, want %+v", got, sess)
		}
		other, _ := f.login(t, c, pw1)
		if other == token {
			t.Error("two logins got the same token")
		}
		for _, bad := range []string{"", "x", token + "x", strings.Repeat("a", 129), "\xff\x00"} {
			_, err := f.auth.Authenticate(f.ctx, bad)
			wantCode(t, err, kumbara.KindUnauthorized, "unauthenticated")
		}
	})
}

func TestVerifyOTPRefusesWrongExpiredAndUsedCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		for _, tc := range []struct {
			name string
			try  func(t *testing.T, challengeID, code string) error
			want string
		}{
			{"wrong code", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, id, otherCode(code))
				return err
			}, "otp_invalid"},
			{"code with a digit more", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, id, code+"0")
				return err
			}, "otp_invalid"},
			{"very long code", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, id, strings.Repeat(code, 100))
				return err
			}, "otp_invalid"},
			{"empty code", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, id, "")
				return err
			}, "otp_invalid"},
			{"unknown challenge", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, id+"0", code)
				return err
			}, "otp_invalid"},
			{"challenge id that is not text", func(t *testing.T, id, code string) error {
				_, _, err := f.auth.VerifyOTP(f.ctx, "\xff\x00", code)
				return err
			}, "otp_invalid"},
			{"code a second after it expired", func(t *testing.T, id, code string) error {
				f.clk.Advance(2*time.Minute + time.Second)
				_, _, err := f.auth.VerifyOTP(f.ctx, id, code)
				return err
			}, "otp_expired"},
			{"code used before", func(t *testing.T, id, code string) error {
				if _, _, err := f.auth.VerifyOTP(f.ctx, id, code); err != nil {
					t.Fatalf("first use: %v", err)
				}
				_, _, err := f.auth.VerifyOTP(f.ctx, id, code)
				return err
			}, "otp_used"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
				if err != nil {
					t.Fatalf("Login: %v", err)
				}
				code := f.deliver(t, c.Mobile, 1)
				sessions := f.count(t, "SELECT COUNT(*) FROM sessions")
				err = tc.try(t, ch.ID, code)
				wantCode(t, err, kumbara.KindUnauthorized, tc.want)
				if tc.want == "otp_used" {
					sessions++ // the first use opened one
				}
				if n := f.count(t, "SELECT COUNT(*) FROM sessions"); n != sessions {
					t.Errorf("%d sessions, want %d", n, sessions)
				}
				// Keep the failure count of the channel from piling up across cases.
				if err := f.auth.Unblock(f.ctx, c.ID); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

func TestCodeIsValidForTwoMinutesAndSurvivesAWrongTry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		code := f.deliver(t, c.Mobile, 1)
		_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, otherCode(code))
		wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		f.clk.Advance(2 * time.Minute)
		if _, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, code); err != nil {
			t.Fatalf("right code after one wrong try, at exactly two minutes: %v", err)
		}
	})
}

func TestOTPAttemptLimitRetiresTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		cfg.OTPMaxAttempts, cfg.MaxFailures = 3, 10 // the code's own limit, before the channel's
		f := newFixture(t, d, cfg)
		c := f.person(t, "Arben", "Hoxha")
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		code := f.deliver(t, c.Mobile, 1)
		for i := range 3 {
			_, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, otherCode(code))
			if kumbara.CodeOf(err) != "otp_invalid" {
				t.Fatalf("wrong try %d: %v, want otp_invalid", i+1, err)
			}
		}
		_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, code)
		wantCode(t, err, kumbara.KindUnauthorized, "otp_too_many_attempts")
		if n := f.count(t, "SELECT COUNT(*) FROM sessions"); n != 0 {
			t.Errorf("%d sessions after the code was retired, want 0", n)
		}
		// A new login gets a new code.
		if _, _, err := f.auth.VerifyOTP(f.ctx, mustLogin(t, f, c.ClientNumber), f.deliver(t, c.Mobile, 1)); err != nil {
			t.Errorf("new code after the limit: %v", err)
		}
	})
}

// customerWithoutPassword describes the n-th customer of a fixture, for creating one without credentials.
func customerWithoutPassword(n int) customer.NewIndividual {
	return customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*41), n%2 == 1, n%1000).String(),
		FirstName:  "Besa", LastName: "Kola", Mobile: fmt.Sprintf("+35568%07d", n),
	}
}

func mustLogin(t *testing.T, f *fixture, username string) string {
	t.Helper()
	ch, err := f.auth.Login(f.ctx, username, pw1)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return ch.ID
}

func TestFiveConsecutiveFailuresBlockTheChannelUntilUnblocked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		for _, tc := range []struct {
			name      string
			passwords int // wrong passwords first
			codes     int // then wrong codes of one challenge
		}{
			{"five wrong passwords", 5, 0},
			{"five wrong codes", 0, 5},
			{"wrong passwords then wrong codes", 2, 3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := f.person(t, "Arben", "Hoxha")
				// A challenge opened before the block cannot be completed after it.
				pending := mustLogin(t, f, c.ClientNumber)
				pendingCode := f.deliver(t, c.Mobile, 1)
				var errs []error
				for range tc.passwords {
					_, err := f.auth.Login(f.ctx, c.ClientNumber, "Gabim1234x")
					errs = append(errs, err)
				}
				if tc.codes > 0 {
					ch := mustLogin(t, f, c.ClientNumber)
					code := f.deliver(t, c.Mobile, 1)
					for range tc.codes {
						_, _, err := f.auth.VerifyOTP(f.ctx, ch, otherCode(code))
						errs = append(errs, err)
					}
				}
				for i, err := range errs[:4] {
					if code := kumbara.CodeOf(err); code != "login_failed" && code != "otp_invalid" {
						t.Errorf("failure %d: %v, want login_failed or otp_invalid", i+1, err)
					}
				}
				if tc.codes > 0 {
					// Whoever types the code has passed the password: they may be told.
					wantCode(t, errs[4], kumbara.KindForbidden, "channel_blocked")
				} else {
					// Whoever types a password may be anyone: the blocking failure answers like the others.
					wantCode(t, errs[4], kumbara.KindUnauthorized, "login_failed")
				}
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
					t.Fatalf("Blocked = %v, %v after five failures", blocked, err)
				}
				f.wantBlockedSMS(t, c.Mobile)
				_, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
				wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
				_, _, err = f.auth.VerifyOTP(f.ctx, pending, pendingCode)
				wantCode(t, err, kumbara.KindForbidden, "channel_blocked")
				if n := f.count(t, "SELECT COUNT(*) FROM sessions WHERE customer_id = ?", c.ID); n != 0 {
					t.Errorf("%d sessions of a blocked customer", n)
				}

				if err := f.auth.Unblock(f.ctx, c.ID); err != nil {
					t.Fatalf("Unblock: %v", err)
				}
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || blocked {
					t.Fatalf("Blocked = %v, %v after Unblock", blocked, err)
				}
				token, _ := f.login(t, c, pw1)
				if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
					t.Errorf("session after Unblock: %v", err)
				}
			})
		}
		wantCode(t, f.auth.Unblock(f.ctx, "no-such-customer"), kumbara.KindNotFound, "customer_not_found")
	})
}

func TestSuccessfulLoginResetsTheFailureCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		fail := func(n int) {
			t.Helper()
			for i := range n {
				_, err := f.auth.Login(f.ctx, c.ClientNumber, "Gabim1234x")
				if kumbara.CodeOf(err) != "login_failed" {
					t.Fatalf("wrong password %d: %v, want login_failed", i+1, err)
				}
			}
		}
		fail(4)
		f.login(t, c, pw1)
		fail(4) // would be the 5th to 8th without the reset
		if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || blocked {
			t.Fatalf("Blocked = %v, %v: the successful login did not reset the count", blocked, err)
		}
		f.login(t, c, pw1)
	})
}

func TestUnknownUserAndWrongPasswordGiveTheSameAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		// A customer the bank created but who has no password yet.
		n := int(f.n.Add(1))
		bare, err := f.cs.CreateIndividual(f.ctx, customerWithoutPassword(n))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, username, pw string }{
			{"wrong password", c.ClientNumber, "Gabim1234x"},
			{"wrong password by national ID", c.NationalID, "Gabim1234x"},
			{"empty password", c.ClientNumber, ""},
			{"password of 129 bytes", c.ClientNumber, strings.Repeat("a", 129)},
			{"unknown client number", "999999999", pw1},
			{"unknown national ID", kyc.NewNationalID(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), false, 1).String(), pw1},
			{"neither client number nor national ID", "arben", pw1},
			{"empty username", "", pw1},
			{"username of 65 bytes", strings.Repeat("1", 65), pw1},
			{"username that is not text", "\xff\x00", pw1},
			{"customer without a password", bare.ClientNumber, pw1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.auth.Login(f.ctx, tc.username, tc.pw)
				e, ok := kumbara.As(err)
				if !ok || e.Kind != kumbara.KindUnauthorized || e.Code != "login_failed" || len(e.Fields) != 0 {
					t.Fatalf("Login(%q, %q) = %#v, want a bare login_failed", tc.username, tc.pw, err)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Errorf("%d messages sent for failed logins", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM login_challenges"); n != 0 {
			t.Errorf("%d challenges opened for failed logins", n)
		}
		if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID); n != 3 {
			t.Errorf("the customer's failure count is %d, want the 3 wrong passwords of acceptable length", n)
		}
	})
}

func TestMoreThanChallengesPerHourIsRateLimited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		for i := range auth.DefaultConfig().ChallengesPerHour {
			if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw1); err != nil {
				t.Fatalf("login %d: %v", i+1, err)
			}
			f.clk.Advance(time.Minute)
		}
		_, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		wantCode(t, err, kumbara.KindRateLimited, "rate_limited")
		// The first code leaves the hour 50 minutes from now: that is the wait, not "a little".
		if secs, ok := httpx.RetryAfter(err); !ok || secs != 50*60 {
			t.Errorf("retry after %d s (%v), want 3000", secs, ok)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", c.Mobile); n != 10 {
			t.Errorf("%d SMS sent, want 10", n)
		}
		if _, err := f.auth.Login(f.ctx, other.ClientNumber, pw1); err != nil {
			t.Errorf("another customer is limited too: %v", err)
		}
		f.clk.Advance(50 * time.Minute) // the first code is now an hour old
		if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw1); err != nil {
			t.Errorf("login an hour after the first: %v", err)
		}
		if blocked, _ := f.auth.Blocked(f.ctx, c.ID); blocked {
			t.Error("rate limiting blocked the channel")
		}
	})
}

func TestSessionEndsAfterIdleTimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		token, _ := f.login(t, c, pw1)
		for i, step := range []time.Duration{4*time.Minute + 59*time.Second, 5 * time.Minute, time.Minute} {
			f.clk.Advance(step)
			if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
				t.Fatalf("request %d, %v after the previous one: %v", i+1, step, err)
			}
		}
		f.clk.Advance(5*time.Minute + time.Second)
		_, err := f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		f.clk.Advance(time.Hour) // nor does a later request revive it
		_, err = f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
	})
}

func TestSessionEndsAtItsAbsoluteLifetime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		token, sess := f.login(t, c, pw1)
		for f.clk.Now().Add(4*time.Minute).Compare(sess.ExpiresAt) <= 0 {
			f.clk.Advance(4 * time.Minute)
			if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
				t.Fatalf("active session at %v: %v", f.clk.Now().Sub(t0), err)
			}
		}
		f.clk.Set(sess.ExpiresAt.Add(time.Second))
		_, err := f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		if got := sess.ExpiresAt.Sub(t0); got != 12*time.Hour {
			t.Errorf("lifetime %v, want 12h", got)
		}
	})
}

func TestLogoutEndsOnlyThatSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		phone, _ := f.login(t, c, pw1)
		web, _ := f.login(t, c, pw1)
		if err := f.auth.Logout(f.ctx, phone); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		_, err := f.auth.Authenticate(f.ctx, phone)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		if _, err := f.auth.Authenticate(f.ctx, web); err != nil {
			t.Errorf("the other session ended too: %v", err)
		}
		for _, tok := range []string{phone, "no-such-token", ""} {
			if err := f.auth.Logout(f.ctx, tok); err != nil {
				t.Errorf("Logout(%q) again: %v", tok, err)
			}
		}
	})
}

func TestSetPasswordAppliesThePolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		for _, tc := range []struct{ pw, code string }{
			{"Abc12345", password.CodeDigitRun},
			{"Abc98711", password.CodeDigitRun},
			{"Ab1", password.CodeLength},
			{"Abcdefgh1234567xy", password.CodeLength},
			{"abcdefg1", password.CodeUpperAndLower},
			{"Abcdefgh", password.CodeLettersAndDigits},
			{"Abc 1def", password.CodeForbiddenCharacter},
			{"Arben2468", password.CodePersonalData},
			{"X" + c.ClientNumber + "a", password.CodePersonalData},
			{"Hb" + c.BirthDate.Format("02012006"), password.CodeBirthDate},
			{"Password1", password.CodeCommon},
		} {
			t.Run(tc.pw, func(t *testing.T) {
				err := f.auth.SetPassword(f.ctx, c.ID, tc.pw, false)
				wantCode(t, err, kumbara.KindInvalid, tc.code)
				if kumbara.CodeOf(err) != password.CodePolicy {
					t.Errorf("code %s, want %s with the rule in its fields", kumbara.CodeOf(err), password.CodePolicy)
				}
			})
		}
		// The refused passwords changed nothing.
		f.login(t, c, pw1)
		wantCode(t, f.auth.SetPassword(f.ctx, "no-such-customer", pw2, false), kumbara.KindNotFound, "customer_not_found")
	})
}

func TestSetPasswordRefusesTheLastFivePasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha") // pw1 is the first
		later := []string{"Mali-Tomorr1", "Lumi.Drin22", "Qyteti+Kruje3", "Liqeni/Ohrit4"}
		for _, pw := range later {
			f.clk.Advance(time.Hour)
			f.setPassword(t, c.ID, pw, false)
		}
		for _, pw := range append([]string{pw1}, later...) { // the last five
			f.clk.Advance(time.Hour)
			wantCode(t, f.auth.SetPassword(f.ctx, c.ID, pw, false), kumbara.KindInvalid, password.CodeReused)
		}
		f.clk.Advance(time.Hour)
		f.setPassword(t, c.ID, pw2, false) // pushes pw1 out of the last five
		f.clk.Advance(time.Hour)
		if err := f.auth.SetPassword(f.ctx, c.ID, pw1, false); err != nil {
			t.Errorf("the sixth password back: %v, want it allowed again", err)
		}
		wantCode(t, f.auth.SetPassword(f.ctx, c.ID, later[1], false), kumbara.KindInvalid, password.CodeReused)
		f.login(t, c, pw1)
	})
}

func TestChangePasswordEndsOtherSessionsAndClearsMustChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		f.setPassword(t, c.ID, pw2, true) // set by staff: to be replaced at first login
		current, sess := f.login(t, c, pw2)
		other, otherSess := f.login(t, c, pw2)
		if !sess.MustChange || !otherSess.MustChange {
			t.Fatalf("sessions with a staff-set password: MustChange %v, %v, want true", sess.MustChange, otherSess.MustChange)
		}

		err := f.auth.ChangePassword(f.ctx, sess, "Gabim1234x", pw3)
		wantCode(t, err, kumbara.KindInvalid, "password_wrong")
		err = f.auth.ChangePassword(f.ctx, sess, pw2, pw2)
		wantCode(t, err, kumbara.KindInvalid, password.CodeReused)
		err = f.auth.ChangePassword(f.ctx, sess, pw2, "Abc12345")
		wantCode(t, err, kumbara.KindInvalid, password.CodeDigitRun)
		if _, err := f.auth.Authenticate(f.ctx, other); err != nil {
			t.Fatalf("a refused change ended the other session: %v", err)
		}

		f.clk.Advance(time.Minute)
		if err := f.auth.ChangePassword(f.ctx, sess, pw2, pw3); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		got, err := f.auth.Authenticate(f.ctx, current)
		if err != nil {
			t.Fatalf("the current session ended: %v", err)
		}
		if got.MustChange {
			t.Error("the current session is still restricted to changing the password")
		}
		_, err = f.auth.Authenticate(f.ctx, other)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		if n := f.count(t, "SELECT must_change FROM credentials WHERE customer_id = ?", c.ID); n != 0 {
			t.Errorf("credentials.must_change = %d, want 0", n)
		}
		_, err = f.auth.Login(f.ctx, c.ClientNumber, pw2)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		if _, s := f.login(t, c, pw3); s.MustChange {
			t.Error("a login with the new password must change it")
		}
	})
}

func TestPasswordExpiryRequiresAChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		for _, tc := range []struct {
			name     string
			business bool
			age      time.Duration
			want     bool
		}{
			{"individual after 59 days", false, 59 * 24 * time.Hour, false},
			{"individual after 61 days", false, 61 * 24 * time.Hour, true},
			{"business after 61 days", true, 61 * 24 * time.Hour, false},
			{"business after 89 days", true, 89 * 24 * time.Hour, false},
			{"business after 91 days", true, 91 * 24 * time.Hour, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := f.person(t, "Arben", "Hoxha")
				if tc.business {
					c = f.business(t, "Ëmbëlsira Tirana Shpk")
				}
				f.clk.Advance(tc.age)
				token, sess := f.login(t, c, pw1)
				if sess.MustChange != tc.want {
					t.Errorf("VerifyOTP session MustChange = %v, want %v", sess.MustChange, tc.want)
				}
				got, err := f.auth.Authenticate(f.ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				if got.MustChange != tc.want {
					t.Errorf("Authenticate MustChange = %v, want %v", got.MustChange, tc.want)
				}
				if tc.want {
					f.clk.Advance(time.Minute)
					if err := f.auth.ChangePassword(f.ctx, got, pw1, pw2); err != nil {
						t.Fatalf("ChangePassword: %v", err)
					}
					if _, s := f.login(t, c, pw2); s.MustChange {
						t.Error("MustChange after changing the expired password")
					}
				}
			})
		}
	})
}

func TestNoSecretIsStoredInClear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		code := f.deliver(t, c.Mobile, 1)
		token, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, code)
		if err != nil {
			t.Fatal(err)
		}
		var otpHash, tokenHash, pwHash, outboxBody string
		if err := d.QueryRow(f.ctx, "SELECT otp_hash FROM login_challenges WHERE id = ?", ch.ID).Scan(&otpHash); err != nil {
			t.Fatal(err)
		}
		if otpHash == code || strings.Contains(otpHash, code) || len(otpHash) != 64 {
			t.Errorf("login_challenges.otp_hash %q keeps the code %s", otpHash, code)
		}
		if err := d.QueryRow(f.ctx, "SELECT token_hash FROM sessions WHERE customer_id = ?", c.ID).Scan(&tokenHash); err != nil {
			t.Fatal(err)
		}
		if tokenHash == token || strings.Contains(tokenHash, token) || len(tokenHash) != 64 {
			t.Errorf("sessions.token_hash %q keeps the token", tokenHash)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM sessions WHERE token_hash = ? OR id = ?", token, token); n != 0 {
			t.Error("the token is stored in clear")
		}
		if err := d.QueryRow(f.ctx, "SELECT password_hash FROM credentials WHERE customer_id = ?", c.ID).Scan(&pwHash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(pwHash, "$argon2id$") || strings.Contains(pwHash, pw1) {
			t.Errorf("credentials.password_hash = %q, want an argon2id hash", pwHash)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM password_history WHERE customer_id = ? AND password_hash NOT LIKE '$argon2id$%'", c.ID); n != 0 {
			t.Errorf("%d password_history rows are not argon2id hashes", n)
		}
		if err := d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ?", c.Mobile).Scan(&outboxBody); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(outboxBody, code) {
			t.Errorf("the delivered SMS still holds the code in the outbox: %q", outboxBody)
		}
	})
}

func TestConcurrentLoginsSendNoMoreThanChallengesPerHour(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		const callers = 30
		errs := make([]error, callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				<-start
				username := c.ClientNumber
				if i%3 == 0 {
					username = "999999999" // an unknown user, answered after the same work
				}
				_, errs[i] = f.auth.Login(f.ctx, username, pw1)
			})
		}
		close(start)
		wg.Wait()
		sent, limited := 0, 0
		for i, err := range errs {
			switch code := kumbara.CodeOf(err); {
			case i%3 == 0 && code == "login_failed":
			case i%3 != 0 && err == nil:
				sent++
			case i%3 != 0 && code == "rate_limited":
				limited++
			default:
				t.Errorf("caller %d: %v", i, err)
			}
		}
		limit := auth.DefaultConfig().ChallengesPerHour
		if sent != limit || limited != callers*2/3-limit {
			t.Errorf("%d logins sent a code and %d were rate limited, want %d and %d", sent, limited, limit, callers*2/3-limit)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", c.Mobile); n != sent {
			t.Errorf("%d SMS in the outbox, want %d", n, sent)
		}
	})
}

func TestConcurrentUsesOfOneCodeOpenOneSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		ch := mustLogin(t, f, c.ClientNumber)
		code := f.deliver(t, c.Mobile, 1)
		const callers = 10
		errs := make([]error, callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				<-start
				_, _, errs[i] = f.auth.VerifyOTP(f.ctx, ch, code)
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case kumbara.CodeOf(err) == "otp_used":
			default:
				t.Errorf("caller %d: %v, want success or otp_used", i, err)
			}
		}
		if ok != 1 {
			t.Errorf("%d callers opened a session with one code, want 1", ok)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM sessions WHERE customer_id = ?", c.ID); n != 1 {
			t.Errorf("%d sessions, want 1", n)
		}
	})
}
