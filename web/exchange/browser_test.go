package exchange_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

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

func balance(t *testing.T, b *webtest.Bank, id string) int64 {
	t.Helper()
	a, err := b.Ledger.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either. The tab stays at 1280 px, where
// no tab bar is fixed over the buttons a test clicks next.
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
}

// choose sets a select or text field by its id and tells the page's script, as a person's choice would.
func choose(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	script := `(function(){var e=document.getElementById(` + webtest.Quote(id) + `);e.value=` + webtest.Quote(value) +
		`;e.dispatchEvent(new Event("change",{bubbles:true}));return true})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
		t.Fatalf("set %s: %v", id, err)
	}
}

func wantText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	if got := webtest.Text(t, ctx, sel); got != want {
		t.Errorf("%s = %q, want %q", sel, got, want)
	}
}

func wantContains(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", sel, got, want)
	}
}

// TestBrowserTheRatesAndTheCalculatorAnswerBeforeLogin is P7: from the login page anyone reaches the bank's rates
// against the lek, against another currency, and the calculator, whose answer is the FX service's at an
// individual's rates in the page's language, with either side's amount given; what the calculator cannot take is
// said beside its field in the domain's words.
func TestBrowserTheRatesAndTheCalculatorAnswerBeforeLogin(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#rates-link")))
	webtest.SubmitAndWait(t, ctx, "#rates-link", "#rates")
	wantText(t, ctx, `#rates tr[data-currency="EUR"] [data-rate="buy"]`, "97,80")
	wantText(t, ctx, `#rates tr[data-currency="EUR"] [data-rate="sell"]`, "99,40")
	wantText(t, ctx, `#rates tr[data-currency="EUR"] [data-rate="mid"]`, "98,60")
	wantContains(t, ctx, `#rates tr[data-currency="USD"]`, "21.11.2026") // valid for a day from the demo's publication

	// Selling 100 euros for lek at the bank's buy rate.
	choose(t, ctx, "calc-sell", "EUR")
	choose(t, ctx, "calc-buy", "ALL")
	choose(t, ctx, "calc-amount", "100")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-result")
	wantText(t, ctx, "#calc-give", "100,00 EUR")
	wantText(t, ctx, "#calc-get", "9.780,00 ALL")
	wantText(t, ctx, "#calc-rate", "1 EUR = 97,80 ALL")
	shots(t, ctx, "rates-calculated")

	// Buying 1.250,50 euros with lek: the amount is what is bought, at the sell rate.
	choose(t, ctx, "calc-sell", "ALL")
	choose(t, ctx, "calc-buy", "EUR")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#calc-side-buy")))
	choose(t, ctx, "calc-amount", "1.250,50")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-result")
	wantText(t, ctx, "#calc-give", "124.299,70 ALL")
	wantText(t, ctx, "#calc-get", "1.250,50 EUR")
	wantText(t, ctx, "#calc-rate", "1 EUR = 99,40 ALL")

	// Rates against the euro keep the calculator's figures.
	choose(t, ctx, "base", "EUR")
	webtest.SubmitAndWait(t, ctx, "#base-submit", "#rates")
	wantText(t, ctx, "#rates-title", "Kurset në EUR")
	wantText(t, ctx, `#rates tr[data-currency="ALL"] [data-rate="mid"]`, "0,010142")
	if got := webtest.Value(t, ctx, "#calc-amount"); got != "1.250,50" {
		t.Errorf("the calculator's amount after choosing a base is %q, want it kept", got)
	}

	// Bad input: each refusal beside its field, in the domain's words.
	choose(t, ctx, "calc-sell", "EUR")
	choose(t, ctx, "calc-buy", "EUR")
	choose(t, ctx, "calc-amount", "100")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-form")
	wantText(t, ctx, "#calc-buy-error", b.Message("fx_same_currency"))
	if got := webtest.Attr(t, ctx, "#calc-buy", "aria-invalid"); got != "true" {
		t.Errorf("the buy currency's aria-invalid is %q", got)
	}
	choose(t, ctx, "calc-buy", "USD")
	choose(t, ctx, "calc-amount", "10,5555")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-form")
	wantText(t, ctx, "#calc-amount-error", b.Message("amount_too_many_decimals"))
	choose(t, ctx, "calc-amount", "")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-form")
	wantText(t, ctx, "#calc-amount-error", b.Message("field_required"))
	shots(t, ctx, "rates-refused")

	// In English, with its own decimal mark.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/lang/en?next=/rates%3Fsell%3DUSD%26buy%3DEUR%26side%3Dsell%26amount%3D1000"),
		chromedp.WaitVisible(chromedp.CSS("#calc-result")))
	wantText(t, ctx, "#calc-give", "1,000.00 USD")
	wantText(t, ctx, "#calc-get", "907.45 EUR")
	wantText(t, ctx, "#calc-rate", "1 USD = 0.907445 EUR")
	shots(t, ctx, "rates-en")
}

// TestBrowserAConversionGoesFromQuoteToReceipt is X3 through the pages: from the transfers page to the exchange,
// a quote of 100 euros sold for lek, its review with the rate, both amounts and the quote's countdown, the
// confirmation, the result with its PDF receipt, and the conversion among the recent ones; the money moved once,
// at the quoted rate, and confirming again answers the same conversion.
func TestBrowserAConversionGoesFromQuoteToReceipt(t *testing.T) {
	b := webtest.NewBank(t)
	_, accounts := demoAccounts(t, b, "100000001")
	all, eur := accounts[0], accounts[2]
	allBefore, eurBefore := balance(t, b, all.ID), balance(t, b, eur.ID)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-exchange")))
	webtest.SubmitAndWait(t, ctx, "#choose-exchange", "#fx-form")
	if got := webtest.Attr(t, ctx, "#nav-exchange", "aria-current"); got != "page" {
		t.Errorf("the menu's exchange link is not marked as the page (%q)", got)
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#fx-recent-empty")))
	shots(t, ctx, "exchange-form")
	choose(t, ctx, "fx-from", eur.ID)
	// The script offers to buy into accounts of another currency only.
	if !webtest.WaitFor(t, ctx, `document.querySelector('#fx-to option[value="`+eur.ID+`"]').disabled && `+
		`!document.querySelector('#fx-to option[value="`+all.ID+`"]').disabled`) {
		t.Error("the euro account is still offered to buy euros into")
	}
	choose(t, ctx, "fx-to", all.ID)
	choose(t, ctx, "fx-amount", "100")
	choose(t, ctx, "fx-description", "Këmbim për qiranë")
	wantText(t, ctx, "[data-fx-currency]", "(EUR)")
	webtest.SubmitAndWait(t, ctx, "#fx-submit", "#confirm-form")

	wantText(t, ctx, "#review-kind", b.Message("web_fx_kind_sell"))
	wantText(t, ctx, "#review-sell", "100,00 EUR")
	wantText(t, ctx, "#review-buy", "9.780,00 ALL")
	wantText(t, ctx, "#review-rate", "1 EUR = 97,80 ALL")
	wantText(t, ctx, "#review-description", "Këmbim për qiranë")
	// Without the script the page says until when the quote holds; the script counts the seconds down.
	wantText(t, ctx, "#fx-expires", "10:00:30") // 09:00:30 UTC is 10:00:30 in Tirane
	webtest.WaitText(t, ctx, "[data-fx-left-out]", " s")
	quoteURL := webtest.Location(t, ctx)
	shots(t, ctx, "exchange-review")

	webtest.SubmitAndWait(t, ctx, "#confirm", "#result")
	wantText(t, ctx, "#result-sell", "100,00 EUR")
	wantText(t, ctx, "#result-buy", "9.780,00 ALL")
	wantText(t, ctx, "#result-rate", "1 EUR = 97,80 ALL")
	wantText(t, ctx, "#result-status", b.Message("web_fx_status_executed"))
	id := webtest.Text(t, ctx, "#conversion-id")
	got := webtest.Fetch(t, ctx, "/exchange/conversions/"+id+"/receipt")
	if got.Status != 200 || got.Type != "application/pdf" || got.Magic != "%PDF" {
		t.Errorf("the receipt answered %+v, want a PDF", got)
	}
	shots(t, ctx, "exchange-result")
	if a, e := balance(t, b, all.ID)-allBefore, balance(t, b, eur.ID)-eurBefore; a != 978000 || e != -10000 {
		t.Errorf("the accounts moved by %d ALL and %d EUR (minor units), want +978000 and -10000", a, e)
	}

	// The review's address again (the back button) is the conversion done; the money moved once.
	webtest.Run(t, ctx, chromedp.Navigate(quoteURL), chromedp.WaitVisible(chromedp.CSS("#result")))
	wantText(t, ctx, "#conversion-id", id)
	if a := balance(t, b, all.ID) - allBefore; a != 978000 {
		t.Errorf("after opening the review again the lek account moved by %d, want 978000", a)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/exchange"), chromedp.WaitVisible(chromedp.CSS("#fx-recent")))
	wantContains(t, ctx, `#fx-recent [data-conversion="`+id+`"]`, "100,00 EUR")
	wantContains(t, ctx, `#fx-recent [data-conversion="`+id+`"]`, "9.780,00 ALL")
	shots(t, ctx, "exchange-recent")

	// The signed-in rates: the same page inside the signed-in layout.
	webtest.SubmitAndWait(t, ctx, "#fx-rates-link", "#rates")
	if got := webtest.Attr(t, ctx, "#fx-back", "href"); got != "/exchange" {
		t.Errorf("the signed-in rates lead back to %q", got)
	}
	shots(t, ctx, "exchange-rates")
}

// TestBrowserAnExpiredQuoteIsQuotedAgainWithTheSameFigures: a quote confirmed after its 30 seconds (the bank's fake
// clock moved on) is refused with the domain's message, and a button quotes the same figures again at the rates
// now, which can be confirmed; on a review whose quote lapses while it is open, the countdown takes the
// confirmation away and offers the new quote itself.
func TestBrowserAnExpiredQuoteIsQuotedAgainWithTheSameFigures(t *testing.T) {
	b := webtest.NewBank(t)
	_, accounts := demoAccounts(t, b, "100000002")
	all, eur := accounts[0], accounts[2]
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/exchange"), chromedp.WaitVisible(chromedp.CSS("#fx-form")))
	choose(t, ctx, "fx-from", all.ID)
	choose(t, ctx, "fx-to", eur.ID)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#fx-side-buy")))
	choose(t, ctx, "fx-amount", "50")
	wantText(t, ctx, "[data-fx-currency]", "(EUR)")
	webtest.SubmitAndWait(t, ctx, "#fx-submit", "#confirm-form")
	first := webtest.Location(t, ctx)
	wantText(t, ctx, "#review-kind", b.Message("web_fx_kind_buy"))
	wantText(t, ctx, "#review-sell", "4.970,00 ALL")
	wantText(t, ctx, "#review-buy", "50,00 EUR")

	b.Clock.Advance(31 * time.Second)
	webtest.SubmitAndWait(t, ctx, "#confirm", "#again")
	wantText(t, ctx, "#problem", b.Message("fx_quote_expired"))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#confirm-form").length`)); err != nil || n != 0 {
		t.Errorf("a lapsed quote still offers its confirmation (%d, %v)", n, err)
	}
	shots(t, ctx, "exchange-expired")

	webtest.SubmitAndWait(t, ctx, "#again", "#confirm-form")
	if again := webtest.Location(t, ctx); again == first {
		t.Errorf("the new quote is the old one (%s)", again)
	}
	wantText(t, ctx, "#review-sell", "4.970,00 ALL")
	wantText(t, ctx, "#review-buy", "50,00 EUR")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#result")
	wantText(t, ctx, "#result-buy", "50,00 EUR")

	// A review opened two seconds before its quote lapses: the countdown reaches zero in the page.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/exchange"), chromedp.WaitVisible(chromedp.CSS("#fx-form")))
	choose(t, ctx, "fx-from", all.ID)
	choose(t, ctx, "fx-to", eur.ID)
	choose(t, ctx, "fx-amount", "1000")
	webtest.SubmitAndWait(t, ctx, "#fx-submit", "#confirm-form")
	b.Clock.Advance(28 * time.Second)
	webtest.Run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#fx-countdown")))
	if !webtest.WaitFor(t, ctx, `!document.getElementById("fx-lapsed").hidden && document.getElementById("confirm-form").hidden && !document.getElementById("again-form").hidden`) {
		t.Error("the countdown reached zero without offering a new quote instead of the confirmation")
	}
	wantText(t, ctx, "#fx-lapsed", b.Message("fx_quote_expired"))
	shots(t, ctx, "exchange-lapsed")
}

// TestBrowserACustomerWithOneCurrencyIsToldWhyThereIsNothingToExchange: the demo business holds lek only; its
// exchange page explains that an account in another currency is needed and leads to the rates, instead of a form
// that could never work.
func TestBrowserACustomerWithOneCurrencyIsToldWhyThereIsNothingToExchange(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login/business"), chromedp.WaitVisible(chromedp.CSS("#nipt")),
		chromedp.SendKeys(chromedp.CSS("#username"), "100000004"),
		chromedp.SendKeys(chromedp.CSS("#nipt"), demo.BusinessNIPT),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")
	c, err := b.Customers.ByClientNumber(context.Background(), "100000004")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.Inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS: %v", err)
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), webtest.CodeRe.FindString(msgs[0].Body)))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/exchange"), chromedp.WaitVisible(chromedp.CSS("#fx-one-currency")))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#fx-form").length`)); err != nil || n != 0 {
		t.Errorf("a customer with one currency is offered the form (%d, %v)", n, err)
	}
	shots(t, ctx, "exchange-one-currency")
	// The rates signed in are the business segment's: 100 euros sold get more lek than at an individual's rate.
	webtest.SubmitAndWait(t, ctx, "#fx-one-currency-rates", "#rates")
	choose(t, ctx, "calc-amount", "100")
	webtest.SubmitAndWait(t, ctx, "#calc-submit", "#calc-result")
	wantText(t, ctx, "#calc-get", "9.788,00 ALL")
	wantText(t, ctx, "#calc-rate", "1 EUR = 97,88 ALL")
}
