package access_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/web/webtest"
)

// key is the on-screen keyboard's button that types c (in lower case).
func key(c string) string { return `#kb button[data-lower="` + c + `"]` }

// openBusinessLogin fills the business login up to the password: client number and NIPT.
func (b *bank) openBusinessLogin(t *testing.T, ctx context.Context, nipt string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#tab-business")),
		chromedp.Click(chromedp.CSS("#tab-business")),
		chromedp.WaitVisible(chromedp.CSS("#nipt")),
		chromedp.SendKeys(chromedp.CSS("#username"), "100000004"),
		chromedp.SendKeys(chromedp.CSS("#nipt"), nipt),
	)
}

func TestBrowserBusinessLoginWithTheOnScreenKeyboard(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)

	// A wrong NIPT is refused like any wrong factor, without saying which one.
	b.openBusinessLogin(t, ctx, "K99999999L")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#problem")
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message("sq", "login_failed", nil); got != want {
		t.Fatalf("wrong NIPT: %q, want %q", got, want)
	}

	b.openBusinessLogin(t, ctx, strings.ToLower(demo.BusinessNIPT))
	// The keyboard is closed until asked for, and its toggle says so.
	if got := webtest.Attr(t, ctx, "#kb-toggle", "aria-expanded"); got != "false" {
		t.Fatalf("toggle aria-expanded %q", got)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#kb-toggle")), chromedp.WaitVisible(chromedp.CSS("#kb")))
	if got := webtest.Attr(t, ctx, "#kb-toggle", "aria-expanded"); got != "true" {
		t.Fatalf("toggle aria-expanded %q after opening", got)
	}
	// Every key is a real, named button that does not submit the form.
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#kb button"))
		.filter(function (b) { return b.type !== "button" || b.textContent.trim() === ""; }).length`))
	if err != nil || bad != 0 {
		t.Fatalf("%d keys are not named buttons (%v)", bad, err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#kb button[data-lower]").length`)); n < 60 {
		t.Fatalf("only %d keys", n)
	}

	// "K" with the capitals key, "umbara" on the physical keyboard, "202" with clicks, a mistake deleted, and the
	// last "6" pressed from the keyboard with Enter on the focused key.
	// A click is handled by the page after it is sent, and a press of the capitals key relabels every key (the
	// keys move as their labels change width): each step waits for the keyboard to show the press before the next.
	webtest.Run(t, ctx,
		chromedp.Click(chromedp.CSS("#kb-shift")),
		chromedp.WaitVisible(chromedp.CSS(`#kb-shift[aria-pressed="true"]`)),
		chromedp.Click(chromedp.CSS(key("k"))),
		chromedp.Click(chromedp.CSS("#kb-shift")),
	)
	if !webtest.WaitFor(t, ctx, `document.querySelector("#kb-shift").getAttribute("aria-pressed") === "false"`) {
		t.Fatalf("capitals still pressed: %q", webtest.Attr(t, ctx, "#kb-shift", "aria-pressed"))
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#password"), "umbara"))
	for _, c := range []string{"2", "0", "2", "9"} {
		webtest.Run(t, ctx, chromedp.Click(chromedp.CSS(key(c))))
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#kb-backspace")))
	if !webtest.WaitFor(t, ctx, `document.querySelector("#password").value === "Kumbara202"`) {
		t.Fatalf("password field holds %q", webtest.Value(t, ctx, "#password"))
	}
	webtest.Run(t, ctx, chromedp.Focus(chromedp.CSS(key("6"))), chromedp.KeyEvent("\r"))
	if !webtest.WaitFor(t, ctx, `document.querySelector("#password").value === `+webtest.Quote(demo.Password)) {
		t.Fatalf("password field holds %q, want the demo password", webtest.Value(t, ctx, "#password"))
	}
	if got := webtest.Text(t, ctx, "#kb-status"); !strings.Contains(got, "11") || strings.Contains(got, demo.Password) {
		t.Errorf("live region says %q", got)
	}
	webtest.Screenshot(t, ctx, "business-login-keyboard-sq")
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")

	c, err := b.Customers.ByClientNumber(context.Background(), "100000004")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kyc.ParseNIPT(c.NIPT); err != nil || c.NIPT != demo.BusinessNIPT {
		t.Fatalf("demo business NIPT %q", c.NIPT)
	}
	msgs, err := b.Inbox.InboxFor(context.Background(), c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for the business: %v", err)
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), webtest.CodeRe.FindString(msgs[0].Body)))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
	if got := webtest.Text(t, ctx, "a.who"); got != "Ëmbëlsira Tirana Shpk" {
		t.Errorf("logged in as %q", got)
	}
}

func TestBrowserSessionsListAndEnd(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	phone := b.appSession(t, "100000002")

	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-sessions")))
	webtest.SubmitAndWait(t, ctx, "#profile-sessions", "#sessions")
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#sessions li.session").length`))
	if rows != 2 {
		t.Fatalf("%d sessions listed, want 2", rows)
	}
	// Readable devices, not the raw User-Agent; this session marked.
	if got := webtest.Text(t, ctx, `#sessions li[data-current="true"]`); !strings.Contains(got, "Chrome në Linux") ||
		!strings.Contains(got, "Dega Internet") || !strings.Contains(got, "kjo seancë") || strings.Contains(got, "Mozilla") {
		t.Errorf("current session shown as %q", got)
	}
	if got := webtest.Text(t, ctx, `#sessions li.session:not([data-current])`); !strings.Contains(got, "Safari në iPhone") ||
		strings.Contains(got, "Mozilla") {
		t.Errorf("the phone's session shown as %q", got)
	}
	webtest.Screenshot(t, ctx, "sessions-sq")
	other := webtest.Attr(t, ctx, `#sessions li.session:not([data-current]) `, "data-session-id")
	webtest.SubmitAndWait(t, ctx, "#end-"+other, "#notice")
	if rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#sessions li.session").length`)); rows != 1 {
		t.Fatalf("%d sessions after ending one, want 1", rows)
	}
	if _, err := b.Auth.Authenticate(context.Background(), phone); err == nil {
		t.Fatal("the phone's session still works")
	}
	// Ending this session logs out.
	current := webtest.Attr(t, ctx, `#sessions li[data-current="true"]`, "data-session-id")
	webtest.SubmitAndWait(t, ctx, "#end-"+current, "#username")
}

func TestBrowserEndAllOtherSessionsAsksFirst(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	phone := b.appSession(t, "100000002")
	tablet := b.appSession(t, "100000002")

	b.LogIn(t, ctx, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/sessions"), chromedp.WaitVisible(chromedp.CSS("#end-others")))
	webtest.SubmitAndWait(t, ctx, "#end-others", "#confirm-others")
	if got := webtest.Text(t, ctx, "#confirm-others"); !strings.Contains(got, "(2)") {
		t.Errorf("the confirmation says %q, want the 2 other sessions", got)
	}
	for _, tok := range []string{phone, tablet} {
		if _, err := b.Auth.Authenticate(context.Background(), tok); err != nil {
			t.Fatalf("a session ended before the customer confirmed: %v", err)
		}
	}
	webtest.Screenshot(t, ctx, "sessions-end-others-sq")
	webtest.SubmitAndWait(t, ctx, "#end-others-confirm", "#notice")
	if rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#sessions li.session").length`)); rows != 1 {
		t.Fatalf("%d sessions after ending the others, want 1", rows)
	}
	for _, tok := range []string{phone, tablet} {
		if _, err := b.Auth.Authenticate(context.Background(), tok); err == nil {
			t.Error("another session still works")
		}
	}
	// Nothing left to end: no button.
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#end-others").length`)); n != 0 {
		t.Error("the button is still offered with no other session")
	}
}

// appSession opens a full session of the customer from the mobile app on an iPhone, as the API would.
func (b *bank) appSession(t *testing.T, clientNumber string) string {
	t.Helper()
	b.Clock.Advance(time.Second) // its code is newer than any before, and older than the next login's
	ctx := auth.WithClient(context.Background(), auth.Client{Channel: auth.ChannelAPI,
		Label: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"})
	c, err := b.Customers.ByClientNumber(ctx, clientNumber)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := b.Auth.Login(ctx, clientNumber, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(ctx, c.Mobile, 1)
	token, _, err := b.Auth.VerifyOTP(ctx, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
