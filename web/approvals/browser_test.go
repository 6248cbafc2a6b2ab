package approvals_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either; the tab stays at 1280 px.
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
}

// issueCard gives a demo customer a debit card on their first account and returns its id.
func issueCard(t *testing.T, b *webtest.Bank, client string) card.Card {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("accounts %v, %v", accounts, err)
	}
	k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: accounts[0].ID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type networkAnswer struct {
	ID, ApprovalID, Status string
	Code                   string
}

// network is the demo card network: it posts to /dev/card-network/3ds (body non-nil) or reads a result.
func network(t *testing.T, b *webtest.Bank, method, path string, body any) (int, networkAnswer) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, b.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		ID         string `json:"id"`
		ApprovalID string `json:"approval_id"`
		Status     string `json:"status"`
		Code       string `json:"code"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.StatusCode, networkAnswer{ID: out.ID, ApprovalID: out.ApprovalID, Status: out.Status, Code: out.Code}
}

// ask has the network ask for 3-D Secure on the card.
func ask(t *testing.T, b *webtest.Bank, cardID, ref, merchant, amount string) networkAnswer {
	t.Helper()
	status, a := network(t, b, "POST", "/dev/card-network/3ds", map[string]string{"id": ref, "card_id": cardID,
		"merchant": merchant, "amount": amount, "currency": "ALL"})
	if status != http.StatusCreated || a.Status != "pending" || a.ApprovalID == "" {
		t.Fatalf("ask %s: %d %+v", ref, status, a)
	}
	return a
}

// TestBrowserAPurchaseIsApprovedWithTheSMSCodeOrRejected is S9 in the internet branch: the network asks, the
// approval waits under "Aprovimet" with its merchant, amount and time left; the code from the SMS that names them
// approves it, "Refuzo" rejects another, one left 5 minutes expires; the network reads each result and the history
// shows them newest first.
func TestBrowserAPurchaseIsApprovedWithTheSMSCodeOrRejected(t *testing.T) {
	b := webtest.NewBank(t)
	k := issueCard(t, b, "100000001")
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")

	// The network: a bad request is refused in the domain's words; asking twice is one approval.
	if status, a := network(t, b, "POST", "/dev/card-network/3ds", map[string]string{"id": "x", "card_id": "nope",
		"merchant": "Shop", "amount": "10", "currency": "ALL"}); status != http.StatusNotFound || a.Code != "threeds_card_unknown" {
		t.Errorf("an unknown card: %d %+v", status, a)
	}
	first := ask(t, b, k.ID, "net-1", "Librari Adrion", "2450")
	if status, again := network(t, b, "POST", "/dev/card-network/3ds", map[string]string{"id": "net-1", "card_id": k.ID,
		"merchant": "Librari Adrion", "amount": "2450", "currency": "ALL"}); status != http.StatusOK || again.ApprovalID != first.ApprovalID {
		t.Errorf("asked again: %d %+v", status, again)
	}
	body, code := b.InboxCode(t, ctx)
	for _, want := range []string{"2.450,00 ALL", "Librari Adrion", k.Masked[len(k.Masked)-4:]} {
		if !strings.Contains(body, want) {
			t.Errorf("the SMS %q does not name %q", body, want)
		}
	}
	second := ask(t, b, k.ID, "net-2", "Dyqani Online Shpk", "18999.90")

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	webtest.SubmitAndWait(t, ctx, "#nav-approvals", "#pending")
	if got := webtest.Attr(t, ctx, "#nav-approvals", "aria-current"); got != "page" {
		t.Errorf("the menu's approvals link is not marked as the page (%q)", got)
	}
	row := `#pending [data-approval="` + first.ApprovalID + `"]`
	for sel, want := range map[string]string{row + " .approval-merchant": "Librari Adrion",
		row + " .approval-amount": "2.450,00 ALL", row + " .approval-left": "Mbeten 5 min"} {
		if got := webtest.Text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#history-none")))
	shots(t, ctx, "approvals-pending")

	// A wrong code is refused on the page; the right one approves.
	webtest.SubmitAndWait(t, ctx, row+" .approve-link", "#code-form")
	if got := webtest.Text(t, ctx, "#approve-amount"); got != "2.450,00 ALL" {
		t.Errorf("the approval page shows %q", got)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), wrong))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#code-form")
	if got := webtest.Text(t, ctx, "#problem"); !strings.Contains(got, b.Message("otp_invalid")) {
		t.Errorf("a wrong code says %q", got)
	}
	shots(t, ctx, "approval-wrong-code")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), code))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#history")
	if got := webtest.Text(t, ctx, "main"); !strings.Contains(got, b.Message("web_3ds_done_approved")) {
		t.Errorf("after approving the page says %q", got)
	}
	if _, r := network(t, b, "GET", "/dev/card-network/3ds/net-1", nil); r.Status != "approved" {
		t.Errorf("the network reads %+v", r)
	}

	// "Refuzo" from the list.
	webtest.SubmitAndWait(t, ctx, `#pending [data-approval="`+second.ApprovalID+`"] .reject-form button`, "#history")
	if _, r := network(t, b, "GET", "/dev/card-network/3ds/net-2", nil); r.Status != "rejected" {
		t.Errorf("the network reads %+v", r)
	}

	// Left for 5 minutes: expired, and its page goes back to the list.
	late := ask(t, b, k.ID, "net-3", "Shop", "100")
	b.Clock.Advance(threeds.DefaultValidity)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/approvals/"+late.ApprovalID), chromedp.WaitVisible(chromedp.CSS("#history")))
	statuses, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll("#history tbody tr")).map(r => r.dataset.status).join(" ")`))
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses; got != "expired rejected approved" {
		t.Errorf("history %s, want expired rejected approved", got)
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#pending-none")))
	shots(t, ctx, "approvals-history")

	// Another customer does not find it.
	webtest.LogOut(t, ctx, b)
	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/approvals/"+first.ApprovalID), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := webtest.Text(t, ctx, "main"); !strings.Contains(got, b.Message("threeds_approval_not_found")) {
		t.Errorf("another customer's approval shows %q", got)
	}
}

// TestBrowserAPurchaseIsApprovedWithAPasskey: a customer with a passkey approves with it (the shared confirmation
// step, bound to the merchant and the amount), without typing the code.
func TestBrowserAPurchaseIsApprovedWithAPasskey(t *testing.T) {
	b := webtest.NewBank(t)
	k := issueCard(t, b, "100000001")
	ctx := webtest.Tab(t)
	base := b.LocalURL
	b.LogInAt(t, ctx, base, "100000001")
	webtest.VirtualAuthenticator(t, ctx)
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-add")),
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), "Laptopi"),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")

	a := ask(t, b, k.ID, "pk-1", "Librari Adrion", "2450")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/approvals/"+a.ApprovalID), chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	shots(t, ctx, "approval-passkey")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-confirm-button")), chromedp.WaitVisible(chromedp.CSS("#history")))
	if _, r := network(t, b, "GET", "/dev/card-network/3ds/pk-1", nil); r.Status != "approved" {
		t.Errorf("the network reads %+v", r)
	}
	got, err := b.ThreeDS.ByReference(context.Background(), "pk-1")
	if err != nil || got.Method != "passkey" {
		t.Errorf("approved %+v, %v; want by passkey", got, err)
	}
	if n := b.Failures(t, "100000001"); n != 0 {
		t.Errorf("%d failed factors after a good approval", n)
	}
}
