package bulk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

const business = "100000004"

// fitsJS reports whether the page is no wider than the window: nothing scrolls sideways.
const fitsJS = `document.documentElement.scrollWidth <= window.innerWidth`

// axeRunJS runs axe-core on the page and lists its violations, as the walk of the site does.
const axeRunJS = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
	v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`

// looksRight holds the page to both widths without sideways scrolling and, with KUMBARA_AXE (axe-core's script, as
// scripts/test.sh installs it), to no accessibility violation: the walk of the site sees a bulk file's pages only
// as a customer without one.
func looksRight(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, width := range []int64{1280, 360} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(width, 800))
		if !webtest.WaitFor(t, ctx, fitsJS) {
			t.Errorf("%s scrolls sideways at %d px", page, width)
		}
	}
	path := os.Getenv("KUMBARA_AXE")
	if path == "" {
		return
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	// Through the DevTools protocol: the Content-Security-Policy rightly refuses a script tag.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", page, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe: %s", page, v)
	}
}

// TestBrowserABusinessUploadsAFileReviewsItConfirmsOnceAndDownloadsTheReport: the demo business signs in, goes from
// the transfers page to bulk payments, uploads a salary file of three lines (one with an IBAN whose check digits
// fail), reads the line's problem, confirms the two payments with the one code the SMS brings (which names them and
// the file), sees each line's result and downloads the pain.002; its statement page offers the camt.053 beside the
// PDF.
func TestBrowserABusinessUploadsAFileReviewsItConfirmsOnceAndDownloadsTheReport(t *testing.T) {
	b := webtest.NewBank(t)
	bg := context.Background()
	biz, acc, path := salaryFile(t, b)

	ctx := webtest.Tab(t)
	logInBusiness(t, ctx, b, b.URL, biz.Mobile)

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-bulk")))
	webtest.SubmitAndWait(t, ctx, "#choose-bulk", "#bulk-form")
	looksRight(t, ctx, "the upload page")
	webtest.Run(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}))
	webtest.SubmitAndWait(t, ctx, "#bulk-upload", "#bulk-lines")
	if got := webtest.Attr(t, ctx, "#bulk-status", "data-status"); got != "pending_confirmation" {
		t.Fatalf("status %q", got)
	}
	if got := webtest.Attr(t, ctx, "#bulk-count", "data-count"); got != "2" {
		t.Fatalf("%s payments, want 2", got)
	}
	bad := webtest.Text(t, ctx, `#bulk-lines li[data-line="2"]`)
	if !strings.Contains(bad, b.Message("iban_invalid")) || !strings.Contains(bad, "CdtrAcct/Id/IBAN") {
		t.Errorf("line 2 reads %q, want the IBAN's problem and its element", bad)
	}
	body, code := smsBody(t, b, biz.Mobile)
	if !strings.Contains(body, "BULK:2") || !strings.Contains(body, "PAGA-NENTOR") {
		t.Errorf("the SMS %q does not name the file and its two payments", body)
	}
	looksRight(t, ctx, "the review")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), code))
	webtest.SubmitAndWait(t, ctx, "#code-submit", "#bulk-report")
	if got := webtest.Attr(t, ctx, "#bulk-status", "data-status"); got != "completed" {
		t.Fatalf("after the code the file is %q", got)
	}
	for line, want := range map[string]string{"1": "accepted", "2": "invalid", "3": "accepted"} {
		if got := webtest.Attr(t, ctx, `#bulk-lines li[data-line="`+line+`"]`, "data-status"); got != want {
			t.Errorf("line %s %q, want %s", line, got, want)
		}
	}
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_bk_confirmed") {
		t.Errorf("notice %q", got)
	}
	looksRight(t, ctx, "the result")
	if a, err := b.Ledger.Get(bg, acc.ID); err != nil || a.Held == 0 {
		t.Errorf("nothing held after the confirmation: %+v %v", a, err)
	}
	id := strings.TrimPrefix(strings.TrimSuffix(webtest.Attr(t, ctx, "#bulk-report", "href"), "/pain002"), "/bulk/")
	if got := webtest.Fetch(t, ctx, "/bulk/"+id+"/pain002"); got.Status != 200 || got.Type != "application/xml" ||
		got.Magic != "<?xm" {
		t.Errorf("pain.002 download %+v", got)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/bulk"), chromedp.WaitVisible(chromedp.CSS("#bulk-batches")))
	if got := webtest.Text(t, ctx, "#bulk-batches"); !strings.Contains(got, "PAGA-NENTOR") {
		t.Errorf("the list of files %q", got)
	}

	// The statement page offers the camt.053 of the period beside its PDF.
	day := b.Clock.Now().Format(time.DateOnly)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+acc.ID+"/statement?from="+day+"&to="+day),
		chromedp.WaitVisible(chromedp.CSS("#statement-camt053")))
	href := webtest.Attr(t, ctx, "#statement-camt053", "href")
	if got := webtest.Fetch(t, ctx, href); got.Status != 200 || got.Type != "application/xml" || got.Magic != "<?xm" {
		t.Errorf("camt.053 download %s: %+v", href, got)
	}
}

// salaryFile writes the salaries of the demo business's first account to a file for the browser to upload.
func salaryFile(t *testing.T, b *webtest.Bank) (biz customer.Customer, acc ledger.Account, path string) {
	t.Helper()
	bg := context.Background()
	biz, err := b.Customers.ByClientNumber(bg, business)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(bg, biz.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("the business's accounts: %v %v", accounts, err)
	}
	path = filepath.Join(t.TempDir(), "paga-nentor.xml")
	if err := os.WriteFile(path, salaries(t, accounts[0].IBAN, b.Clock.Now()), 0o600); err != nil {
		t.Fatal(err)
	}
	return biz, accounts[0], path
}

// salaries is a pain.001 of three salaries in ALL from debtor: to banks 212 and 202 of the demo's directory, the
// second with check digits that fail.
func salaries(t *testing.T, debtor string, now time.Time) []byte {
	t.Helper()
	pay := func(n int, name, ib string) iso20022.InitiationTx {
		return iso20022.InitiationTx{Line: n, EndToEndID: "PAGA-" + string(rune('0'+n)), Amount: money.New(45_000_00, money.ALL),
			Creditor:        iso20022.Party{Name: name, Address: iso20022.Address{City: "Tiranë", Country: "AL"}},
			CreditorAccount: iso20022.Account{IBAN: ib}, Remittance: "Paga e nëntorit"}
	}
	m := iso20022.Initiation{MessageID: "PAGA-NENTOR", CreatedAt: now, InitiatingParty: iso20022.Party{Name: "Ëmbëlsira Tirana"},
		Batches: []iso20022.PaymentInfo{{ID: "PAGA-NENTOR-1", Method: "TRF", RequestedDate: calendar.DateOf(now),
			DebtorAccount: iso20022.Account{IBAN: debtor}, Transactions: []iso20022.InitiationTx{
				pay(1, "Blerina Çeliku", "AL47212110090000000235698741"),
				pay(2, "Ëndrit Lleshi", "AL35202111090000000001234567"),
				pay(3, "Dritë Shehu", "AL47212110090000000235698741")}}}}
	doc, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.Replace(string(doc), "AL35202111090000000001234567", "AL35202111090000000001234568", 1))
}

// smsBody is the newest SMS to mobile, and its code.
func smsBody(t *testing.T, b *webtest.Bank, mobile string) (string, string) {
	t.Helper()
	msgs, err := b.Inbox.InboxFor(context.Background(), mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", mobile, err)
	}
	code := webtest.CodeRe.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in %q", msgs[0].Body)
	}
	return msgs[0].Body, code
}

func smsCode(t *testing.T, b *webtest.Bank, mobile string) string {
	t.Helper()
	_, code := smsBody(t, b, mobile)
	return code
}
