package access_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestWebRefusesAPartialSession(t *testing.T) {
	b := newBank(t)
	ctx := auth.WithClient(context.Background(), auth.Client{DeviceID: "phone-1"})
	ch, err := b.Auth.Login(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := b.Customers.ByClientNumber(ctx, "100000001")
	msgs, _ := b.Inbox.InboxFor(ctx, c.Mobile, 1)
	if _, _, err := b.Auth.VerifyOTP(ctx, ch.ID, webtest.CodeRe.FindString(msgs[0].Body)); err != nil {
		t.Fatal(err)
	}
	partial, _, err := b.Auth.LoginPartial(ctx, "100000001", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/summary", "/profile/sessions"} {
		if a := webtest.Do(t, b.Bank, "GET", path, partial, false, nil); a.Status != http.StatusSeeOther || a.Location != "/login" {
			t.Errorf("%s with a partial session: %d %s", path, a.Status, a.Location)
		}
	}
}

func TestWebEndingAnotherCustomersSessionIsNotFound(t *testing.T) {
	b := newBank(t)
	elira := webtest.Token(t, b.Bank, "100000002", demo.Password, "+355682000002")
	arben := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	s, err := b.Auth.Authenticate(context.Background(), elira)
	if err != nil {
		t.Fatal(err)
	}
	if a := webtest.Do(t, b.Bank, "POST", "/profile/sessions/"+s.ID+"/end", arben, false, nil); a.Status != http.StatusNotFound {
		t.Errorf("ending another customer's session: %d", a.Status)
	}
	if _, err := b.Auth.Authenticate(context.Background(), elira); err != nil {
		t.Errorf("the other customer's session ended: %v", err)
	}
}

func TestWebBusinessLoginNeedsEveryField(t *testing.T) {
	b := newBank(t)
	if a := webtest.Do(t, b.Bank, "POST", "/login/business", "", false, map[string][]string{"username": {"100000004"},
		"password": {demo.Password}}); a.Status != http.StatusBadRequest {
		t.Errorf("without the NIPT: %d", a.Status)
	}
	if a := webtest.Do(t, b.Bank, "POST", "/login/business", "", false, map[string][]string{"username": {"100000004"},
		"nipt": {demo.BusinessNIPT}, "password": {demo.Password}}); a.Status != http.StatusSeeOther || a.Location != "/login/otp" {
		t.Errorf("with client number, NIPT and password: %d %s", a.Status, a.Location)
	}
}

func TestWebLoginOnAClosedChannelSaysSo(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000003", demo.Password, "+355673000003")
	c, _ := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err := b.Auth.CloseChannel(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	if a := webtest.Do(t, b.Bank, "GET", "/summary", token, false, nil); a.Status != http.StatusSeeOther || a.Location != "/login?m=expired" {
		t.Errorf("a session of a closed channel: %d %s", a.Status, a.Location)
	}
	a := webtest.Do(t, b.Bank, "POST", "/login", "", false, map[string][]string{"username": {"100000003"}, "password": {demo.Password}})
	if want := b.Catalogue.Message("sq", "channel_closed", nil); a.Status != http.StatusForbidden || !strings.Contains(a.Body, want) {
		t.Errorf("login on a closed channel: %d, want 403 with %q", a.Status, want)
	}
}

func TestTheFirstVisitFollowsTheBrowsersLanguageUntilThePersonChooses(t *testing.T) {
	b := newBank(t)
	for _, c := range []struct {
		name, acceptLanguage, chosen, want string
	}{
		{"a browser that says nothing", "", "", "sq"},
		{"an English browser", "en-GB,en;q=0.9", "", "en"},
		{"an Albanian browser", "sq-AL,sq;q=0.9,en;q=0.5", "", "sq"},
		{"a browser in a language the bank does not speak", "de-DE,de;q=0.9", "", "sq"},
		{"an English browser of someone who chose Albanian", "en-GB,en;q=0.9", "sq", "sq"},
		{"an Albanian browser of someone who chose English", "sq", "en", "en"},
	} {
		req, _ := http.NewRequest("GET", b.URL+"/login", nil)
		if c.acceptLanguage != "" {
			req.Header.Set("Accept-Language", c.acceptLanguage)
		}
		if c.chosen != "" {
			req.AddCookie(&http.Cookie{Name: "lang", Value: c.chosen})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `<html lang="`+c.want+`"`) {
			t.Errorf("%s: the login page is not in %q", c.name, c.want)
		}
	}
}
