package payments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// credins is the IBAN registry's Albanian example, at Credins Bank (bank code 212) in the demo's directory.
const (
	credins          = "AL47212110090000000235698741"
	credinsPrintable = "AL47 2121 1009 0000 0002 3569 8741"
)

// demoAccounts returns a demo customer's id and accounts: the current account in ALL, the savings account in ALL
// and the current account in EUR, in that order (as demo.Seed opens them).
func demoAccounts(t *testing.T, b *webtest.Bank, client string) (string, []ledger.Account) {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) < 3 || accounts[0].Currency != money.ALL || accounts[2].Currency != money.EUR {
		t.Fatalf("demo customer %s has unexpected accounts %+v", client, accounts)
	}
	return c.ID, accounts
}

// fill types values into the form's fields, each named by its id without "pay-", and ticks the boxes named in
// ticks.
func fill(t *testing.T, ctx context.Context, values map[string]string, ticks ...string) {
	t.Helper()
	for id, v := range values {
		script := `(function(){var e=document.getElementById(` + webtest.Quote("pay-"+id) + `);e.value=` + webtest.Quote(v) +
			`;e.dispatchEvent(new Event("change",{bubbles:true}));return true})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			t.Fatalf("fill %s: %v", id, err)
		}
	}
	for _, id := range ticks {
		script := `(function(){document.getElementById(` + webtest.Quote("pay-"+id) + `).checked=true;return true})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			t.Fatalf("tick %s: %v", id, err)
		}
	}
}

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("%s at %d px scrolls sideways (%v)", name, w, err)
		}
		webtest.Screenshot(t, ctx, name+"-"+map[int64]string{360: "360", 1280: "1280"}[w])
	}
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
}

// smsCode is the code of the newest SMS to the demo customer's phone.
func smsCode(t *testing.T, b *webtest.Bank, client string) (body, code string) {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.Inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", client, err)
	}
	code = webtest.CodeRe.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in %q", msgs[0].Body)
	}
	return msgs[0].Body, code
}

// paymentID is the id of the payment whose page (or confirmation page) the tab shows.
func paymentID(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc := webtest.Location(t, ctx)
	rest := loc[strings.Index(loc, "/payments/")+len("/payments/"):]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// confirmWithCode types the SMS code on the confirmation page and waits for the payment's page.
func confirmWithCode(t *testing.T, ctx context.Context, b *webtest.Bank, client string) {
	t.Helper()
	_, code := smsCode(t, b, client)
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), code))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#payment")
}

// domesticForm opens the domestic form from the transfers page and fills it with a payment of amount (as typed in
// Albanian) to Credins' example IBAN, named name.
func domesticForm(t *testing.T, ctx context.Context, b *webtest.Bank, from, name, amount string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-domestic")))
	webtest.SubmitAndWait(t, ctx, "#choose-domestic", "#pay-form")
	fill(t, ctx, map[string]string{"name": name, "iban": credinsPrintable, "city": "Tiranë", "from": from,
		"amount": amount, "description": "Qira nëntor"})
}

func status(t *testing.T, ctx context.Context) string {
	t.Helper()
	return webtest.Attr(t, ctx, "#payment-status .badge", "data-status")
}

// TestBrowserDomesticPaymentEndToEnd: form → review (the fee, what leaves the account, today's value date, the name
// check's match) → the SMS code that names the amount → the payment's page, which follows the payment by itself
// from waiting for the clearing session to settled, and gives its receipt.
func TestBrowserDomesticPaymentEndToEnd(t *testing.T) {
	b := webtest.NewBank(t)
	b.VoPSandbox.Add(iban.IBAN(credins), "Blerina Kasa")
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	from := accounts[0]
	b.LogIn(t, ctx, "100000001")

	domesticForm(t, ctx, b, from.ID, "Blerina Kasa", "5.000,00")
	shots(t, ctx, "domestic-form")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	for sel, want := range map[string]string{
		"#review-amount":     "5.000,00 ALL",
		"#review-fee":        "100,00 ALL",
		"#review-debited":    "5.100,00 ALL",
		"#review-value-date": "20.11.2026",
		"#review-scheme":     b.Message("web_pay_scheme_aech"),
		"#review-bank":       "Credins Bank",
		"#vop":               b.Message("web_pay_vop_match_review"),
	} {
		if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	if got := webtest.Attr(t, ctx, "#vop", "data-vop"); got != payment.Match {
		t.Errorf("name check %q, want a match", got)
	}
	shots(t, ctx, "domestic-review")

	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	body, _ := smsCode(t, b, "100000001")
	if !strings.Contains(body, "5.100,00 ALL") {
		t.Errorf("the SMS %q does not name what leaves the account", body)
	}
	if got := webtest.Text(t, ctx, "#confirm-amount"); got != "5.100,00 ALL" {
		t.Errorf("confirmation shows %q", got)
	}
	shots(t, ctx, "domestic-confirm")
	confirmWithCode(t, ctx, b, "100000001")
	id := paymentID(t, ctx)
	if got := status(t, ctx); got != payment.Waiting {
		t.Fatalf("after confirming the payment is %q, want waiting for its session", got)
	}
	if got := webtest.Text(t, ctx, "#payment-events"); !strings.Contains(got, b.Message("web_pay_status_accepted")) {
		t.Errorf("events %q do not say it was accepted", got)
	}
	if a, err := b.Ledger.Get(context.Background(), from.ID); err != nil || a.Held != 5_100_00 {
		t.Errorf("held %d (%v), want the amount and the fee", a.Held, err)
	}
	shots(t, ctx, "domestic-status")

	// The session sends it, the clearing house settles it: the page follows by itself.
	if n, err := b.Payments.RunSession(context.Background()); err != nil || n != 1 {
		t.Fatalf("session sent %d: %v", n, err)
	}
	if _, err := b.ClearingHouse.Work(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !webtest.WaitFor(t, ctx, `document.querySelector("#payment-status .badge").dataset.status === "settled"`) {
		t.Fatalf("the page still says %q after the payment settled", status(t, ctx))
	}
	if got := webtest.Text(t, ctx, "#payment-events"); !strings.Contains(got, b.Message("web_pay_status_settled")) ||
		!strings.Contains(got, b.Message("web_pay_status_sent")) {
		t.Errorf("events %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("[hx-get]").length`)); err != nil || n != 0 {
		t.Errorf("a settled payment's page still asks for its progress (%d, %v)", n, err)
	}
	if got := webtest.Fetch(t, ctx, "/payments/"+id+"/receipt"); got.Status != 200 || got.Type != "application/pdf" ||
		got.Magic != "%PDF" {
		t.Errorf("receipt: %+v", got)
	}
	if a, err := b.Ledger.Get(context.Background(), from.ID); err != nil || a.Held != 0 || a.Balance != from.Balance-5_100_00 {
		t.Errorf("account balance %d held %d (%v) after settlement", a.Balance, a.Held, err)
	}
	shots(t, ctx, "domestic-settled")

	// The list, from the transfers page and from the account's menu.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+from.ID), chromedp.WaitVisible(chromedp.CSS("#account-details")))
	webtest.SubmitAndWait(t, ctx, `a[href="/payments?account=`+from.ID+`"]`, "#payments")
	if got := webtest.Attr(t, ctx, "#payments tbody tr", "data-payment"); got != id {
		t.Errorf("the account's payments list %q, want %q", got, id)
	}
	shots(t, ctx, "payments-list")
}

// TestBrowserCloseMatchShowsTheAccountsNameAndPaysIt: a name that almost matches shows the name on the account
// with a choice to use it; using it reviews the payment again, now a match.
func TestBrowserCloseMatchShowsTheAccountsNameAndPaysIt(t *testing.T) {
	b := webtest.NewBank(t)
	b.VoPSandbox.Add(iban.IBAN(credins), "Blerina Kasa")
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")

	domesticForm(t, ctx, b, accounts[0].ID, "Blerina Kaso", "5000")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	if got := webtest.Attr(t, ctx, "#vop", "data-vop"); got != payment.CloseMatch {
		t.Fatalf("name check %q, want a close match", got)
	}
	if got := webtest.Text(t, ctx, "#vop"); !strings.Contains(got, "Blerina Kasa") {
		t.Errorf("the close match does not name the account's holder: %q", got)
	}
	shots(t, ctx, "close-match")
	webtest.SubmitAndWait(t, ctx, "#vop-use", "#review")
	if got := webtest.Attr(t, ctx, "#vop", "data-vop"); got != payment.Match {
		t.Errorf("with the account's name the check is %q, want a match", got)
	}
	if got := webtest.Text(t, ctx, "#review-to"); !strings.Contains(got, "Blerina Kasa") {
		t.Errorf("the review pays %q", got)
	}
	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	confirmWithCode(t, ctx, b, "100000001")
	if got := webtest.Attr(t, ctx, "#payment-vop", "data-vop"); got != payment.Match {
		t.Errorf("the payment records the check %q", got)
	}
}

// TestBrowserGoingOnWithACloseMatchRecordsWhatWasShown: a customer may pay the name they typed after a close
// match; the payment's page says what they were shown.
func TestBrowserGoingOnWithACloseMatchRecordsWhatWasShown(t *testing.T) {
	b := webtest.NewBank(t)
	b.VoPSandbox.Add(iban.IBAN(credins), "Blerina Kasa")
	ctx := webtest.Tab(t)
	_, accounts := demoAccounts(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")
	domesticForm(t, ctx, b, accounts[0].ID, "Blerina Kaso", "5000")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	confirmWithCode(t, ctx, b, "100000001")
	if got := webtest.Attr(t, ctx, "#payment-vop", "data-vop"); got != payment.CloseMatch {
		t.Errorf("the payment records the check %q", got)
	}
	if got := webtest.Text(t, ctx, "#payment-vop"); !strings.Contains(got, "Blerina Kasa") {
		t.Errorf("the payment's page does not say the name the customer was shown: %q", got)
	}
}

// TestBrowserPaymentAfterTheCutOffSaysTheNextWorkingDay: at 14:30 on a Friday a domestic payment is value-dated
// the next working day, Monday, and the review says so before confirming; a business is told the Z7 rule too.
func TestBrowserPaymentAfterTheCutOffSaysTheNextWorkingDay(t *testing.T) {
	b := webtest.NewBank(t)
	b.Clock.Set(time.Date(2026, 11, 20, 13, 30, 0, 0, time.UTC)) // 14:30 in Tirana
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")
	domesticForm(t, ctx, b, accounts[0].ID, "Blerina Kasa", "2500")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	if got := webtest.Text(t, ctx, "#review-when"); !strings.Contains(got, "23.11.2026") ||
		!strings.Contains(got, "dita e ardhshme e punës") {
		t.Errorf("the review says %q, want the next working day, 23.11.2026", got)
	}
	if got := webtest.Attr(t, ctx, "#review-when", "class"); got != "notice-warn" {
		t.Errorf("the value date is said as %q, want a warning", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#review-z7").length`)); n != 0 {
		t.Error("an individual is told the business channel's rule")
	}
	shots(t, ctx, "after-cutoff")
	webtest.LogOut(t, ctx, b)

	// The business: the Z7 rule, and asking for today's value date after the cut-off is refused in its own words.
	biz, err := b.Customers.ByClientNumber(context.Background(), "100000004")
	if err != nil {
		t.Fatal(err)
	}
	bizAccounts, err := b.Ledger.ListByCustomer(context.Background(), biz.ID)
	if err != nil || len(bizAccounts) == 0 {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login/business"), chromedp.WaitVisible(chromedp.CSS("#nipt")),
		chromedp.SendKeys(chromedp.CSS("#username"), "100000004"),
		chromedp.SendKeys(chromedp.CSS("#nipt"), demo.BusinessNIPT),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")
	_, code := smsCode(t, b, "100000004")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), code))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
	domesticForm(t, ctx, b, bizAccounts[0].ID, "Blerina Kasa", "2500")
	fill(t, ctx, nil, "today")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#pay-form")
	if got, want := webtest.Text(t, ctx, "#problem"), "23.11.2026"; !strings.Contains(got, want) {
		t.Errorf("today only after the cut-off says %q, want the day it could be made (%s)", got, want)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("pay-today").checked = false; true`)); err != nil {
		t.Fatal(err)
	}
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	if got := webtest.Text(t, ctx, "#review-z7"); got != b.Message("web_pay_z7") {
		t.Errorf("the business reads %q, want the Z7 rule", got)
	}
	shots(t, ctx, "after-cutoff-business")
}

// TestBrowserSEPARefusalsStandBesideTheirFields: a SEPA payment without a town (an unstructured address, which
// SEPA refuses) and one to a wrong IBAN are each refused with the field's own message beside it, what was typed
// kept.
func TestBrowserSEPARefusalsStandBesideTheirFields(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, accounts := demoAccounts(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-sepa")))
	webtest.SubmitAndWait(t, ctx, "#choose-sepa", "#pay-form")
	fill(t, ctx, map[string]string{"name": "Luan Berisha", "iban": "DE89 3704 0044 0532 0130 00",
		"street": "Karl-Marx-Straße 12", "country": "DE", "from": accounts[2].ID, "amount": "120,00"})
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#pay-city-error")
	if got := webtest.Text(t, ctx, "#pay-city-error"); got != b.Message("field_required") {
		t.Errorf("town: %q", got)
	}
	if webtest.Attr(t, ctx, "#pay-city", "aria-invalid") != "true" || webtest.Value(t, ctx, "#pay-name") != "Luan Berisha" {
		t.Error("the form lost what was typed or did not mark the town")
	}
	shots(t, ctx, "sepa-address")

	fill(t, ctx, map[string]string{"city": "Berlin", "iban": "DE89 3704 0044 0532 0130 01"})
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#pay-iban-error")
	if got := webtest.Text(t, ctx, "#pay-iban-error"); got != b.Message("iban_invalid") {
		t.Errorf("IBAN: %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".pay-error").length`)); n != 1 {
		t.Errorf("%d fields marked, want the IBAN alone", n)
	}
	// An amount with a cent's fraction, then one that goes through: SEPA's fee.
	fill(t, ctx, map[string]string{"iban": "DE89 3704 0044 0532 0130 00", "amount": "120,5555"})
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#pay-amount-error")
	if got := webtest.Text(t, ctx, "#pay-amount-error"); got != b.Message("amount_too_many_decimals") {
		t.Errorf("amount: %q", got)
	}
	fill(t, ctx, map[string]string{"amount": "120,00"})
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	if got := webtest.Text(t, ctx, "#review-scheme"); got != b.Message("web_pay_scheme_sct") {
		t.Errorf("scheme %q", got)
	}
	if got := webtest.Text(t, ctx, "#review-fee"); got != "1,50 EUR" {
		t.Errorf("fee %q", got)
	}
}
