package access_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// The demo business's representative, Arben, with a password of his own that is not the business's.
const (
	arbenClient = "100000001"
	arbenOwnPW  = "Lule-Shqipe7"
)

func TestBrowserRepresentativeLogsInToTheBusinessWithTheirOwnPassword(t *testing.T) {
	b := newBank(t)
	bg := context.Background()
	arben, err := b.Customers.ByClientNumber(bg, arbenClient)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(bg, arben.ID, arbenOwnPW, false); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login/business"),
		chromedp.WaitVisible(chromedp.CSS("#nipt")),
		chromedp.SendKeys(chromedp.CSS("#username"), arbenClient),
		chromedp.SendKeys(chromedp.CSS("#nipt"), demo.BusinessNIPT),
		chromedp.SendKeys(chromedp.CSS("#password"), arbenOwnPW),
	)
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")
	msgs, err := b.Inbox.InboxFor(bg, arben.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS on the representative's phone: %v", err)
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), webtest.CodeRe.FindString(msgs[0].Body)))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
	if got := webtest.Text(t, ctx, "a.who"); got != "Ëmbëlsira Tirana Shpk · Arben Hoxha" {
		t.Errorf("header names %q, want the business and the representative", got)
	}
	page := webtest.Text(t, ctx, "#accounts")
	bizIBAN := ""
	if list, err := b.Ledger.ListByCustomer(bg, mustCustomer(t, b, "100000004")); err == nil && len(list) > 0 {
		bizIBAN = list[0].IBAN
	}
	own, err := b.Ledger.ListByCustomer(bg, arben.ID)
	if err != nil || len(own) == 0 {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ReplaceAll(page, " ", ""), bizIBAN[len(bizIBAN)-4:]) {
		t.Errorf("the business's account is not listed: %q", page)
	}
	for _, a := range own {
		if strings.Contains(strings.ReplaceAll(page, " ", ""), a.IBAN) {
			t.Errorf("Arben's own account %s is listed for the business", a.IBAN)
		}
	}
	webtest.Screenshot(t, ctx, "business-representative-accounts-sq")
}

func mustCustomer(t *testing.T, b *bank, client string) string {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
