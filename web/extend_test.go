package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// POST /session/extend keeps a session the page saw activity in: passing the session gate is the use it records.
// A script gets 204, the dialog's form without a script goes back to its page, a session already ended goes to the
// login, and the requests are limited per customer with Retry-After.
func TestExtendingTheSessionKeepsItAndIsLimited(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.Token(t, b, "100000001", demo.Password, "+355691000001")
	extend := func(token string, script bool, form url.Values) webtest.Answer {
		req, _ := http.NewRequest("POST", b.URL+"/session/extend", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if script {
			req.Header.Set("Accept", "application/json")
		}
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return webtest.Answer{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header}
	}

	// Four minutes idle, then the page tells of activity; four more and the session is still there.
	b.Clock.Advance(4 * time.Minute)
	if a := extend(token, true, nil); a.Status != http.StatusNoContent {
		t.Fatalf("extend from the page's script: %d, want 204", a.Status)
	}
	b.Clock.Advance(4 * time.Minute)
	if a := extend(token, false, url.Values{"next": {"/transfers/own?x=1"}}); a.Status != http.StatusSeeOther ||
		a.Location != "/transfers/own?x=1" {
		t.Fatalf("extend from the dialog's form: %d %s, want back to the page", a.Status, a.Location)
	}
	if a := extend(token, false, url.Values{"next": {"https://evil.example/"}}); a.Location != "/" {
		t.Errorf("extend sent the browser to %s", a.Location)
	}
	// The per-customer budget: a few at once, then one every ten seconds.
	var limited webtest.Answer
	for range 10 {
		if a := extend(token, true, nil); a.Status == http.StatusTooManyRequests {
			limited = a
			break
		}
	}
	if limited.Status != http.StatusTooManyRequests || limited.Header.Get("Retry-After") == "" {
		t.Errorf("ten extends at once were never limited with Retry-After: %d %q", limited.Status,
			limited.Header.Get("Retry-After"))
	}
	// Past the limit nothing extends: the session ends, and the page goes to the login.
	b.Clock.Advance(5*time.Minute + time.Second)
	if a := extend(token, false, nil); a.Status != http.StatusSeeOther || a.Location != "/login?m=expired" {
		t.Errorf("extend of an ended session: %d %s, want the login", a.Status, a.Location)
	}
}
