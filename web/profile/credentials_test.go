package profile_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
)

// A17: one set of credentials for the app and the internet branch. A password changed in the web is the one the
// app's API logs in with, and the old one stops working in both.
func TestAPasswordChangedInTheWebIsTheOneTheAppLogsInWith(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000003", demo.Password, "+355673000003")
	const fresh = "Qershor-2027x"
	a := webtest.Do(t, b.Bank, "POST", "/profile/password", token, false, map[string][]string{"old_password": {demo.Password},
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
	if a := webtest.Do(t, b.Bank, "POST", "/login", "", false, map[string][]string{"username": {"100000003"},
		"password": {demo.Password}}); a.Status == http.StatusSeeOther {
		t.Errorf("the web still accepts the old password")
	}
}

// A2: "remember me" keeps the client number, and nothing else, for the next visit; unticked, it forgets it.
func TestRememberMeKeepsOnlyTheClientNumber(t *testing.T) {
	b := newBank(t)
	post := func(remember bool) *http.Response {
		form := url.Values{"username": {"100000002"}, "password": {demo.Password}}
		if remember {
			form.Set("remember", "on")
		}
		req, _ := http.NewRequest("POST", b.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	var kept *http.Cookie
	for _, c := range post(true).Cookies() {
		if c.Name == "kumbara_remember" {
			kept = c
		}
	}
	if kept == nil || kept.Value != "100000002" || !kept.HttpOnly || kept.MaxAge <= 0 {
		t.Fatalf("remember-me cookie %+v, want the client number alone, HttpOnly, lasting", kept)
	}
	req, _ := http.NewRequest("GET", b.URL+"/login", nil)
	req.AddCookie(kept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `value="100000002"`) {
		t.Error("the login page does not offer the remembered client number")
	}
	forgotten := false
	for _, c := range post(false).Cookies() {
		if c.Name == "kumbara_remember" && c.MaxAge < 0 {
			forgotten = true
		}
	}
	if !forgotten {
		t.Error("logging in without remember me keeps the remembered client number")
	}
}
