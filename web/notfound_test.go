package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// A signed-in customer who opens an address the bank does not have, or another customer's account, stays inside
// the signed-in layout (their name, the menu) and is led back to the summary; signed out, the not-found page is
// the public one. Either way the answer is a 404.
func TestNotFoundIsShownInsideTheLayoutOfWhoeverAsks(t *testing.T) {
	b := webtest.NewBank(t)
	arben := webtest.Token(t, b, "100000001", demo.Password, "+355691000001")
	elira, err := b.Customers.ByClientNumber(context.Background(), "100000002")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := b.Ledger.ListByCustomer(context.Background(), elira.ID)
	if err != nil || len(theirs) == 0 {
		t.Fatalf("Elira's accounts: %v", err)
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", b.URL+path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		if token != "" {
			req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
		}
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, tc := range []struct {
		name, path, token string
		signedIn          bool
	}{
		{"a missing page, signed in", "/no-such-page", arben, true},
		{"another customer's account, signed in", "/accounts/" + theirs[0].ID + "/history", arben, true},
		{"a missing page, signed out", "/no-such-page", "", false},
		{"a missing page with an ended session", "/no-such-page", "not-a-session", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(tc.path, tc.token)
			if status != http.StatusNotFound || !strings.Contains(body, `id="not-found"`) ||
				!strings.Contains(body, b.Message("web_nf_title")) {
				t.Fatalf("%d, want the not-found page:\n%s", status, body)
			}
			inLayout := strings.Contains(body, "Arben") && strings.Contains(body, `href="/summary" id="back-to-summary"`) &&
				strings.Contains(body, `id="logout-link"`)
			if inLayout != tc.signedIn {
				t.Errorf("inside the signed-in layout: %v, want %v", inLayout, tc.signedIn)
			}
			if !tc.signedIn && !strings.Contains(body, `id="back-to-login"`) {
				t.Error("the public not-found page does not lead to the login")
			}
		})
	}
	if strings.Contains(b.Message("web_nf_title"), "web_") {
		t.Error("no message for the not-found page")
	}
}
