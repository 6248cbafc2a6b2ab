package payments_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestBrowserAPaymentFromAEuroAccountIsBoughtAtTheRateShownBeforeConfirming: a domestic payment in lek from the
// euro account is reviewed with the bank's buy rate and the euros that will leave (5,100.00 ALL / 97.80 =
// 52.147… → 52.15 EUR), confirmed with the SMS code, and its page says both again.
func TestBrowserAPaymentFromAEuroAccountIsBoughtAtTheRateShownBeforeConfirming(t *testing.T) {
	b := webtest.NewBank(t)
	b.VoPSandbox.Add(iban.IBAN(credins), "Blerina Kasa")
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")

	domesticForm(t, ctx, b, accounts[2].ID, "Blerina Kasa", "5.000,00")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	rate := i18n.FormatRate("EUR", "97.80", "ALL", i18n.SQ)
	for sel, want := range map[string]string{
		"#review-debited": "5.100,00 ALL",
		"#review-rate":    rate,
		"#review-charged": "52,15 EUR",
	} {
		if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	shots(t, ctx, "exchange-review")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	if got := webtest.Text(t, ctx, "#confirm-charged"); got != "52,15 EUR" {
		t.Errorf("the confirmation says %q leaves the account", got)
	}
	confirmWithCode(t, ctx, b, "100000001")
	if got := webtest.Text(t, ctx, "#payment-rate"); got != rate {
		t.Errorf("the payment's page says the rate %q", got)
	}
	shots(t, ctx, "exchange-payment")
}
