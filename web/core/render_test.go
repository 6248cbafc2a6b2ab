package core

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/i18n"
)

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

func TestALimitSaysHowLongToWaitInThePagesLanguage(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &Site{Deps: Deps{Catalogue: cat}}
	for _, tc := range []struct {
		secs string
		lang i18n.Lang
		want string
	}{
		{"1", i18n.EN, "Too many requests. Try again in 1 second."},
		{"6", i18n.SQ, "Keni bërë shumë kërkesa. Provoni përsëri pas 6 sekondash."},
		{"60", i18n.EN, "Too many requests. Try again in 1 minute."},
		{"61", i18n.SQ, "Keni bërë shumë kërkesa. Provoni përsëri pas 2 minutash."},
		{"700", i18n.EN, "Too many requests. Try again in 12 minutes."},
		{"700", i18n.SQ, "Keni bërë shumë kërkesa. Provoni përsëri pas 12 minutash."},
		{"5400", i18n.EN, "Too many requests. Try again in 90 minutes."},
		{"86400", i18n.SQ, "Keni bërë shumë kërkesa. Provoni përsëri pas 24 orësh."},
		{"", i18n.EN, "Too many requests. Please wait a moment and try again."},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: "lang", Value: string(tc.lang)})
		err := kumbara.ErrRateLimited.WithParam("retry_after", tc.secs)
		w := httptest.NewRecorder()
		s.FailJSON(w, r, err) // a script step's answer: the pages say the same with the same header
		if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s s in %s: %d %s", tc.secs, tc.lang, w.Code, w.Body)
		}
		if got := s.ProblemText(r, err); got != tc.want {
			t.Errorf("%s s in %s: %q, want %q", tc.secs, tc.lang, got, tc.want)
		}
		if got := w.Header().Get("Retry-After"); got != tc.secs {
			t.Errorf("%s s: Retry-After %q", tc.secs, got)
		}
	}
}
