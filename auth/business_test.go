package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// company creates a business whose representatives are reps, with its own password pw1; each representative
// has their own password pw2 (person sets pw1; it is changed here so the two cannot be confused).
func (f *fixture) company(t testing.TB, name string, reps ...customer.Customer) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	var ids []string
	for _, r := range reps {
		ids = append(ids, r.ID)
	}
	c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('K', 20000000+n).String(),
		CompanyName: name, Mobile: fmt.Sprintf("+35567%07d", n), Representatives: ids})
	if err != nil {
		t.Fatalf("create business: %v", err)
	}
	f.setPassword(t, c.ID, pw1, false)
	return c
}

// representative creates an individual with their own password pw2.
func (f *fixture) representative(t testing.TB, first, last string) customer.Customer {
	t.Helper()
	p := f.person(t, first, last)
	f.setPassword(t, p.ID, pw2, false)
	f.flush(t) // the password-change alert
	return p
}

// loginFor logs person in to act for biz and returns the session's token and the session.
func (f *fixture) loginFor(t testing.TB, person, biz customer.Customer, pw string) (string, auth.Session) {
	t.Helper()
	f.flush(t)
	ch, err := f.auth.LoginBusiness(f.ctx, person.ClientNumber, biz.NIPT, pw)
	if err != nil {
		t.Fatalf("LoginBusiness as a representative: %v", err)
	}
	token, sess, err := f.auth.VerifyOTP(f.ctx, ch.ID, f.deliver(t, person.Mobile, 1))
	if err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
	return token, sess
}

func TestRepresentativeLogsInToTheBusinessWithTheirOwnPasswordAndPhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p)
		for _, tc := range []struct{ name, username, nipt string }{
			{"own client number", p.ClientNumber, biz.NIPT},
			{"own national ID, NIPT in lower case with spaces", p.NationalID, " " + strings.ToLower(biz.NIPT) + " "},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.flush(t)
				ch, err := f.auth.LoginBusiness(f.ctx, tc.username, tc.nipt, pw2)
				if err != nil {
					t.Fatalf("LoginBusiness: %v", err)
				}
				if ch.MaskedPhone != kyc.MaskPhone(p.Mobile) {
					t.Errorf("code sent to %s, want the representative's %s", ch.MaskedPhone, kyc.MaskPhone(p.Mobile))
				}
				code := f.deliver(t, p.Mobile, 1)
				if msgs, _ := f.inbox.InboxFor(f.ctx, biz.Mobile, 10); len(msgs) != 0 {
					t.Errorf("the business's phone got %d messages, want none", len(msgs))
				}
				token, sess, err := f.auth.VerifyOTP(f.ctx, ch.ID, code)
				if err != nil {
					t.Fatalf("VerifyOTP: %v", err)
				}
				if sess.CustomerID != biz.ID || sess.UserID != p.ID || sess.Authenticator() != p.ID {
					t.Errorf("session = customer %s user %s, want the business %s and the person %s",
						sess.CustomerID, sess.UserID, biz.ID, p.ID)
				}
				got, err := f.auth.Authenticate(f.ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				if got.CustomerID != biz.ID || got.UserID != p.ID || got.Assurance != auth.Full || got.MustChange {
					t.Errorf("Authenticate = %+v, want a full session of the business with the person as its user", got)
				}
			})
		}
		t.Run("the business's own credential still logs in for itself", func(t *testing.T) {
			_, sess := f.login(t, biz, pw1)
			if sess.CustomerID != biz.ID || sess.UserID != "" {
				t.Errorf("session = %+v, want the business acting for itself", sess)
			}
		})
		t.Run("the person without a NIPT logs in for themselves", func(t *testing.T) {
			_, sess := f.login(t, p, pw2)
			if sess.CustomerID != p.ID || sess.UserID != "" {
				t.Errorf("session = %+v, want the person acting for themselves", sess)
			}
		})
		t.Run("a resent code still acts for the business", func(t *testing.T) {
			f.flush(t)
			ch, err := f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw2)
			if err != nil {
				t.Fatal(err)
			}
			f.flush(t)
			again, err := f.auth.Resend(f.ctx, ch.ID)
			if err != nil {
				t.Fatalf("Resend: %v", err)
			}
			_, sess, err := f.auth.VerifyOTP(f.ctx, again.ID, f.deliver(t, p.Mobile, 1))
			if err != nil {
				t.Fatal(err)
			}
			if sess.CustomerID != biz.ID || sess.UserID != p.ID {
				t.Errorf("session after a resent code = %+v, want the business with the person as its user", sess)
			}
		})
	})
}

func TestBusinessUserLoginRefusesEverythingButTheRepresentativesOwnFactors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		stranger := f.representative(t, "Besnik", "Dervishi")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p)
		other := f.company(t, "Peshku i Detit Shpk", stranger)
		for _, tc := range []struct {
			name, username, nipt, pw string
			who                      string // whose client number was typed
			counts                   int    // what the attempt adds to their failures: a NIPT that does not fit, nothing
		}{
			{"a wrong NIPT", p.ClientNumber, other.NIPT, pw2, p.ID, 0},
			{"an unknown NIPT", p.ClientNumber, "L99999999A", pw2, p.ID, 0},
			{"not a NIPT", p.ClientNumber, "12345", pw2, p.ID, 0},
			{"a wrong NIPT and a wrong password", p.ClientNumber, other.NIPT, pw3, p.ID, 0},
			{"a person who is not a representative", stranger.ClientNumber, biz.NIPT, pw2, stranger.ID, 0},
			{"the business's password with a person's client number", p.ClientNumber, biz.NIPT, pw1, p.ID, 1},
			{"the person's password with the business's client number", biz.ClientNumber, biz.NIPT, pw2, biz.ID, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", tc.who)
				_, err := f.auth.LoginBusiness(f.ctx, tc.username, tc.nipt, tc.pw)
				wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
				if got := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", tc.who); got != before+tc.counts {
					t.Errorf("failed_attempts = %d, want %d", got, before+tc.counts)
				}
				if n := f.count(t, "SELECT COUNT(*) FROM login_challenges"); n != 0 {
					t.Errorf("%d codes sent, want none", n)
				}
			})
		}
	})
}

func TestRepresentativesLockoutCountsTheirOwnFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		q := f.representative(t, "Dritan", "Shehu")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p, q)
		_, own := f.loginFor(t, p, biz, pw2) // a session that the block must end
		ownToken, _ := f.login(t, p, pw2)
		bizToken, _ := f.login(t, biz, pw1)
		colleague, _ := f.loginFor(t, q, biz, pw2)

		// A wrong login code, a wrong password typed again and a wrong payment code in the business user's
		// session all count on the person.
		ch, err := f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw2)
		if err != nil {
			t.Fatal(err)
		}
		code := f.deliver(t, p.Mobile, 1)
		_, _, err = f.auth.VerifyOTP(f.ctx, ch.ID, otherCode(code))
		wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		ctx := auth.WithSession(f.ctx, own)
		err = f.auth.CheckPassword(ctx, biz.ID, pw1) // the business's password is not the person's
		wantCode(t, err, kumbara.KindInvalid, "password_wrong")
		if err := f.auth.CheckPassword(ctx, biz.ID, pw2); err != nil {
			t.Fatalf("CheckPassword with the person's own password: %v", err) // resets nothing, counts nothing
		}
		err = f.auth.FailFactor(ctx, biz.ID)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		if got := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", p.ID); got != 3 {
			t.Fatalf("the person's failed_attempts = %d, want 3", got)
		}
		if got := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", biz.ID); got != 0 {
			t.Fatalf("the business's failed_attempts = %d, want 0", got)
		}
		_, err = f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw3)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		// The fifth blocks the person; like the fourth, it tells whoever typed it nothing of that.
		_, err = f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw3)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		if blocked, err := f.auth.Blocked(f.ctx, p.ID); err != nil || !blocked {
			t.Fatalf("the person: Blocked = %v, %v", blocked, err)
		}
		f.wantBlockedSMS(t, p.Mobile)

		_, err = f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw2)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		f.clk.Advance(2 * time.Second) // past the session cache
		for _, tc := range []struct {
			name, token string
			live        bool
		}{
			{"the person's own session", ownToken, false},
			{"the business's own session", bizToken, true},
			{"another representative's session", colleague, true},
		} {
			_, err := f.auth.Authenticate(f.ctx, tc.token)
			if (err == nil) != tc.live {
				t.Errorf("%s: Authenticate error = %v, want live %v", tc.name, err, tc.live)
			}
		}
		f.loginFor(t, q, biz, pw2) // the colleague is not blocked
	})
}

func TestPasswordChangeInABusinessUsersSessionChangesThePersonsPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		q := f.representative(t, "Dritan", "Shehu")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p, q)
		token, sess := f.loginFor(t, p, biz, pw2)
		ownToken, _ := f.login(t, p, pw2)
		bizToken, _ := f.login(t, biz, pw1)
		colleague, _ := f.loginFor(t, q, biz, pw2)

		err := f.auth.ChangePassword(f.ctx, sess, pw1, pw3) // the business's password is not the old one
		wantCode(t, err, kumbara.KindInvalid, "password_wrong")
		if err := f.auth.ChangePassword(f.ctx, sess, pw2, pw3); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
			t.Errorf("the session that changed the password: %v", err)
		}
		for _, tc := range []struct {
			name, token string
			live        bool
		}{
			{"the person's own session", ownToken, false},
			{"the business's own session", bizToken, true},
			{"another representative's session", colleague, true},
		} {
			_, err := f.auth.Authenticate(f.ctx, tc.token)
			if (err == nil) != tc.live {
				t.Errorf("%s: Authenticate error = %v, want live %v", tc.name, err, tc.live)
			}
		}
		// The alert went to the person's phone, not the business's.
		f.flush(t)
		alerts := func(mobile string) int {
			msgs, err := f.inbox.InboxFor(f.ctx, mobile, 50)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range msgs {
				if strings.Contains(m.Body, "u ndryshua") {
					n++
				}
			}
			return n
		}
		if got := alerts(biz.Mobile); got != 0 {
			t.Errorf("the business's phone got %d password alerts, want none", got)
		}
		if got := alerts(p.Mobile); got != 2 { // pw1 → pw2 in representative(), then pw2 → pw3
			t.Errorf("the person's phone got %d password alerts, want 2", got)
		}
		f.loginFor(t, p, biz, pw3)
		f.login(t, p, pw3)
		f.login(t, biz, pw1)
		_, err = f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw2)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
	})
}

func TestBusinessUsersPasswordExpiresAfterNinetyDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		for _, tc := range []struct {
			name           string
			age            time.Duration
			forBiz, forOwn bool // must change, acting for the business / for themselves
		}{
			{"after 59 days", 59 * 24 * time.Hour, false, false},
			{"after 61 days", 61 * 24 * time.Hour, false, true},
			{"after 89 days", 89 * 24 * time.Hour, false, true},
			{"after 91 days", 91 * 24 * time.Hour, true, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := f.representative(t, "Arta", "Leka")
				biz := f.company(t, "Ëmbëlsira Tirana Shpk", p)
				f.clk.Advance(tc.age)
				token, sess := f.loginFor(t, p, biz, pw2)
				if sess.MustChange != tc.forBiz {
					t.Errorf("acting for the business: MustChange = %v, want %v", sess.MustChange, tc.forBiz)
				}
				if got, err := f.auth.Authenticate(f.ctx, token); err != nil || got.MustChange != tc.forBiz {
					t.Errorf("Authenticate = %+v, %v; want MustChange %v", got, err, tc.forBiz)
				}
				if _, own := f.login(t, p, pw2); own.MustChange != tc.forOwn {
					t.Errorf("acting for themselves: MustChange = %v, want %v", own.MustChange, tc.forOwn)
				}
				if tc.forBiz {
					if err := f.auth.ChangePassword(f.ctx, sess, pw2, pw3); err != nil {
						t.Fatalf("ChangePassword: %v", err)
					}
					if _, s := f.loginFor(t, p, biz, pw3); s.MustChange {
						t.Error("MustChange after changing the expired password")
					}
				}
			})
		}
	})
}

func TestClosingAChannelReachesBusinessUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		q := f.representative(t, "Dritan", "Shehu")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p, q)
		pTok, _ := f.loginFor(t, p, biz, pw2)
		qTok, _ := f.loginFor(t, q, biz, pw2)

		// The bank closes the person's channel: their business session ends too, the colleague's stays.
		if err := f.auth.CloseChannel(f.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Authenticate(f.ctx, pTok); err == nil {
			t.Error("the closed person's business session still authenticates")
		}
		if _, err := f.auth.Authenticate(f.ctx, qTok); err != nil {
			t.Errorf("the colleague's session: %v", err)
		}
		_, err := f.auth.LoginBusiness(f.ctx, p.ClientNumber, biz.NIPT, pw2)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")

		// The bank closes the business's channel: every user's session ends and no user gets in.
		if err := f.auth.CloseChannel(f.ctx, biz.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Authenticate(f.ctx, qTok); err == nil {
			t.Error("a user's session outlived the business's closed channel")
		}
		_, err = f.auth.LoginBusiness(f.ctx, q.ClientNumber, biz.NIPT, pw2)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		f.login(t, q, pw2) // the person's own channel is open
	})
}

func TestBusinessUserListsAndEndsOnlyTheirOwnSessionsForTheBusiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		q := f.representative(t, "Dritan", "Shehu")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p, q)
		_, mine := f.loginFor(t, p, biz, pw2)
		_, colleague := f.loginFor(t, q, biz, pw2)
		_, own := f.login(t, biz, pw1)

		ctx := auth.WithSession(f.ctx, mine)
		list, err := f.auth.Sessions(ctx, biz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != mine.ID {
			t.Errorf("the representative sees %+v, want only their own session", list)
		}
		for _, other := range []auth.Session{colleague, own} {
			err := f.auth.EndSession(f.ctx, mine, other.ID)
			wantCode(t, err, kumbara.KindNotFound, "session_not_found")
		}
		// The business acting for itself sees every session acting for it.
		all, err := f.auth.Sessions(auth.WithSession(f.ctx, own), biz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 {
			t.Errorf("the business sees %d sessions, want 3", len(all))
		}
		if err := f.auth.EndSession(f.ctx, mine, mine.ID); err != nil {
			t.Errorf("ending one's own session: %v", err)
		}
	})
}
