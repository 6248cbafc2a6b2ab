package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
)

func TestWebRefusesAPartialSession(t *testing.T) {
	b := newBank(t)
	ctx := auth.WithClient(context.Background(), auth.Client{DeviceID: "phone-1"})
	ch, err := b.auth.Login(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := b.customers.ByClientNumber(ctx, "100000001")
	msgs, _ := b.inbox.InboxFor(ctx, c.Mobile, 1)
	if _, _, err := b.auth.VerifyOTP(ctx, ch.ID, codeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
	partial, _, err := b.auth.LoginPartial(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/summary", "/profile/sessions"} {
		if a := prDo(t, b, "GET", path, partial, false, nil); a.status != http.StatusSeeOther || a.location != "/login" {
			t.Errorf("%s with a partial session: %d %s", path, a.status, a.location)
		}
	}
}

func TestWebEndingAnotherCustomersSessionIsNotFound(t *testing.T) {
	b := newBank(t)
	elira := prToken(t, b, "100000002", demo.Password, "+355682000002")
	arben := prToken(t, b, "100000001", demo.Password, "+355691000001")
	s, err := b.auth.Authenticate(context.Background(), elira)
	if err != nil {
		t.Fatal(err)
	}
	if a := prDo(t, b, "POST", "/profile/sessions/"+s.ID+"/end", arben, false, nil); a.status != http.StatusNotFound {
		t.Errorf("ending another customer's session: %d", a.status)
	}
	if _, err := b.auth.Authenticate(context.Background(), elira); err != nil {
		t.Errorf("the other customer's session ended: %v", err)
	}
}

func TestWebBusinessLoginNeedsEveryField(t *testing.T) {
	b := newBank(t)
	if a := prDo(t, b, "POST", "/login/business", "", false, map[string][]string{"username": {"100000004"},
		"password": {demo.Password}}); a.status != http.StatusBadRequest {
		t.Errorf("without the NIPT: %d", a.status)
	}
	if a := prDo(t, b, "POST", "/login/business", "", false, map[string][]string{"username": {"100000004"},
		"nipt": {demo.BusinessNIPT}, "password": {demo.Password}}); a.status != http.StatusSeeOther || a.location != "/login/otp" {
		t.Errorf("with client number, NIPT and password: %d %s", a.status, a.location)
	}
}

func TestWebLoginOnAClosedChannelSaysSo(t *testing.T) {
	b := newBank(t)
	token := prToken(t, b, "100000003", demo.Password, "+355673000003")
	c, _ := b.customers.ByClientNumber(context.Background(), "100000003")
	if err := b.auth.CloseChannel(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	if a := prDo(t, b, "GET", "/summary", token, false, nil); a.status != http.StatusSeeOther || a.location != "/login?m=expired" {
		t.Errorf("a session of a closed channel: %d %s", a.status, a.location)
	}
	a := prDo(t, b, "POST", "/login", "", false, map[string][]string{"username": {"100000003"}, "password": {demo.Password}})
	if want := b.catalogue.Message("sq", "channel_closed", nil); a.status != http.StatusForbidden || !strings.Contains(a.body, want) {
		t.Errorf("login on a closed channel: %d, want 403 with %q", a.status, want)
	}
}
