package backoffice_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestTheBackOfficeKeepsTheDirectoryOnAPhone: at 360 px the back office opens the banks from the payments' tabs, the
// directory's table fits the width as cards, a bank's "change" fills the form, saving it and stopping payments to
// it are each said on the page, and the tariff is a tab away.
func TestTheBackOfficeKeepsTheDirectoryOnAPhone(t *testing.T) {
	b := webtest.NewBank(t)
	credins(t, b)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#tab-payments")))
	webtest.SubmitAndWait(t, ctx, "#tab-payments", "#payments-form")
	webtest.SubmitAndWait(t, ctx, "#payments-tab-banks", "#banks-table")
	for _, w := range []int64{1280, 360} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the directory scrolls sideways at %d px", w)
		}
	}
	shoot(t, ctx, "banks")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#change-212", "#bank-put-form")
	if got := webtest.Value(t, ctx, "#bic"); got != "CDISALTR" {
		t.Fatalf("the form holds BIC %q", got)
	}
	webtest.Run(t, ctx, chromedp.Clear(chromedp.CSS("#name")), chromedp.SendKeys(chromedp.CSS("#name"), "Banka Credins"))
	webtest.SubmitAndWait(t, ctx, "#bank-submit", "#notice")
	if got := webtest.Text(t, ctx, "#bank-212 td:nth-child(3)"); got != "Banka Credins" {
		t.Errorf("the changed bank's name is %q", got)
	}
	webtest.SubmitAndWait(t, ctx, "#deactivate-212", "#activate-212")
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_bo_bank_deactivated") {
		t.Errorf("the notice says %q", got)
	}
	if k, err := b.BackOffice.Directory.ByCode(context.Background(), "212"); err != nil || k.Active || k.Name != "Banka Credins" {
		t.Errorf("the bank after the page: %+v, %v", k, err)
	}
	// A version staff set, so the tariff's history has a row to lay out.
	if _, err := b.BackOffice.Tariff.Set(context.Background(), tariff.Rate{Scheme: tariff.SchemeSWIFT,
		Charges: tariff.ChargesOUR, Currency: money.USD, Percent: "0.25", Min: 12_50, Max: 200_00,
		Correspondent: 25_00, SetBy: "backoffice", ApprovedBy: "manager"}); err != nil {
		t.Fatal(err)
	}
	webtest.SubmitAndWait(t, ctx, "#payments-tab-tariff", "#history-table")
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the tariff scrolls sideways at %d px", w)
		}
	}
	shoot(t, ctx, "tariff")
}
