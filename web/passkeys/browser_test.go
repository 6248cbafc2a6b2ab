package passkeys_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

func logOut(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(base+"/logout"), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")))
	webtest.SubmitAndWait(t, ctx, "#logout-confirm", "#passkey-login-button")
}

func TestBrowserPasskeyAddedInTheProfileLogsInAndOnceRemovedNoLonger(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	msg := func(key string) string { return b.Catalogue.Message(i18n.SQ, key, nil) }

	b.LogInAt(t, ctx, base, "100000001")
	webtest.VirtualAuthenticator(t, ctx)

	// Profile → passkeys: none yet; the browser has WebAuthn, so the form is offered.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-passkeys")))
	webtest.SubmitAndWait(t, ctx, "#profile-passkeys", "#passkeys-empty")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#passkey-add")))

	// A wrong password is refused before any prompt, and counts.
	webtest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), "Laptopi i punës"),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), "Gabim2026x"),
		chromedp.Click(chromedp.CSS("#passkey-add-submit")))
	webtest.WaitText(t, ctx, "#passkey-status", msg("password_wrong"))
	if n := b.Failures(t, "100000001"); n != 1 {
		t.Fatalf("failed attempts %d after a wrong password, want 1", n)
	}

	// The right password, then the authenticator's prompt: the passkey is listed.
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")
	webtest.WaitText(t, ctx, "#notice", msg("web_pk_added"))
	if got := webtest.Text(t, ctx, "#passkeys tbody tr:first-child .pk-name"); got != "Laptopi i punës" {
		t.Fatalf("listed name %q", got)
	}
	if got := webtest.Text(t, ctx, "#passkeys tbody tr:first-child .pk-used"); got != msg("web_pk_never") {
		t.Fatalf("last used %q before any use", got)
	}
	webtest.Screenshot(t, ctx, "passkeys-sq")
	id := webtest.Attr(t, ctx, "#passkeys tbody tr:first-child", "data-id")

	// Log out, then log in with the passkey alone.
	logOut(t, ctx, base)
	webtest.Screenshot(t, ctx, "passkey-login-sq")
	b.Clock.Advance(time.Hour)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkeys")))
	if got := webtest.Text(t, ctx, "#passkeys tbody tr:first-child .pk-used"); got == msg("web_pk_never") || got == "" {
		t.Fatalf("last used %q after a passkey login", got)
	}

	// Another customer cannot see or remove it: their view of its id is "not found".
	logOut(t, ctx, base)
	b.LogInAt(t, ctx, base, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys/"+id+"/remove"), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got := webtest.Text(t, ctx, "#problem"); got != msg("passkey_not_found") {
		t.Fatalf("another customer's passkey shows %q", got)
	}
	logOut(t, ctx, base)

	// Its owner removes it after confirming.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkeys")))
	webtest.SubmitAndWait(t, ctx, "#passkeys .pk-remove", "#passkey-remove-confirm")
	if q := webtest.Text(t, ctx, "#passkey-remove-question"); !strings.Contains(q, "Laptopi i punës") {
		t.Fatalf("confirmation %q does not name the passkey", q)
	}
	webtest.SubmitAndWait(t, ctx, "#passkey-remove-confirm", "#passkeys-empty")
	webtest.WaitText(t, ctx, "#notice", msg("web_pk_removed"))

	// The browser's authenticator still holds the credential, but the bank no longer knows it.
	logOut(t, ctx, base)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#passkey-login-button")))
	webtest.WaitText(t, ctx, "#passkey-login-status", msg("passkey_invalid"))
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("a removed passkey led to %s", loc)
	}
}

func TestBrowserWithoutWebAuthnIsToldSoAndKeepsThePasswordLogin(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: "delete window.PublicKeyCredential;"}); err != nil {
		t.Fatal(err)
	}
	unsupported := b.Catalogue.Message(i18n.SQ, "web_pk_unsupported", nil)
	webtest.Run(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#passkey-login-status")))
	webtest.WaitText(t, ctx, "#passkey-login-status", unsupported)
	if disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("passkey-login-button").disabled`)); err != nil || !disabled {
		t.Fatalf("passkey button enabled without WebAuthn (%v)", err)
	}
	b.LogInAt(t, ctx, base, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-support")))
	webtest.WaitText(t, ctx, "#passkey-support", unsupported)
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("passkey-add").hidden`)); err != nil || !hidden {
		t.Fatalf("add form shown without WebAuthn (%v)", err)
	}
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
