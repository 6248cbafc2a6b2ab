package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
)

// Chromium is one headless Chromium for a test package: the first test that asks for a tab starts it, each test
// gets a tab in a browser context of its own (its own cookies and storage), and TestMain closes it. A test package
// uses the one its test binary holds (browsers) through Tab and Main:
//
//	func TestMain(m *testing.M) { webtest.Main(m) }
//
// Without Chromium a browser test is skipped, except in CI, where the test command installs it and a missing
// browser is a failure.
type Chromium struct {
	once    sync.Once
	dir     string
	ctx     context.Context // the browser's first tab, which keeps it running
	cancels []context.CancelFunc
	missing bool
	err     error
}

// browsers is the test binary's Chromium. A test package is one binary, so this is one Chromium per package,
// started by its first browser test and closed by Main; it is test support, never in the bank's own code.
var browsers Chromium

// Main runs a test package's tests, then closes the package's Chromium. A package with browser tests calls it from
// its TestMain.
func Main(m *testing.M) {
	code := m.Run()
	browsers.Close()
	os.Exit(code)
}

// Tab is a browser tab of its own for one test (a browser context: its own cookies and storage) in the package's
// Chromium. Its two minutes are a bound on a stuck test, not a target: a journey takes seconds alone, but the
// whole suite runs every package's browser beside the databases' tests on two cores.
func Tab(t *testing.T) context.Context { return browsers.Tab(t, 2*time.Minute) }

// LongTab is Tab for a test that needs more than two minutes: one that walks every page of the site.
func LongTab(t *testing.T, d time.Duration) context.Context { return browsers.Tab(t, d) }

func (c *Chromium) start() {
	path := os.Getenv("KUMBARA_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		c.missing = true
		return
	}
	c.dir, c.err = os.MkdirTemp("", "kumbara-chromium-")
	if c.err != nil {
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(c.dir), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true),
		// The tests' customer browses in Albanian: the web follows the browser's language on a first visit.
		chromedp.Flag("accept-lang", "sq"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	c.ctx, c.cancels = ctx, []context.CancelFunc{cancel, cancelAlloc}
	if err := chromedp.Do(ctx); err != nil {
		c.err = err
	}
}

// Tab is a new tab for one test, in a browser context of its own, closed when the test ends (after a screenshot if
// the test failed). The tab's test has d to finish with it (Tab gives a minute).
func (c *Chromium) Tab(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	c.once.Do(c.start)
	switch {
	case c.missing && os.Getenv("CI") == "true":
		t.Fatal("chromium is not installed: CI must run the browser tests")
	case c.missing:
		t.Skip("chromium not installed")
	case c.err != nil:
		t.Fatalf("start chromium: %v", c.err)
	}
	ctx, cancel := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() {
		if t.Failed() {
			Screenshot(t, ctx, "failure")
		}
		cancelTimeout()
		cancel()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// Close stops the browser, if a test started it.
func (c *Chromium) Close() {
	for _, cancel := range c.cancels {
		cancel()
	}
	if c.dir != "" {
		_ = os.RemoveAll(c.dir)
	}
}

// root is the module's folder (the one with go.mod), where screenshots go whichever package's test takes them.
func root() string {
	dir, err := os.Getwd()
	if err != nil {
		return ".."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ".."
		}
	}
}

// Screenshot saves the page as test-artifacts/<test>-<name>.png; failing tests leave one behind for a person.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return ""
	}
	artifacts := filepath.Join(root(), "test-artifacts")
	dir := artifacts
	if shots := os.Getenv("KUMBARA_SCREENSHOTS"); shots != "" && name != "failure" {
		// KUMBARA_SCREENSHOTS=docs/screenshots refreshes the pictures the README shows.
		dir = filepath.Join(root(), shots)
	}
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())+"-"+name+".png")
	if dir != artifacts {
		file = filepath.Join(dir, name+".png") // the README's pictures keep stable names
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
	}
	t.Logf("screenshot: %s", file)
	return file
}

// Run runs browser actions one after another, failing the test on the first error. An action that finds the node
// it looked up gone ("Could not find node with given id": the page replaced it between the lookup and the action,
// as a page being left or a script that re-renders does) did nothing, so it is tried again, a few times, on the page
// as it is now; an action that went through is never repeated.
func Run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, a := range actions {
		err := chromedp.Do(ctx, a)
		for try := 0; try < 3 && staleNode(err); try++ {
			time.Sleep(100 * time.Millisecond)
			err = chromedp.Do(ctx, a)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// staleNode reports whether err is the browser saying a node it was asked about is no longer in the page.
func staleNode(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "Could not find node with given id") ||
		strings.Contains(err.Error(), "No node with given id found"))
}

// Text is the trimmed text of the element sel.
func Text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	for try := 0; try < 3 && staleNode(err); try++ {
		time.Sleep(100 * time.Millisecond)
		s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	}
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Attr is the attribute name of the element sel.
func Attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("%s of %s: %v", name, sel, err)
	}
	return a.Value
}

// Location is the tab's address.
func Location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Value is the current value of a form field.
func Value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+Quote(sel)+`).value`))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// Quote is s as a single-quoted JavaScript string.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// LogIn logs a demo customer in the way a newcomer without a phone would: password, then the code read from the
// demo inbox page.
func (b *Bank) LogIn(t *testing.T, ctx context.Context, client string) {
	t.Helper()
	b.LogInAt(t, ctx, b.URL, client)
}

// LogInAt logs a demo customer in with password and SMS code at base (LocalURL, where passkeys work, or URL).
func (b *Bank) LogInAt(t *testing.T, ctx context.Context, base, client string) {
	t.Helper()
	Run(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	Run(t, ctx, chromedp.Navigate(base+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	body := Text(t, ctx, "#inbox tbody tr:first-child .body")
	m := CodeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in the newest message %q", body)
	}
	Run(t, ctx,
		chromedp.Navigate(base+"/login/otp"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), m[1]),
		chromedp.Click(chromedp.CSS("#otp-submit")),
		chromedp.WaitVisible(chromedp.CSS("#accounts")),
	)
}

// SubmitAndWait clicks a form's button and waits until the NEXT page has loaded and shows sel. Waiting for sel
// alone is not enough when the page being left shows it too (a form re-rendered with its error): the old page would
// satisfy the wait and the test would then read a page that is going away.
func SubmitAndWait(t *testing.T, ctx context.Context, button, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.leaving = "1"; true`)); err != nil {
		t.Fatal(err)
	}
	Run(t, ctx, chromedp.Click(chromedp.CSS(button)))
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

// VirtualAuthenticator gives the browser a platform authenticator that holds discoverable credentials and
// verifies its user (the stand-in for a fingerprint), answering every prompt at once.
func VirtualAuthenticator(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("WebAuthn.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
}

// WaitText waits until the element shows text containing want.
func WaitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var e=document.querySelector(`+
			"`"+sel+"`"+`);return e?e.textContent:""})()`))
		if err == nil {
			got = s
			if strings.Contains(s, want) {
				return
			}
		}
	}
	t.Fatalf("%s shows %q, want %q", sel, got, want)
}

// Fetched is what Fetch saw of a download.
type Fetched struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Magic  string `json:"magic"`
}

// Fetch GETs path from inside the page, with the page's cookies, as a download would.
func Fetch(t *testing.T, ctx context.Context, path string) Fetched {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[Fetched](fmt.Sprintf(`(async () => {
		const r = await fetch(%q);
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get("Content-Type") || "", magic: String.fromCharCode(...b.slice(0, 4))};
	})()`, path), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// InboxCode reads the newest message in the demo inbox (/dev/inbox) and the six-digit code in it.
func (b *Bank) InboxCode(t *testing.T, ctx context.Context) (body, code string) {
	t.Helper()
	Run(t, ctx, chromedp.Navigate(b.URL+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	body = Text(t, ctx, "#inbox tbody tr:first-child .body")
	m := CodeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in the newest message %q", body)
	}
	return body, m[1]
}

// SignIn logs in with any client number and password (LogIn knows only the demo password and expects the
// summary): password, then the code, read straight from the sandbox inbox to save a page load. It stops after the
// code; the caller waits for the page it expects to land on.
func SignIn(t *testing.T, ctx context.Context, b *Bank, client, pw string) {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), client),
		chromedp.SetValue(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	msgs, err := b.Inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	code := CodeRe.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in the newest message %q", msgs[0].Body)
	}
	Run(t, ctx, chromedp.SetValue(chromedp.CSS("#otp"), code), chromedp.Click(chromedp.CSS("#otp-submit")))
}

// LogOut ends the browser's session through the confirmation page.
func LogOut(t *testing.T, ctx context.Context, b *Bank) {
	t.Helper()
	Run(t, ctx, chromedp.Navigate(b.URL+"/logout"), chromedp.WaitVisible(chromedp.CSS("#logout-confirm")),
		chromedp.Click(chromedp.CSS("#logout-confirm")), chromedp.WaitVisible(chromedp.CSS("#username")))
}

// WaitFor asks the page script (a boolean expression) until it answers true, for at most ten seconds, and says
// whether it did: for a state a click leads to, which the page reaches after the click is sent.
func WaitFor(t *testing.T, ctx context.Context, script string) bool {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err == nil && ok {
			return true
		}
	}
	return false
}
