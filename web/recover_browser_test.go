package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/uniquecode"
)

// recCard issues a demo customer a Visa card with PIN 4739, with the harness's card keys (derived from the auth
// key).
func recCard(t *testing.T, b *bank, client string) card.Card {
	t.Helper()
	ctx := context.Background()
	c, err := b.customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	var accountID string
	if err := b.d.QueryRow(ctx, "SELECT id FROM accounts WHERE customer_id = ? ORDER BY id LIMIT 1", c.ID).
		Scan(&accountID); err != nil {
		t.Fatal(err)
	}
	k, err := b.cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: accountID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// recSMSCode returns the code of the newest SMS to a demo customer's phone.
func recSMSCode(t *testing.T, b *bank, client string) string {
	t.Helper()
	c, err := b.customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	code := codeRe.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in the newest message %q", msgs[0].Body)
	}
	return code
}

// recFinish completes a recovery on /recover/complete: a mismatched repeat first (refused, costing nothing), then
// the code and the new password twice; it ends on the login page.
func recFinish(t *testing.T, ctx context.Context, b *bank, client, pw string) {
	t.Helper()
	code := recSMSCode(t, b, client)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#rec-otp"), code),
		chromedp.SendKeys(chromedp.CSS("#new_password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), pw+"x"),
	)
	// The rules are checked as the customer types, as on the profile's password page.
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#password-rules li[data-rule="password_length"][data-state="met"]`)))
	submitAndWait(t, ctx, "#recover-complete-submit", "#problem")
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "web_rec_password_mismatch", nil); got != want {
		t.Fatalf("mismatch: %q, want %q", got, want)
	}
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#rec-otp"), code),
		chromedp.SetValue(chromedp.CSS("#new_password"), pw),
		chromedp.SetValue(chromedp.CSS("#confirm_password"), pw),
	)
	submitAndWait(t, ctx, "#recover-complete-submit", "#recover-done")
	submitAndWait(t, ctx, "#recover-to-login", "#username")
}

// recOldPasswordFails shows the old password no longer logs in.
func recOldPasswordFails(t *testing.T, ctx context.Context, b *bank, client string) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(b.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SetValue(chromedp.CSS("#password"), demo.Password),
	)
	submitAndWait(t, ctx, "#login-submit", "#problem")
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("the old password: %q, want %q", got, want)
	}
}

func TestBrowserRecoveryWithACardSetsANewPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	const client, pw = "100000002", "Pranvera#7351"
	k := recCard(t, b, client)
	submit := func(username, pin string) {
		t.Helper()
		run(t, ctx,
			chromedp.Navigate(b.url+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#recover-link")),
			chromedp.Click(chromedp.CSS("#recover-link")),
			chromedp.WaitVisible(chromedp.CSS("#rec-username")),
			chromedp.SetValue(chromedp.CSS("#rec-username"), username),
			chromedp.Click(chromedp.CSS("#rec-method-card")),
			chromedp.SetValue(chromedp.CSS("#rec-card-type"), "visa"),
			chromedp.SetValue(chromedp.CSS("#rec-last6"), k.Last6),
			chromedp.SetValue(chromedp.CSS("#rec-pin"), pin),
		)
		submitAndWait(t, ctx, "#recover-submit", "#problem, #rec-otp")
	}
	// An unknown client number and a wrong PIN read the same, and the input (but not the PIN) is kept.
	submit("199999999", "4739")
	unknown := text(t, ctx, "#problem")
	if want := b.catalogue.Message(i18n.SQ, "recovery_failed", nil); unknown != want {
		t.Fatalf("unknown client: %q, want %q", unknown, want)
	}
	submit(client, "1111")
	if got := text(t, ctx, "#problem"); got != unknown {
		t.Fatalf("wrong PIN says %q, unknown client says %q", got, unknown)
	}
	if v := attr(t, ctx, "#rec-last6", "value"); v != k.Last6 {
		t.Fatalf("last six digits not kept: %q", v)
	}
	if v := attr(t, ctx, "#rec-pin", "value"); v != "" {
		t.Fatalf("the PIN was sent back: %q", v)
	}
	submit(client, "4739")
	if intro := text(t, ctx, "#recover-intro"); strings.Contains(intro, "+355682000002") || !strings.Contains(intro, "02") {
		t.Fatalf("intro should show the masked phone: %q", intro)
	}
	recFinish(t, ctx, b, client, pw)
	recOldPasswordFails(t, ctx, b, client)
	prSignIn(t, ctx, b, client, pw)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}

func TestBrowserRecoveryWithABranchCodeSetsANewPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	const client, pw = "100000003", "Pranvera#7351"
	c, err := b.customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := b.codes.Issue(context.Background(), c.ID, uniquecode.Recovery, "test")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx,
		chromedp.Navigate(b.url+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-code")),
		chromedp.SetValue(chromedp.CSS("#rec-unique-code"), code),
	)
	submitAndWait(t, ctx, "#recover-submit", "#rec-otp")
	recFinish(t, ctx, b, client, pw)
	recOldPasswordFails(t, ctx, b, client)
	prSignIn(t, ctx, b, client, pw)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
	// The code was single use.
	prLogOut(t, ctx, b)
	run(t, ctx,
		chromedp.Navigate(b.url+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-code")),
		chromedp.SetValue(chromedp.CSS("#rec-unique-code"), code),
	)
	submitAndWait(t, ctx, "#recover-submit", "#problem")
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "recovery_failed", nil); got != want {
		t.Fatalf("a spent code: %q, want %q", got, want)
	}
}

func TestBrowserPasswordChangeAsksACardHolderForTheCardAndPIN(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	const client, chosen = "100000001", "Vjeshta#4826"
	k := recCard(t, b, client)
	b.logIn(t, ctx, client)
	change := func(pin string, want string) {
		t.Helper()
		run(t, ctx,
			chromedp.Navigate(b.url+"/profile/password"),
			chromedp.WaitVisible(chromedp.CSS("#card_last6")),
			chromedp.SetValue(chromedp.CSS("#card_last6"), k.Last6),
			chromedp.SetValue(chromedp.CSS("#card_pin"), pin),
			chromedp.SetValue(chromedp.CSS("#old_password"), demo.Password),
			chromedp.SetValue(chromedp.CSS("#new_password"), chosen),
			chromedp.SetValue(chromedp.CSS("#confirm_password"), chosen),
		)
		submitAndWait(t, ctx, "#password-submit", want)
	}
	change("1111", "#problem")
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "password_card_wrong", nil); got != want {
		t.Fatalf("wrong PIN: %q, want %q", got, want)
	}
	if got := attr(t, ctx, "#card_pin", "aria-invalid"); got != "true" {
		t.Error("the PIN is not marked invalid")
	}
	change("4739", "#notice")
	if got, want := text(t, ctx, "#notice"), b.catalogue.Message(i18n.SQ, "web_pr_password_changed", nil); got != want {
		t.Fatalf("after the change: %q, want %q", got, want)
	}
	prLogOut(t, ctx, b)
	prSignIn(t, ctx, b, client, chosen)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}

// A customer an outsider blocked (five wrong passwords from an address the customer never used) unblocks the
// channel with the card recovery and logs in from there at once, without a branch.
func TestBrowserABlockedCustomerUnblocksWithTheCardRecovery(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	const client, pw = "100000002", "Pranvera#7351"
	k := recCard(t, b, client)
	blockWeb(t, b, client)
	run(t, ctx,
		chromedp.Navigate(b.url+"/recover"),
		chromedp.WaitVisible(chromedp.CSS("#rec-username")),
		chromedp.SetValue(chromedp.CSS("#rec-username"), client),
		chromedp.Click(chromedp.CSS("#rec-method-card")),
		chromedp.SetValue(chromedp.CSS("#rec-card-type"), "visa"),
		chromedp.SetValue(chromedp.CSS("#rec-last6"), k.Last6),
		chromedp.SetValue(chromedp.CSS("#rec-pin"), "4739"),
	)
	submitAndWait(t, ctx, "#recover-submit", "#rec-otp")
	recFinish(t, ctx, b, client, pw)
	prSignIn(t, ctx, b, client, pw)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}
