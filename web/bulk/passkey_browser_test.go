package bulk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// logInBusiness signs the demo business in for itself at base (its client number, its NIPT, the code by SMS).
func logInBusiness(t *testing.T, ctx context.Context, b *webtest.Bank, base, mobile string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(base+"/login/business"),
		chromedp.WaitVisible(chromedp.CSS("#nipt")),
		chromedp.SendKeys(chromedp.CSS("#username"), business),
		chromedp.SendKeys(chromedp.CSS("#nipt"), demo.BusinessNIPT),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
	)
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), smsCode(t, b, mobile)))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
}

// shots holds the page to 360 and 1280 px without sideways scrolling and keeps a screenshot at each.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		if !webtest.WaitFor(t, ctx, fitsJS) {
			t.Errorf("%s scrolls sideways at %d px", name, w)
		}
		webtest.Screenshot(t, ctx, name+"-"+map[int64]string{360: "360", 1280: "1280"}[w])
	}
}

// TestBrowserABusinessConfirmsAFileWithAPasskey: the demo business, with a passkey of its own, uploads a salary
// file; the review offers the passkey beside the SMS code, the passkey confirms the two payments at once (its
// challenge is the batch's, bound to their count and total), and the page shows the file paid.
func TestBrowserABusinessConfirmsAFileWithAPasskey(t *testing.T) {
	b := webtest.NewBank(t)
	bg := context.Background()
	biz, acc, path := salaryFile(t, b)
	// Passkeys need the server's host name: the whole journey is at LocalURL.
	base := b.LocalURL
	ctx := webtest.Tab(t)
	logInBusiness(t, ctx, b, base, biz.Mobile)
	webtest.VirtualAuthenticator(t, ctx)
	webtest.Run(t, ctx, chromedp.Navigate(base+"/profile/passkeys"), chromedp.WaitVisible(chromedp.CSS("#passkey-add")),
		chromedp.SendKeys(chromedp.CSS("#passkey-name"), "Laptopi i zyrës"),
		chromedp.SendKeys(chromedp.CSS("#passkey-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#passkey-add-submit", "#passkeys")

	webtest.Run(t, ctx, chromedp.Navigate(base+"/bulk"), chromedp.WaitVisible(chromedp.CSS("#bulk-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
	webtest.SubmitAndWait(t, ctx, "#bulk-upload", "#bulk-lines")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#passkey-confirm-button")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#code-form #code").length`)); n != 1 {
		t.Error("the SMS code is no longer offered beside the passkey")
	}
	if got := webtest.Text(t, ctx, "#passkey-confirm-help"); got != b.Message("web_bk_passkey_help") {
		t.Errorf("the passkey's help %q", got)
	}
	shots(t, ctx, "bulk-passkey")

	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900), chromedp.Click(chromedp.CSS("#passkey-confirm-button")),
		chromedp.WaitVisible(chromedp.CSS("#bulk-report")))
	if got := webtest.Attr(t, ctx, "#bulk-status", "data-status"); got != "completed" {
		t.Fatalf("after the passkey the file is %q", got)
	}
	for line, want := range map[string]string{"1": "accepted", "2": "invalid", "3": "accepted"} {
		if got := webtest.Attr(t, ctx, `#bulk-lines li[data-line="`+line+`"]`, "data-status"); got != want {
			t.Errorf("line %s %q, want %s", line, got, want)
		}
	}
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_bk_confirmed") {
		t.Errorf("notice %q", got)
	}
	shots(t, ctx, "bulk-passkey-result")
	if a, err := b.Ledger.Get(bg, acc.ID); err != nil || a.Held == 0 {
		t.Errorf("nothing held after the passkey: %+v %v", a, err)
	}
	if n := b.Failures(t, business); n != 0 {
		t.Errorf("%d failed factors after a good passkey", n)
	}
	if strings.Contains(webtest.Location(t, ctx), "/confirm") {
		t.Errorf("left at %s", webtest.Location(t, ctx))
	}
}
