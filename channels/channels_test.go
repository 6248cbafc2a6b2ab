package channels_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/channels"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/web/webtest"
)

// What crosses from one face to another: the web tests serve the pages alone (channels/pages), so what the API and
// the pages share is tested here, on the three faces serve builds.

// newBank serves a demo bank with every face, as `kumbara serve --demo` does.
func newBank(t *testing.T) *webtest.Bank {
	t.Helper()
	return webtest.NewBankServing(t, func(b *app.Bank) (webtest.Faces, error) {
		c, err := channels.New(b, channels.Options{Demo: true})
		if err != nil {
			return webtest.Faces{}, err
		}
		return webtest.Faces{Handler: c.Handler, Web: c.Web, BackOffice: c.BackOffice}, nil
	})
}

// TestTheLoginBudgetIsSharedWithTheAPI: before, each face kept its own bucket, so an attacker had twice the
// attempts by using both. Now a login over the API and one on the web page spend the same budget per address.
func TestTheLoginBudgetIsSharedWithTheAPI(t *testing.T) {
	b := newBank(t)
	limited := false
	// An unknown client number: every attempt is a refused login and none counts towards anyone's lockout.
	for i := 0; i < 101 && !limited; i++ {
		resp, err := http.Post(b.URL+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"username":"199999999","password":"Wrong#48Kq"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The budget's refusal, not the login throttle's (login_throttled), which refuses an address after a few
		// failures against one user but spends the same budget on the way.
		limited = resp.StatusCode == http.StatusTooManyRequests && strings.Contains(string(body), `"rate_limited"`)
	}
	if !limited {
		t.Fatal("101 API logins from one address were never limited")
	}
	a := webtest.Do(t, b, "POST", "/login", "", false, url.Values{"username": {"100000001"}, "password": {"Kumbara2026"}})
	if a.Status != http.StatusTooManyRequests || !strings.Contains(a.Body, "Provoni përsëri pas 1 sekonde.") ||
		!strings.Contains(a.Body, `id="username"`) {
		t.Errorf("the web login after the API spent the budget: %d, want 429 on the login form saying how long to wait", a.Status)
	}
	if a.Header.Get("Retry-After") != "1" || strings.Contains(a.Body, "aria-invalid") {
		t.Errorf("Retry-After %q; the limited form must not mark its fields as wrong", a.Header.Get("Retry-After"))
	}
	// The code step keeps a budget of its own.
	if a := webtest.Do(t, b, "POST", "/login/otp", "", false, url.Values{"otp": {"123456"}}); a.Status == http.StatusTooManyRequests {
		t.Errorf("the code step was limited by the login's budget")
	}
}

// apiGet is GET path of the API with a session's bearer token, decoded into out.
func apiGet(t *testing.T, b *webtest.Bank, path, token string, out any) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
}

// firstHeading is the text of a terms document's first h2, enough to tell one document from another.
func firstHeading(t *testing.T, html string) string {
	t.Helper()
	i := strings.Index(html, "<h2>")
	j := strings.Index(html, "</h2>")
	if i < 0 || j < i {
		t.Fatalf("document without a heading: %.80q", html)
	}
	return html[i+len("<h2>") : j]
}

// The app opens the url GET /api/v1/terms gives it in a browser: the internet branch must serve it, to anyone,
// with the same version's text, for an individual's terms and a business's.
func TestTheTermsAddressTheAPIGivesIsAPageOfTheWebApp(t *testing.T) {
	b := newBank(t)
	bg := context.Background()
	individual := webtest.Token(t, b, "100000001", demo.Password, "+355691000001")
	ch, err := b.Auth.LoginBusiness(bg, "100000004", demo.BusinessNIPT, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(bg, "+355694000004", 1)
	business, _, err := b.Auth.VerifyOTP(bg, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, token string
		doc         terms.Doc
	}{{"individual", individual, terms.Individual}, {"business", business, terms.Business}} {
		t.Run(tt.name, func(t *testing.T) {
			var got struct{ Version, Document, URL, Text string }
			apiGet(t, b, "/api/v1/terms", tt.token, &got)
			if got.Document != string(tt.doc) || got.Version != terms.Current || got.URL != terms.Page(tt.doc) {
				t.Fatalf("API gives %s %s at %q", got.Document, got.Version, got.URL)
			}
			// Opened as a browser would: no session, asking for HTML.
			req, _ := http.NewRequest("GET", b.URL+got.URL, nil)
			req.Header.Set("Accept", "text/html")
			resp, err := webtest.NoRedirect().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", got.URL, resp.StatusCode)
			}
			if !strings.Contains(string(page), firstHeading(t, got.Text)) || !strings.Contains(string(page), got.Version) ||
				!strings.Contains(string(page), `data-doc="`+got.Document+`"`) {
				t.Errorf("%s does not show the %s terms of version %s", got.URL, got.Document, got.Version)
			}
		})
	}
}

// A17: one set of credentials for the app and the internet branch. A password changed in the web is the one the
// app's API logs in with, and the old one stops working in both.
func TestAPasswordChangedInTheWebIsTheOneTheAppLogsInWith(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b, "100000003", demo.Password, "+355673000003")
	const fresh = "Qershor-2027x"
	a := webtest.Do(t, b, "POST", "/profile/password", token, false, map[string][]string{"old_password": {demo.Password},
		"new_password": {fresh}, "confirm_password": {fresh}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("web password change: %d %s", a.Status, a.Body)
	}
	login := func(pw string) int {
		req, _ := http.NewRequest("POST", b.URL+"/api/v1/auth/login",
			strings.NewReader(`{"username":"100000003","password":"`+pw+`"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := login(fresh); got != http.StatusOK {
		t.Errorf("the app's login with the password set in the web: %d, want 200", got)
	}
	if got := login(demo.Password); got != http.StatusUnauthorized {
		t.Errorf("the app's login with the old password: %d, want 401", got)
	}
	if a := webtest.Do(t, b, "POST", "/login", "", false, map[string][]string{"username": {"100000003"},
		"password": {demo.Password}}); a.Status == http.StatusSeeOther {
		t.Errorf("the web still accepts the old password")
	}
}

// availableOnPage finds each account's available balance (minor units) on the summary page.
var availableOnPage = regexp.MustCompile(`(?s)data-account-id="([^"]+)".*?data-balance-available="(-?\d+)"`)

// The summary page and the mobile app's API give a customer the same available balances.
func TestTheSummaryPageAndTheAPIGiveTheSameBalances(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b, "100000001", demo.Password, "+355691000001")
	a := webtest.Do(t, b, "GET", "/summary", token, false, nil)
	if a.Status != http.StatusOK {
		t.Fatalf("/summary: %d", a.Status)
	}
	page := map[string]string{}
	for _, m := range availableOnPage.FindAllStringSubmatch(a.Body, -1) {
		minor, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		page[m[1]] = money.FormatMinor(minor, 2)
	}
	var fromAPI struct {
		Accounts []struct {
			ID      string `json:"id"`
			Balance struct{ Available string }
		} `json:"accounts"`
	}
	apiGet(t, b, "/api/v1/accounts", token, &fromAPI)
	if len(fromAPI.Accounts) == 0 || len(fromAPI.Accounts) != len(page) {
		t.Fatalf("API accounts: %d, page %d", len(fromAPI.Accounts), len(page))
	}
	for _, acc := range fromAPI.Accounts {
		if page[acc.ID] != acc.Balance.Available {
			t.Errorf("account %s: available %s on the page, %s in the API", acc.ID, page[acc.ID], acc.Balance.Available)
		}
	}
}

// A staff member's token opens no API route: the API's bearer tokens are customers' sessions only.
func TestAStaffTokenOpensNoAPIRoute(t *testing.T) {
	b := newBank(t)
	staffToken := webtest.StaffToken(t, b, "teller")
	a := webtest.Send(t, b, "GET", "/api/v1/accounts", webtest.Request{Header: http.Header{
		"Authorization": {"Bearer " + staffToken}, "Accept": {"application/json"}}})
	if a.Status != http.StatusUnauthorized {
		t.Errorf("the API with a staff token: %d, want 401", a.Status)
	}
}
