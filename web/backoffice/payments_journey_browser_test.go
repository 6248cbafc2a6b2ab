package backoffice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestStaffFollowAReturnedPaymentToItsMessagesOnAPhone: at 360 px a member of the back office opens the payments
// from the tab bar, finds Dritan Çela's by his client number and opens the one his beneficiary's bank returned: its
// page says what happened, shows its entries in the books and the three clearing messages about it laid out in
// full, each to download, and fits a phone and a laptop without scrolling sideways; the clearing day and the
// reconciliation, with a break, fit them too.
func TestStaffFollowAReturnedPaymentToItsMessagesOnAPhone(t *testing.T) {
	b := webtest.NewBank(t)
	ps := makePayments(t, b)
	if _, err := b.BackOffice.Payments.ReconcileDay(context.Background(), ps.day); err != nil {
		t.Fatal(err)
	}
	ghostBreak(t, b, ps.day)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#tab-payments")))
	webtest.SubmitAndWait(t, ctx, "#tab-payments", "#payments-form")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#customer"), "100000003"))
	webtest.SubmitAndWait(t, ctx, "#payments-submit", "#payments-table")
	fits := func(page string) {
		t.Helper()
		for _, w := range []int64{1280, 360} {
			webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
			if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
				t.Errorf("the %s page scrolls sideways at %d px", page, w)
			}
		}
	}
	fits("payments")
	shoot(t, ctx, "payments")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#payment-"+ps.returned.ID+" .payment-link", "#payment-events")
	if got := webtest.Text(t, ctx, "#payment-status"); got != b.Message("web_bo_pay_status_returned") {
		t.Errorf("the payment's status reads %q", got)
	}
	if got := webtest.Text(t, ctx, "#payment-reason"); !strings.HasPrefix(got, "AC04 · ") {
		t.Errorf("the reason reads %q", got)
	}
	steps, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".payment-step")].map(e => e.textContent)`))
	if err != nil || len(steps) != 3 || steps[2] != b.Message("web_bo_pay_step_returned") {
		t.Errorf("the entries' steps %q", steps)
	}
	messages, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".bo-message")].map(m =>
		m.querySelector(".message-what").textContent + "|" + m.querySelector("pre.bo-xml").textContent.split("\n")[1].trim())`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{b.Message("web_bo_pay_msg_pacs008_out") + `|<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">`,
		b.Message("web_bo_pay_msg_pacs002_in") + `|<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">`,
		b.Message("web_bo_pay_msg_pacs004_in") + `|<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09">`}
	if strings.Join(messages, "\n") != strings.Join(want, "\n") {
		t.Errorf("the messages:\n%s\nwant\n%s", strings.Join(messages, "\n"), strings.Join(want, "\n"))
	}
	href := webtest.Attr(t, ctx, "#payment-message-1 .message-download", "href")
	if got := webtest.Fetch(t, ctx, href); got.Status != 200 || got.Type != "application/xml; charset=utf-8" {
		t.Errorf("downloading %s: %+v", href, got)
	}
	fits("journey")
	shoot(t, ctx, "payment-journey")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#back-to-payments", "#payments-table")
	webtest.SubmitAndWait(t, ctx, "#payments-tab-clearing", "#clearing-table")
	fits("clearing")
	shoot(t, ctx, "clearing")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#payments-tab-reconciliation", "#recon-ALL-breaks")
	if got := webtest.Text(t, ctx, "#recon-ALL-breaks .break-kind"); got != b.Message("web_bo_pay_break_missing_ours") {
		t.Errorf("the break reads %q", got)
	}
	fits("reconciliation")
	shoot(t, ctx, "reconciliation")
}
