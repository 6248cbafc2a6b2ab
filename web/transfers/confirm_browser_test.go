package transfers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/kyc"
)

// toInternalReview pays amount ALL from the customer's current account to a demo payee's, up to the review page.
func (b *bank) toInternalReview(t *testing.T, ctx context.Context, fromID, payeeClient, toIBAN, amount string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/transfers/internal"),
		chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")),
		chromedp.SetValue(chromedp.CSS("#value"), payeeClient),
		chromedp.Click(chromedp.CSS("#payee-submit")),
		chromedp.WaitVisible(chromedp.CSS("#payee-name")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="to_iban"][value="%s"]`, toIBAN))),
		chromedp.SetValue(chromedp.CSS("#from"), fromID),
		chromedp.SetValue(chromedp.CSS("#amount"), amount),
		chromedp.Click(chromedp.CSS("#internal-submit")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
	)
}

func TestBrowserPaymentAboveTheLowValueLimitIsConfirmedWithTheCodeThatNamesIt(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	from, to := mine[0], theirs[0]
	fromBefore, toBefore := b.balance(t, from.ID), b.balance(t, to.ID)
	b.LogIn(t, ctx, "100000001")
	b.toInternalReview(t, ctx, from.ID, "100000002", to.IBAN, "5000")
	// Trusting the payee is asked on the review, before the code is sent: the code then confirms both.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#trust")), chromedp.Click(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS("#code-form")))
	if got := webtest.Text(t, ctx, "#confirm-trust"); got != b.Message("web_tr_trust_confirming") {
		t.Errorf("confirmation page says %q about trusting", got)
	}
	webtest.Screenshot(t, ctx, "payment-confirm-sq")
	if got := webtest.Text(t, ctx, "#confirm-to"); !strings.Contains(got, kyc.MaskName("Elira Shehu")) || strings.Contains(got, "Elira") {
		t.Errorf("confirmation page names the payee %q", got)
	}
	if got := webtest.Text(t, ctx, "#confirm-amount"); !strings.Contains(got, "5.000") {
		t.Errorf("confirmation page shows the amount %q", got)
	}
	if got := b.balance(t, to.ID); got != toBefore {
		t.Fatalf("payee balance moved to %d before the code", got)
	}
	confirmURL := webtest.Location(t, ctx)
	body, code := b.InboxCode(t, ctx)
	for _, want := range []string{"5.000,00 ALL", kyc.MaskName("Elira Shehu"), to.IBAN} {
		if !strings.Contains(body, want) {
			t.Errorf("SMS %q does not name %q", body, want)
		}
	}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	webtest.Run(t, ctx, chromedp.Navigate(confirmURL), chromedp.WaitVisible(chromedp.CSS("#code-form")),
		chromedp.SendKeys(chromedp.CSS("#code"), wrong))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#problem")
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("otp_invalid") {
		t.Errorf("wrong code says %q, want %q", got, b.Message("otp_invalid"))
	}
	if got := webtest.Attr(t, ctx, "#code", "aria-invalid"); got != "true" {
		t.Errorf("code field aria-invalid = %q", got)
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), code))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#result")
	if got := webtest.Text(t, ctx, "#result-status"); got != b.Message("web_tr_status_completed") {
		t.Errorf("status %q", got)
	}
	if got := b.balance(t, to.ID); got != toBefore+500000 {
		t.Errorf("payee balance %d, want %d", got, toBefore+500000)
	}
	if got := b.balance(t, from.ID); got != fromBefore-500000 {
		t.Errorf("payer balance %d, want %d", got, fromBefore-500000)
	}
	// The payee is now trusted: the next payment to it, however large, needs no code.
	b.toInternalReview(t, ctx, from.ID, "100000002", to.IBAN, "6000")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := b.balance(t, to.ID); got != toBefore+1100000 {
		t.Errorf("payee balance %d after the trusted payment, want %d", got, toBefore+1100000)
	}
}
