package access_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/uniquecode"
)

// cardOf issues a demo customer a Visa card with PIN 4739, with the harness's card keys (derived from the auth
// key).
func cardOf(t *testing.T, b *bank, client string) card.Card {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	var accountID string
	if err := b.DB.QueryRow(ctx, "SELECT id FROM accounts WHERE customer_id = ? ORDER BY id LIMIT 1", c.ID).
		Scan(&accountID); err != nil {
		t.Fatal(err)
	}
	k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: accountID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// smsCode returns the code of the newest SMS to a demo customer's phone.
func smsCode(t *testing.T, b *bank, client string) string {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.Inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	code := webtest.CodeRe.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in the newest message %q", msgs[0].Body)
	}
	return code
}

// finishRecovery completes a recovery on /recover/complete: a mismatched repeat first (refused, costing nothing), then
// the code and the new password twice; it ends on the login page.
func finishRecovery(t *testing.T, ctx context.Context, b *bank, client, pw string) {
	t.Helper()
	code := smsCode(t, b, client)
	webtest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#rec-otp"), code),
		chromedp.SendKeys(chromedp.CSS("#new_password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), pw+"x"),
	)
	// The rules are checked as the customer types, as on the profile's password page.
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#password-rules li[data-rule="password_length"][data-state="met"]`)))
	webtest.SubmitAndWait(t, ctx, "#recover-complete-submit", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "web_rec_password_mismatch", nil); got != want {
		t.Fatalf("mismatch: %q, want %q", got, want)
	}
	webtest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#rec-otp"), code),
		chromedp.SetValue(chromedp.CSS("#new_password"), pw),
		chromedp.SetValue(chromedp.CSS("#confirm_password"), pw),
	)
	webtest.SubmitAndWait(t, ctx, "#recover-complete-submit", "#recover-done")
	webtest.SubmitAndWait(t, ctx, "#recover-to-login", "#username")
}

// oldPasswordFails shows the old password no longer logs in.
func oldPasswordFails(t *testing.T, ctx context.Context, b *bank, client string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
	)
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("the old password: %q, want %q", got, want)
	}
}

func TestBrowserRecoveryWithACardSetsANewPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const client, pw = "100000002", "Pranvera#7351"
	k := cardOf(t, b, client)
	submit := func(username, pin string) {
		t.Helper()
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#recover-link")),
			chromedp.Click(chromedp.CSS("#recover-link")),
			chromedp.WaitVisible(chromedp.CSS("#rec-username")),
			chromedp.SetValue(chromedp.CSS("#rec-username"), username),
			chromedp.Click(chromedp.CSS("#rec-method-card")),
			chromedp.SetValue(chromedp.CSS("#rec-card-type"), "visa"),
			chromedp.SetValue(chromedp.CSS("#rec-last6"), k.Last6),
			chromedp.SetValue(chromedp.CSS("#rec-pin"), pin),
		)
		webtest.SubmitAndWait(t, ctx, "#recover-submit", "#problem, #rec-otp")
	}
	// An unknown client number and a wrong PIN read the same, and the input (but not the PIN) is kept.
	submit("199999999", "4739")
	unknown := webtest.Text(t, ctx, "#problem")
	if want := b.Catalogue.Message(i18n.SQ, "recovery_failed", nil); unknown != want {
		t.Fatalf("unknown client: %q, want %q", unknown, want)
	}
	submit(client, "1111")
	if got := webtest.Text(t, ctx, "#problem"); got != unknown {
		t.Fatalf("wrong PIN says %q, unknown client says %q", got, unknown)
	}
	if v := webtest.Attr(t, ctx, "#rec-last6", "value"); v != k.Last6 {
		t.Fatalf("last six digits not kept: %q", v)
	}
	if v := webtest.Attr(t, ctx, "#rec-pin", "value"); v != "" {
		t.Fatalf("the PIN was sent back: %q", v)
	}
	submit(client, "4739")
	if intro := webtest.Text(t, ctx, "#recover-intro"); strings.Contains(intro, "+355682000002") || !strings.Contains(intro, "02") {
		t.Fatalf("intro should show the masked phone: %q", intro)
	}
	finishRecovery(t, ctx, b, client, pw)
	oldPasswordFails(t, ctx, b, client)
	webtest.SignIn(t, ctx, b.Bank, client, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}

func TestBrowserRecoveryWithABranchCodeSetsANewPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const client, pw = "100000003", "Pranvera#7351"
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := b.Codes.Issue(context.Background(), c.ID, uniquecode.Recovery, "test")
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-code")),
		chromedp.SetValue(chromedp.CSS("#rec-unique-code"), code),
	)
	webtest.SubmitAndWait(t, ctx, "#recover-submit", "#rec-otp")
	finishRecovery(t, ctx, b, client, pw)
	oldPasswordFails(t, ctx, b, client)
	webtest.SignIn(t, ctx, b.Bank, client, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
	// The code was single use.
	webtest.LogOut(t, ctx, b.Bank)
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-code")),
		chromedp.SetValue(chromedp.CSS("#rec-unique-code"), code),
	)
	webtest.SubmitAndWait(t, ctx, "#recover-submit", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "recovery_failed", nil); got != want {
		t.Fatalf("a spent code: %q, want %q", got, want)
	}
}

func TestBrowserPasswordChangeAsksACardHolderForTheCardAndPIN(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const client, chosen = "100000001", "Vjeshta#4826"
	k := cardOf(t, b, client)
	b.LogIn(t, ctx, client)
	change := func(pin string, want string) {
		t.Helper()
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/profile/password"),
			chromedp.WaitVisible(chromedp.CSS("#card_last6")),
			chromedp.SetValue(chromedp.CSS("#card_last6"), k.Last6),
			chromedp.SetValue(chromedp.CSS("#card_pin"), pin),
			chromedp.SetValue(chromedp.CSS("#old_password"), demo.Password),
			chromedp.SetValue(chromedp.CSS("#new_password"), chosen),
			chromedp.SetValue(chromedp.CSS("#confirm_password"), chosen),
		)
		webtest.SubmitAndWait(t, ctx, "#password-submit", want)
	}
	change("1111", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "password_card_wrong", nil); got != want {
		t.Fatalf("wrong PIN: %q, want %q", got, want)
	}
	if got := webtest.Attr(t, ctx, "#card_pin", "aria-invalid"); got != "true" {
		t.Error("the PIN is not marked invalid")
	}
	change("4739", "#notice")
	if got, want := webtest.Text(t, ctx, "#notice"), b.Catalogue.Message(i18n.SQ, "web_pr_password_changed", nil); got != want {
		t.Fatalf("after the change: %q, want %q", got, want)
	}
	webtest.LogOut(t, ctx, b.Bank)
	webtest.SignIn(t, ctx, b.Bank, client, chosen)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}

// A customer an outsider blocked (five wrong passwords from an address the customer never used) unblocks the
// channel with the card recovery and logs in from there at once, without a branch.
func TestBrowserABlockedCustomerUnblocksWithTheCardRecovery(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const client, pw = "100000002", "Pranvera#7351"
	k := cardOf(t, b, client)
	webtest.BlockWeb(t, b.Bank, client)
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-card")),
		chromedp.SetValue(chromedp.CSS("#rec-card-type"), "visa"),
		chromedp.SetValue(chromedp.CSS("#rec-last6"), k.Last6),
		chromedp.SetValue(chromedp.CSS("#rec-pin"), "4739"),
	)
	webtest.SubmitAndWait(t, ctx, "#recover-submit", "#rec-otp")
	finishRecovery(t, ctx, b, client, pw)
	webtest.SignIn(t, ctx, b.Bank, client, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}
