package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// loginOn logs in fully with the client in the context (channel, label, device).
func (f *fixture) loginOn(t testing.TB, c customer.Customer, cl auth.Client) (string, auth.Session) {
	t.Helper()
	f.flush(t)
	ctx := auth.WithClient(f.ctx, cl)
	ch, err := f.auth.LoginBusiness(ctx, c.ClientNumber, c.NIPT, pw1)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	token, sess, err := f.auth.VerifyOTP(ctx, ch.ID, f.deliver(t, c.Mobile, 1))
	if err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
	return token, sess
}

func TestSessionsListsLiveSessionsAndEndsOneAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		apiTok, apiSess := f.loginOn(t, c, auth.Client{Channel: auth.ChannelAPI, Label: "Pixel 8\x00\n", DeviceID: "dev-1"})
		f.clk.Advance(time.Second)
		webTok, webSess := f.loginOn(t, c, auth.Client{Channel: auth.ChannelWeb, Label: strings.Repeat("Mozilla ", 40)})
		f.clk.Advance(time.Second)
		ended, endedSess := f.login(t, c, pw1)
		if err := f.auth.Logout(f.ctx, ended); err != nil {
			t.Fatal(err)
		}
		_, otherSess := f.login(t, other, pw1)

		list, err := f.auth.Sessions(f.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != webSess.ID || list[1].ID != apiSess.ID {
			t.Fatalf("sessions = %+v, want the web then the api session (not the ended one %s)", list, endedSess.ID)
		}
		if list[0].Channel != "web" || list[1].Channel != "api" || list[1].Label != "Pixel 8" ||
			len([]rune(list[0].Label)) > 256 || list[1].Assurance != auth.Full {
			t.Errorf("sessions = %+v", list)
		}

		for _, tc := range []struct{ name, id string }{
			{"another customer's session", otherSess.ID},
			{"an ended session", endedSess.ID},
			{"an unknown id", "0190c0de-0000-7000-8000-000000000000"},
			{"a NUL byte", "a\x00b"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, f.auth.EndSession(f.ctx, webSess, tc.id), kumbara.KindNotFound, "session_not_found")
			})
		}
		// Remembered by the cache a moment ago; ending it takes effect at once all the same.
		if _, err := f.auth.Authenticate(f.ctx, apiTok); err != nil {
			t.Fatal(err)
		}
		if err := f.auth.EndSession(f.ctx, webSess, apiSess.ID); err != nil {
			t.Fatalf("EndSession: %v", err)
		}
		_, err = f.auth.Authenticate(f.ctx, apiTok)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		if _, err := f.auth.Authenticate(f.ctx, webTok); err != nil {
			t.Errorf("the other session ended too: %v", err)
		}

		f.clk.Advance(6 * time.Minute) // idle past the timeout: no longer listed
		if list, _ := f.auth.Sessions(f.ctx, c.ID); len(list) != 0 {
			t.Errorf("idle sessions listed: %+v", list)
		}
	})
}

func TestPartialLoginOnlyOnADeviceWithAFullLoginAndNotForgotten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		on := func(dev string) context.Context { return auth.WithClient(f.ctx, auth.Client{DeviceID: dev}) }
		partial := func(dev, who, pw string) error {
			_, _, err := f.auth.LoginPartial(on(dev), who, pw)
			return err
		}
		wantCode(t, partial("phone-a", c.ClientNumber, pw1), kumbara.KindUnauthorized, "login_failed")
		wantCode(t, partial("", c.ClientNumber, pw1), kumbara.KindUnauthorized, "login_failed")

		f.loginOn(t, c, auth.Client{DeviceID: "phone-a"})
		token, sess, err := f.auth.LoginPartial(on("phone-a"), c.ClientNumber, pw1)
		if err != nil {
			t.Fatalf("partial login after a full one: %v", err)
		}
		if sess.Assurance != auth.Partial {
			t.Errorf("assurance = %s, want partial", sess.Assurance)
		}
		if got, err := f.auth.Authenticate(f.ctx, token); err != nil || got.Assurance != auth.Partial {
			t.Errorf("Authenticate = %+v, %v", got, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM login_challenges WHERE customer_id = ?", c.ID); n != 1 {
			t.Errorf("partial login sent a code: %d challenges", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM partial_login_devices WHERE device_hash = ?", "phone-a"); n != 0 {
			t.Error("the device id is stored in clear")
		}

		for _, tc := range []struct {
			name, dev, who, pw string
		}{
			{"another device", "phone-b", c.ClientNumber, pw1},
			{"another customer on the device", "phone-a", other.ClientNumber, pw1},
			{"a wrong password", "phone-a", c.ClientNumber, pw2},
			{"an overlong device id", strings.Repeat("x", 200), c.ClientNumber, pw1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, partial(tc.dev, tc.who, tc.pw), kumbara.KindUnauthorized, "login_failed")
			})
		}
		f.auth.Unblock(f.ctx, c.ID)

		if err := f.auth.ForgetMe(f.ctx, c.ID, "phone-a"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, partial("phone-a", c.ClientNumber, pw1), kumbara.KindUnauthorized, "login_failed")
		wantCode(t, f.auth.ForgetMe(f.ctx, c.ID, ""), kumbara.KindInvalid, "field_required")

		f.loginOn(t, c, auth.Client{DeviceID: "phone-a"}) // the next full login there brings it back
		if err := partial("phone-a", c.ClientNumber, pw1); err != nil {
			t.Errorf("partial login after the next full login: %v", err)
		}
	})
}

func TestBusinessLogsInWithItsNIPT(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		biz := f.business(t, "Ëmbëlsira Tirana Shpk")
		person := f.person(t, "Arben", "Hoxha")
		for _, tc := range []struct {
			name, who, nipt string
			ok              bool
		}{
			{"the business's NIPT", biz.ClientNumber, biz.NIPT, true},
			{"the NIPT in lower case with spaces", biz.ClientNumber, " " + strings.ToLower(biz.NIPT) + " ", true},
			{"no NIPT", biz.ClientNumber, "", false},
			{"another NIPT", biz.ClientNumber, "L99999999A", false},
			{"not a NIPT", biz.ClientNumber, "12345", false},
			{"an individual with a NIPT", person.ClientNumber, biz.NIPT, false},
			{"an individual without", person.ClientNumber, "", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.flush(t)
				_, err := f.auth.LoginBusiness(f.ctx, tc.who, tc.nipt, pw1)
				if tc.ok && err != nil {
					t.Fatalf("LoginBusiness: %v", err)
				}
				if !tc.ok {
					wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
				}
			})
		}
		// A NIPT that does not fit refuses the login, but it is no guess at the password: it counts for nothing.
		if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", biz.ID); n != 0 {
			t.Errorf("failed attempts = %d, want 0", n)
		}
		// Login without a NIPT is Login: a business cannot use it.
		_, err := f.auth.Login(f.ctx, biz.ClientNumber, pw1)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
	})
}

func TestClosedChannelEndsSessionsAndRefusesLoginUntilReactivated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		token, _ := f.loginOn(t, c, auth.Client{DeviceID: "phone-a"})
		if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		f.flush(t)
		pending, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		code := f.deliver(t, c.Mobile, 1)
		if err := f.auth.CloseChannel(f.ctx, c.ID); err != nil {
			t.Fatalf("CloseChannel: %v", err)
		}
		_, err = f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		_, err = f.auth.Login(f.ctx, c.ClientNumber, pw1)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		_, err = f.auth.Login(f.ctx, c.ClientNumber, pw2) // even a wrong password: nothing to probe
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		_, _, err = f.auth.VerifyOTP(f.ctx, pending.ID, code)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		_, _, err = f.auth.LoginPartial(auth.WithClient(f.ctx, auth.Client{DeviceID: "phone-a"}), c.ClientNumber, pw1)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		_, _, err = f.auth.OpenSession(f.ctx, c.ID, auth.Full)
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		reg, err := f.auth.SendCode(f.ctx, c, auth.PurposeRegistration)
		if err != nil {
			t.Fatal(err)
		}
		regCode := f.deliver(t, c.Mobile, 1)
		err = f.auth.RedeemCode(f.ctx, reg.ID, auth.PurposeRegistration, regCode, func(string) error {
			t.Error("registering again reopened a closed channel")
			return nil
		})
		wantCode(t, err, kumbara.KindForbidden, "channel_closed")
		if blocked, _ := f.auth.Blocked(f.ctx, c.ID); blocked {
			t.Error("a closed channel reads as a lockout")
		}
		wantCode(t, f.auth.CloseChannel(f.ctx, "no-such-customer"), kumbara.KindNotFound, "customer_not_found")

		if err := f.auth.ReactivateChannel(f.ctx, c.ID); err != nil {
			t.Fatalf("ReactivateChannel: %v", err)
		}
		if closed, _ := f.auth.ChannelClosed(f.ctx, c.ID); closed {
			t.Error("still closed")
		}
		f.ctx = auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelWeb}) // first in the internet branch (A16)
		f.login(t, c, pw1)                                                    // the same password
	})
}

func TestPasswordChangeSendsAnAlertAndCodesSayWhatToDo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha") // a first password: no alert
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Fatalf("a first password queued %d messages", n)
		}
		f.clk.Advance(time.Minute)
		if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw1); err != nil {
			t.Fatal(err)
		}
		f.deliver(t, c.Mobile, 1)
		msgs, _ := f.inbox.InboxFor(f.ctx, c.Mobile, 1)
		if !strings.Contains(msgs[0].Body, "Nëse nuk e kërkuat ju, ndryshoni fjalëkalimin") {
			t.Errorf("login code SMS %q does not say what to do if unrequested", msgs[0].Body)
		}

		for _, tc := range []struct {
			name   string
			change func(t *testing.T) error
		}{
			{"staff set a password", func(t *testing.T) error { return f.auth.SetPassword(f.ctx, c.ID, pw2, true) }},
			{"the customer changed it", func(t *testing.T) error {
				_, sess := f.login(t, c, pw2)
				f.flush(t)
				return f.auth.ChangePassword(f.ctx, sess, pw2, pw3)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.clk.Advance(time.Minute)
				if err := tc.change(t); err != nil {
					t.Fatal(err)
				}
				if _, err := f.disp.RunOnce(f.ctx); err != nil {
					t.Fatal(err)
				}
				msgs, _ := f.inbox.InboxFor(f.ctx, c.Mobile, 1)
				if len(msgs) == 0 || !strings.Contains(msgs[0].Body, "fjalëkalimi juaj i bankës dixhitale u ndryshua") {
					t.Errorf("no password-change alert: %+v", msgs)
				}
			})
		}
	})
}
