package webtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// CodeRe finds a six-digit code in a message.
var CodeRe = regexp.MustCompile(`\b(\d{6})\b`)

// NoRedirect is a client that lets a test look at each answer of a flow itself.
func NoRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Token logs a customer in through the services (password, then the code from the sandbox inbox) and returns
// the session token the web app keeps in its cookie.
func Token(t *testing.T, b *Bank, client, pw, mobile string) string {
	t.Helper()
	ctx := context.Background()
	ch, err := b.Auth.Login(ctx, client, pw)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.Inbox.InboxFor(ctx, mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", mobile, err)
	}
	token, _, err := b.Auth.VerifyOTP(ctx, ch.ID, CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// Answer is a page's answer to Do.
type Answer struct {
	Status   int
	Location string // Location, or HX-Redirect for htmx requests
	Body     string
	Header   http.Header
}

// Do sends a request to the bank with the session token (if any) as its cookie, the form (if any) as its body,
// as htmx would if htmx is set, and does not follow redirects.
func Do(t *testing.T, b *Bank, method, path, token string, htmx bool, form url.Values) Answer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	if htmx {
		loc = resp.Header.Get("HX-Redirect")
	}
	return Answer{Status: resp.StatusCode, Location: loc, Body: string(raw), Header: resp.Header}
}

// JSONAnswer is a passkey step's answer to PostJSON.
type JSONAnswer struct {
	Status   int
	Location string
	JSON     map[string]any
}

// PostJSON posts a body to a passkey step as passkeys.js does (same origin, JSON unless told otherwise).
func PostJSON(t *testing.T, b *Bank, path, token, contentType, body string) JSONAnswer {
	t.Helper()
	req, _ := http.NewRequest("POST", b.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	}
	resp, err := NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := JSONAnswer{Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a.JSON); err != nil {
			t.Fatalf("%s answered %q: %v", path, raw, err)
		}
	}
	return a
}

// BlockWeb blocks a demo customer's channel with five wrong passwords through the login page.
func BlockWeb(t *testing.T, b *Bank, clientNumber string) {
	t.Helper()
	for range 5 {
		Do(t, b, "POST", "/login", "", false, map[string][]string{"username": {clientNumber}, "password": {"Gabim#48Kq"}})
	}
	c, err := b.Customers.ByClientNumber(context.Background(), clientNumber)
	if err != nil {
		t.Fatal(err)
	}
	if blocked, err := b.Auth.Blocked(context.Background(), c.ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v after five wrong passwords", blocked, err)
	}
}
