package access_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestBrowserLoginWithTheCodeFromTheDemoInboxShowsTheLedgersBalances(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	c, err := b.Customers.ByClientNumber(context.Background(), "100000001")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#accounts article.account").length`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(accounts) {
		t.Fatalf("page shows %d accounts, the ledger has %d", rows, len(accounts))
	}
	for _, a := range accounts {
		sel := fmt.Sprintf(`article.account[data-account-id="%s"]`, a.ID)
		avail := webtest.Attr(t, ctx, sel+" [data-balance-available]", "data-balance-available")
		ledgerBal := webtest.Attr(t, ctx, sel+" [data-balance-ledger]", "data-balance-ledger")
		if avail != fmt.Sprint(a.Available()) || ledgerBal != fmt.Sprint(a.Balance) {
			t.Errorf("account %s: page %s/%s, ledger %d/%d", a.IBAN, ledgerBal, avail, a.Balance, a.Available())
		}
		shown := webtest.Text(t, ctx, sel+" [data-balance-available]")
		if want := i18n.FormatAmount(a.Available(), string(a.Currency), i18n.SQ); shown != want {
			t.Errorf("available shown as %q, want %q", shown, want)
		}
	}
	webtest.Screenshot(t, ctx, "summary-sq")
}

func TestBrowserWrongPasswordSaysSoWithoutNamingTheFactor(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "100000002"),
		chromedp.SendKeys(chromedp.CSS("#password"), "Gabim2026x"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestBrowserFiveFailuresBlockTheChannel(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	// The customer's own browser: from an address the customer never used, the sixth attempt would be throttled.
	loggedInHere(t, b, "100000003")
	for i := 0; i < 5; i++ {
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
			chromedp.SendKeys(chromedp.CSS("#password"), fmt.Sprintf("Gabim%dx2026", i)))
		webtest.SubmitAndWait(t, ctx, "#login-submit", "#problem")
	}
	// Whoever types at the login page is told nothing of the block; the customer is, by SMS.
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("after five failures: %q, want %q", got, want)
	}
	c, err := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err != nil {
		t.Fatal(err)
	}
	if blocked, err := b.Auth.Blocked(context.Background(), c.ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v after five failures", blocked, err)
	}
	if msgs, _ := b.Inbox.InboxFor(context.Background(), c.Mobile, 1); len(msgs) == 0 ||
		!strings.Contains(msgs[0].Body, "Keni harruar fjalëkalimin?") {
		t.Errorf("the customer's newest SMS %+v does not tell of the block", msgs)
	}
	// Even the right password is refused now, in the same words.
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("right password on a blocked channel: %q, want %q", got, want)
	}
}

func TestBrowserLanguageSwitchIsRememberedOnEveryPage(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	lang := webtest.Attr(t, ctx, "html", "lang")
	if lang != "sq" || webtest.Text(t, ctx, "h1") != "Hyrja" {
		t.Fatalf("default page: lang %q, heading %q", lang, webtest.Text(t, ctx, "h1"))
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS("#lang-sq")))
	lang = webtest.Attr(t, ctx, "html", "lang")
	if lang != "en" || webtest.Text(t, ctx, "h1") != "Log in" {
		t.Fatalf("after the switch: lang %q, heading %q", lang, webtest.Text(t, ctx, "h1"))
	}
	webtest.Screenshot(t, ctx, "login-en")
	b.LogIn(t, ctx, "100000001")
	if got := webtest.Text(t, ctx, "h1"); got != "My finances" {
		t.Fatalf("the summary forgot the language: %q", got)
	}
	shown := webtest.Text(t, ctx, "#accounts article.account:first-child [data-balance-available]")
	if !strings.Contains(shown, ",") || strings.Contains(shown, ",00 ") {
		t.Fatalf("English amounts look like %q", shown)
	}
}

func TestBrowserLogoutAsksFirstThenEndsTheSession(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#logout-link")), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")))
	webtest.Screenshot(t, ctx, "logout-sq")
	webtest.SubmitAndWait(t, ctx, "#logout-confirm", "#notice")
	if got, want := webtest.Text(t, ctx, "#notice"), b.Catalogue.Message(i18n.SQ, "web_logged_out", nil); got != want {
		t.Fatalf("after logout: %q, want %q", got, want)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("the summary after logout went to %s", loc)
	}
}

func TestBrowserIdleSessionExpires(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	if webtest.Text(t, ctx, "#idle-warning") == "" {
		t.Fatal("the idle timeout is not shown")
	}
	b.Clock.Advance(5*time.Minute + time.Second)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got, want := webtest.Text(t, ctx, "#notice"), b.Catalogue.Message(i18n.SQ, "web_session_expired", nil); got != want {
		t.Fatalf("after 5 idle minutes: %q, want %q", got, want)
	}
}

// A form on another site that posts to the bank is refused: the browser marks it cross-site and the bank's
// cross-origin protection turns it away before any handler runs.
func TestBrowserRefusesAFormPostedFromAnotherSite(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/login">
<input name="username" value="100000001"><input name="password" value="%s">
<button id="go" type="submit">go</button></form>`, b.URL, demo.Password)
	}))
	defer evil.Close()
	// localhost and 127.0.0.1 are different sites to the browser.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	webtest.Run(t, ctx, chromedp.Navigate(evilURL), chromedp.Click(chromedp.CSS("#go")), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "cross_site_refused", nil); got != want {
		t.Fatalf("cross-site post: %q, want %q", got, want)
	}
	var sent int
	if err := b.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM login_challenges").Scan(&sent); err != nil || sent != 0 {
		t.Fatalf("the cross-site post started %d logins (%v)", sent, err)
	}
}
