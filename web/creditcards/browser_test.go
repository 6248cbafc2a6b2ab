package creditcards_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

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
}

func set(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	script := `(function(){var e=document.getElementById(` + webtest.Quote(id) + `);e.value=` + webtest.Quote(value) +
		`;e.dispatchEvent(new Event("change",{bubbles:true}));return true})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
		t.Fatalf("set %s: %v", id, err)
	}
}

func wantContains(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", sel, got, want)
	}
}

// arben is the demo's first customer, his current ALL account and his credit card.
func arben(t *testing.T, b *webtest.Bank) (string, ledger.Account, creditcard.Credit) {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := b.Credit.List(ctx, c.ID)
	if err != nil || len(cards) != 1 {
		t.Fatalf("credit cards %v, %v", cards, err)
	}
	for _, a := range accounts {
		if a.Type == ledger.TypeCurrent && a.Currency == "ALL" {
			return c.ID, a, cards[0]
		}
	}
	t.Fatal("no current account in ALL")
	return "", ledger.Account{}, creditcard.Credit{}
}

// TestBrowserACreditCardIsPaidAdvancedLimitedAndSplit walks the credit card pages as Arben: the card with its
// figures and last month's statement (F11, F18), the statement's transactions, a payment of another amount
// reviewed then confirmed (F17), a cash advance with its fee shown first (F16), the internet limit confirmed with
// the card's PIN (F12), the automatic payment (F14) and a purchase split into instalments (F20); a refusal is said in
// the domain's words, and Elira cannot open his card.
func TestBrowserACreditCardIsPaidAdvancedLimitedAndSplit(t *testing.T) {
	b := webtest.NewBank(t)
	_, cur, cr := arben(t, b)
	base := b.URL + "/cards/" + cr.CardID
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/statements"), chromedp.WaitVisible(chromedp.CSS("#cc-statements")))
	wantContains(t, ctx, "#cc-last-total", "40.970,00")
	shots(t, ctx, "cc-statements")
	webtest.SubmitAndWait(t, ctx, ".cc-statement-link", "#cc-statement")
	wantContains(t, ctx, "#st-total", "40.970,00")
	wantContains(t, ctx, "#cc-lines", "Hotel Tirana International")
	shots(t, ctx, "cc-statement")

	// Paying 10.000,00 of it.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/pay"), chromedp.WaitVisible(chromedp.CSS("#cc-form")))
	set(t, ctx, "cc-from", cur.ID)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#cc-kind-2")))
	set(t, ctx, "cc-amount", "1.000.000")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-form")
	wantContains(t, ctx, "#problem", b.Message("credit_payment_above_debt")[:20])
	shots(t, ctx, "cc-pay-refused")
	set(t, ctx, "cc-from", cur.ID)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#cc-kind-2")))
	set(t, ctx, "cc-amount", "10.000")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	wantContains(t, ctx, "#cc-amount", "10.000,00 ALL")
	shots(t, ctx, "cc-pay-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")
	shots(t, ctx, "cc-pay-done")

	// A cash advance of 5.000,00: the fee (3 %, at least 500,00) shown before confirming.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/cash-advance"), chromedp.WaitVisible(chromedp.CSS("#cc-form")))
	set(t, ctx, "cc-to", cur.ID)
	set(t, ctx, "cc-amount", "5000")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	wantContains(t, ctx, "#cc-fee", "500,00 ALL")
	wantContains(t, ctx, "#cc-total", "5.500,00 ALL")
	shots(t, ctx, "cc-cash-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")

	// The internet limit at 40 %, with the card's PIN.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/limits"), chromedp.WaitVisible(chromedp.CSS("#cc-form")))
	set(t, ctx, "cc-internet", "40")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	wantContains(t, ctx, "#cc-internet", "80.000,00 ALL")
	set(t, ctx, "cc-pin", demo.CreditCardPIN)
	shots(t, ctx, "cc-limits-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")

	// The automatic payment of the total.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/auto-payment"), chromedp.WaitVisible(chromedp.CSS("#cc-form")))
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#cc-percent-1")))
	set(t, ctx, "cc-account", cur.ID)
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")

	// Splitting the hotel into 3 instalments.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/statements"), chromedp.WaitVisible(chromedp.CSS("#cc-statements")))
	webtest.SubmitAndWait(t, ctx, ".cc-statement-link", "#cc-lines")
	webtest.SubmitAndWait(t, ctx, "#cc-lines li:nth-child(3) .cc-split-link", "#cc-form")
	shots(t, ctx, "cc-offers")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/instalments"), chromedp.WaitVisible(chromedp.CSS("#cc-plans")))
	shots(t, ctx, "cc-instalments")

	got, err := b.Credit.Summary(context.Background(), cr.CustomerID, cr.CardID)
	// 40.970,00 + 15.490,00 this month − 10.000,00 + 5.000,00 + 500,00.
	if err != nil || got.Debt != 4097000+1549000-1000000+550000 || got.InternetPercent != 40 || got.AutoPercent != 100 {
		t.Errorf("the card after all that: %+v, %v", got, err)
	}
	if plans, _ := b.Credit.Plans(context.Background(), cr.CustomerID, cr.CardID); len(plans) != 1 ||
		plans[0].Principal != 2340000 {
		t.Errorf("plans %+v", plans)
	}

	// Elira: Arben's card is not found.
	webtest.LogOut(t, ctx, b)
	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/statements"), chromedp.WaitVisible(chromedp.CSS("body")))
	if strings.Contains(webtest.Text(t, ctx, "body"), "40.970,00") {
		t.Error("Elira sees Arben's statement")
	}
}

// TestBrowserAnotherCardIsPaidByItsNumber (Y17): Elira pays Arben's credit card by its number, sees it masked with
// his name masked before confirming.
func TestBrowserAnotherCardIsPaidByItsNumber(t *testing.T) {
	b := webtest.NewBank(t)
	_, _, cr := arben(t, b)
	pan, err := b.Cards.Reveal(context.Background(), cr.CardID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/pay"), chromedp.WaitVisible(chromedp.CSS("#cc-form")))
	set(t, ctx, "cc-number", pan)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`(function(){document.getElementById("cc-from").selectedIndex=1;return true})()`)); err != nil {
		t.Fatal(err)
	}
	set(t, ctx, "cc-amount", "2.500")
	shots(t, ctx, "cc-other-form")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-review")
	wantContains(t, ctx, "#cc-holder", "A**** H****")
	wantContains(t, ctx, "#cc-amount", "2.500,00 ALL")
	shots(t, ctx, "cc-other-review")
	webtest.SubmitAndWait(t, ctx, "#cc-submit", "#cc-done")
	acc, _ := b.Ledger.Get(context.Background(), cr.AccountID)
	if acc.Balance != -(4097000 + 1549000 - 250000) {
		t.Errorf("Arben's card %d after Elira paid 2.500,00", acc.Balance)
	}
}
