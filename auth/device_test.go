package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestDeviceOfNamesTheBrowserAndPlatformAPersonKnows(t *testing.T) {
	for _, tc := range []struct {
		name, label       string
		browser, platform string
		mobile            bool
	}{
		{"Chrome on Linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
			"Chrome", "Linux", false},
		{"headless Chrome is Chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
			"Chrome", "Linux", false},
		{"Safari on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
			"Safari", "iPhone", true},
		{"Safari on iPad", "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
			"Safari", "iPad", true},
		{"Firefox on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
			"Firefox", "Windows", false},
		{"Edge on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
			"Edge", "Windows", false},
		{"Chrome on Android", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
			"Chrome", "Android", true},
		{"the bank's app on iPhone", "Kumbara/2.3.0 (iOS 17.1; iPhone)", "Kumbara", "iPhone", true},
		{"a program without a platform", "curl/8.4.0", "curl", "", false},
		{"nothing at all", "", "", "", false},
		{"a made-up name is cut", strings.Repeat("x", 300), strings.Repeat("x", 40), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := auth.DeviceOf(tc.label)
			if d.Browser != tc.browser || d.Platform != tc.platform || d.Mobile != tc.mobile {
				t.Errorf("DeviceOf = %+v, want %s on %s (mobile %v)", d, tc.browser, tc.platform, tc.mobile)
			}
		})
	}
}

func TestEndOtherSessionsKeepsOnlyTheCallersAndNeedsAFullSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		appTok, _ := f.loginOn(t, c, auth.Client{Channel: auth.ChannelAPI, Label: "Kumbara/2.3.0 (iOS 17.1; iPhone)", DeviceID: "dev-1"})
		f.clk.Advance(time.Second)
		webTok, webSess := f.loginOn(t, c, auth.Client{Channel: auth.ChannelWeb,
			Label: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"})
		otherTok, _ := f.login(t, other, pw1)

		list, err := f.auth.Sessions(f.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Device.Browser != "Chrome" || list[1].Device.Platform != "iPhone" {
			t.Fatalf("sessions = %+v, want Chrome on Linux, then the app on iPhone", list)
		}

		// A partial (password-only) session may not shut the customer out of the others.
		partialTok, partial, err := f.auth.LoginPartial(auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelAPI,
			DeviceID: "dev-1"}), c.ClientNumber, pw1)
		if err != nil {
			t.Fatalf("LoginPartial: %v", err)
		}
		_, err = f.auth.EndOtherSessions(f.ctx, partial)
		wantCode(t, err, kumbara.KindForbidden, "assurance_insufficient")

		// Remembered by the cache a moment ago; ending them takes effect at once all the same.
		if _, err := f.auth.Authenticate(f.ctx, appTok); err != nil {
			t.Fatal(err)
		}
		n, err := f.auth.EndOtherSessions(f.ctx, webSess)
		if err != nil || n != 2 {
			t.Fatalf("EndOtherSessions = %d, %v; want the app's and the partial session ended", n, err)
		}
		for _, tok := range []string{appTok, partialTok} {
			_, err := f.auth.Authenticate(f.ctx, tok)
			wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		}
		for name, tok := range map[string]string{"the caller's": webTok, "another customer's": otherTok} {
			if _, err := f.auth.Authenticate(f.ctx, tok); err != nil {
				t.Errorf("%s session ended too: %v", name, err)
			}
		}
		if n, err := f.auth.EndOtherSessions(f.ctx, webSess); err != nil || n != 0 {
			t.Errorf("again = %d, %v; want nothing left to end", n, err)
		}
	})
}
