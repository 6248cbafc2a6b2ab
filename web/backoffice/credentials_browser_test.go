package backoffice_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// askNameCheck is another bank's name check with token, over HTTP as a bank sends it; it returns the status.
func askNameCheck(t *testing.T, b *webtest.Bank, token string) int {
	t.Helper()
	req, err := http.NewRequest("POST", b.URL+"/interbank/v1/vop",
		strings.NewReader(`{"iban":"AL47212110090000000235698741","name":"Besnik Gjokaj"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTheBackOfficeIssuesABankACredentialAndRevokesItOnAPhone: at 360 px a member goes from the directory to a
// bank's page, issues it a credential and is shown the token once, with a copy button that says what it did; the
// token lets the bank ask a name check; back on the bank's page, which fits the width, the credential is listed
// without its token and revoking it there refuses the bank's next check.
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
	if got := askNameCheck(t, b, token); got != http.StatusOK {
		t.Fatalf("the bank's name check with its new credential: %d", got)
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
	if got := askNameCheck(t, b, token); got != http.StatusUnauthorized {
		t.Errorf("the bank's name check with its revoked credential: %d", got)
	}
}
