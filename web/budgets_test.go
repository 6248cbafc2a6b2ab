package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"
)

// TestTheLoginBudgetIsSharedWithTheAPI: before, each face kept its own bucket, so an attacker had twice the
// attempts by using both. Now a login over the API and one on the web page spend the same budget per address.
func TestTheLoginBudgetIsSharedWithTheAPI(t *testing.T) {
	b := webtest.NewBank(t)
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
