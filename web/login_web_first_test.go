package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
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
	resp, err := hc.PostForm(b.url+"/login", url.Values{"username": {client}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/login/otp" {
		t.Fatalf("password step ended at %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	msgs, _ := b.inbox.InboxFor(context.Background(), mobile, 1)
	resp, err = hc.PostForm(b.url+"/login/otp", url.Values{"otp": {codeRe.FindString(msgs[0].Body)}})
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
	c, _ := b.customers.ByClientNumber(ctx, "100000002")
	if err := b.auth.CloseChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.auth.ReactivateChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	app := auth.WithClient(ctx, auth.Client{Channel: auth.ChannelAPI})
	if _, err := b.auth.Login(app, "100000002", demo.Password); err == nil {
		t.Fatal("the app logged in before the internet branch")
	}
	if at := webLogIn(t, b, browserLike(t), "100000002", c.Mobile); at != "/summary" {
		t.Fatalf("web login ended at %s", at)
	}
	if _, err := b.auth.Login(app, "100000002", demo.Password); err != nil {
		t.Errorf("the app after the web login: %v", err)
	}
}
