package backoffice_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// cardShots saves the page at 360 and 1280 px and fails if it scrolls sideways at either; the tab stays at 1280.
func cardShots(t *testing.T, ctx context.Context, name string) {
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

// TestCustomerServiceBlocksAndReprintsACardFromItsPage: a member of customer service finds Dritan's card from his
// page, blocks it, reprints it, and marks the new card ready, each from the card's page.
func TestCustomerServiceBlocksAndReprintsACardFromItsPage(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	k, err := b.Cards.Issue(context.Background(), card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID,
		Type: card.Mastercard, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "service", demo.Password)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/customers/"+c.ID), chromedp.WaitVisible(chromedp.CSS("#cards")))
	webtest.SubmitAndWait(t, ctx, "#cards .card-link", "#card-facts")
	cardShots(t, ctx, "card")
	webtest.SubmitAndWait(t, ctx, "#card-block", "#card-unblock")
	if got := webtest.Attr(t, ctx, "#card-status", "data-status"); got != "blocked" {
		t.Fatalf("status %q", got)
	}
	webtest.SubmitAndWait(t, ctx, "#card-reprint", "#card-ready")
	if got := webtest.Attr(t, ctx, "#card-status", "data-status"); got != "ordered" {
		t.Fatalf("new card's status %q", got)
	}
	cardShots(t, ctx, "reprinted")
	webtest.SubmitAndWait(t, ctx, "#card-ready", "#card-hand-over")
	if status(t, b, k.ID) != card.Replaced {
		t.Fatal("the old card is not replaced")
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/cards?last4="+k.Masked[len(k.Masked)-4:]),
		chromedp.WaitVisible(chromedp.CSS("#card-results")))
	cardShots(t, ctx, "search")
}
