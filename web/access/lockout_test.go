package access_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

var problemRe = regexp.MustCompile(`id="problem">([^<]*)<`)

// problemOf is the message a page shows in its problem box, or "".
func problemOf(a webtest.Answer) string {
	m := problemRe.FindStringSubmatch(a.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// loggedInHere makes the test's own address (the browser's and prDo's) one of a demo customer's own, as a full
// login from here does, so that failures from here are not throttled as a stranger's.
func loggedInHere(t *testing.T, b *bank, clientNumber string) {
	t.Helper()
	ctx := auth.WithClient(context.Background(), auth.Client{Channel: auth.ChannelWeb, Address: "127.0.0.1"})
	ch, err := b.Auth.Login(ctx, clientNumber, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Customers.ByClientNumber(ctx, clientNumber)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(ctx, c.Mobile, 1)
	if _, _, err := b.Auth.VerifyOTP(ctx, ch.ID, webtest.CodeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
}

func TestWebLoginAnswersABlockedChannelLikeAWrongPassword(t *testing.T) {
	b := newBank(t)
	loggedInHere(t, b, "100000003") // the customer's own failures: no stranger's, which the throttle would refuse
	webtest.BlockWeb(t, b.Bank, "100000003")
	want := b.Catalogue.Message(i18n.SQ, "login_failed", nil)
	for _, tc := range []struct {
		name, path  string
		form        map[string][]string
		problemOnly bool
	}{
		{"a wrong password", "/login", map[string][]string{"username": {"100000002"}, "password": {"Gabim#48Kq"}}, false},
		{"an unknown user", "/login", map[string][]string{"username": {"199999999"}, "password": {demo.Password}}, false},
		{"a blocked channel and the right password", "/login",
			map[string][]string{"username": {"100000003"}, "password": {demo.Password}}, false},
		{"a blocked channel and a wrong password", "/login",
			map[string][]string{"username": {"100000003"}, "password": {"Gabim#48Kq"}}, false},
		{"a business login with a wrong password", "/login/business", map[string][]string{"username": {"100000002"},
			"nipt": {demo.BusinessNIPT}, "password": {"Gabim#48Kq"}}, true},
		{"a business login of a blocked representative", "/login/business", map[string][]string{
			"username": {"100000003"}, "nipt": {demo.BusinessNIPT}, "password": {demo.Password}}, true},
	} {
		a := webtest.Do(t, b.Bank, "POST", tc.path, "", false, tc.form)
		if a.Status != http.StatusUnauthorized || problemOf(a) != want {
			t.Errorf("%s: %d %q, want %d %q", tc.name, a.Status, problemOf(a), http.StatusUnauthorized, want)
		}
	}
}

func TestWebLoginIsThrottledForAnAddressTheCustomerNeverUsed(t *testing.T) {
	b := newBank(t)
	webtest.BlockWeb(t, b.Bank, "100000001") // from an address Arben never logged in from
	c, _ := b.Customers.ByClientNumber(context.Background(), "100000001")
	if err := b.Auth.Unblock(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	a := webtest.Do(t, b.Bank, "POST", "/login", "", false, map[string][]string{"username": {"100000001"}, "password": {demo.Password}})
	// It says how long to wait, as the limiter knows it, and marks no field: nothing typed was wrong.
	if want := b.Catalogue.Message(i18n.SQ, "login_throttled", map[string]string{"wait": "24 orësh"}); a.Status != http.StatusTooManyRequests ||
		problemOf(a) != want || !strings.Contains(want, "Provoni përsëri pas 24 orësh") {
		t.Fatalf("after a stranger's five failures: %d %q, want %d %q", a.Status, problemOf(a), http.StatusTooManyRequests, want)
	}
	if got := a.Header.Get("Retry-After"); got != "86400" {
		t.Errorf("Retry-After %q, want a day's 86400", got)
	}
	if strings.Contains(a.Body, "aria-invalid") || !strings.Contains(a.Body, `id="username"`) {
		t.Error("the throttled login form marks its fields as wrong, or is not shown")
	}
	var failures int
	if err := b.DB.QueryRow(context.Background(), "SELECT failed_attempts FROM credentials WHERE customer_id = ?",
		c.ID).Scan(&failures); err != nil || failures != 0 {
		t.Errorf("failures = %d, %v; the throttled attempt must not count", failures, err)
	}
}

func TestWebAPartialSessionCannotEndAnotherSession(t *testing.T) {
	b := newBank(t)
	full := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	ctx := auth.WithClient(context.Background(), auth.Client{DeviceID: "phone-1"})
	ch, err := b.Auth.Login(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(ctx, "+355691000001", 1)
	if _, _, err := b.Auth.VerifyOTP(ctx, ch.ID, webtest.CodeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
	partial, _, err := b.Auth.LoginPartial(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Auth.Authenticate(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	if a := webtest.Do(t, b.Bank, "POST", "/profile/sessions/"+s.ID+"/end", partial, false, nil); a.Status != http.StatusSeeOther ||
		a.Location != "/login" {
		t.Errorf("a partial session ending another: %d %s, want the login page", a.Status, a.Location)
	}
	if _, err := b.Auth.Authenticate(context.Background(), full); err != nil {
		t.Errorf("the full session ended: %v", err)
	}
}
