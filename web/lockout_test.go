package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
)

var problemRe = regexp.MustCompile(`id="problem">([^<]*)<`)

// problemOf is the message a page shows in its problem box, or "".
func problemOf(a prAnswer) string {
	m := problemRe.FindStringSubmatch(a.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// blockWeb blocks a demo customer's channel with five wrong passwords through the login page.
func blockWeb(t *testing.T, b *bank, clientNumber string) {
	t.Helper()
	for range 5 {
		prDo(t, b, "POST", "/login", "", false, map[string][]string{"username": {clientNumber}, "password": {"Gabim#48Kq"}})
	}
	c, err := b.customers.ByClientNumber(context.Background(), clientNumber)
	if err != nil {
		t.Fatal(err)
	}
	if blocked, err := b.auth.Blocked(context.Background(), c.ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v after five wrong passwords", blocked, err)
	}
}

// loggedInHere makes the test's own address (the browser's and prDo's) one of a demo customer's own, as a full
// login from here does, so that failures from here are not throttled as a stranger's.
func loggedInHere(t *testing.T, b *bank, clientNumber string) {
	t.Helper()
	ctx := auth.WithClient(context.Background(), auth.Client{Channel: auth.ChannelWeb, Address: "127.0.0.1"})
	ch, err := b.auth.Login(ctx, clientNumber, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.customers.ByClientNumber(ctx, clientNumber)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.inbox.InboxFor(ctx, c.Mobile, 1)
	if _, _, err := b.auth.VerifyOTP(ctx, ch.ID, codeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
}

func TestWebLoginAnswersABlockedChannelLikeAWrongPassword(t *testing.T) {
	b := newBank(t)
	loggedInHere(t, b, "100000003") // the customer's own failures: no stranger's, which the throttle would refuse
	blockWeb(t, b, "100000003")
	want := b.catalogue.Message(i18n.SQ, "login_failed", nil)
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
		a := prDo(t, b, "POST", tc.path, "", false, tc.form)
		if a.status != http.StatusUnauthorized || problemOf(a) != want {
			t.Errorf("%s: %d %q, want %d %q", tc.name, a.status, problemOf(a), http.StatusUnauthorized, want)
		}
	}
}

func TestWebLoginIsThrottledForAnAddressTheCustomerNeverUsed(t *testing.T) {
	b := newBank(t)
	blockWeb(t, b, "100000001") // from an address Arben never logged in from
	c, _ := b.customers.ByClientNumber(context.Background(), "100000001")
	if err := b.auth.Unblock(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	a := prDo(t, b, "POST", "/login", "", false, map[string][]string{"username": {"100000001"}, "password": {demo.Password}})
	if want := b.catalogue.Message(i18n.SQ, "login_throttled", nil); a.status != http.StatusTooManyRequests ||
		problemOf(a) != want {
		t.Fatalf("after a stranger's five failures: %d %q, want %d %q", a.status, problemOf(a), http.StatusTooManyRequests, want)
	}
	var failures int
	if err := b.d.QueryRow(context.Background(), "SELECT failed_attempts FROM credentials WHERE customer_id = ?",
		c.ID).Scan(&failures); err != nil || failures != 0 {
		t.Errorf("failures = %d, %v; the throttled attempt must not count", failures, err)
	}
}

func TestWebAPartialSessionCannotEndAnotherSession(t *testing.T) {
	b := newBank(t)
	full := prToken(t, b, "100000001", demo.Password, "+355691000001")
	ctx := auth.WithClient(context.Background(), auth.Client{DeviceID: "phone-1"})
	ch, err := b.auth.Login(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.inbox.InboxFor(ctx, "+355691000001", 1)
	if _, _, err := b.auth.VerifyOTP(ctx, ch.ID, codeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
	partial, _, err := b.auth.LoginPartial(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.auth.Authenticate(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	if a := prDo(t, b, "POST", "/profile/sessions/"+s.ID+"/end", partial, false, nil); a.status != http.StatusSeeOther ||
		a.location != "/login" {
		t.Errorf("a partial session ending another: %d %s, want the login page", a.status, a.location)
	}
	if _, err := b.auth.Authenticate(context.Background(), full); err != nil {
		t.Errorf("the full session ended: %v", err)
	}
}
