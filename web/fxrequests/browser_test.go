package fxrequests_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either.
func shots(t *testing.T, ctx context.Context, name string) {
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
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
}

// tap scrolls button to the middle of the screen, clear of the phone's tab bar, and submits with it.
func tap(t *testing.T, ctx context.Context, button, sel string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+webtest.Quote(button)+
		`).scrollIntoView({block: "center"})`))
	webtest.SubmitAndWait(t, ctx, button, sel)
}

// rowStatus is the status the list shows for request id.
func rowStatus(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return webtest.Text(t, ctx, `tr[data-request="`+id+`"] .fxr-status`)
}

// TestMyRequestsAskCancelAndExecuteAPreferentialRate is the customer's side of X5 in the browser: Dritan Çela finds
// "My requests" from the transfers, with the demo's request for 12,000 EUR waiting for the bank; asks for another
// (under 10,000 EUR is refused beside the amount, typed the Albanian way) and cancels it; once the bank proposes
// 99.10 he approves the first, is refused 10 % and a cent more, and executes 13,200.00 EUR for 1,308,120.00 lek after
// the review. Another customer's request is not found.
func TestMyRequestsAskCancelAndExecuteAPreferentialRate(t *testing.T) {
	b := webtest.NewBank(t)
	bg := context.Background()
	list, err := b.Operations.FX.AllRequests(bg, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("the demo's request: %v, %v", list, err)
	}
	demoReq := list[0]
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	b.LogIn(t, ctx, "100000003")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-fx-requests")))
	webtest.SubmitAndWait(t, ctx, "#choose-fx-requests", "#fx-requests")
	if got := rowStatus(t, ctx, demoReq.ID); got != "Në pritje" {
		t.Fatalf("the demo's request shows %q", got)
	}
	shots(t, ctx, "list-waiting")

	// Ask for another: from the euro account into the lek one, selling euros.
	webtest.SubmitAndWait(t, ctx, "#fxr-new", "#fxr-form")
	webtest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#from"), demoReq.ToAccountID),
		chromedp.SetValue(chromedp.CSS("#to"), demoReq.FromAccountID),
		chromedp.Click(chromedp.CSS("#side-sell")),
		chromedp.SetValue(chromedp.CSS("#amount"), "5.000,00"))
	webtest.SubmitAndWait(t, ctx, "#fxr-submit", "#problem")
	if got := webtest.Text(t, ctx, "#problem"); !strings.Contains(got, "10.000,00 EUR") ||
		webtest.Attr(t, ctx, "#amount", "aria-invalid") != "true" || webtest.Value(t, ctx, "#amount") != "5.000,00" {
		t.Fatalf("under the minimum: %q", got)
	}
	shots(t, ctx, "form-error")
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#amount"), "10.500,00"))
	webtest.SubmitAndWait(t, ctx, "#fxr-submit", "#fx-requests")
	mine, err := b.Operations.FX.Requests(bg, demoReq.CustomerID, 0)
	if err != nil || len(mine) != 2 || mine[0].Amount.String() != "10500.00 EUR" || mine[0].Side != fx.SideSell {
		t.Fatalf("requests after asking: %+v, %v", mine, err)
	}
	if webtest.Text(t, ctx, "#notice") == "" {
		t.Error("no notice after asking")
	}
	tap(t, ctx, `tr[data-request="`+mine[0].ID+`"] .fxr-cancel`, "#fx-requests")
	if got := rowStatus(t, ctx, mine[0].ID); got != "Anuluar" {
		t.Fatalf("the cancelled request shows %q", got)
	}

	// The bank answers the demo's request (under the four-eyes amount: at once); the lek arrive.
	desk, err := b.Staff.ByUsername(bg, "backoffice")
	if err != nil {
		t.Fatal(err)
	}
	if o, err := b.Operations.ProposeRate(bg, desk, fx.Offer{RequestID: demoReq.ID, Rate: "99.10",
		ValidUntil: b.Clock.Now().Add(4 * time.Hour)}); err != nil || o.Pending != nil {
		t.Fatalf("proposing: %+v, %v", o, err)
	}
	if _, err := b.Ledger.CashDeposit(bg, demoReq.FromAccountID, money.New(2_000_000_00, money.ALL), "test"); err != nil {
		t.Fatal(err)
	}
	lek, err := b.Ledger.Get(bg, demoReq.FromAccountID)
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/fx/requests"), chromedp.WaitVisible(chromedp.CSS("#fx-requests")))
	if got := rowStatus(t, ctx, demoReq.ID); got != "Konfirmuar" {
		t.Fatalf("the answered request shows %q", got)
	}
	shots(t, ctx, "list-confirmed")
	tap(t, ctx, `tr[data-request="`+demoReq.ID+`"] .fxr-approve`, "#approve-form")
	if got := webtest.Value(t, ctx, "#amount"); got != "12.000,00" {
		t.Errorf("the amount starts at %q", got)
	}
	if got := webtest.Text(t, ctx, "#approve-max"); got != "13.200,00 EUR" {
		t.Errorf("the most is %q", got)
	}
	shots(t, ctx, "approve")
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#amount"), "13.200,01"))
	webtest.SubmitAndWait(t, ctx, "#approve-continue", "#problem")
	if got := webtest.Text(t, ctx, "#problem"); !strings.Contains(got, "±10 %") {
		t.Fatalf("10 %% and a cent more: %q", got)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#amount"), "13.200,00"))
	webtest.SubmitAndWait(t, ctx, "#approve-continue", "#execute-form")
	// 13,200 × 99.10 = 1,308,120.00 lek.
	if sell, buy := webtest.Text(t, ctx, "#review-sell"), webtest.Text(t, ctx, "#review-buy"); sell != "1.308.120,00 ALL" ||
		buy != "13.200,00 EUR" {
		t.Fatalf("review %q → %q", sell, buy)
	}
	shots(t, ctx, "review")
	webtest.SubmitAndWait(t, ctx, "#execute", "#fx-requests")
	if got := rowStatus(t, ctx, demoReq.ID); got != "Përfunduar" {
		t.Fatalf("the executed request shows %q", got)
	}
	shots(t, ctx, "list-done")
	if got, err := b.Ledger.Get(bg, demoReq.FromAccountID); err != nil || got.Balance != lek.Balance-1_308_120_00 {
		t.Fatalf("lek %d, want %d (%v)", got.Balance, lek.Balance-1_308_120_00, err)
	}
	if got, err := b.Ledger.Get(bg, demoReq.ToAccountID); err != nil || got.Balance < 13_200_00 {
		t.Fatalf("euros %d (%v)", got.Balance, err)
	}
	if convs, err := b.Operations.FX.Conversions(bg, demoReq.CustomerID, 0); err != nil || len(convs) != 1 {
		t.Fatalf("conversions %d, %v", len(convs), err)
	}

	webtest.LogOut(t, ctx, b)
	b.LogIn(t, ctx, "100000001")
	if got := webtest.Fetch(t, ctx, "/fx/requests/"+demoReq.ID+"/approve"); got.Status != 404 {
		t.Errorf("another customer's request: %d", got.Status)
	}
}
