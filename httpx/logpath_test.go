package httpx

import "testing"

func TestLogPathRedactsIBANs(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/beneficiaries/trusted/AL47212110090000000235698741", "/api/v1/beneficiaries/trusted/{iban}"},
		{"/api/v1/beneficiaries/trusted/al47212110090000000235698741", "/api/v1/beneficiaries/trusted/{iban}"},
		{"/api/v1/beneficiaries/trusted/AL47 2121 1009 0000 0002 3569 8741", "/api/v1/beneficiaries/trusted/{iban}"},
		{"/x/DE89370400440532013000/y", "/x/{iban}/y"},
		{"/api/v1/accounts/0195f3c2-7a1b-7cde-8f00-1234567890ab", "/api/v1/accounts/0195f3c2-7a1b-7cde-8f00-1234567890ab"},
		{"/api/v1/transfers/0195f3c27a1b7cde8f001234567890ab/receipt", "/api/v1/transfers/0195f3c27a1b7cde8f001234567890ab/receipt"},
		{"/api/v1/accounts/1234567890123456/transactions", "/api/v1/accounts/1234567890123456/transactions"},
		{"/login", "/login"},
	} {
		if got := LogPath(tt.path); got != tt.want {
			t.Errorf("LogPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
