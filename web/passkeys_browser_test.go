package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
)

// virtualAuthenticator gives the browser a platform authenticator that holds discoverable credentials and
// verifies its user (the stand-in for a fingerprint), answering every prompt at once.
func virtualAuthenticator(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("WebAuthn.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
}

// pkLogIn logs a demo customer in with password and SMS code at base (the bank at localhost, where passkeys work).
func (b *bank) pkLogIn(t *testing.T, ctx context.Context, base, client string) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	run(t, ctx, chromedp.Navigate(base+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	m := codeRe.FindStringSubmatch(text(t, ctx, "#inbox tbody tr:first-child .body"))
	if m == nil {
		t.Fatal("no code in the newest message")
	}
	run(t, ctx,
		chromedp.Navigate(base+"/login/otp"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), m[1]),
		chromedp.Click(chromedp.CSS("#otp-submit")),
		chromedp.WaitVisible(chromedp.CSS("#accounts")),
	)
}

func pkLogOut(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(base+"/logout"), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")))
	submitAndWait(t, ctx, "#logout-confirm", "#passkey-login-button")
}

// waitText waits until the element shows text containing want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var e=document.querySelector(`+
			"`"+sel+"`"+`);return e?e.textContent:""})()`))
		if err == nil {
			got = s
			if strings.Contains(s, want) {
				return
			}
		}
	}
	t.Fatalf("%s shows %q, want %q", sel, got, want)
}

func TestBrowserPasskeyAddedInTheProfileLogsInAndOnceRemovedNoLonger(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	base := b.localURL
	msg := func(key string) string { return b.catalogue.Message(i18n.SQ, key, nil) }

	b.pkLogIn(t, ctx, base, "100000001")
	virtualAuthenticator(t, ctx)

	// Profile → passkeys: none yet; the browser has WebAuthn, so the form is offered.
	run(t, ctx, chromedp.Navigate(base+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-passkeys")))
	submitAndWait(t, ctx, "#profile-passkeys", "#passkeys-empty")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#passkey-add")))

	// A wrong password is refused before any prompt, and counts.
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), "Laptopi i punës"),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), "Gabim2026x"),
		chromedp.Click(chromedp.CSS("#passkey-add-submit")))
	waitText(t, ctx, "#passkey-status", msg("password_wrong"))
	if n := b.failures(t, "100000001"); n != 1 {
		t.Fatalf("failed attempts %d after a wrong password, want 1", n)
	}

	// The right password, then the authenticator's prompt: the passkey is listed.
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	submitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")
	waitText(t, ctx, "#notice", msg("web_pk_added"))
	if got := text(t, ctx, "#passkeys tbody tr:first-child .pk-name"); got != "Laptopi i punës" {
		t.Fatalf("listed name %q", got)
	}
	if got := text(t, ctx, "#passkeys tbody tr:first-child .pk-used"); got != msg("web_pk_never") {
		t.Fatalf("last used %q before any use", got)
	}
	screenshot(t, ctx, "passkeys-sq")
	id := attr(t, ctx, "#passkeys tbody tr:first-child", "data-id")

	// Log out, then log in with the passkey alone.
	pkLogOut(t, ctx, base)
	screenshot(t, ctx, "passkey-login-sq")
	b.clk.Advance(time.Hour)
	run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkeys")))
	if got := text(t, ctx, "#passkeys tbody tr:first-child .pk-used"); got == msg("web_pk_never") || got == "" {
		t.Fatalf("last used %q after a passkey login", got)
	}

	// Another customer cannot see or remove it: their view of its id is "not found".
	pkLogOut(t, ctx, base)
	b.pkLogIn(t, ctx, base, "100000002")
	run(t, ctx, chromedp.Navigate(base+"/profile/passkeys/"+id+"/remove"), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got := text(t, ctx, "#problem"); got != msg("passkey_not_found") {
		t.Fatalf("another customer's passkey shows %q", got)
	}
	pkLogOut(t, ctx, base)

	// Its owner removes it after confirming.
	run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkeys")))
	submitAndWait(t, ctx, "#passkeys .pk-remove", "#passkey-remove-confirm")
	if q := text(t, ctx, "#passkey-remove-question"); !strings.Contains(q, "Laptopi i punës") {
		t.Fatalf("confirmation %q does not name the passkey", q)
	}
	submitAndWait(t, ctx, "#passkey-remove-confirm", "#passkeys-empty")
	waitText(t, ctx, "#notice", msg("web_pk_removed"))

	// The browser's authenticator still holds the credential, but the bank no longer knows it.
	pkLogOut(t, ctx, base)
	run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")))
	waitText(t, ctx, "#passkey-login-status", msg("passkey_invalid"))
	if loc := location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("a removed passkey led to %s", loc)
	}
}

func TestBrowserWithoutWebAuthnIsToldSoAndKeepsThePasswordLogin(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	base := b.localURL
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: "delete window.PublicKeyCredential;"}); err != nil {
		t.Fatal(err)
	}
	unsupported := b.catalogue.Message(i18n.SQ, "web_pk_unsupported", nil)
	run(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#passkey-login-status")))
	waitText(t, ctx, "#passkey-login-status", unsupported)
	if disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("passkey-login-button").disabled`)); err != nil || !disabled {
		t.Fatalf("passkey button enabled without WebAuthn (%v)", err)
	}
	b.pkLogIn(t, ctx, base, "100000001")
	run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-support")))
	waitText(t, ctx, "#passkey-support", unsupported)
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("passkey-add").hidden`)); err != nil || !hidden {
		t.Fatalf("add form shown without WebAuthn (%v)", err)
	}
}

// failures is the count of consecutive failed factors of a demo customer.
func (b *bank) failures(t *testing.T, client string) int {
	t.Helper()
	var n int
	if err := b.d.QueryRow(context.Background(), `SELECT c.failed_attempts FROM credentials c
		JOIN customers u ON u.id = c.customer_id WHERE u.client_number = ?`, client).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
