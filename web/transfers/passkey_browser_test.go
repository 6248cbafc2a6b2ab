package transfers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/transfer"
)

// addPasskey adds a passkey from the profile of the customer logged in at base (the browser's virtual
// authenticator answers the prompt).
func addPasskey(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-add")),
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), name),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")
}

// payReview pays amount ALL from the customer's account fromID to a demo payee's IBAN at base, up to the review
// page.
func payReview(t *testing.T, ctx context.Context, base, fromID, payeeClient, toIBAN, amount string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(base+"/transfers/internal"),
		chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")),
		chromedp.SetValue(chromedp.CSS("#value"), payeeClient))
	webtest.SubmitAndWait(t, ctx, "#payee-submit", "#payee-name")
	webtest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="to_iban"][value="%s"]`, toIBAN))),
		chromedp.SetValue(chromedp.CSS("#from"), fromID),
		chromedp.SetValue(chromedp.CSS("#amount"), amount),
		chromedp.Click(chromedp.CSS("#internal-submit")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
	)
}

// pendingStatus is the status of a transfer waiting for, or past, its confirmation.
func (b *bank) pendingStatus(t *testing.T, id string) string {
	t.Helper()
	var s string
	if err := b.DB.QueryRow(context.Background(), "SELECT status FROM pending_transfers WHERE id = ?", id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBrowserPaymentAboveTheLowValueLimitIsConfirmedWithAPasskeyOnce(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	_, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	from, to := mine[0], theirs[0]
	b.LogInAt(t, ctx, base, "100000001")
	webtest.VirtualAuthenticator(t, ctx)
	addPasskey(t, ctx, base, "Laptopi")
	fromBefore, toBefore, rowsBefore := b.balance(t, from.ID), b.balance(t, to.ID), b.transferRows(t)

	payReview(t, ctx, base, from.ID, "100000002", to.IBAN, "5000")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#code-form")),
		chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	if got := webtest.Text(t, ctx, "#passkey-confirm-button"); got != b.Message("web_trpk_confirm") {
		t.Errorf("passkey button says %q", got)
	}
	webtest.Screenshot(t, ctx, "transfer-confirm-passkey-sq")
	if got := b.balance(t, to.ID); got != toBefore {
		t.Fatalf("payee balance moved to %d before the confirmation", got)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(webtest.Location(t, ctx), base+"/transfers/"), "/confirm")

	// The authenticator signs the payment's digest; the page goes to the result.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-confirm-button")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := webtest.Text(t, ctx, "#result-status"); got != b.Message("web_tr_status_completed") {
		t.Errorf("status %q", got)
	}
	if got := b.balance(t, to.ID); got != toBefore+500000 {
		t.Errorf("payee balance %d, want %d", got, toBefore+500000)
	}
	if got := b.balance(t, from.ID); got != fromBefore-500000 {
		t.Errorf("payer balance %d, want %d", got, fromBefore-500000)
	}

	// Once: the confirmation page now shows the result, and asking for a new ceremony is refused.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/transfers/"+id+"/confirm"), chromedp.WaitVisible(chromedp.CSS("#result")))
	again, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.fetch("/transfers/`+id+`/confirm/passkey/options",
		{method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"}).then(function (r) { return r.text(); })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(again, `"transfer_not_pending"`) {
		t.Errorf("a second ceremony for a completed payment answered %s", again)
	}
	if got := b.transferRows(t); got != rowsBefore+1 {
		t.Errorf("%d transfers made, want 1", got-rowsBefore)
	}
	if got := b.balance(t, to.ID); got != toBefore+500000 {
		t.Errorf("payee balance %d after the page was revisited, want %d", got, toBefore+500000)
	}
	if n := b.Failures(t, "100000001"); n != 0 {
		t.Errorf("%d failed factors after a good confirmation", n)
	}

	// A browser without WebAuthn is not offered the passkey: the SMS code is the way.
	next := b.pendingPayment(t, "100000001", "100000002", "pk-next")
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: "delete window.PublicKeyCredential;"}); err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.Navigate(base+"/transfers/"+next+"/confirm"), chromedp.WaitVisible(chromedp.CSS("#code")))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete"`)); err == nil && done {
			break
		}
	}
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" &&
		document.getElementById("passkey-confirm").hidden`)); err != nil || !hidden {
		t.Errorf("passkey offered without WebAuthn (%v)", err)
	}
}

// passkeyRefusal is what the page's script got from a passkey step.
type passkeyRefusal struct {
	OK       bool   `json:"ok"`
	Code     string `json:"code"`
	Error    string `json:"error"`
	Redirect string `json:"redirect"`
}

func TestBrowserPasskeyAssertionForOnePaymentCannotConfirmAnother(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	payer, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	from, to := mine[0], theirs[0]
	b.LogInAt(t, ctx, base, "100000001")
	webtest.VirtualAuthenticator(t, ctx)
	addPasskey(t, ctx, base, "Laptopi")

	// Two payments of the same amount to the same payee, both waiting for confirmation.
	pending := func(key string) string {
		tr, _, err := b.Transfers.Create(context.Background(), payer, key, transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "5000", Currency: "ALL", Description: "Qira"})
		if err != nil || tr.Status != transfer.PendingConfirmation {
			t.Fatalf("transfer %+v, %v: want one waiting for confirmation", tr, err)
		}
		return tr.ID
	}
	a, other := pending("pk-a"), pending("pk-b")
	fromBefore, toBefore, rowsBefore := b.balance(t, from.ID), b.balance(t, to.ID), b.transferRows(t)

	// The page of B asks for A's ceremony, the authenticator signs A's digest, and the answer is sent for B.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/transfers/"+other+"/confirm"), chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	script := `(function () {
		var pk = window.kumbaraPasskeys;
		return pk.post("/transfers/` + a + `/confirm/passkey/options").then(function (begin) {
			return navigator.credentials.get({ publicKey: pk.requestOptions(begin.options) }).then(function (cred) {
				return pk.post("/transfers/` + other + `/confirm/passkey",
					{ ceremony_id: begin.ceremony_id, response: pk.credentialJSON(cred) });
			});
		}).then(function (r) { return JSON.stringify(r); });
	})()`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var got passkeyRefusal
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("answer %s: %v", raw, err)
	}
	if got.OK || got.Code != "passkey_invalid" || got.Error != b.Message("web_trpk_invalid") {
		t.Fatalf("A's assertion sent for B answered %s", raw)
	}
	if b.balance(t, from.ID) != fromBefore || b.balance(t, to.ID) != toBefore || b.transferRows(t) != rowsBefore {
		t.Fatal("money moved after an assertion made for another payment")
	}
	if sa, sb := b.pendingStatus(t, a), b.pendingStatus(t, other); sa != transfer.PendingConfirmation || sb != transfer.PendingConfirmation {
		t.Fatalf("statuses %s, %s after the refusal", sa, sb)
	}
	if n := b.Failures(t, "100000001"); n != 1 {
		t.Errorf("%d failed factors after a refused assertion, want 1", n)
	}

	// B's own button confirms B; A still waits.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-confirm-button")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := b.balance(t, to.ID); got != toBefore+500000 {
		t.Errorf("payee balance %d, want %d", got, toBefore+500000)
	}
	if sa, sb := b.pendingStatus(t, a), b.pendingStatus(t, other); sa != transfer.PendingConfirmation || sb != transfer.Completed {
		t.Errorf("statuses %s, %s, want A waiting and B completed", sa, sb)
	}

	// A's page, while its passkey is removed elsewhere: the button says why it cannot work, and the code stays.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/transfers/"+a+"/confirm"), chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	if _, err := b.DB.Exec(context.Background(), "DELETE FROM passkeys WHERE customer_id = ?", payer); err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-confirm-button")))
	webtest.WaitText(t, ctx, "#passkey-confirm-status", b.Message("passkey_none"))
	if got := webtest.Attr(t, ctx, "#passkey-confirm-status", "role"); got != "alert" {
		t.Errorf("the refusal's role is %q", got)
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#code")))
	if sa := b.pendingStatus(t, a); sa != transfer.PendingConfirmation {
		t.Errorf("A is %s after the refusal", sa)
	}
}

func TestBrowserCustomerWithoutPasskeysIsNotOfferedOneToConfirm(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	webtest.VirtualAuthenticator(t, ctx) // the browser could: the customer has none
	_, mine := b.demoAccounts(t, "100000002")
	_, theirs := b.demoAccounts(t, "100000001")
	b.LogInAt(t, ctx, base, "100000002")
	payReview(t, ctx, base, mine[0].ID, "100000001", theirs[0].IBAN, "5000")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#code-form")))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#passkey-confirm, #passkey-confirm-button").length`))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a customer without passkeys is offered one (%d elements)", n)
	}
}
