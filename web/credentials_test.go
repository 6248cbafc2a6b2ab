package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
)

// A17: one set of credentials for the app and the internet branch. A password changed in the web is the one the
// app's API logs in with, and the old one stops working in both.
func TestAPasswordChangedInTheWebIsTheOneTheAppLogsInWith(t *testing.T) {
	b := newBank(t)
	token := prToken(t, b, "100000003", demo.Password, "+355673000003")
	const fresh = "Qershor-2027x"
	a := prDo(t, b, "POST", "/profile/password", token, false, map[string][]string{"old_password": {demo.Password},
		"new_password": {fresh}, "confirm_password": {fresh}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("web password change: %d %s", a.status, a.body)
	}
	login := func(pw string) int {
		req, _ := http.NewRequest("POST", b.url+"/api/v1/auth/login",
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
	if a := prDo(t, b, "POST", "/login", "", false, map[string][]string{"username": {"100000003"},
		"password": {demo.Password}}); a.status == http.StatusSeeOther {
		t.Errorf("the web still accepts the old password")
	}
}
