package access_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/web/webtest"
)

// fakePageClock makes the page's Date.now a clock the test moves (the server's is the bank's fake clock), so the
// idle dialog and the end of the session come without waiting five minutes. The page's own script reads the time
// through Date.now at every tick.
func fakePageClock(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.kumbaraOffset = 0;
		Date.now = (now => () => now() + window.kumbaraOffset)(Date.now.bind(Date)); true`)); err != nil {
		t.Fatal(err)
	}
}

// idleFor moves both clocks on: the page's and the server's.
func (b *bank) idleFor(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	b.Clock.Advance(d)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.kumbaraOffset += `+
		strconv.FormatInt(d.Milliseconds(), 10)+`; true`)); err != nil {
		t.Fatal(err)
	}
}

// sessionAlive asks the server, from the page, whether the browser's session still opens a page.
func sessionAlive(t *testing.T, ctx context.Context) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const r = await fetch("/profile", {redirect: "manual"});
		return r.status === 200;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// A minute before the idle limit a dialog asks whether to stay (announced, focus in it); staying keeps the session
// on the server. When the session ends anyway, what the form held comes back after signing in again — never the
// password or the PIN.
func TestBrowserIdleDialogKeepsTheSessionAndAFormOutlivesItsEnd(t *testing.T) {
	b := newBank(t)
	cardOf(t, b, "100000001")
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")

	// The dialog, and "Stay signed in".
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/own"), chromedp.WaitVisible(chromedp.CSS("#own-form")),
		chromedp.SendKeys(chromedp.CSS("#amount"), "1250,50"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Qira e dhjetorit"))
	fakePageClock(t, ctx)
	// Typing is activity: a minute on, the page tells the server, once.
	b.idleFor(t, ctx, time.Minute+time.Second)
	if !webtest.WaitFor(t, ctx, `performance.getEntriesByName(location.origin + "/session/extend").length === 1`) {
		t.Fatal("the page did not tell the server of the typing")
	}
	// Then nothing for four minutes: a minute before the limit, the dialog.
	b.idleFor(t, ctx, 4*time.Minute+time.Second)
	if !webtest.WaitFor(t, ctx, `document.getElementById("idle-dialog").open`) {
		t.Fatal("no dialog a minute before the idle limit")
	}
	webtest.Screenshot(t, ctx, "idle-dialog-sq")
	if got := webtest.Attr(t, ctx, "#idle-dialog", "role"); got != "alertdialog" {
		t.Errorf("the dialog's role is %q, want alertdialog (announced at once)", got)
	}
	if focus, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "idle-stay" {
		t.Errorf("focus on %q, want the dialog's Stay signed in", focus)
	}
	if got := webtest.Text(t, ctx, "#idle-stay"); got != "Qëndro i identifikuar" {
		t.Errorf("the button says %q", got)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#idle-stay")))
	if !webtest.WaitFor(t, ctx, `!document.getElementById("idle-dialog").open`) {
		t.Fatal("the dialog stays open after Stay signed in")
	}
	// Four more minutes: eight since the page told of the typing, which alone would have let the session end, and
	// four since the customer chose to stay.
	b.idleFor(t, ctx, 4*time.Minute)
	if !sessionAlive(t, ctx) {
		t.Fatal("the session ended although the customer chose to stay")
	}
	if got := webtest.Value(t, ctx, "#amount"); got != "1250,50" {
		t.Errorf("the amount is %q after staying", got)
	}

	// The session ends on the password page: what is not secret is kept, and given back after signing in again.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/password"), chromedp.WaitVisible(chromedp.CSS("#card_last6")),
		chromedp.SendKeys(chromedp.CSS("#card_last6"), "123456"),
		chromedp.SendKeys(chromedp.CSS("#card_pin"), "4739"),
		chromedp.SendKeys(chromedp.CSS("#old_password"), "Sekret#Vjeter1"),
		chromedp.SendKeys(chromedp.CSS("#new_password"), "Sekret#IRi2026"),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), "Sekret#IRi2026"))
	fakePageClock(t, ctx)
	b.idleFor(t, ctx, 5*time.Minute+time.Second)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#username")))
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "/login?m=expired") {
		t.Errorf("after the limit the page is %s, want the login saying the session expired", loc)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(sessionStorage)`))
	for _, secret := range []string{"4739", "Sekret#"} {
		if strings.Contains(kept, secret) {
			t.Errorf("the browser kept a secret: %s", kept)
		}
	}
	if !strings.Contains(kept, "123456") {
		t.Errorf("the card's last digits were not kept: %s", kept)
	}

	b.LogIn(t, ctx, "100000001")
	if !webtest.WaitFor(t, ctx, `!document.getElementById("idle-resume").hidden`) {
		t.Fatal("the summary does not offer to go back to the form")
	}
	webtest.SubmitAndWait(t, ctx, "#idle-resume-link", "#password-form")
	if !webtest.WaitFor(t, ctx, `document.getElementById("card_last6").value === "123456"`) {
		t.Errorf("the card's last digits did not come back: %q", webtest.Value(t, ctx, "#card_last6"))
	}
	for _, id := range []string{"#card_pin", "#old_password", "#new_password", "#confirm_password"} {
		if got := webtest.Value(t, ctx, id); got != "" {
			t.Errorf("%s came back as %q", id, got)
		}
	}
	if !webtest.WaitFor(t, ctx, `!document.getElementById("idle-restored").hidden`) {
		t.Error("the page does not say it gave the values back")
	}
	webtest.Screenshot(t, ctx, "idle-restored-sq")
	// Given back once: nothing is left in the browser.
	if kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(sessionStorage)`)); strings.Contains(kept, "kumbara:") {
		t.Errorf("still kept after being given back: %s", kept)
	}
}
