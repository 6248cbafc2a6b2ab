package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
)

func TestPagesCarryTheSecurityHeaders(t *testing.T) {
	b := webtest.NewBank(t)
	for _, path := range []string{"/login", "/dev/inbox", "/static/app.js"} {
		req, _ := http.NewRequest("GET", b.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: framing or sniffing headers missing: %v", path, resp.Header)
		}
	}
}

func TestSessionCookieIsHttpOnlyStrictAndAuthenticatedPagesAreNotCached(t *testing.T) {
	b := webtest.NewBank(t)
	resp, err := webtest.NoRedirect().PostForm(b.URL+"/login", url.Values{"username": {"100000001"}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	var jar []*http.Cookie
	jar = append(jar, resp.Cookies()...)
	msgs, err := b.Inbox.InboxFor(t.Context(), "+355691000001", 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS: %v", err)
	}
	code := webtest.CodeRe.FindString(msgs[0].Body)
	req, _ := http.NewRequest("POST", b.URL+"/login/otp", strings.NewReader(url.Values{"otp": {code}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range jar {
		req.AddCookie(c)
	}
	resp, err = webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "kumbara_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" {
		t.Fatalf("session cookie %+v", session)
	}
	req, _ = http.NewRequest("GET", b.URL+"/summary", nil)
	req.AddCookie(session)
	resp, err = webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("summary: status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

func TestACrossSitePostIsRefusedBeforeAnyHandler(t *testing.T) {
	b := webtest.NewBank(t)
	req, _ := http.NewRequest("POST", b.URL+"/login", strings.NewReader("username=100000001&password="+demo.Password))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://attacker.example")
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: status %d", resp.StatusCode)
	}
}

// A browser asking for a page the bank does not have gets a page, in the site's language and with its headers;
// an API client asking for the same path, or anything under /api/, still gets a problem document.
func TestAnUnknownPageIsAPageForBrowsersAndAProblemForTheAPI(t *testing.T) {
	b := webtest.NewBank(t)
	get := func(path, accept string) *http.Response {
		req, _ := http.NewRequest("GET", b.URL+path, nil)
		req.Header.Set("Accept", accept)
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	page := get("/no-such-page", "text/html,application/xhtml+xml")
	body, _ := io.ReadAll(page.Body)
	if page.StatusCode != http.StatusNotFound || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") ||
		page.Header.Get("Content-Security-Policy") == "" || !strings.Contains(string(body), b.Message("not_found")) {
		t.Errorf("browser: %d %q CSP %q, body has the message: %v", page.StatusCode, page.Header.Get("Content-Type"),
			page.Header.Get("Content-Security-Policy"), strings.Contains(string(body), b.Message("not_found")))
	}
	for _, tc := range []struct{ path, accept string }{
		{"/no-such-page", "application/json"},
		{"/api/v1/no-such-route", "text/html"},
	} {
		r := get(tc.path, tc.accept)
		if r.StatusCode != http.StatusNotFound || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s (Accept %s): %d %q, want a 404 problem", tc.path, tc.accept, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
}

func TestTheBankHasAnIconWhereBrowsersLookForIt(t *testing.T) {
	b := webtest.NewBank(t)
	resp, err := webtest.NoRedirect().Get(b.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/static/favicon.svg" {
		t.Fatalf("/favicon.ico: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = http.Get(b.URL + "/static/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	icon, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") ||
		!strings.HasPrefix(string(icon), "<svg") {
		t.Errorf("the icon: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	login, err := http.Get(b.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(login.Body)
	login.Body.Close()
	if !regexp.MustCompile(`<link rel="icon" href="/static/favicon\.[0-9a-f]{16}\.svg"`).Match(page) {
		t.Error("the pages do not name the icon")
	}
}
