package transfers_test

import (
	"context"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/transfer"
)

// The public terms pages, a transfer's detail with the beneficiary's phone and the history line that leads to it
// work on a 360 px phone without sideways scrolling.
func TestBrowserTermsTransferDetailAndHistoryFitANarrowScreen(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	me, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	tr, _, err := b.Transfers.Create(context.Background(), me, "narrow-1", transfer.Request{Type: transfer.Internal,
		FromAccountID: mine[0].ID, ToIBAN: theirs[0].IBAN, Amount: "1250.50", Currency: "ALL",
		Description: "Qira e muajit nëntor për apartamentin", PayeePhone: "069 123 4567"})
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 740))
	check := func(path, ready, name string) {
		t.Helper()
		webtest.Run(t, ctx, chromedp.Navigate(b.URL+path), chromedp.WaitVisible(chromedp.CSS(ready)))
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		webtest.Screenshot(t, ctx, "narrow-"+name)
		if w > 360 {
			t.Errorf("%s is %d px wide on a 360 px screen", path, w)
		}
	}
	check("/terms/individual", "#doc-text", "terms-individual")
	check("/terms/business", "#doc-text", "terms-business")
	b.LogIn(t, ctx, "100000001")
	check("/transfers/"+tr.ID, "#result-phone", "transfer-detail")
	check("/accounts/"+mine[0].ID+"/history", "a.fin-line-detail", "history")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("a.fin-line-detail")), chromedp.WaitVisible(chromedp.CSS("#line-transfer")))
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#line-transfer")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := webtest.Text(t, ctx, "#transfer-id"); got != tr.ID {
		t.Errorf("the history line led to %q, want %s", got, tr.ID)
	}
}
