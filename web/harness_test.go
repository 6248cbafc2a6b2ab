package web_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/kumbara/kumbara/web"
)

// bank is a demo bank served over HTTP for a browser, built as `kumbara serve --demo` builds it, on a fake clock.
type bank struct {
	url       string
	localURL  string // the same server at localhost, for passkeys
	passkeys  *passkey.Service
	handler   http.Handler
	clk       *clock.Fake
	d         *db.DB
	ledger    *ledger.Ledger
	customers *customer.Service
	auth      *auth.Service
	transfers *transfer.Service
	catalogue *i18n.Catalogue
	dispatch  *outbox.Dispatcher
	inbox     *outbox.Sandbox
	devices   *device.Service
	cards     *card.Service
	codes     *uniquecode.Service
	terms     *terms.Service
}

func newBank(t testing.TB) *bank {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite)
	clk := clock.NewFake(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	// Passkeys need a host name (WebAuthn refuses IP addresses): passkey tests browse localURL, on the port the
	// server listens on, so the listener comes first.
	hs := httptest.NewUnstartedServer(nil)
	localURL := "http://" + net.JoinHostPort("localhost", strconv.Itoa(hs.Listener.Addr().(*net.TCPAddr).Port))
	// The browser reads codes from the demo inbox, so messages are delivered as soon as they are queued.
	s, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: []byte("0123456789abcdef0123456789abcdef"),
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000",
		Hasher: password.ForTests, Passkeys: &passkey.Config{RPID: "localhost", Origins: []string{localURL}},
		DeliverAtOnce: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := demo.Seed(ctx, demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms}); err != nil {
		t.Fatal(err)
	}
	pages := &web.Server{Auth: s.Auth, Customers: s.Customers, Ledger: s.Ledger, Transfers: s.Transfers,
		Catalogue: s.Catalogue, Clock: clk, Inbox: s.Sandbox, Registration: s.Registration, Recovery: s.Recovery,
		Devices: s.Devices, Passkeys: s.Passkeys, Terms: s.Terms}
	srv := &api.Server{Responder: httpx.NewResponder(s.Catalogue, nil, nil), DB: d, Clock: clk, Auth: s.Auth,
		Customers: s.Customers, Ledger: s.Ledger, Transfers: s.Transfers, SCA: s.SCA, Bank: s.Customers.Bank,
		Inbox: s.Sandbox, Devices: s.Devices, Recovery: s.Recovery, Terms: s.Terms, Registration: s.Registration}
	srv.Budgets = httpx.NewBudgets(clk.Now)
	pages.Budgets = srv.Budgets
	mux := httpx.NewMux()
	if err := api.Register(mux, srv); err != nil {
		t.Fatal(err)
	}
	if err := web.Register(mux, pages); err != nil {
		t.Fatal(err)
	}
	h := srv.Responder.Handler(mux, httpx.Proxies{}, httpx.Scoped(d.Scope))
	hs.Config.Handler = h
	hs.Start()
	t.Cleanup(hs.Close)
	return &bank{url: hs.URL, localURL: localURL, passkeys: s.Passkeys, handler: h, clk: clk, d: d, ledger: s.Ledger,
		customers: s.Customers, auth: s.Auth, transfers: s.Transfers, catalogue: s.Catalogue, dispatch: s.Dispatcher,
		inbox: s.Sandbox, devices: s.Devices, cards: s.Cards, codes: s.Codes, terms: s.Terms}
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

// submitAndWait clicks a form's button and waits until the NEXT page has loaded and shows sel. Waiting for sel
// alone is not enough when the page being left shows it too (a form re-rendered with its error): the old page would
// satisfy the wait and the test would then read a page that is going away.
func submitAndWait(t *testing.T, ctx context.Context, button, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.leaving = "1"; true`)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(button)))
	check := `document.readyState === "complete" && !document.documentElement.dataset.leaving && ` +
		`document.querySelector(` + strconv.Quote(sel) + `) !== null`
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		// While the page changes, evaluating may fail (the old document is gone): that is a reason to wait, not to fail.
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check)); err == nil && ok {
			return
		}
	}
	t.Fatalf("no new page showing %s after clicking %s", sel, button)
}
