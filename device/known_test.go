package device_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
)

// alerts counts the new-device and new-browser alerts the customer received.
func (f *fixture) alerts(t *testing.T, c customer.Customer) (devices, browsers int) {
	t.Helper()
	if _, err := f.disp.RunOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.inbox.InboxFor(f.ctx, c.Mobile, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		switch {
		case strings.Contains(m.Body, "pajisje e re"):
			devices++
		case strings.Contains(m.Body, "shfletues i ri"):
			browsers++
		}
	}
	return devices, browsers
}

// One rule for both faces (A18): a device or browser the customer has logged in from before is known; the first
// full login from a new one is reported once, and a login that names none, every time.
func TestANewDeviceOrBrowserIsReportedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		arta, other := f.person(t), f.person(t)
		steps := []struct {
			name                    string
			who                     customer.Customer
			login                   func(c customer.Customer)
			wantDevices, wantBrowse int // alerts for who so far
		}{
			{"an app's first login", arta, func(c customer.Customer) { f.login(t, c, "app-install-1") }, 1, 0},
			{"the same app again", arta, func(c customer.Customer) { f.login(t, c, "app-install-1") }, 1, 0},
			{"another app", arta, func(c customer.Customer) { f.login(t, c, "app-install-2") }, 2, 0},
			{"no device named", arta, func(c customer.Customer) { f.login(t, c, "") }, 3, 0},
			{"and again", arta, func(c customer.Customer) { f.login(t, c, "") }, 4, 0},
			{"a browser's first login", arta, func(c customer.Customer) { f.browserLogin(t, c, "browser-1") }, 4, 1},
			{"the same browser", arta, func(c customer.Customer) { f.browserLogin(t, c, "browser-1") }, 4, 1},
			{"another customer's known app is new to them", other, func(c customer.Customer) { f.login(t, c, "app-install-1") }, 1, 0},
		}
		for _, st := range steps {
			st.login(st.who)
			if devices, browsers := f.alerts(t, st.who); devices != st.wantDevices || browsers != st.wantBrowse {
				t.Fatalf("after %s: %d device and %d browser alerts, want %d and %d", st.name, devices, browsers,
					st.wantDevices, st.wantBrowse)
			}
		}
		body := f.browserAlert(t, arta)
		for _, want := range []string{"Degën Internet", "shfletues i ri", "Mozilla/5.0", "ndryshoni fjalëkalimin"} {
			if !strings.Contains(body, want) {
				t.Errorf("browser alert %q does not say %q", body, want)
			}
		}
		if codeRE.MatchString(body) {
			t.Errorf("browser alert %q carries something that reads as a code", body)
		}
	})
}

// browserLogin is a full login in the internet branch from the browser whose device cookie holds id.
func (f *fixture) browserLogin(t *testing.T, c customer.Customer, id string) {
	t.Helper()
	if err := f.dev.NoteLogin(f.ctx, c.ID, device.Seen{DeviceID: id, Browser: true,
		Agent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}); err != nil {
		t.Fatalf("NoteLogin: %v", err)
	}
}

// browserAlert is the newest new-browser alert the customer received.
func (f *fixture) browserAlert(t *testing.T, c customer.Customer) string {
	t.Helper()
	msgs, err := f.inbox.InboxFor(f.ctx, c.Mobile, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Body, "shfletues i ri") {
			return m.Body
		}
	}
	t.Fatal("no new-browser alert")
	return ""
}

// A deactivated device is no longer known: a login naming it again is reported (A18).
func TestALoginFromADeactivatedDeviceIsReportedAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		dev := f.register(t, c, newPhone(t), true)
		f.login(t, c, dev.ID)
		if devices, _ := f.alerts(t, c); devices != 0 {
			t.Fatalf("%d alerts for the registered device", devices)
		}
		if err := f.dev.Deactivate(f.ctx, c.ID, dev.ID, device.Seen{}); err != nil {
			t.Fatal(err)
		}
		f.login(t, c, dev.ID)
		if devices, _ := f.alerts(t, c); devices != 1 {
			t.Fatalf("%d alerts for a login from the deactivated device, want 1", devices)
		}
	})
}

// The alerts are written in the customer's language, the time as that language writes it (the fake clock's
// 2026-03-02 08:00 UTC is 09:00 in Tirana; the browser's login comes a few minutes later).
func TestANewDeviceAlertIsInTheCustomersLanguage(t *testing.T) {
	tests := []struct {
		lang            i18n.Lang
		device, browser string
	}{
		{i18n.SQ, "hyrje në bankimin dixhital më 02.03.2026 09:00 nga një pajisje e re",
			"hyrje në Degën Internet më 02.03.2026 09:"},
		{i18n.EN, "new login on 2 Mar 2026 09:00 from a new device", "new internet banking login on 2 Mar 2026 09:"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				c := f.person(t)
				if err := f.cs.SetLanguage(f.ctx, c.ID, tt.lang); err != nil {
					t.Fatal(err)
				}
				c.Language = tt.lang
				f.login(t, c, "app-install-1")
				f.browserLogin(t, c, "browser-1")
				if _, err := f.disp.RunOnce(f.ctx); err != nil {
					t.Fatal(err)
				}
				msgs, err := f.inbox.InboxFor(f.ctx, c.Mobile, 100)
				if err != nil {
					t.Fatal(err)
				}
				var all []string
				for _, m := range msgs {
					all = append(all, m.Body)
				}
				joined := strings.Join(all, "\n")
				for _, w := range []string{tt.device, tt.browser} {
					if !strings.Contains(joined, w) {
						t.Errorf("the alerts lack %q:\n%s", w, joined)
					}
				}
			})
		})
	}
}
