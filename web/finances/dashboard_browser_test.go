package finances_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/webtest"
)

// pageWidth is how wide the page is laid out: wider than the window means sideways scrolling.
func pageWidth(t *testing.T, ctx context.Context) int {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// fits loads path at 360 and 1280 px, takes a screenshot of each, and fails if the page is wider than the window.
func fits(t *testing.T, ctx context.Context, b *bank, path, ready, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(b.URL+path),
			chromedp.WaitVisible(chromedp.CSS(ready)))
		webtest.Screenshot(t, ctx, fmt.Sprintf("%s-%d", name, w))
		if got := pageWidth(t, ctx); got > int(w) {
			t.Errorf("%s is %d px wide on a %d px screen", path, got, w)
		}
	}
}

func TestBrowserSummaryShowsTotalsAccountCardsRecentActivityAndActions(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	accounts := b.accounts(t, "100000001")
	// A blocked account is shown, marked, but nothing in it can be spent: it adds nothing to the totals.
	blocked := accounts[1]
	if err := b.DB.InTx(context.Background(), func(tx *db.Tx) error {
		return ledger.SetStatus(context.Background(), tx, b.Clock.Now(), blocked.ID, ledger.Blocked)
	}); err != nil {
		t.Fatal(err)
	}
	b.LogIn(t, ctx, "100000001")
	totals := map[string]int64{}
	var ids []string
	for _, a := range accounts {
		if a.ID != blocked.ID {
			totals[string(a.Currency)] += a.Available()
		}
		ids = append(ids, a.ID)
	}
	if got := webtest.Text(t, ctx, fmt.Sprintf(`article.account[data-account-id="%s"] .account-status`, blocked.ID)); got != b.Message("web_fin_status_blocked") {
		t.Errorf("the blocked account is marked %q", got)
	}
	for cur, want := range totals {
		sel := fmt.Sprintf(`#totals p.total[data-currency="%s"]`, cur)
		if got := webtest.Attr(t, ctx, sel, "data-total-available"); got != strconv.FormatInt(want, 10) {
			t.Errorf("total %s: page %s, ledger %d", cur, got, want)
		}
		if got, want := webtest.Text(t, ctx, sel), i18n.FormatAmount(want, cur, i18n.SQ); got != want {
			t.Errorf("total %s shown as %q, want %q", cur, got, want)
		}
	}
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#accounts article.card")).map(a => a.dataset.accountId)`))
	if err != nil || !slices.Equal(cards, ids) {
		t.Errorf("cards %v (%v), want the accounts %v", cards, err, ids)
	}
	recent, err := b.Ledger.Recent(context.Background(), ids, 8)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#recent li.item")).map(li => li.dataset.lineId)`))
	if err != nil || len(recent) == 0 || !slices.Equal(shown, lineIDs(recent, func(ledger.Line) bool { return true })) {
		t.Errorf("recent activity %v (%v), want the ledger's newest lines %v", shown, err, recent)
	}
	for sel, want := range map[string]string{"#action-transfer": "/transfers",
		"#action-statement": "/accounts/" + ids[0] + "/statement", "#action-history": "/accounts/" + ids[0] + "/history"} {
		if got := webtest.Attr(t, ctx, "nav.actions "+sel, "href"); got != want {
			t.Errorf("%s leads to %q, want %q", sel, got, want)
		}
	}
	// Every recent line opens its detail.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#recent li.item:first-child a.recent-link")),
		chromedp.WaitVisible(chromedp.CSS("#line-detail")))
	if got := webtest.Attr(t, ctx, "#line-detail", "data-line-id"); got != recent[0].ID {
		t.Errorf("the first recent line opened %s, want %s", got, recent[0].ID)
	}
}

func TestBrowserSummaryHistoryAndLineFitPhoneAndDesktopInBothLanguages(t *testing.T) {
	b := newBank(t)
	for _, lang := range []string{"sq", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := webtest.Tab(t)
			b.LogIn(t, ctx, "100000001")
			a := b.accounts(t, "100000001")[0]
			line := b.allLines(t, a.ID)[0]
			webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/lang/"+lang+"?next=/summary"), chromedp.WaitVisible(chromedp.CSS("#accounts")))
			if got, want := webtest.Text(t, ctx, "#recent-title"), b.Catalogue.Message(i18n.Lang(lang), "web_fin_recent", nil); got != want {
				t.Errorf("heading %q, want %q", got, want)
			}
			fits(t, ctx, b, "/summary", "#recent", "summary-"+lang)
			fits(t, ctx, b, "/accounts/"+a.ID+"/history", "#history-lines", "history-"+lang)
			fits(t, ctx, b, "/accounts/"+a.ID+"/history/"+line.ID, "#line-detail", "line-"+lang)
		})
	}
}

func TestBrowserHistoryLineOpensItsDetailWithThePayeeMaskedAndTheReceipt(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	mine, theirs := b.accounts(t, "100000001"), b.accounts(t, "100000002")
	me := mine[0].CustomerID
	tr, _, err := b.Transfers.Create(context.Background(), me, "line-1", transfer.Request{Type: transfer.Internal,
		FromAccountID: mine[0].ID, ToIBAN: theirs[0].IBAN, Amount: "1250.50", Currency: "ALL",
		Description: "Qira e muajit nëntor"})
	if err != nil {
		t.Fatal(err)
	}
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+mine[0].ID+"/history"),
		chromedp.WaitVisible(chromedp.CSS("#history-lines")))
	masked := kyc.MaskName("Elira Shehu")
	if got := webtest.Text(t, ctx, "#history-lines li.fin-line:first-child .fin-line-party"); got != masked+" · "+theirs[0].IBAN {
		t.Errorf("the history names the payee %q, want %q", got, masked)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#history-lines li.fin-line:first-child a.fin-line-detail")),
		chromedp.WaitVisible(chromedp.CSS("#line-detail")))
	line := b.allLines(t, mine[0].ID)[0]
	for sel, want := range map[string]string{
		"#line-counterparty":      masked,
		"#line-counterparty-iban": theirs[0].IBAN,
		"#line-description":       "Qira e muajit nëntor",
		"#line-reference":         tr.EntryID,
		"#line-amount":            "-" + i18n.FormatAmount(125050, "ALL", i18n.SQ),
		"#line-balance":           i18n.FormatAmount(line.BalanceAfter, "ALL", i18n.SQ),
		"#line-status":            b.Message("web_fin_line_status_booked"),
		"#line-booked":            i18n.FormatDate(line.PostedAt, i18n.SQ) + " " + line.PostedAt.In(clock.Tirane).Format("15:04"),
		"#line-value-date":        i18n.FormatDate(line.PostedAt, i18n.SQ),
	} {
		if got := webtest.Text(t, ctx, sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	receipt := webtest.Attr(t, ctx, "#line-receipt", "href")
	if receipt != "/transfers/"+tr.ID+"/receipt" {
		t.Errorf("receipt link %q", receipt)
	}
	if got := webtest.Fetch(t, ctx, receipt); got.Status != 200 || got.Magic != "%PDF" {
		t.Errorf("receipt: %+v", got)
	}
	// The payee's side of the same transfer names the payer in full, as the payee's SMS does, and has no receipt
	// (the transfer is the payer's).
	ctx = webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	theirLine := b.allLines(t, theirs[0].ID)[0]
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+theirs[0].ID+"/history/"+theirLine.ID),
		chromedp.WaitVisible(chromedp.CSS("#line-detail")))
	if got := webtest.Text(t, ctx, "#line-counterparty"); got != "Arben Hoxha" {
		t.Errorf("the payee sees the payer as %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#line-receipt").length`)); err != nil || n != 0 {
		t.Errorf("the payee's line offers a receipt (%d, %v)", n, err)
	}
	// Another customer's line is not found, whichever account the path names; so is a line that does not exist.
	want := b.Catalogue.Message(i18n.SQ, "transaction_not_found", nil)
	notMine := b.Catalogue.Message(i18n.SQ, "account_not_found", nil)
	paths := []string{
		"/accounts/" + theirs[0].ID + "/history/" + line.ID,
		"/accounts/" + theirs[0].ID + "/history/00000000-0000-7000-8000-000000000000",
		"/accounts/" + theirs[0].ID + "/history/" + url.PathEscape("a\x00b"),
		"/accounts/" + mine[0].ID + "/history/" + line.ID,
	}
	for i, got := range fetchAll(t, ctx, paths) {
		expect := want
		if i == len(paths)-1 {
			expect = notMine
		}
		if got.Status != 404 || got.Problem != expect {
			t.Errorf("%s: %d %q, want 404 %q", paths[i], got.Status, got.Problem, expect)
		}
	}
}

func TestBrowserHistorySearchIgnoresAccentsAndCase(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	a := b.accounts(t, "100000002")[0]
	all := b.allLines(t, a.ID)
	dinner := lineIDs(all, func(l ledger.Line) bool { return l.Description == "Darka e së shtunës" })
	if len(dinner) != 1 {
		t.Fatalf("the demo's dinner: %v", dinner)
	}
	var paths []string
	queries := []string{"e së shtunës", "e se shtunes", "E SE SHTUNES", "E SË SHTUNËS", "darka e se"}
	for _, q := range queries {
		paths = append(paths, "/accounts/"+a.ID+"/history?q="+url.QueryEscape(q))
	}
	for i, got := range fetchAll(t, ctx, paths) {
		if got.Status != 200 || !slices.Equal(got.Lines, dinner) {
			t.Errorf("search %q: %d %v, want %v", queries[i], got.Status, got.Lines, dinner)
		}
	}
}
