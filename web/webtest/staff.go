package webtest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/staff"
)

// StaffCookie is the back office's session cookie.
const StaffCookie = "kumbara_staff"

// StaffLogin is the demo member of staff with the username (demo.Staff), failing the test if there is none.
func StaffLogin(t *testing.T, username string) demo.StaffLogin {
	t.Helper()
	for _, l := range demo.Staff {
		if l.Username == username {
			return l
		}
	}
	t.Fatalf("no demo member of staff %q", username)
	return demo.StaffLogin{}
}

// StaffCode moves the bank's clock on to the next TOTP step and returns the demo member's code there, as their
// authenticator app shows it: a code is accepted once per step, so each login of a test takes a step of its own.
func (b *Bank) StaffCode(t *testing.T, username string) string {
	t.Helper()
	b.Clock.Advance(30 * time.Second)
	code, err := staff.Code(StaffLogin(t, username).TOTPSecret, b.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// StaffToken logs a demo member of staff in through the services (password, then the TOTP code) and returns the
// token the back office keeps in its cookie.
func StaffToken(t *testing.T, b *Bank, username string) string {
	t.Helper()
	ctx := context.Background()
	step, err := b.Staff.Login(ctx, username, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := b.Staff.Verify(ctx, step.Token, b.StaffCode(t, username))
	if err != nil {
		t.Fatal(err)
	}
	return sess.Token
}

// Request is a request to the bank as a test builds it: the cookies it carries, its form and its headers.
type Request struct {
	Cookies []*http.Cookie
	Form    url.Values
	Header  http.Header
}

// Send sends a request to the bank and does not follow redirects.
func Send(t *testing.T, b *Bank, method, path string, q Request) Answer {
	t.Helper()
	var body io.Reader
	if q.Form != nil {
		body = strings.NewReader(q.Form.Encode())
	}
	req, _ := http.NewRequest(method, b.URL+path, body)
	if q.Form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for name, values := range q.Header {
		req.Header[name] = values
	}
	for _, c := range q.Cookies {
		req.AddCookie(c)
	}
	resp, err := NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Answer{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(raw), Header: resp.Header}
}

// StaffLogIn logs a demo member of staff in to the back office in the browser: username and password, then the
// TOTP code their authenticator app shows. It stops once the code is sent; the caller waits for the page it
// expects to land on (the home page, or the password change of a member whose password the bank set).
func (b *Bank) StaffLogIn(t *testing.T, ctx context.Context, username, pw string) {
	t.Helper()
	Run(t, ctx,
		chromedp.Navigate(b.URL+"/backoffice/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	SubmitAndWait(t, ctx, "#login-submit", "#code")
	Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#code"), b.StaffCode(t, username)))
	SubmitAndWait(t, ctx, "#code-submit", "main")
}
