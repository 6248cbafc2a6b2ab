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
