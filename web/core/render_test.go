package core

import "testing"

func TestLocalPathKeepsCustomersOnTheSite(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/summary", "/summary"},
		{"/accounts/x/history?q=qira&sort=amount_desc", "/accounts/x/history?q=qira&sort=amount_desc"},
		{"", "/"},
		{"summary", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/%2F/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
	} {
		if got := LocalPath(tc.next); got != tc.want {
			t.Errorf("LocalPath(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}
