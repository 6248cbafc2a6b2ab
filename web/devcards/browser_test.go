package devcards_test

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// TestTheDemoTerminalAuthorisesReversesAndClearsACardPayment: a person plays a shop against a demo customer's
// card: 25,40 lek approved and held; a magnetic stripe use declined with its reason; the approval reversed; a
// second purchase cleared by today's file and paid; at 360 and 1280 px.
func TestTheDemoTerminalAuthorisesReversesAndClearsACardPayment(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	bg := context.Background()
	c, err := b.Customers.ByClientNumber(bg, demo.Logins[0].ClientNumber)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(bg, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts[slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.Currency == money.ALL })]
	k, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, Contactless: true, PIN: "4826"})
	if err != nil {
		t.Fatal(err)
	}
	before := acc.Balance
	held := func() int64 {
		a, err := b.Ledger.Get(bg, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a.Held
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/cards"), chromedp.WaitVisible(chromedp.CSS("#dc-terminal")))
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "25,40"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	if got := webtest.Text(t, ctx, "#dc-answer"); got != b.Message("web_devcards_approved") {
		t.Fatalf("answer %q", got)
	}
	if h := held(); h != 2_540 {
		t.Errorf("held %d, want 2540", h)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "10"),
		chromedp.SetValue(chromedp.CSS("#dc-mode"), "magstripe"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	if got, want := webtest.Text(t, ctx, "#dc-answer"), b.Message("web_devcards_reason_control_off")+" ("+
		b.Message("web_devcards_control_magstripe")+")"; got != want {
		t.Errorf("magstripe answer %q, want %q", got, want)
	}
	webtest.SubmitAndWait(t, ctx, "#dc-sent button.reverse", "#notice")
	if h := held(); h != 0 {
		t.Errorf("held %d after the reversal", h)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "100"),
		chromedp.SetValue(chromedp.CSS("#dc-mode"), "contactless"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	webtest.SubmitAndWait(t, ctx, "#dc-run", "#notice")
	a, err := b.Ledger.Get(bg, acc.ID)
	if err != nil || a.Balance != before-10_000 || a.Held != 0 {
		t.Errorf("after clearing: balance %d (was %d) held %d %v", a.Balance, before, a.Held, err)
	}
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("the page at %d px scrolls sideways (%v)", w, err)
		}
		webtest.Screenshot(t, ctx, map[int64]string{360: "devcards-360", 1280: "devcards-1280"}[w])
	}
}
