package activity_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// TestTheActivityPageShowsTheCustomersOwnLoginsAndRefusals: a wrong password and the login after it show on the
// customer's activity, reached from the profile, newest first with the address they came from, a page at a time;
// another customer's failed login does not.
func TestTheActivityPageShowsTheCustomersOwnLoginsAndRefusals(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	for _, client := range []string{"100000001", "100000002"} {
		if _, err := b.Auth.Login(ctx, client, "Gabim-2026x"); err == nil {
			t.Fatal("a wrong password logged in")
		}
	}
	tab := webtest.Tab(t)
	b.LogIn(t, tab, "100000001")
	webtest.Run(t, tab, chromedp.Navigate(b.URL+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-activity")))
	webtest.SubmitAndWait(t, tab, "#profile-activity", "#activity")
	if got := webtest.Text(t, tab, "#activity tbody tr:first-child .au-what"); got != b.Message("audit_login_succeeded") {
		t.Errorf("newest entry %q", got)
	}
	if got := webtest.Text(t, tab, "#activity tbody tr:first-child .au-from"); got != "127.0.0.1" {
		t.Errorf("from %q", got)
	}
	refused := 0
	rows, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#activity tbody tr")].map(r => r.innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.Contains(r, b.Message("audit_login_password_failed")) {
			refused++
			if !strings.Contains(r, b.Message("web_au_refused")) {
				t.Errorf("the wrong password's row %q does not say it was refused", r)
			}
		}
	}
	if refused != 1 {
		t.Errorf("%d wrong passwords shown, want this customer's one: %q", refused, rows)
	}
	webtest.Run(t, tab, chromedp.Navigate(b.URL+"/profile/activity?limit=1"), chromedp.WaitVisible(chromedp.CSS("#activity-more")))
	first := webtest.Text(t, tab, "#activity tbody tr:first-child .au-what")
	webtest.SubmitAndWait(t, tab, "#activity-more", "#activity")
	if second := webtest.Text(t, tab, "#activity tbody tr:first-child .au-what"); second == first {
		t.Errorf("the older page repeats %q", first)
	}
	webtest.Run(t, tab, chromedp.Navigate(b.URL+"/profile/activity?cursor=abc"), chromedp.WaitVisible(chromedp.CSS("#activity-problem")))
}
