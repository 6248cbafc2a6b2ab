package transfers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/vop"
	"github.com/kumbara/kumbara/web/webtest"
)

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either; it leaves the phone's width.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("%s at %d px scrolls sideways (%v)", name, w, err)
		}
		webtest.Screenshot(t, ctx, fmt.Sprintf("%s-%d", name, w))
	}
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
}

// confirmReview confirms the transfer on the review page and waits for its result. The button is brought to the
// middle of the screen first: on a phone the fixed navigation bar covers the bottom of the page, where a click
// would land on the bar instead.
func confirmReview(t *testing.T, ctx context.Context) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#confirm")))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.querySelector("#confirm").scrollIntoView({block: "center"}); true`)); err != nil {
		t.Fatal(err)
	}
	webtest.SubmitAndWait(t, ctx, "#confirm", "#result")
}

// toNamedReview finds the demo payee Elira Shehu by client number, fills the in-bank transfer form with the
// payee's name as typed and continues to the review.
func (b *bank) toNamedReview(t *testing.T, ctx context.Context, from, toIBAN, amount, name string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/transfers/internal"),
		chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")),
		chromedp.SetValue(chromedp.CSS("#value"), "100000002"),
		chromedp.Click(chromedp.CSS("#payee-submit")),
		chromedp.WaitVisible(chromedp.CSS("#payee-name")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="to_iban"][value="%s"]`, toIBAN))),
		chromedp.SetValue(chromedp.CSS("#name"), name),
		chromedp.SetValue(chromedp.CSS("#from"), from),
		chromedp.SetValue(chromedp.CSS("#amount"), amount),
	)
	webtest.SubmitAndWait(t, ctx, "#internal-submit", "#confirm-form")
}

// TestBrowserInBankTransferShowsTheNameCheckAndRecordsIt: the payee's name typed on an in-bank transfer is checked
// as a payment's is. A close match shows the name on the account on the review, as a payment's review does; the
// customer may go on with the name they typed, and the transfer's page says what they were shown — or use the
// account's name, which reviews the transfer again, now a match.
func TestBrowserInBankTransferShowsTheNameCheckAndRecordsIt(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	_, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	from, to := mine[0], theirs[0]
	toBefore := b.balance(t, to.ID)
	b.LogIn(t, ctx, "100000001")

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/internal"), chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")), chromedp.SetValue(chromedp.CSS("#value"), "100000002"),
		chromedp.Click(chromedp.CSS("#payee-submit")), chromedp.WaitVisible(chromedp.CSS("#name")))
	if got := webtest.Text(t, ctx, "#name-hint"); got != b.Message("web_tr_name_hint") {
		t.Errorf("the name's hint says %q", got)
	}
	shots(t, ctx, "internal-form-name")

	// Going on with the name typed after a close match.
	b.toNamedReview(t, ctx, from.ID, to.IBAN, "250", "Elira Shehi")
	if got := webtest.Attr(t, ctx, "#vop", "data-vop"); got != string(vop.CloseMatch) {
		t.Fatalf("name check %q, want a close match", got)
	}
	if got := webtest.Text(t, ctx, "#vop"); !strings.Contains(got, "Elira Shehu") || !strings.Contains(got, "Elira Shehi") {
		t.Errorf("the close match does not name the account's holder and the name typed: %q", got)
	}
	shots(t, ctx, "close-match-review")
	confirmReview(t, ctx)
	if got := webtest.Attr(t, ctx, "#result-vop", "data-vop"); got != string(vop.CloseMatch) {
		t.Errorf("the transfer records the check %q", got)
	}
	if got := webtest.Text(t, ctx, "#result-vop"); !strings.Contains(got, "Elira Shehu") {
		t.Errorf("the transfer's page does not say the name the customer was shown: %q", got)
	}
	shots(t, ctx, "close-match-result")
	if got := webtest.Fetch(t, ctx, webtest.Attr(t, ctx, "#receipt", "href")); got.Status != 200 || got.Magic != "%PDF" {
		t.Errorf("receipt: %+v", got)
	}

	// Using the name on the account instead: reviewed again, a match.
	b.toNamedReview(t, ctx, from.ID, to.IBAN, "100", "Elira Shehi")
	webtest.SubmitAndWait(t, ctx, "#vop-use", "#review")
	if got := webtest.Attr(t, ctx, "#vop", "data-vop"); got != string(vop.Match) {
		t.Errorf("with the account's name the check is %q, want a match", got)
	}
	if got := webtest.Text(t, ctx, "#vop"); got != b.Message("web_pay_vop_match_review") {
		t.Errorf("a match says %q", got)
	}
	confirmReview(t, ctx)
	if got := webtest.Attr(t, ctx, "#result-vop", "data-vop"); got != string(vop.Match) {
		t.Errorf("the transfer records the check %q", got)
	}

	// No name, no check: the review and the result say nothing of one.
	b.toNamedReview(t, ctx, from.ID, to.IBAN, "50", " ")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#vop").length`)); n != 0 {
		t.Errorf("a transfer without a name shows a name check")
	}
	confirmReview(t, ctx)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#result-vop").length`)); n != 0 {
		t.Errorf("a transfer without a name records a name check")
	}
	if got := b.balance(t, to.ID); got != toBefore+25000+10000+5000 {
		t.Errorf("payee balance %d, want %d", got, toBefore+40000)
	}
}
