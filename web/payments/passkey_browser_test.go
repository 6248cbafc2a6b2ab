package payments_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/webtest"
)

// addPasskey adds a passkey from the profile of the customer logged in at base (the browser's virtual
// authenticator answers the prompt).
func addPasskey(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-add")),
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), name),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")
}

// internationalReview fills the international form at base with a payment of 100 EUR from the customer's euro
// account to an account number in the United States, and continues to the review.
func internationalReview(t *testing.T, ctx context.Context, base, from string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(base+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-international")))
	webtest.SubmitAndWait(t, ctx, "#choose-international", "#pay-form")
	fill(t, ctx, map[string]string{"name": "Arta Gashi", "account-number": "000123456789", "bic": "CHASUS33",
		"bank-name": "JPMorgan Chase Bank", "bank-address": "383 Madison Avenue, New York",
		"street": "Arthur Avenue 600", "city": "New York", "postal-code": "10458", "country": "US", "from": from,
		"amount": "100,00", "description": "Tarifa e shkollës", "purpose-category": "EDUC",
		"purpose": "Tarifa e semestrit të dytë", "beneficiary-category": "individual"}, "terms")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
}

// TestBrowserInternationalPaymentIsConfirmedWithAPasskey: an international payment is confirmed only with a
// passkey on the web (T6): the page offers no SMS code, the passkey confirms it, and it leaves for the
// correspondent at once.
func TestBrowserInternationalPaymentIsConfirmedWithAPasskey(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	euro := accounts[2]
	b.LogInAt(t, ctx, base, "100000001")
	webtest.VirtualAuthenticator(t, ctx)
	addPasskey(t, ctx, base, "Laptopi")

	internationalReview(t, ctx, base, euro.ID)
	for sel, want := range map[string]string{
		"#review-scheme":               b.Message("web_pay_scheme_swift"),
		"#review-to":                   "000123456789",
		"#review-bank":                 "CHASUS33",
		"#review-purpose-category":     b.Message("web_pay_purpose_educ"),
		"#review-beneficiary-category": b.Message("web_pay_beneficiary_category_individual"),
		"#review-fee":                  "10,00 EUR",
		"#review-debited":              "110,00 EUR",
	} {
		if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#vop").length`)); n != 0 {
		t.Error("an international payment shows a name check it has not")
	}
	shots(t, ctx, "international-review")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#confirm-payment")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#code-form, #code").length`)); n != 0 {
		t.Error("an international payment is offered the SMS code")
	}
	shots(t, ctx, "international-confirm")

	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-confirm-button")), chromedp.WaitVisible(chromedp.CSS("#payment")))
	if got := status(t, ctx); got != payment.Sent {
		t.Errorf("after the passkey the payment is %q, want sent to the correspondent", got)
	}
	if a, err := b.Ledger.Get(context.Background(), euro.ID); err != nil || a.Balance != euro.Balance-110_00 {
		t.Errorf("euro account balance %d (%v), want 110.00 EUR less", a.Balance, err)
	}
	if n := b.Failures(t, "100000001"); n != 0 {
		t.Errorf("%d failed factors after a good confirmation", n)
	}
	shots(t, ctx, "international-status")
}

// TestBrowserInternationalPaymentWithoutAPasskeySaysHowToConfirmIt: a customer without a passkey is told to use the
// mobile app's trusted device or to add a passkey, and is not offered the SMS code, which would be refused.
func TestBrowserInternationalPaymentWithoutAPasskeySaysHowToConfirmIt(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	_, accounts := demoAccounts(t, b, "100000002")
	b.LogIn(t, ctx, "100000002")
	internationalReview(t, ctx, b.URL, accounts[2].ID)
	webtest.SubmitAndWait(t, ctx, "#confirm", "#no-passkey")
	if got := webtest.Text(t, ctx, "#no-passkey"); !strings.Contains(got, b.Message("web_pay_international_no_passkey")) {
		t.Errorf("the page says %q", got)
	}
	if got := webtest.Attr(t, ctx, "#add-passkey", "href"); got != "/profile/passkeys" {
		t.Errorf("add a passkey leads to %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#code-form, #passkey-confirm").length`)); n != 0 {
		t.Error("a customer without a passkey is offered a way the payment does not take")
	}
	shots(t, ctx, "international-no-passkey")
}
