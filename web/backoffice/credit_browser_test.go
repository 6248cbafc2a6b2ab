package backoffice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestOpeningACreditCardTakesTwoMembersAndThenTakesASupplementaryCard: the back office asks for Dritan's credit
// card from his page (a cash limit above the limit is refused on the form), a manager reads the limits on the
// request and approves it, and the back office then issues a supplementary card on it from the card's page.
func TestOpeningACreditCardTakesTwoMembersAndThenTakesASupplementaryCard(t *testing.T) {
	b := webtest.NewBank(t)
	c, _ := dritan(t, b)
	maker := webtest.Tab(t)
	b.StaffLogIn(t, maker, "backoffice", demo.Password)
	webtest.Run(t, maker, chromedp.WaitVisible(chromedp.CSS("#home-customers")),
		chromedp.Navigate(b.URL+"/backoffice/customers/"+c.ID), chromedp.WaitVisible(chromedp.CSS("#customer-actions")))
	webtest.SubmitAndWait(t, maker, "#act-open-credit", "#credit-form")
	cardShots(t, maker, "credit-new")
	webtest.Run(t, maker, chromedp.SendKeys(chromedp.CSS("#limit"), "100000"),
		chromedp.SendKeys(chromedp.CSS("#cash_limit"), "150000"))
	webtest.SubmitAndWait(t, maker, "#credit-submit", "#limit-problem")
	webtest.Run(t, maker, chromedp.SetValue(chromedp.CSS("#cash_limit"), "20000"))
	webtest.SubmitAndWait(t, maker, "#credit-submit", "#sent")
	id := webtest.Text(t, maker, "#sent-link")
	if list, _ := b.Credit.List(context.Background(), c.ID); len(list) != 0 {
		t.Fatal("a credit card before the approval")
	}

	checker := webtest.Tab(t)
	b.StaffLogIn(t, checker, "manager", demo.Password)
	webtest.Run(t, checker, chromedp.Navigate(b.URL+"/backoffice/approvals/"+id),
		chromedp.WaitVisible(chromedp.CSS("#request-credit")))
	if got := webtest.Text(t, checker, "#credit-limit"); !strings.Contains(got, "100") || !strings.Contains(got, "ALL") {
		t.Errorf("the checker reads the limit %q", got)
	}
	cardShots(t, checker, "credit-request")
	webtest.SubmitAndWait(t, checker, "#approve", "#request-executed")
	list, err := b.Credit.List(context.Background(), c.ID)
	if err != nil || len(list) != 1 || list[0].Limit != 100_000_00 || list[0].CashLimit != 20_000_00 {
		t.Fatalf("credit cards after the approval: %+v, %v", list, err)
	}

	webtest.Run(t, maker, chromedp.Navigate(b.URL+"/backoffice/cards/"+list[0].CardID),
		chromedp.WaitVisible(chromedp.CSS("#supplementary-form")),
		chromedp.SendKeys(chromedp.CSS("#holder"), "Ana Hoxha"))
	webtest.SubmitAndWait(t, maker, "#supplementary-submit", "#card-facts")
	if got := webtest.Text(t, maker, "#card-kind"); !strings.Contains(got, "shtesë") && !strings.Contains(got, "Supplementary") {
		t.Errorf("the new card's kind reads %q", got)
	}
	if present(t, maker, "#supplementary-form") {
		t.Error("a supplementary card offers a supplementary card of its own")
	}
	cardShots(t, maker, "supplementary")
}
