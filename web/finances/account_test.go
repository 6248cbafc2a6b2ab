package finances_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

// The web passes the account's name to the ledger as typed and shows the ledger's answer: the API's rule, one place.
func TestTheAccountSettingsFormKeepsTheLedgersRuleForNames(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	a := b.accounts(t, "100000001")[1]
	path := "/accounts/" + a.ID + "/settings"
	for _, tc := range []struct {
		name, in, message string
		params            map[string]string
	}{
		{"an empty name", "", "field_required", nil},
		{"a blank name", "  \u00a0 ", "field_required", nil},
		{"41 characters", strings.Repeat("ë", 41), "description_too_long", map[string]string{"max": "40"}},
		{"markup", "Kursime <b>", "description_invalid_characters", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ans := webtest.Do(t, b.Bank, "POST", path, token, false, url.Values{"name": {tc.in}, "logo": {""}})
			want := b.Catalogue.Message(i18n.SQ, tc.message, tc.params)
			if ans.Status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(ans.Body), want) {
				t.Fatalf("status %d, want 400 saying %q", ans.Status, want)
			}
			if got, _ := b.Ledger.Get(context.Background(), a.ID); got.Name != a.Name {
				t.Fatalf("a refused name changed the account to %q", got.Name)
			}
		})
	}
	ans := webtest.Do(t, b.Bank, "POST", path, token, false, url.Values{"name": {"Ｋｕｒｓｉｍｅ"}, "logo": {"plane"}})
	if ans.Status != http.StatusSeeOther {
		t.Fatalf("full-width name: status %d", ans.Status)
	}
	if got, _ := b.Ledger.Get(context.Background(), a.ID); got.Name != "Kursime" || got.Logo != "plane" {
		t.Fatalf("stored %q %q, want the plain form Kursime", got.Name, got.Logo)
	}
}
