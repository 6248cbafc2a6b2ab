package access_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// browserLike is an HTTP client that keeps cookies and follows redirects, as a browser does.
func browserLike(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// webLogIn logs in through the login pages (password, then the SMS code) and reports where it ended.
func webLogIn(t *testing.T, b *bank, hc *http.Client, client, mobile string) string {
	t.Helper()
	resp, err := hc.PostForm(b.URL+"/login", url.Values{"username": {client}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/login/otp" {
		t.Fatalf("password step ended at %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	msgs, _ := b.Inbox.InboxFor(context.Background(), mobile, 1)
	resp, err = hc.PostForm(b.URL+"/login/otp", url.Values{"otp": {webtest.CodeRe.FindString(msgs[0].Body)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Request.URL.Path
}

// After the bank reactivates a closed channel (A16) the internet branch is where the customer logs in first; the
// app may log in after that.
func TestTheInternetBranchIsTheFirstLoginAfterAReactivation(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	c, _ := b.Customers.ByClientNumber(ctx, "100000002")
	if err := b.Auth.CloseChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.ReactivateChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	app := auth.WithClient(ctx, auth.Client{Channel: auth.ChannelAPI})
	if _, err := b.Auth.Login(app, "100000002", demo.Password); err == nil {
		t.Fatal("the app logged in before the internet branch")
	}
	if at := webLogIn(t, b, browserLike(t), "100000002", c.Mobile); at != "/summary" {
		t.Fatalf("web login ended at %s", at)
	}
	if _, err := b.Auth.Login(app, "100000002", demo.Password); err != nil {
		t.Errorf("the app after the web login: %v", err)
	}
}

// browserAlerts counts the new-browser alerts the customer received.
func browserAlerts(t *testing.T, b *bank, mobile string) int {
	t.Helper()
	msgs, err := b.Inbox.InboxFor(context.Background(), mobile, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Body, "shfletues i ri") {
			n++
		}
	}
	return n
}

// The internet branch follows the app's rule for a new device (A18): a browser is named by a long-lived, HttpOnly
// device cookie, and only the first full login from a browser is reported.
func TestANewBrowserIsReportedOnce(t *testing.T) {
	b := newBank(t)
	const mobile = "+355691000001"
	first := browserLike(t)
	for i, tc := range []struct {
		hc   *http.Client
		want int
	}{{first, 1}, {first, 1}, {browserLike(t), 2}, {first, 2}} {
		b.Clock.Advance(7 * time.Minute) // under the 10 SMS codes an hour
		if at := webLogIn(t, b, tc.hc, "100000001", mobile); at != "/summary" {
			t.Fatalf("login %d ended at %s", i+1, at)
		}
		if got := browserAlerts(t, b, mobile); got != tc.want {
			t.Fatalf("after login %d: %d new-browser alerts, want %d", i+1, got, tc.want)
		}
	}
	// The cookie that names the browser: HttpOnly, long-lived, a fresh random value for a browser without one.
	b.Clock.Advance(7 * time.Minute)
	ch, err := b.Auth.Login(context.Background(), "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(context.Background(), mobile, 1)
	req, _ := http.NewRequest("POST", b.URL+"/login/otp",
		strings.NewReader(url.Values{"otp": {webtest.CodeRe.FindString(msgs[0].Body)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "kumbara_login", Value: ch.ID})
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var named *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "kumbara_device" {
			named = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || named == nil || !named.HttpOnly || len(named.Value) != 22 ||
		named.MaxAge < 365*24*60*60 {
		t.Errorf("login answer %d sets the device cookie %+v", resp.StatusCode, named)
	}
}
