package finances_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/web/webtest"
)

// accounts returns a demo customer's accounts as the ledger has them, oldest first: [0] is the current account
// in ALL that the demo history runs through, [1] the savings account in ALL.
func (b *bank) accounts(t *testing.T, client string) []ledger.Account {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil || len(accounts) < 2 {
		t.Fatalf("accounts of %s: %v, %v", client, accounts, err)
	}
	return accounts
}

// allLines reads an account's whole history from the ledger, newest first.
func (b *bank) allLines(t *testing.T, accountID string) []ledger.Line {
	t.Helper()
	var out []ledger.Line
	f := ledger.HistoryFilter{Limit: ledger.MaxPageSize}
	for {
		p, err := b.Ledger.History(context.Background(), accountID, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Lines...)
		if p.NextCursor == "" {
			return out
		}
		f.Cursor = p.NextCursor
	}
}

// move posts n transfers of amount (minor units) from one account to another in a single ledger transaction.
func (b *bank) move(t *testing.T, from, to ledger.Account, n int, amount int64, desc string) {
	t.Helper()
	err := b.Ledger.Run(context.Background(), ledger.Op{Accounts: []string{from.ID, to.ID}, Run: func(bt *ledger.Batch) error {
		for i := range n {
			d := desc
			if n > 1 {
				d = fmt.Sprintf("%s %d", desc, i+1)
			}
			if _, err := bt.Post(ledger.Entry{Kind: "transfer", Description: d, Legs: []ledger.Leg{
				{AccountID: from.ID, Amount: -amount, Description: d, CounterpartyIBAN: to.IBAN},
				{AccountID: to.ID, Amount: amount, Description: d, CounterpartyIBAN: from.IBAN},
			}}); err != nil {
				return err
			}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
}

// shownLines returns the line ids the history page shows, in order.
func shownLines(t *testing.T, ctx context.Context) []string {
	t.Helper()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#history-lines li.fin-line")).map(li => li.dataset.lineId)`))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func lineIDs(lines []ledger.Line, keep func(ledger.Line) bool) []string {
	var out []string
	for _, l := range lines {
		if keep(l) {
			out = append(out, l.ID)
		}
	}
	return out
}

func TestBrowserAccountDetailsShowTheLedgersBalancesAndTheAccountsFacts(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	accounts := b.accounts(t, "100000001")
	a := accounts[0]
	// A hold (a pending card payment, say) makes the blocked and available amounts differ from the balance.
	if err := b.Ledger.Run(context.Background(), ledger.Op{Accounts: []string{a.ID}, Run: func(bt *ledger.Batch) error {
		_, err := bt.PlaceHold(a.ID, 1234567, "card", "test", b.Clock.Now().Add(time.Hour))
		return err
	}}); err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`article.account[data-account-id="%s"] a.account-link`, a.ID))),
		chromedp.WaitVisible(chromedp.CSS("#account-details")))
	if loc := webtest.Location(t, ctx); !strings.HasSuffix(loc, "/accounts/"+a.ID) {
		t.Fatalf("the summary's link went to %s", loc)
	}
	a, err := b.Ledger.Get(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]int64{"#balance-ledger": a.Balance, "#balance-held": a.Held,
		"#balance-available": a.Available()} {
		if got := webtest.Attr(t, ctx, sel, "data-minor"); got != strconv.FormatInt(want, 10) {
			t.Errorf("%s: page %s, ledger %d", sel, got, want)
		}
		if got, want := webtest.Text(t, ctx, sel), i18n.FormatAmount(want, string(a.Currency), i18n.SQ); got != want {
			t.Errorf("%s shown as %q, want %q", sel, got, want)
		}
	}
	grouped := a.IBAN[:4] + " " + a.IBAN[4:8]
	for sel, want := range map[string]string{"#holder": "Arben Hoxha", "#number": a.Number, "#currency": "ALL",
		"#opened": i18n.FormatDate(a.OpenedAt, i18n.SQ), "#type": "Llogari rrjedhëse", "#status": "Aktive"} {
		if got := webtest.Text(t, ctx, sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := webtest.Text(t, ctx, "#iban"); !strings.HasPrefix(got, grouped) || strings.ReplaceAll(got, " ", "") != a.IBAN {
		t.Errorf("IBAN shown as %q, want %s in groups of four", got, a.IBAN)
	}
	webtest.Screenshot(t, ctx, "account-details-sq")
}

func TestBrowserIBANCopyButtonIsLabelledAndSaysCopied(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[0]
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted,
			Origin: b.URL, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
			t.Fatal(err)
		}
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID), chromedp.WaitVisible(chromedp.CSS("#copy-iban")))
	if got, want := webtest.Attr(t, ctx, "#copy-iban", "aria-label"), b.Catalogue.Message(i18n.SQ, "web_fin_copy_iban", nil); got != want {
		t.Fatalf("copy button labelled %q, want %q", got, want)
	}
	if got := webtest.Attr(t, ctx, "#copy-status", "role"); got != "status" {
		t.Fatalf("the copy result is not announced: role %q", got)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#copy-iban")))
	want := b.Catalogue.Message(i18n.SQ, "web_fin_copied", nil)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("copy-status").textContent !== ""`)); err != nil {
		t.Fatal(err)
	}
	if got := webtest.Text(t, ctx, "#copy-status"); got != want {
		t.Fatalf("after the click the page says %q, want %q", got, want)
	}
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if clip != a.IBAN {
		t.Fatalf("clipboard holds %q, want %q", clip, a.IBAN)
	}
}

// answer is what a page said: its status and the problem it showed, if any.
type answer struct {
	Status  int      `json:"status"`
	Problem string   `json:"problem"`
	Lines   []string `json:"lines"` // the history lines shown, in order
}

// fetchAll loads pages inside the logged-in browser (its cookies, its origin) without navigating to each, and
// returns what each said: quicker than a navigation per case.
func fetchAll(t *testing.T, ctx context.Context, paths []string) []answer {
	t.Helper()
	list, err := json.Marshal(paths)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]answer](`Promise.all(`+string(list)+`.map(async (p) => {
		const r = await fetch(p);
		const doc = new DOMParser().parseFromString(await r.text(), "text/html");
		const problem = doc.getElementById("problem");
		return {status: r.status, problem: problem ? problem.textContent.trim() : "",
			lines: Array.from(doc.querySelectorAll("#history-lines li.fin-line")).map(li => li.dataset.lineId)};
	}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBrowserAnotherCustomersAccountIsNotFound(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	theirs := b.accounts(t, "100000002")[0]
	want := b.Catalogue.Message(i18n.SQ, "account_not_found", nil)
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(b.URL+"/accounts/"+theirs.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got := webtest.Text(t, ctx, "#problem"); resp.Status != 404 || got != want {
		t.Fatalf("their account: %d %q, want 404 %q", resp.Status, got, want)
	}
	var paths []string
	for _, path := range []string{"", "/history", "/statement", "/settings", "/statement/pdf?from=2026-11-01&to=2026-11-20"} {
		for _, id := range []string{theirs.ID, "00000000-0000-7000-8000-000000000000", "%00"} {
			paths = append(paths, "/accounts/"+id+path)
		}
	}
	for i, got := range fetchAll(t, ctx, paths) {
		if got.Status != 404 || got.Problem != want {
			t.Errorf("%s: %d %q, want 404 %q", paths[i], got.Status, got.Problem, want)
		}
	}
}

func TestBrowserAccountSettingsRenameTheAccountAndPickALogo(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[1]
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
	// What a transfer description may not hold, an account name may not either; the form keeps the input.
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#name"), "Kursime <b>"), chromedp.Click(chromedp.CSS("#settings-save")),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "description_invalid_characters", nil); got != want {
		t.Fatalf("invalid name: %q, want %q", got, want)
	}
	if got := webtest.Attr(t, ctx, "#name", "value"); got != "Kursime <b>" {
		t.Fatalf("the form lost the input: %q", got)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#name"), "Pushime në Sarandë"),
		chromedp.Click(chromedp.CSS(`input[name="logo"][value="plane"]`)))
	webtest.SubmitAndWait(t, ctx, "#settings-save", "#notice")
	if got, want := webtest.Text(t, ctx, "#notice"), b.Catalogue.Message(i18n.SQ, "web_fin_saved", nil); got != want {
		t.Fatalf("after saving: %q, want %q", got, want)
	}
	if got := webtest.Text(t, ctx, "h1"); got != "✈️ Pushime në Sarandë" {
		t.Fatalf("details heading %q", got)
	}
	saved, err := b.Ledger.Get(context.Background(), a.ID)
	if err != nil || saved.Name != "Pushime në Sarandë" || saved.Logo != "plane" {
		t.Fatalf("ledger has %q %q (%v)", saved.Name, saved.Logo, err)
	}
}

func TestBrowserHistoryFiltersShowExactlyTheMatchingLines(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	accounts := b.accounts(t, "100000001")
	a := accounts[0]
	// Besides the demo's deposit, rent ("Qira për muajin tetor") and concert ticket: a small outgoing line that
	// also says "qira", so the text search and the amount filter each have something to leave out.
	b.move(t, a, accounts[1], 1, 50000, "Qira e garazhit")
	all := b.allLines(t, a.ID)
	search := func(l ledger.Line, s string) bool {
		return strings.Contains(strings.ToLower(l.Description+" "+l.Counterparty+" "+l.CounterpartyIBAN), s)
	}
	abs := func(v int64) int64 { return max(v, -v) }
	tests := []struct {
		name  string
		query url.Values
		keep  func(ledger.Line) bool
	}{
		{"outgoing", url.Values{"direction": {"out"}}, func(l ledger.Line) bool { return l.Amount < 0 }},
		{"incoming of at least 1,000.00", url.Values{"direction": {"in"}, "min_amount": {"1000.00"}},
			func(l ledger.Line) bool { return l.Amount >= 100000 }},
		{"the word tetor", url.Values{"q": {"tetor"}}, func(l ledger.Line) bool { return search(l, "tetor") }},
		{"qira at least 1,000.00", url.Values{"q": {"Qira"}, "min_amount": {"1000"}},
			func(l ledger.Line) bool { return search(l, "qira") && abs(l.Amount) >= 100000 }},
		{"qira, smallest first", url.Values{"q": {"qira"}, "sort": {"amount_asc"}},
			func(l ledger.Line) bool { return search(l, "qira") }},
	}
	var paths []string
	for _, tc := range tests {
		paths = append(paths, "/accounts/"+a.ID+"/history?"+tc.query.Encode())
	}
	for i, got := range fetchAll(t, ctx, paths) {
		tc := tests[i]
		want := lineIDs(all, tc.keep)
		if tc.query.Get("sort") == "amount_asc" {
			slices.Reverse(want) // the two rent payments are both debits: the larger debit is the smaller amount
		}
		if got.Status != 200 || !slices.Equal(got.Lines, want) || len(want) == 0 {
			t.Errorf("%s: %d, page shows %v, want %v", tc.name, got.Status, got.Lines, want)
		}
	}
	// The same through the form a customer fills in, which also keeps what was chosen.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID+"/history"), chromedp.Click(chromedp.CSS(".fin-filters summary")),
		chromedp.WaitVisible(chromedp.CSS("#direction")), chromedp.SetValue(chromedp.CSS("#direction"), "out"),
		chromedp.SetValue(chromedp.CSS("#min_amount"), "1000"), chromedp.SendKeys(chromedp.CSS("#q"), "qira"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#history-apply"))); err != nil {
		t.Fatal(err)
	}
	want := lineIDs(all, func(l ledger.Line) bool { return l.Amount <= -100000 && search(l, "qira") })
	if got := shownLines(t, ctx); !slices.Equal(got, want) || len(want) != 1 {
		t.Fatalf("form filter shows %v, want %v", got, want)
	}
	if got := webtest.Attr(t, ctx, "#q", "value"); got != "qira" {
		t.Fatalf("the form forgot the search: %q", got)
	}
	// A credit and a debit differ in sign and words, not only colour.
	line := fmt.Sprintf(`li[data-line-id="%s"]`, want[0])
	if got := webtest.Text(t, ctx, line+" .fin-amount"); !strings.HasPrefix(got, "-3.500,00") {
		t.Fatalf("debit shown as %q", got)
	}
	if got, w := webtest.Text(t, ctx, line+" .fin-dir"), b.Catalogue.Message(i18n.SQ, "web_fin_debit", nil); got != w {
		t.Fatalf("debit labelled %q, want %q", got, w)
	}
	webtest.Screenshot(t, ctx, "history-filtered-sq")
}

func TestBrowserHistoryBadFilterSaysWhatIsWrong(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[0]
	tests := []struct{ query, code string }{
		{"min_amount=abc", "invalid_amount"},
		{"min_amount=1.234", "invalid_amount"},
		{"max_amount=-5", "invalid_amount"},
		{"from=2026-11-20&to=2026-11-01", "invalid_date_range"},
		{"from=20.11.2026", "invalid_date"},
		{"direction=sideways", "invalid_query"},
		{"sort=random", "invalid_query"},
		{"cursor=bm9wZQ", "invalid_cursor"},
		{"min_amount=500&max_amount=100", "invalid_query"},
		{"q=" + strings.Repeat("a", 101), "invalid_query"},
		{"colour=red", "invalid_query"},
	}
	var paths []string
	for _, tc := range tests {
		paths = append(paths, "/accounts/"+a.ID+"/history?"+tc.query)
	}
	for i, got := range fetchAll(t, ctx, paths) {
		if want := b.Catalogue.Message(i18n.SQ, tests[i].code, nil); got.Status != 400 || got.Problem != want {
			t.Errorf("%s: %d %q, want 400 %q", tests[i].query, got.Status, got.Problem, want)
		}
	}
	// A customer sees the message above the form, which keeps what they typed.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID+"/history?min_amount=12.345&q=qira"),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "invalid_amount", nil); got != want {
		t.Fatalf("problem %q, want %q", got, want)
	}
	if got := webtest.Attr(t, ctx, "#q", "value"); got != "qira" {
		t.Fatalf("the form forgot the search: %q", got)
	}
}

func TestBrowserHistoryMoreLoadsTheNextLinesWithoutDuplicates(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	accounts := b.accounts(t, "100000001")
	a := accounts[0]
	b.move(t, a, accounts[1], 57, 1000, "Kursim javor")
	all := b.allLines(t, a.ID) // 60 lines: three pages of 25, 25 and 10
	want := lineIDs(all, func(ledger.Line) bool { return true })
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID+"/history"), chromedp.WaitVisible(chromedp.CSS("#history-more-link")))
	if got := shownLines(t, ctx); !slices.Equal(got, want[:25]) {
		t.Fatalf("first page %v, want %v", got, want[:25])
	}
	// Without JavaScript the same control is a plain link to the next page.
	href := webtest.Attr(t, ctx, "#history-more-link", "href")
	if hx := webtest.Attr(t, ctx, "#history-more-link", "hx-get"); hx != href || !strings.Contains(href, "cursor=") {
		t.Fatalf("more: href %q, hx-get %q", href, hx)
	}
	prev := 25
	for _, shown := range []int{50, 60} {
		webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#history-more-link")))
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
			`document.querySelectorAll("#history-lines li.fin-line").length === %d`, shown))); err != nil {
			t.Fatalf("waiting for %d lines: %v", shown, err)
		}
		if got := shownLines(t, ctx); !slices.Equal(got, want[:shown]) {
			t.Fatalf("after more: %d lines %v, want %v", len(got), got, want[:shown])
		}
		// The focus moves to the first new line, so a keyboard user reads on from there.
		first := want[prev]
		prev = shown
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.activeElement.dataset.lineId === %q`, first),
			chromedp.WithPollingTimeout(2*time.Second))); err != nil {
			focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 120)`))
			t.Fatalf("focus on %s (%v), want the line %s", focused, err, first)
		}
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#history-more-link").length`)); err != nil || n != 0 {
		t.Fatalf("the last page still offers more (%d, %v)", n, err)
	}
	if got := webtest.Text(t, ctx, "#history-status"); got == "" {
		t.Fatal("loading more lines announced nothing")
	}
	// The plain link (no JavaScript) shows the page after the first one.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+href), chromedp.WaitVisible(chromedp.CSS("#history-lines")))
	if got := shownLines(t, ctx); !slices.Equal(got, want[25:50]) {
		t.Fatalf("the plain link shows %v, want %v", got, want[25:50])
	}
}

// confirmPeriod opens the statement page of the account and confirms the demo's month.
func confirmPeriod(t *testing.T, ctx context.Context, b *bank, a ledger.Account) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/accounts/"+a.ID+"/statement"), chromedp.WaitVisible(chromedp.CSS("#statement-form")),
		chromedp.SetValue(chromedp.CSS("#from"), "2026-11-01"), chromedp.SetValue(chromedp.CSS("#to"), "2026-11-20"),
		chromedp.Click(chromedp.CSS("#statement-confirm")), chromedp.WaitVisible(chromedp.CSS("#statement-ready")))
}

func TestBrowserStatementDownloadIsThePDF(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[0]
	confirmPeriod(t, ctx, b, a)
	p, err := b.Ledger.Statement(context.Background(), a.ID, mustDay(t, "2026-11-01"), mustDay(t, "2026-11-21"))
	if err != nil {
		t.Fatal(err)
	}
	if got := webtest.Attr(t, ctx, "#statement-closing", "data-minor"); got != strconv.FormatInt(p.Closing, 10) {
		t.Fatalf("closing balance %s, ledger %d", got, p.Closing)
	}
	type pdfFetched struct {
		Status      int    `json:"status"`
		Type        string `json:"type"`
		Disposition string `json:"disposition"`
		Magic       string `json:"magic"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[pdfFetched](`(async () => {
		const r = await fetch(document.getElementById("statement-pdf").href);
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"),
			magic: String.fromCharCode(...b.slice(0, 5))};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	name := statement.FileName(a, mustDay(t, "2026-11-01"), mustDay(t, "2026-11-20"), statement.Albanian)
	if got.Status != 200 || got.Type != "application/pdf" || got.Magic != "%PDF-" || !strings.Contains(got.Disposition, name) {
		t.Fatalf("download: %+v, want a PDF named %s", got, name)
	}
	webtest.Screenshot(t, ctx, "statement-sq")
}

// The statement page offers the period's camt.054 beside its camt.053; the link downloads the XML document.
func TestBrowserStatementOffersTheCAMT054(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[0]
	confirmPeriod(t, ctx, b, a)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#statement-camt054")))
	href := webtest.Attr(t, ctx, "#statement-camt054", "href")
	if got := webtest.Fetch(t, ctx, href); got.Status != 200 || got.Type != "application/xml" || got.Magic != "<?xm" {
		t.Errorf("camt.054 download %s: %+v", href, got)
	}
}

func TestBrowserStatementByEmailArrivesInTheDemoInbox(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	a := b.accounts(t, "100000001")[0]
	confirmPeriod(t, ctx, b, a)
	webtest.SubmitAndWait(t, ctx, "#statement-email", "#notice")
	want := b.Catalogue.Message(i18n.SQ, "web_fin_email_sent", map[string]string{"email": "arben.hoxha@example.al"})
	if got := webtest.Text(t, ctx, "#notice"); got != want {
		t.Fatalf("after sending: %q, want %q", got, want)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	row := `#inbox tr[data-to="arben.hoxha@example.al"]`
	name := statement.FileName(a, mustDay(t, "2026-11-01"), mustDay(t, "2026-11-20"), statement.Albanian)
	if got := webtest.Text(t, ctx, row+" .files"); got != name {
		t.Fatalf("the demo mailbox shows the file %q, want %q", got, name)
	}
	if got := webtest.Text(t, ctx, row+" .subject"); !strings.Contains(got, a.IBAN[:4]) {
		t.Fatalf("subject %q does not name the account", got)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ledger.BusinessDay(s, "day")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
