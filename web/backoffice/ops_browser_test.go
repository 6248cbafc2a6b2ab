package backoffice_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/webtest"
)

// postFromPage posts a form to path from inside the page, with its cookies and its origin, as a member who
// crafted the form themselves would, and returns the status the bank answered.
func postFromPage(t *testing.T, ctx context.Context, path string, form url.Values) int {
	t.Helper()
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {method: "POST", redirect: "manual",
		headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: %q}).then(r => r.status)`, path, form.Encode()),
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// present reports whether the page has an element matching sel.
func present(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+webtest.Quote(sel)+`) !== null`))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// lineOf is the entry of the account's line of the amount (minor units, signed).
func lineOf(t *testing.T, b *webtest.Bank, accountID string, amount int64) ledger.Line {
	t.Helper()
	page, err := b.Ledger.History(context.Background(), accountID, ledger.HistoryFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Lines {
		if l.Amount == amount {
			return l
		}
	}
	t.Fatalf("no line of %d on %s", amount, accountID)
	return ledger.Line{}
}

// TestAReversalIsAskedByOneMemberAndApprovedByAnother: the four-eyes reversal by two people. The back office asks
// to reverse the 1,200 ALL Elira Shehu paid Dritan Çela: the account's page says the request waits, and nothing
// moved; its maker sees it waiting without the buttons, and an approval they post anyway is refused. A manager,
// with the count in the menu, finds it in the inbox, reads the entry's legs and the hash, and approves: the money is
// back with Elira and both see the request executed.
func TestAReversalIsAskedByOneMemberAndApprovedByAnother(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	elira, err := b.Customers.ByClientNumber(context.Background(), "100000002")
	if err != nil {
		t.Fatal(err)
	}
	eliraAccounts, _ := b.Ledger.ListByCustomer(context.Background(), elira.ID)
	line := lineOf(t, b, acc.ID, 120000)
	dritanBefore, eliraBefore := balance(t, b, acc.ID), balance(t, b, eliraAccounts[0].ID)

	maker := webtest.Tab(t)
	b.StaffLogIn(t, maker, "backoffice", demo.Password)
	webtest.Run(t, maker, chromedp.WaitVisible(chromedp.CSS("#home-customers")),
		chromedp.Navigate(b.URL+"/backoffice/customers/"+c.ID), chromedp.WaitVisible(chromedp.CSS("#customer-actions")))
	shoot(t, maker, "customer-actions")
	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, maker, "#account-"+acc.ID, "#entries-table")
	webtest.SubmitAndWait(t, maker, `tr[data-entry="`+line.EntryID+`"] .reverse-link`, "#reverse-form")
	if got := webtest.Text(t, maker, "#entry-id"); got != line.EntryID {
		t.Errorf("the reversal's page shows entry %q", got)
	}
	shoot(t, maker, "reverse")
	webtest.Run(t, maker, chromedp.EmulateViewport(360, 800),
		chromedp.SendKeys(chromedp.CSS("#reason"), "Pagesë e dyfishtë"))
	webtest.SubmitAndWait(t, maker, "#reverse-submit", "#sent")
	id := webtest.Text(t, maker, "#sent-link")
	if balance(t, b, acc.ID) != dritanBefore {
		t.Error("the balance moved before the approval")
	}
	webtest.SubmitAndWait(t, maker, "#sent-link", "#request-waiting")
	if present(t, maker, "#approve") || present(t, maker, "#reject") {
		t.Error("the maker is offered to decide their own request")
	}
	req := "/backoffice/approvals/" + id
	hash := webtest.Text(t, maker, "#request-hash")
	if status := postFromPage(t, maker, req+"/approve", url.Values{"hash": {hash}}); status != 403 {
		t.Errorf("the maker's own approval: %d, want 403", status)
	}
	shoot(t, maker, "request-maker")

	checker := webtest.Tab(t)
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, checker, "manager", demo.Password)
	webtest.Run(t, checker, chromedp.WaitVisible(chromedp.CSS("#tab-approvals-count")))
	if got := webtest.Text(t, checker, "#tab-approvals-count"); !strings.HasPrefix(got, "2") {
		t.Errorf("the manager's count says %q, want the demo's request and this one", got)
	}
	webtest.SubmitAndWait(t, checker, "#tab-approvals", "#pending")
	shoot(t, checker, "approvals")
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, checker, `tr[data-request="`+id+`"] .request-link`, "#approve-form")
	if got := webtest.Text(t, checker, "#request-hash"); got != hash {
		t.Errorf("the manager is shown hash %q, the maker %q", got, hash)
	}
	if n, err := chromedp.Run(checker, chromedp.Evaluate[int](`document.querySelectorAll("#entry-legs .entry-leg").length`)); err != nil || n != 2 {
		t.Errorf("the entry shows %d legs (%v)", n, err)
	}
	shoot(t, checker, "request")
	webtest.Run(t, checker, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, checker, "#approve", "#request-executed")
	if got := balance(t, b, acc.ID); got != dritanBefore-120000 {
		t.Errorf("Dritan's balance %d after the reversal, want %d", got, dritanBefore-120000)
	}
	if got := balance(t, b, eliraAccounts[0].ID); got != eliraBefore+120000 {
		t.Errorf("Elira's balance %d after the reversal, want %d", got, eliraBefore+120000)
	}
	webtest.Run(t, maker, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#request-executed")))
	if got := webtest.Text(t, maker, "#request-checker"); !strings.HasPrefix(got, "manager") {
		t.Errorf("the maker reads it decided by %q", got)
	}
}

// TestATellerPaysCashInAndOutAndIsRefusedTheOverdraft: a teller's deposit shows on the account at once; the
// overdraft is not offered, and its form, opened or posted, is the 403 page; a withdrawal above the teller's
// amount goes to approval and nothing is paid out; a unique code is shown once, on a page the browser does not keep.
func TestATellerPaysCashInAndOutAndIsRefusedTheOverdraft(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	before := balance(t, b, acc.ID)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "teller", demo.Password)
	account := b.URL + "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")), chromedp.Navigate(account),
		chromedp.WaitVisible(chromedp.CSS("#act-deposit")))
	if present(t, ctx, "#act-overdraft") || present(t, ctx, ".reverse-link") {
		t.Error("the teller is offered the back office's operations")
	}
	webtest.SubmitAndWait(t, ctx, "#act-deposit", "#cash-form")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#amount"), "2.500,00"), chromedp.SendKeys(chromedp.CSS("#reason"), "Arkë"))
	webtest.SubmitAndWait(t, ctx, "#cash-submit", "#notice")
	if got := webtest.Text(t, ctx, "#entries-table tbody tr:first-child .entry-amount"); got != "2.500,00 ALL" {
		t.Errorf("the newest entry is %q", got)
	}
	if got := balance(t, b, acc.ID); got != before+250000 {
		t.Errorf("balance %d, want %d", got, before+250000)
	}
	shoot(t, ctx, "account")

	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(account+"/overdraft"))
	if err != nil || resp.Status != 403 {
		t.Errorf("the overdraft's form for a teller: %v %v", resp.Status, err)
	}
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("staff_permission_denied") {
		t.Errorf("the page says %q", got)
	}
	if present(t, ctx, "#overdraft-form") {
		t.Error("the teller is shown the overdraft's form")
	}
	if status := postFromPage(t, ctx, strings.TrimPrefix(account, b.URL)+"/overdraft", url.Values{"limit": {"50000"}}); status != 403 {
		t.Errorf("the teller's overdraft posted: %d, want 403", status)
	}

	webtest.Run(t, ctx, chromedp.Navigate(account+"/withdraw"), chromedp.WaitVisible(chromedp.CSS("#cash-four-eyes")),
		chromedp.SendKeys(chromedp.CSS("#amount"), "1.500.000"), chromedp.SendKeys(chromedp.CSS("#reason"), "Blerje makine"))
	webtest.SubmitAndWait(t, ctx, "#cash-submit", "#sent")
	if got := balance(t, b, acc.ID); got != before+250000 {
		t.Errorf("the large withdrawal was paid out before approval: balance %d", got)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/approvals/mine"), chromedp.WaitVisible(chromedp.CSS(".request-row")))
	if got := webtest.Text(t, ctx, ".request-row .request-status"); got != b.Message("web_bo_req_status_pending") {
		t.Errorf("the teller's request is %q", got)
	}

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/customers/"+c.ID), chromedp.WaitVisible(chromedp.CSS("#code-form")),
		chromedp.SetValue(chromedp.CSS("#purpose"), "recovery"))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#unique-code")
	code := webtest.Text(t, ctx, "#unique-code")
	if len(code) < 8 || webtest.Text(t, ctx, "#code-expires") == "" {
		t.Errorf("code %q", code)
	}
	shoot(t, ctx, "unique-code")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#code-done", "#customer-actions")
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerHTML`)); err != nil || strings.Contains(html, code) {
		t.Errorf("the customer's page shows the code again (%v)", err)
	}
}

// TestAnExpiredRequestCannotBeApprovedInTheBrowser: a day after the demo's overdraft was asked for, the manager
// finds it expired, without the buttons, and an approval posted anyway is refused.
func TestAnExpiredRequestCannotBeApprovedInTheBrowser(t *testing.T) {
	b := webtest.NewBank(t)
	manager, _ := b.Staff.ByUsername(context.Background(), "manager")
	list, err := b.Approvals.List(context.Background(), manager, approval.Filter{Status: approval.Pending})
	if err != nil || len(list) != 1 {
		t.Fatalf("the demo's request: %v, %v", list, err)
	}
	b.Clock.Advance(approval.Validity + time.Hour)
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "manager", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")))
	if present(t, ctx, "#menu-approvals-count") {
		t.Error("an expired request is counted as waiting")
	}
	req := "/backoffice/approvals/" + list[0].ID
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+req), chromedp.WaitVisible(chromedp.CSS("#request-status")))
	if got := webtest.Text(t, ctx, "#request-status"); got != b.Message("web_bo_req_status_expired") {
		t.Errorf("the request is %q", got)
	}
	if present(t, ctx, "#approve-form") {
		t.Error("an expired request offers its approval")
	}
	if status := postFromPage(t, ctx, req+"/approve", url.Values{"hash": {list[0].Hash}}); status != 409 {
		t.Errorf("approving it anyway: %d, want 409", status)
	}
}
