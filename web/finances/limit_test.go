package finances_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

// Statements by email are limited to ten an hour per address; the eleventh is refused with how long until the
// hour's first leaves the count, on the page and in Retry-After, and marks no field as wrong.
func TestStatementEmailsPastTheHoursLimitSayHowLongToWait(t *testing.T) {
	b := newBank(t)
	acc := b.accounts(t, "100000001")[0]
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	form := url.Values{"from": {"2026-11-01"}, "to": {"2026-11-20"}}
	for i := range 10 {
		if a := webtest.Do(t, b.Bank, "POST", "/accounts/"+acc.ID+"/statement/email", token, false, form); a.Status >= 400 {
			t.Fatalf("statement email %d: %d", i+1, a.Status)
		}
		b.Clock.Advance(time.Minute)
	}
	a := webtest.Do(t, b.Bank, "POST", "/accounts/"+acc.ID+"/statement/email", token, false, form)
	want := b.Catalogue.Message(i18n.SQ, "rate_limited", map[string]string{"wait": "50 minutash"})
	if a.Status != http.StatusTooManyRequests || !strings.Contains(a.Body, want) {
		t.Fatalf("the eleventh: %d, want 429 saying %q", a.Status, want)
	}
	if got := a.Header.Get("Retry-After"); got != "3000" {
		t.Errorf("Retry-After %q, want the 3000 seconds until the first leaves the hour", got)
	}
	if strings.Contains(a.Body, `aria-invalid="true"`) {
		t.Error("the refused form marks a field as wrong")
	}
}
