package web_test

// The harness of package web's tests, over webtest. Phase 1: the tests of transfers, profile, registration and
// recovery still use these unexported names; when those areas move to their own packages their tests call webtest
// directly, as web/finances and web/access do, and this file shrinks to the TestMain.

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/kumbara/kumbara/web/webtest"
)

// browsers is this package's one Chromium, shared by its browser tests.
var browsers webtest.Chromium

func TestMain(m *testing.M) {
	code := m.Run()
	browsers.Close()
	os.Exit(code)
}

// bank is webtest.Bank under the names these tests use.
type bank struct {
	w         *webtest.Bank
	url       string
	localURL  string
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
	w := webtest.NewBank(t)
	return &bank{w: w, url: w.URL, localURL: w.LocalURL, passkeys: w.Passkeys, handler: w.Handler, clk: w.Clock,
		d: w.DB, ledger: w.Ledger, customers: w.Customers, auth: w.Auth, transfers: w.Transfers, catalogue: w.Catalogue,
		dispatch: w.Dispatch, inbox: w.Inbox, devices: w.Devices, cards: w.Cards, codes: w.Codes, terms: w.Terms}
}

var codeRe = webtest.CodeRe

func browser(t *testing.T) context.Context { return browsers.Tab(t) }

func screenshot(t *testing.T, ctx context.Context, name string) string {
	return webtest.Screenshot(t, ctx, name)
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	webtest.Run(t, ctx, actions...)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return webtest.Text(t, ctx, sel)
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	return webtest.Attr(t, ctx, sel, name)
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return webtest.Location(t, ctx)
}

func (b *bank) logIn(t *testing.T, ctx context.Context, client string) {
	t.Helper()
	b.w.LogIn(t, ctx, client)
}

func submitAndWait(t *testing.T, ctx context.Context, button, sel string) {
	t.Helper()
	webtest.SubmitAndWait(t, ctx, button, sel)
}

func blockWeb(t *testing.T, b *bank, clientNumber string) {
	t.Helper()
	webtest.BlockWeb(t, b.w, clientNumber)
}

func (b *bank) pkLogIn(t *testing.T, ctx context.Context, base, client string) {
	t.Helper()
	b.w.LogInAt(t, ctx, base, client)
}

func (b *bank) failures(t *testing.T, client string) int {
	t.Helper()
	return b.w.Failures(t, client)
}

func virtualAuthenticator(t *testing.T, ctx context.Context) {
	t.Helper()
	webtest.VirtualAuthenticator(t, ctx)
}

func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	webtest.WaitText(t, ctx, sel, want)
}

type pkAnswer struct {
	status   int
	location string
	json     map[string]any
}

func pkPost(t *testing.T, b *bank, path, token, contentType, body string) pkAnswer {
	t.Helper()
	a := webtest.PostJSON(t, b.w, path, token, contentType, body)
	return pkAnswer{status: a.Status, location: a.Location, json: a.JSON}
}
