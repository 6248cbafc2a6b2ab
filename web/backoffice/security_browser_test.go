package backoffice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// passwordStep logs a demo member in at base up to the code page: username and password.
func passwordStep(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(base+"/backoffice/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
	)
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#code")
}

// TestAMemberAddsAPasskeyAndThenLogsInWithPasswordAndPasskey: on their passkeys page a member types their
// password again (a wrong one is said, and nothing is added) and their device's authenticator makes the passkey;
// after logging out, the password and the passkey log them in, no TOTP code typed. Compliance then finds that
// login in the audit log by the member's username, and the member removes the passkey after a confirmation.
// Passkeys need a host name: the member browses the bank at localhost.
func TestAMemberAddsAPasskeyAndThenLogsInWithPasswordAndPasskey(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	base := b.LocalURL
	webtest.VirtualAuthenticator(t, ctx)
	passwordStep(t, ctx, base, "backoffice")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), b.StaffCode(t, "backoffice")))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#home-passkeys")
	webtest.SubmitAndWait(t, ctx, "#home-passkeys", "#staff-passkeys-empty")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#staff-passkey-add")),
		chromedp.SendKeys(chromedp.CSS("#staff-passkey-name"), "Laptopi i sportelit"),
		chromedp.SendKeys(chromedp.CSS("#staff-passkey-password"), "Gabim#2026xx"),
		chromedp.Click(chromedp.CSS("#staff-passkey-add-submit")))
	webtest.WaitText(t, ctx, "#staff-passkey-status", b.Message("web_bo_password_current_wrong"))
	shoot(t, ctx, "passkeys-empty")

	webtest.Run(t, ctx, chromedp.EmulateViewport(1280, 800),
		chromedp.SendKeys(chromedp.CSS("#staff-passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#staff-passkey-add-submit", "#staff-passkeys")
	webtest.WaitText(t, ctx, "#notice", b.Message("web_bo_pk_added"))
	if got := webtest.Text(t, ctx, "#staff-passkeys tbody tr:first-child .pk-name"); got != "Laptopi i sportelit" {
		t.Fatalf("listed name %q", got)
	}
	if got := webtest.Text(t, ctx, "#staff-passkeys tbody tr:first-child .pk-used"); got != b.Message("web_bo_pk_never") {
		t.Errorf("last used %q before any use", got)
	}
	shoot(t, ctx, "passkeys")

	// Log out; the password, then the passkey instead of the code.
	webtest.Run(t, ctx, chromedp.Navigate(base+"/backoffice/logout"), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")))
	webtest.SubmitAndWait(t, ctx, "#logout-confirm", "#username")
	passwordStep(t, ctx, base, "backoffice")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#staff-passkey-login-button")))
	shoot(t, ctx, "code-with-passkey")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800),
		chromedp.Click(chromedp.CSS("#staff-passkey-login-button")), chromedp.WaitVisible(chromedp.CSS("#home-username")))
	if got := webtest.Text(t, ctx, "#home-username"); got != "backoffice" {
		t.Fatalf("the passkey logged in %q", got)
	}
	webtest.Run(t, ctx, chromedp.Navigate(base+"/backoffice/passkeys"), chromedp.WaitVisible(chromedp.CSS("#staff-passkeys")))
	if got := webtest.Text(t, ctx, "#staff-passkeys tbody tr:first-child .pk-used"); got == b.Message("web_bo_pk_never") || got == "" {
		t.Errorf("last used %q after the passkey's login", got)
	}

	// Compliance searches the log by the member's username: the passkey's login, newest first.
	audit := webtest.Tab(t)
	b.StaffLogIn(t, audit, "compliance", demo.Password)
	webtest.Run(t, audit, chromedp.WaitVisible(chromedp.CSS("#home-audit")), chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, audit, "#home-audit a", "#audit-form")
	webtest.Run(t, audit, chromedp.SendKeys(chromedp.CSS("#staff"), "backoffice"),
		chromedp.SetValue(chromedp.CSS("#action"), "staff."))
	webtest.SubmitAndWait(t, audit, "#audit-submit", "#audit-table")
	if got := webtest.Text(t, audit, "#audit-table tbody tr:first-child .audit-what"); got != b.Message("audit_staff_login") {
		t.Errorf("the newest entry of the member is %q", got)
	}
	if got := webtest.Text(t, audit, "#audit-table tbody tr:first-child .audit-actor"); got != "backoffice" {
		t.Errorf("by %q", got)
	}
	webtest.Run(t, audit, chromedp.Click(chromedp.CSS("#audit-table tbody tr:first-child summary")))
	if got := webtest.Text(t, audit, "#audit-table tbody tr:first-child .audit-after"); !strings.Contains(got, `"factor":"passkey"`) {
		t.Errorf("the login's after %q does not name the passkey", got)
	}
	shoot(t, audit, "audit")

	// The member removes the passkey, after saying yes.
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#staff-passkeys tbody tr:first-child .pk-remove", "#staff-passkey-remove-confirm")
	if got := webtest.Text(t, ctx, "#staff-passkey-remove-question"); !strings.Contains(got, "Laptopi i sportelit") {
		t.Errorf("the confirmation asks %q", got)
	}
	shoot(t, ctx, "passkey-remove")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#staff-passkey-remove-confirm", "#staff-passkeys-empty")
	webtest.WaitText(t, ctx, "#notice", b.Message("web_bo_pk_removed"))
}

// TestATellerIsRefusedTheAuditLog: the audit log is compliance's; a teller who opens it gets the 403 page, and
// their home page does not offer it.
func TestATellerIsRefusedTheAuditLog(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "teller", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")))
	if found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#home-audit") !== null`)); err != nil || found {
		t.Errorf("the teller's home page offers the audit log (%v)", err)
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.URL+"/backoffice/audit?staff=teller"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 403 {
		t.Errorf("status %d, want 403", resp.Status)
	}
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("staff_permission_denied") {
		t.Errorf("the page says %q", got)
	}
}
