package auth_test

import (
	"context"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// After the bank reactivates a closed channel (A16) the first login is in the internet branch: every way the app
// logs in answers web_login_required — once the password or other factor is right, and without sending a code —
// until a full web login, after which the app logs in as before.
func TestTheFirstLoginAfterReactivationIsInTheInternetBranch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		app := auth.WithClient(context.Background(), auth.Client{Channel: auth.ChannelAPI, DeviceID: "phone-a"})
		web := auth.WithClient(context.Background(), auth.Client{Channel: auth.ChannelWeb})
		f.ctx = app
		f.login(t, c, pw1) // the phone had a full login: partial login is allowed there
		if err := f.auth.CloseChannel(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.auth.ReactivateChannel(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		webChallenge, err := f.auth.Login(web, c.ClientNumber, pw1) // started on the web, finished by the app
		if err != nil {
			t.Fatalf("web Login: %v", err)
		}
		webCode := f.deliver(t, c.Mobile, 1)
		codes := f.count(t, "SELECT COUNT(*) FROM login_challenges WHERE customer_id = ?", c.ID)

		_, err = f.auth.Login(app, c.ClientNumber, pw2)
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed") // a wrong password learns nothing
		for name, step := range map[string]func() error{
			"password":       func() error { _, err := f.auth.Login(app, c.ClientNumber, pw1); return err },
			"partial login":  func() error { _, _, err := f.auth.LoginPartial(app, c.ClientNumber, pw1); return err },
			"device session": func() error { _, _, err := f.auth.OpenSession(app, c.ID, auth.Full); return err },
			"device code":    func() error { _, err := f.auth.StartCode(app, c.ID); return err },
			"web's code":     func() error { _, _, err := f.auth.VerifyOTP(app, webChallenge.ID, webCode); return err },
			"no client said": func() error { _, err := f.auth.Login(context.Background(), c.ClientNumber, pw1); return err },
		} {
			t.Run(name, func(t *testing.T) { wantCode(t, step(), kumbara.KindForbidden, "web_login_required") })
		}
		if n := f.count(t, "SELECT COUNT(*) FROM login_challenges WHERE customer_id = ?", c.ID); n != codes {
			t.Errorf("%d login codes made for the refused app, want none", n-codes)
		}

		again, err := f.auth.Login(web, c.ClientNumber, pw1)
		if err != nil {
			t.Fatalf("web Login: %v", err)
		}
		if _, _, err := f.auth.VerifyOTP(web, again.ID, f.deliver(t, c.Mobile, 1)); err != nil {
			t.Fatalf("web VerifyOTP: %v", err)
		}
		f.ctx = app
		f.login(t, c, pw1) // the app logs in again
		if _, _, err := f.auth.LoginPartial(app, c.ClientNumber, pw1); err != nil {
			t.Errorf("partial login after the web login: %v", err)
		}
	})
}

// Reactivating a channel that was not closed asks for no web login.
func TestReactivatingAnOpenChannelChangesNoLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		if err := f.auth.ReactivateChannel(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		f.login(t, c, pw1)
	})
}
