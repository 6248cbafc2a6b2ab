package backoffice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestARateAskedByOneMemberIsInForceOnceAnotherApprovesIt: on a phone the back office opens the exchange rates
// from the payments' tabs, the rates and the history fitting the width as cards; USD's "change" fills the form the
// Albanian way; a sell rate below the buy rate is said beside it; the rate typed again is sent and the page names
// the request. A manager reads it beside the rate in force and approves it; the maker's page then shows it in
// force, and the cross rates against EUR are a choice away.
func TestARateAskedByOneMemberIsInForceOnceAnotherApprovesIt(t *testing.T) {
	b := webtest.NewBank(t)
	maker := webtest.Tab(t)
	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, maker, "backoffice", demo.Password)
	webtest.Run(t, maker, chromedp.WaitVisible(chromedp.CSS("#tab-payments")))
	webtest.SubmitAndWait(t, maker, "#tab-payments", "#payments-form")
	webtest.SubmitAndWait(t, maker, "#payments-tab-fx", "#fx-table")
	noSideways(t, maker, "the rates")
	shoot(t, maker, "fx")

	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, maker, "#change-USD", "#fx-publish-form")
	if buy, sell := webtest.Value(t, maker, "#buy"), webtest.Value(t, maker, "#sell"); buy != "90,20" || sell != "92,10" {
		t.Fatalf("USD's change fills %q / %q", buy, sell)
	}
	webtest.Run(t, maker, chromedp.Clear(chromedp.CSS("#sell")), chromedp.SendKeys(chromedp.CSS("#sell"), "89,90"))
	submitCentred(t, maker, "#fx-submit", "#sell-problem")
	if got := webtest.Text(t, maker, "#sell-problem"); got != b.Message("fx_sell_below_buy") {
		t.Errorf("beside the sell rate: %q", got)
	}
	noSideways(t, maker, "the refused form")
	shoot(t, maker, "fx-refused")
	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800),
		chromedp.Clear(chromedp.CSS("#buy")), chromedp.SendKeys(chromedp.CSS("#buy"), "90,50"),
		chromedp.Clear(chromedp.CSS("#sell")), chromedp.SendKeys(chromedp.CSS("#sell"), "92,30"))
	submitCentred(t, maker, "#fx-submit", "#sent")
	id := webtest.Text(t, maker, "#sent-link")
	if got := webtest.Text(t, maker, "#fx-USD .fx-buy"); got != "90,20" {
		t.Errorf("USD buys at %s before the approval", got)
	}

	checker := webtest.Tab(t)
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, checker, "manager", demo.Password)
	webtest.Run(t, checker, chromedp.WaitVisible(chromedp.CSS("#tab-approvals")))
	webtest.SubmitAndWait(t, checker, "#tab-approvals", "#pending")
	webtest.SubmitAndWait(t, checker, `tr[data-request="`+id+`"] .request-link`, "#request-fx")
	if got := webtest.Text(t, checker, "#request-fx"); !strings.Contains(got, "90,20") || !strings.Contains(got, "90,50") {
		t.Errorf("the request's figures: %q", got)
	}
	noSideways(t, checker, "the request")
	shoot(t, checker, "fx-request")
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	submitCentred(t, checker, "#approve", "#request-executed")

	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800), chromedp.Navigate(b.URL+"/backoffice/fx"),
		chromedp.WaitVisible(chromedp.CSS("#fx-table")))
	for sel, want := range map[string]string{"#fx-USD .fx-buy": "90,50", "#fx-USD .fx-sell": "92,30",
		"#fx-USD .fx-mid": "91,40", "#fx-USD .fx-checker": "manager"} {
		if got := webtest.Text(t, maker, sel); got != want {
			t.Errorf("%s says %q, want %q", sel, got, want)
		}
	}
	webtest.Run(t, maker, chromedp.SetValue(chromedp.CSS("#cross"), "EUR"))
	submitCentred(t, maker, "#cross-submit", "#cross-table")
	if got := webtest.Text(t, maker, "#cross-ALL .fx-sell"); got != "0,010225" {
		t.Errorf("the lek sells in euros at %q", got)
	}
	noSideways(t, maker, "the rates in force and crossed")
	shoot(t, maker, "fx-approved")
}

// noSideways fails the test if the page scrolls sideways at 360 or 1280 px.
func noSideways(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	for _, w := range []int64{1280, 360} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("%s scrolls sideways at %d px", what, w)
		}
	}
}

// submitCentred scrolls button to the middle of the screen before SubmitAndWait clicks it: on a phone the click
// lands where the button is, and a button just scrolled into view at the bottom is under the fixed tab bar.
func submitCentred(t *testing.T, ctx context.Context, button, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+webtest.Quote(button)+
		`).scrollIntoView({block: "center"}); true`)); err != nil {
		t.Fatal(err)
	}
	webtest.SubmitAndWait(t, ctx, button, sel)
}
