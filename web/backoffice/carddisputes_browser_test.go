package backoffice_test

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestTheBackOfficeDisputesACardPaymentAndRecordsTheChargeback: a demo customer's card pays 1,500.00 lek, cleared
// by the day's file; the back office finds the card from the disputes page, sees the authorisation and the
// presentment, disputes it with a reason, and proposes the chargeback won: the page shows the decision waiting
// and who proposed it, the proposer cannot approve it, and once a manager approves it the customer has the
// 1,500.00 back and the dispute reads charged back. On a phone and a laptop, neither scrolling sideways.
func TestTheBackOfficeDisputesACardPaymentAndRecordsTheChargeback(t *testing.T) {
	b := webtest.NewBank(t)
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
	k, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Mastercard, PIN: "4826"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.Issuing.Authorise(bg, issuing.Request{ID: "net-bo-1", CardID: k.ID, Amount: money.New(150_000, money.ALL),
		Merchant: "Neptun Tirana", MCC: "5732", Country: "AL", CardPresent: true})
	if err != nil || !a.Approved {
		t.Fatalf("authorise: %+v %v", a, err)
	}
	if _, err := b.Issuing.Clear(bg, issuing.Format(issuing.File{ID: "F-bo", BusinessDate: calendar.DateOf(b.Clock.Now()),
		Presentments: []issuing.Presentment{{ID: "P-bo-1", AuthorisationID: "net-bo-1", CardID: k.ID, Kind: issuing.KindPurchase,
			Amount: money.New(150_000, money.ALL), MCC: "5732", Merchant: "Neptun Tirana"}}})); err != nil {
		t.Fatal(err)
	}
	paid, err := b.Ledger.Get(bg, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-disputes a")))
	webtest.SubmitAndWait(t, ctx, "#home-disputes a", "#cd-find")
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#cd-find-card"), k.ID))
	webtest.SubmitAndWait(t, ctx, "#cd-find-go", "#cd-clearing-table")
	if got := webtest.Text(t, ctx, "#cd-auth-net-bo-1 .cd-status"); got != b.Message("web_bo_cd_status_cleared") {
		t.Errorf("the authorisation reads %q", got)
	}
	shoot(t, ctx, "card-transactions")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800),
		chromedp.SetValue(chromedp.CSS("#cd-reason-P-bo-1"), "Televizori nuk u dorëzua"))
	webtest.SubmitAndWait(t, ctx, "#cd-clr-P-bo-1 button.cd-dispute", "#cd-table")
	webtest.SubmitAndWait(t, ctx, "#cd-table button.cd-won", "#sent")
	if got := webtest.Text(t, ctx, "#cd-table .cd-proposer"); got != "backoffice" {
		t.Errorf("the pending decision names %q as its proposer", got)
	}
	if present(t, ctx, "#cd-table button.cd-won") {
		t.Error("a dispute whose decision waits offers another")
	}
	if got, _ := b.Ledger.Get(bg, acc.ID); got.Balance != paid.Balance {
		t.Errorf("credited before the second member approved: %d", got.Balance)
	}
	req := webtest.Text(t, ctx, "#sent-link")
	if status := postFromPage(t, ctx, "/backoffice/approvals/"+req+"/approve", url.Values{}); status != 403 {
		t.Errorf("the proposer approved their own decision: %d", status)
	}

	checker := webtest.Tab(t)
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, checker, "manager", demo.Password)
	webtest.Run(t, checker, chromedp.Navigate(b.URL+"/backoffice/disputes"), chromedp.WaitVisible(chromedp.CSS("#cd-table")))
	if got := webtest.Text(t, checker, "#cd-table .cd-proposer"); got != "backoffice" {
		t.Errorf("the checker reads the proposer as %q", got)
	}
	webtest.SubmitAndWait(t, checker, "#cd-table a.cd-request", "#approve")
	submitCentred(t, checker, "#approve", "#request-executed")

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/disputes"), chromedp.WaitVisible(chromedp.CSS("#cd-table")))
	if got := webtest.Text(t, ctx, "#cd-table .cd-status"); got != b.Message("web_bo_cd_dispute_won") {
		t.Errorf("the dispute reads %q", got)
	}
	if present(t, ctx, "#cd-table .cd-pending") {
		t.Error("a decided dispute still shows a decision waiting")
	}
	after, err := b.Ledger.Get(bg, acc.ID)
	if err != nil || after.Balance != paid.Balance+150_000 {
		t.Errorf("balance %d after the chargeback, %d before (%v)", after.Balance, paid.Balance, err)
	}
	if present(t, ctx, "#cs-breaks") || !present(t, ctx, "#cs-none") {
		t.Error("a settlement break before any report")
	}
	// The network reports 1.00 for the file the bank posted at 1,500.00: a break, shown with both figures.
	if res, err := b.Issuing.Settle(bg, issuing.Settlement{FileID: "F-bo", Nets: []money.Amount{money.New(100, money.ALL)}}); err != nil || res.Breaks != 1 {
		t.Fatalf("settle: %+v %v", res, err)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/disputes"), chromedp.WaitVisible(chromedp.CSS("#cs-breaks")))
	if got := webtest.Text(t, ctx, "#cs-F-bo-ALL .cs-file"); got != "F-bo" {
		t.Errorf("the break names the file %q", got)
	}
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the disputes scroll sideways at %d px", w)
		}
	}
	shoot(t, ctx, "card-disputes")
	breaks, err := b.Ledger.Verify(bg)
	if err != nil || len(breaks) > 0 {
		t.Errorf("verify: %v %v", breaks, err)
	}
}
