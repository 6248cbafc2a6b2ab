package devclearing_test

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// TestTheDemoSendsACustomerAPaymentFromAnotherBank: the demo's clearing page injects a payment for a demo
// customer's IBAN, which is credited once and listed, and runs a clearing session; at 360 and 1280 px.
func TestTheDemoSendsACustomerAPaymentFromAnotherBank(t *testing.T) {
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
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.Currency == money.ALL })
	acc := accounts[i]
	before := acc.Balance
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/clearing"), chromedp.WaitVisible(chromedp.CSS("#ch-inbound")))
	webtest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#ch-iban"), acc.IBAN),
		chromedp.SetValue(chromedp.CSS("#ch-amount"), "1.500,25"),
		chromedp.SetValue(chromedp.CSS("#ch-name"), "Alba Trade Shpk"))
	webtest.SubmitAndWait(t, ctx, "#ch-send", "#notice")
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_devch_sent") {
		t.Fatalf("notice %q", got)
	}
	after, err := b.Ledger.Get(bg, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Balance != before+1_500_25 {
		t.Errorf("balance %d, want %d", after.Balance, before+1_500_25)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ch-messages tbody tr").length`))
	if err != nil || n != 1 {
		t.Errorf("%d messages listed (%v), want the payment's", n, err)
	}
	webtest.SubmitAndWait(t, ctx, "#ch-run", "#notice")
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_devch_session_done") {
		t.Errorf("notice after the session %q", got)
	}
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("the page at %d px scrolls sideways (%v)", w, err)
		}
		webtest.Screenshot(t, ctx, map[int64]string{360: "devclearing-360", 1280: "devclearing-1280"}[w])
	}
}
