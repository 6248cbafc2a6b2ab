package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web"
)

// bank is a demo bank served over HTTP for a browser, wired as `kumbara serve --demo` wires it, on a fake clock.
type bank struct {
	url       string
	clk       *clock.Fake
	d         *db.DB
	ledger    *ledger.Ledger
	customers *customer.Service
	catalogue *i18n.Catalogue
	dispatch  *outbox.Dispatcher
}

func newBank(t *testing.T) *bank {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite)
	clk := clock.NewFake(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	l := ledger.New(d, clk)
	if err := l.EnsureGL(ctx); err != nil {
		t.Fatal(err)
	}
	l.Start(0)
	t.Cleanup(l.Close)
	customers := &customer.Service{DB: d, Clock: clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
		Branch: "0001", BIC: "KUMBALT0XXX"}}
	sandbox := &outbox.Sandbox{DB: d, Clock: clk}
	dispatch := &outbox.Dispatcher{DB: d, Sender: sandbox, Clock: clk}
	a := &auth.Service{DB: d, Clock: clk, Customers: customers, Hasher: password.ForTests, Config: auth.DefaultConfig(),
		Key: []byte("0123456789abcdef0123456789abcdef")}
	// The browser reads codes from the demo inbox, so messages are delivered as soon as they are queued.
	a.Sent = func() { _, _ = dispatch.RunOnce(context.Background()) }
	transfers := &transfer.Service{Ledger: l, Customers: customers}
	if err := demo.Seed(ctx, demo.Deps{Customers: customers, Auth: a, Ledger: l}); err != nil {
		t.Fatal(err)
	}
	catalogue, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Responder: api.NewResponder(catalogue, nil, nil), DB: d, Clock: clk, Auth: a,
		Customers: customers, Ledger: l, Transfers: transfers, Bank: customers.Bank, Inbox: sandbox}
	pages := &web.Server{Auth: a, Customers: customers, Ledger: l, Transfers: transfers, Catalogue: catalogue,
		Clock: clk, Inbox: sandbox}
	srv.Pages = pages.Register
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &bank{url: hs.URL, clk: clk, d: d, ledger: l, customers: customers, catalogue: catalogue, dispatch: dispatch}
}

// browser starts Debian's Chromium headless for one test. Without Chromium the test is skipped, except in CI,
// where the test command installs it and a missing browser is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("KUMBARA_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed: CI must run the browser tests")
		}
		t.Skip("chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx, "failure")
		}
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshot saves the page as test-artifacts/<test>-<name>.png; failing tests leave one behind for a person.
func screenshot(t *testing.T, ctx context.Context, name string) string {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	dir := filepath.Join("..", "test-artifacts")
	if shots := os.Getenv("KUMBARA_SCREENSHOTS"); shots != "" && name != "failure" {
		// KUMBARA_SCREENSHOTS=docs/screenshots refreshes the pictures the README shows.
		dir = filepath.Join("..", shots)
	}
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())+"-"+name+".png")
	if dir != filepath.Join("..", "test-artifacts") {
		file = filepath.Join(dir, name+".png") // the README's pictures keep stable names
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
	}
	t.Logf("screenshot: %s", file)
	return file
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("%s of %s: %v", name, sel, err)
	}
	return a.Value
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

// logIn logs a demo customer in the way a newcomer without a phone would: password, then the code read from the
// demo inbox page.
func (b *bank) logIn(t *testing.T, ctx context.Context, client string) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(b.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	run(t, ctx, chromedp.Navigate(b.url+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	body := text(t, ctx, "#inbox tbody tr:first-child .body")
	m := codeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in the newest message %q", body)
	}
	run(t, ctx,
		chromedp.Navigate(b.url+"/login/otp"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), m[1]),
		chromedp.Click(chromedp.CSS("#otp-submit")),
		chromedp.WaitVisible(chromedp.CSS("#accounts")),
	)
}

func TestBrowserLoginWithTheCodeFromTheDemoInboxShowsTheLedgersBalances(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	b.logIn(t, ctx, "100000001")
	c, err := b.customers.ByClientNumber(context.Background(), "100000001")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#accounts tr.account").length`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(accounts) {
		t.Fatalf("page shows %d accounts, the ledger has %d", rows, len(accounts))
	}
	for _, a := range accounts {
		sel := fmt.Sprintf(`tr[data-account-id="%s"]`, a.ID)
		avail := attr(t, ctx, sel+" [data-balance-available]", "data-balance-available")
		ledgerBal := attr(t, ctx, sel+" [data-balance-ledger]", "data-balance-ledger")
		if avail != fmt.Sprint(a.Available()) || ledgerBal != fmt.Sprint(a.Balance) {
			t.Errorf("account %s: page %s/%s, ledger %d/%d", a.IBAN, ledgerBal, avail, a.Balance, a.Available())
		}
		shown := text(t, ctx, sel+" [data-balance-available]")
		if want := i18n.FormatAmount(a.Available(), string(a.Currency), i18n.SQ); shown != want {
			t.Errorf("available shown as %q, want %q", shown, want)
		}
	}
	screenshot(t, ctx, "summary-sq")
}

func TestBrowserWrongPasswordSaysSoWithoutNamingTheFactor(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	run(t, ctx,
		chromedp.Navigate(b.url+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "100000002"),
		chromedp.SendKeys(chromedp.CSS("#password"), "Gabim2026x"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestBrowserFiveFailuresBlockTheChannel(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	for i := 0; i < 5; i++ {
		run(t, ctx,
			chromedp.Navigate(b.url+"/login"),
			chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
			chromedp.SendKeys(chromedp.CSS("#password"), fmt.Sprintf("Gabim%dx2026", i)),
			chromedp.Click(chromedp.CSS("#login-submit")),
			chromedp.WaitVisible(chromedp.CSS("#problem")))
	}
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "channel_blocked", nil); got != want {
		t.Fatalf("after five failures: %q, want %q", got, want)
	}
	// Even the right password is refused now.
	run(t, ctx,
		chromedp.Navigate(b.url+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "channel_blocked", nil); got != want {
		t.Fatalf("right password on a blocked channel: %q, want %q", got, want)
	}
}

func TestBrowserLanguageSwitchIsRememberedOnEveryPage(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(b.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	lang := attr(t, ctx, "html", "lang")
	if lang != "sq" || text(t, ctx, "h1") != "Hyrja" {
		t.Fatalf("default page: lang %q, heading %q", lang, text(t, ctx, "h1"))
	}
	run(t, ctx, chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS("#lang-sq")))
	lang = attr(t, ctx, "html", "lang")
	if lang != "en" || text(t, ctx, "h1") != "Log in" {
		t.Fatalf("after the switch: lang %q, heading %q", lang, text(t, ctx, "h1"))
	}
	screenshot(t, ctx, "login-en")
	b.logIn(t, ctx, "100000001")
	if got := text(t, ctx, "h1"); got != "My finances" {
		t.Fatalf("the summary forgot the language: %q", got)
	}
	shown := text(t, ctx, "#accounts tr.account:first-child [data-balance-available]")
	if !strings.Contains(shown, ",") || strings.Contains(shown, ",00 ") {
		t.Fatalf("English amounts look like %q", shown)
	}
}

func TestBrowserLogoutAsksFirstThenEndsTheSession(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	b.logIn(t, ctx, "100000002")
	run(t, ctx, chromedp.Click(chromedp.CSS("#logout-link")), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")))
	screenshot(t, ctx, "logout-sq")
	run(t, ctx, chromedp.Click(chromedp.CSS("#logout-confirm")), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got, want := text(t, ctx, "#notice"), b.catalogue.Message(i18n.SQ, "web_logged_out", nil); got != want {
		t.Fatalf("after logout: %q, want %q", got, want)
	}
	run(t, ctx, chromedp.Navigate(b.url+"/summary"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if loc := location(t, ctx); !strings.Contains(loc, "/login") {
		t.Fatalf("the summary after logout went to %s", loc)
	}
}

func TestBrowserIdleSessionExpires(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	b.logIn(t, ctx, "100000001")
	if text(t, ctx, "#idle-warning") == "" {
		t.Fatal("the idle timeout is not shown")
	}
	b.clk.Advance(5*time.Minute + time.Second)
	run(t, ctx, chromedp.Navigate(b.url+"/summary"), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got, want := text(t, ctx, "#notice"), b.catalogue.Message(i18n.SQ, "web_session_expired", nil); got != want {
		t.Fatalf("after 5 idle minutes: %q, want %q", got, want)
	}
}

// A form on another site that posts to the bank is refused: the browser marks it cross-site and the bank's
// cross-origin protection turns it away before any handler runs.
func TestBrowserRefusesAFormPostedFromAnotherSite(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/login">
<input name="username" value="100000001"><input name="password" value="%s">
<button id="go" type="submit">go</button></form>`, b.url, demo.Password)
	}))
	defer evil.Close()
	// localhost and 127.0.0.1 are different sites to the browser.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	run(t, ctx, chromedp.Navigate(evilURL), chromedp.Click(chromedp.CSS("#go")), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := text(t, ctx, "#problem"), b.catalogue.Message(i18n.SQ, "cross_site_refused", nil); got != want {
		t.Fatalf("cross-site post: %q, want %q", got, want)
	}
	var sent int
	if err := b.d.QueryRow(context.Background(), "SELECT COUNT(*) FROM login_challenges").Scan(&sent); err != nil || sent != 0 {
		t.Fatalf("the cross-site post started %d logins (%v)", sent, err)
	}
}
