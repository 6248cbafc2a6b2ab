package backoffice_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// authenticates reports whether token is a live credential of Credins Bank, as the interbank route asks (the
// route itself, which the web test bank does not serve, is tested with the API).
func authenticates(t *testing.T, b *webtest.Bank, token string) bool {
	t.Helper()
	bank, err := b.Payments.Banks.Authenticate(context.Background(), token)
	if errors.Is(err, bankdir.ErrCredentialInvalid) || (err == nil && bank.Code != "212") {
		return false
	}
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return true
}

// TestTheBackOfficeIssuesABankACredentialAndRevokesItOnAPhone: at 360 px a member goes from the directory to a
// bank's page, issues it a credential and is shown the token once, with a copy button that says what it did; the
// token lets the bank ask a name check; back on the bank's page, which fits the width, the credential is listed
// without its token and revoking it there makes the token authenticate nobody.
func TestTheBackOfficeIssuesABankACredentialAndRevokesItOnAPhone(t *testing.T) {
	b := webtest.NewBank(t)
	credins(t, b)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/banks"), chromedp.WaitVisible(chromedp.CSS("#banks-table")))
	webtest.SubmitAndWait(t, ctx, "#open-212", "#credentials")
	if got := webtest.Text(t, ctx, "#bank-bic"); got != "CDISALTR" {
		t.Errorf("the bank's page shows BIC %q", got)
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#no-credentials")))
	webtest.SubmitAndWait(t, ctx, "#credential-issue", "#credential-token")
	token := webtest.Text(t, ctx, "#credential-token")
	if !strings.HasPrefix(token, "kvop_") {
		t.Fatalf("the token shown is %q", token)
	}
	if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
		t.Error("the token's page scrolls sideways at 360 px")
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#copy-token")), chromedp.Click(chromedp.CSS("#copy-token")))
	copied, failed := b.Message("web_bo_copied"), b.Message("web_bo_copy_failed")
	if !webtest.WaitFor(t, ctx, `["`+copied+`","`+failed+`"].includes(document.getElementById("copy-status").textContent)`) {
		t.Errorf("the copy button said %q", webtest.Text(t, ctx, "#copy-status"))
	}
	shoot(t, ctx, "credential_issued")
	if !authenticates(t, b, token) {
		t.Fatal("the new credential does not authenticate its bank")
	}

	webtest.SubmitAndWait(t, ctx, "#credential-done", "#credentials-table")
	for _, w := range []int64{1280, 360} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the bank's page scrolls sideways at %d px", w)
		}
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.outerHTML.includes(`+
		webtest.Quote(token)+`)`))
	if err != nil || shown {
		t.Error("the bank's page shows the token again")
	}
	shoot(t, ctx, "bank")
	webtest.SubmitAndWait(t, ctx, ".credential-revoke", "#notice")
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_bo_credential_revoked_notice") {
		t.Errorf("the notice says %q", got)
	}
	if got := webtest.Text(t, ctx, ".credential-state"); got != b.Message("web_bo_credential_revoked") {
		t.Errorf("the credential's state is %q", got)
	}
	if authenticates(t, b, token) {
		t.Error("the revoked credential still authenticates its bank")
	}
}
