package access_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"
)

func TestRecoverPagesRefuseBadInputWithoutAServerError(t *testing.T) {
	b := newBank(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no username", url.Values{"method": {"card"}}, http.StatusBadRequest},
		{"no method", url.Values{"username": {"100000001"}}, http.StatusBadRequest},
		{"an unknown method", url.Values{"username": {"100000001"}, "method": {"letter"}}, http.StatusBadRequest},
		{"five digits", url.Values{"username": {"100000001"}, "method": {"card"}, "card_type": {"visa"},
			"card_last6": {"12345"}, "card_pin": {"4739"}}, http.StatusBadRequest},
		{"an unknown card type", url.Values{"username": {"100000001"}, "method": {"card"}, "card_type": {"amex"},
			"card_last6": {"123456"}, "card_pin": {"4739"}}, http.StatusBadRequest},
		{"a customer without a card", url.Values{"username": {"100000001"}, "method": {"card"}, "card_type": {"visa"},
			"card_last6": {"123456"}, "card_pin": {"918273"}}, http.StatusUnauthorized},
		{"a malformed unique code", url.Values{"username": {"100000001"}, "method": {"unique_code"},
			"unique_code": {"\x00\xff"}}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := webtest.Do(t, b.Bank, "POST", "/recover", "", false, tt.form)
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d", a.Status, tt.status)
			}
			if pin := tt.form.Get("card_pin"); pin != "" && strings.Contains(a.Body, pin) {
				t.Error("the PIN was sent back in the page")
			}
		})
	}
	// The second step without a started recovery goes back to the first.
	for _, method := range []string{"GET", "POST"} {
		a := webtest.Do(t, b.Bank, method, "/recover/complete", "", false, url.Values{"code": {"123456"}})
		if a.Status != http.StatusSeeOther || a.Location != "/recover" {
			t.Errorf("%s /recover/complete without a recovery: %d to %q", method, a.Status, a.Location)
		}
	}
	// A made-up recovery id is an invalid code, not an error of the server.
	req, _ := http.NewRequest("POST", b.URL+"/recover/complete", strings.NewReader(url.Values{"code": {"123456"},
		"new_password": {"Pranvera#7351"}, "confirm_password": {"Pranvera#7351"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "kumbara_recovery", Value: "\x7fnot-an-id"})
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a made-up recovery: %d, want 401", resp.StatusCode)
	}
}
