package web_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// readmeShots are the pages whose phone pictures the README shows beside the desktop ones (docs/screenshots): the
// walk saves them into the screenshots folder itself under these names, and every page into its walk/ folder.
var readmeShots = map[string]string{
	"login-out-sq-360":               "phone-login-sq",
	"summary-in-sq-360":              "phone-summary-sq",
	"transfers-review-in-sq-360":     "phone-transfer-review-sq",
	"profile-in-en-360":              "phone-profile-en",
	"transfers-id-confirm-in-sq-360": "phone-payment-confirm-sq",
}

// The widths every page must fit: a small phone and a laptop.
var walkWidths = []int64{360, 1280}

// downloads are GET routes that answer a file, not a page: the walk fetches them (no 5xx, the right type) instead
// of looking at them.
var downloads = map[string]struct{ query, typ string }{
	"/accounts/{id}/statement/pdf": {"?from=2026-11-01&to=2026-11-20", "application/pdf"},
	"/transfers/{id}/receipt":      {"", "application/pdf"},
	"/payments/{id}/receipt":       {"", "application/pdf"},

	"/exchange/conversions/{id}/receipt": {"", "application/pdf"},

	// ISO 20022 documents. The walk's customer is no business and has no bulk file: its report is the not-found page.
	"/accounts/{id}/statement/camt053": {"?from=2026-11-01&to=2026-11-20", "application/xml"},
	"/accounts/{id}/statement/camt054": {"?from=2026-11-01&to=2026-11-20", "application/xml"},
	"/bulk/{id}/pain002":               {"", "text/html; charset=utf-8"},

	// The demo card network's reading of a 3-D Secure result: JSON for the network, not a page.
	"/dev/card-network/3ds/{id}": {"", "application/json"},
}

// walkState is what the walk has of the bank to fill a route's path parameters with, and the pages that need a
// flow (a transfer under review, waiting for its code, done).
type walkState struct {
	lang                                  string
	account, line, device, passkey        string
	beneficiary                           string
	pendingTransfer, doneTransfer, review string
	// A payment to another bank waiting for its SMS code, one the bank took, and a payment under review.
	pendingPayment, donePayment, paymentReview string
	// A currency exchange quoted and waiting for its confirmation, and one executed.
	quote, conversion string
	// A debit card with an account linked besides its primary.
	card, linked string
	// The customer's credit card and its last statement.
	credit, statement string
}

// fill gives every path parameter of a route a real value, by the parameter's name and the segment before it
// (an {id} after "accounts" is an account). A parameter this table does not know fails the walk, so a new page
// cannot stay out of it.
func (w walkState) fill(path string) (string, error) {
	if path == "/transfers/review" {
		return w.review, nil
	}
	if path == "/payments/review" {
		return w.paymentReview, nil
	}
	if path == "/{$}" {
		return "/", nil
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		name, ok := strings.CutPrefix(p, "{")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(name, "}")
		key := name
		if i > 0 {
			key = parts[i-1] + "." + name
		}
		var v string
		switch key {
		case "lang.lang":
			v = w.lang
		case "accounts.id":
			v = w.account
		case "history.line":
			v = w.line
		case "devices.id":
			v = w.device
		case "passkeys.id":
			v = w.passkey
		case "beneficiaries.id":
			v = w.beneficiary
		case "bulk.id":
			// No file of the walk's customer (see downloads): the not-found page; web/bulk's browser test looks at a
			// file's page at both widths.
			v = "none"
		case "requests.id":
			// No preferential rate request of the walk's customer: the not-found page; web/fxrequests's browser
			// test looks at a request's pages at both widths.
			v = "none"
		case "approvals.id", "3ds.id":
			// No 3-D Secure approval of the walk's customer: the not-found page; web/approvals's browser test looks
			// at an approval's pages at both widths.
			v = "none"
		case "3ds.ref":
			// No online purchase waiting at the demo terminal: its not-found page; web/devcards's browser tests
			// go through the waiting page.
			v = "none"
		case "transfers.id":
			v = w.doneTransfer
			if strings.HasSuffix(path, "/confirm") {
				v = w.pendingTransfer
			}
		case "payments.id":
			v = w.donePayment
			if strings.HasSuffix(path, "/confirm") {
				v = w.pendingPayment
			}
		case "cards.id":
			v = w.card
			if creditPage(path) {
				v = w.credit
			}
		case "accounts.account_id":
			v = w.linked
		case "quotes.id":
			v = w.quote
		case "conversions.id":
			v = w.conversion
		case "statements.sid":
			v = w.statement
		}
		if v == "" {
			return "", fmt.Errorf("no value for {%s} in %s: give the walk one", key, path)
		}
		parts[i] = v
	}
	return strings.Join(parts, "/"), nil
}

// creditPage reports whether path is one of the credit card pages (web/creditcards), walked with the customer's
// credit card rather than the debit card.
func creditPage(path string) bool {
	for _, p := range []string{"/statements", "/pay", "/cash-advance", "/auto-payment", "/limits", "/instalments"} {
		if strings.HasPrefix(path, "/cards/{id}"+p) {
			return true
		}
	}
	return false
}

// TestEveryPageFitsAPhoneAndALaptopInBothLanguagesWithoutAccessibilityViolations walks the whole route table:
// every GET page, signed out (the public ones) and signed in as a demo customer (all of them), in Albanian and
// English, at 360 and 1280 px. A page fails on a 5xx, on sideways scrolling (naming the element that sticks out) and
// on any axe-core violation. With KUMBARA_SCREENSHOTS=dir it saves every page at both widths into dir/walk, and
// the README's phone pictures into dir.
func TestEveryPageFitsAPhoneAndALaptopInBothLanguagesWithoutAccessibilityViolations(t *testing.T) {
	axe := axeSource(t)
	b := webtest.NewBank(t)
	routes, err := b.Pages.Routes()
	if err != nil {
		t.Fatal(err)
	}
	state := prepareWalk(t, b)
	for _, signedIn := range []bool{false, true} {
		for _, lang := range []string{"sq", "en"} {
			who := "out"
			if signedIn {
				who = "in"
			}
			t.Run("signed-"+who+"-"+lang, func(t *testing.T) {
				ctx := webtest.LongTab(t, 5*time.Minute)
				if signedIn {
					b.LogIn(t, ctx, "100000001")
				}
				// The language switch remembers the choice; every page after it is in lang.
				webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/lang/"+lang+"?next=/contact"),
					chromedp.WaitReady(chromedp.CSS("body")))
				st := state
				st.lang = lang
				for _, rt := range routes {
					if rt.Method != "GET" || (!signedIn && rt.Access != httpx.Public) {
						continue
					}
					path, err := st.fill(rt.Path)
					if err != nil {
						t.Error(err)
						continue
					}
					if dl, ok := downloads[rt.Path]; ok {
						if got := webtest.Fetch(t, ctx, path+dl.query); got.Status >= 500 || (signedIn && got.Type != dl.typ) {
							t.Errorf("%s: %d %q, want %s", path, got.Status, got.Type, dl.typ)
						}
						continue
					}
					walkPage(t, ctx, b.URL+path, shotName(rt.Path, who, lang), axe)
				}
			})
		}
	}
}

// walkPage opens one page and checks it at every width.
func walkPage(t *testing.T, ctx context.Context, url, shot, axe string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(walkWidths[0], 800)); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Errorf("%s: %v", url, err)
		return
	}
	if resp.Status >= 500 {
		t.Errorf("%s: HTTP %d", url, resp.Status)
	}
	webtest.Run(t, ctx, chromedp.WaitReady(chromedp.CSS("body")))
	for i, width := range walkWidths {
		if i > 0 {
			webtest.Run(t, ctx, chromedp.EmulateViewport(width, 800))
		}
		over, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflowJS))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if over != "" {
			t.Errorf("%s at %d px scrolls sideways: %s", url, width, over)
		}
		// The header is one line at every width: its items never wrap under each other.
		lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](headerRowsJS))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if lines != 1 {
			t.Errorf("%s at %d px: the header's items wrap onto a second line", url, width)
		}
		if dir := os.Getenv("KUMBARA_SCREENSHOTS"); dir != "" {
			name := fmt.Sprintf("%s-%d", shot, width)
			saveShot(t, ctx, filepath.Join(dir, "walk"), name+".png", width)
			if readme, ok := readmeShots[name]; ok {
				saveShot(t, ctx, dir, readme+".png", width)
			}
		}
	}
	// The page's layout changes with the width, its markup does not: axe runs once, at the phone's width, where
	// the most is stacked and hidden.
	webtest.Run(t, ctx, chromedp.EmulateViewport(walkWidths[0], 800))
	if axe == "" {
		return
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil && strings.Contains(err.Error(), "axe is not defined") {
		// The page context is new: inject axe through the DevTools protocol (a script tag would be refused by the
		// Content-Security-Policy, rightly) and run it again.
		if _, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err == nil {
			violations, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
		}
	}
	if err != nil {
		t.Errorf("%s: axe: %v", url, err)
		return
	}
	for _, v := range violations {
		t.Errorf("%s: axe: %s", url, v)
	}
}

// overflowJS answers "" when the page fits its window, otherwise how wide it is and the element that reaches
// furthest right (the deepest one, which is the one to fix).
const overflowJS = `(() => {
	const w = window.innerWidth, sw = document.documentElement.scrollWidth;
	if (sw <= w) return "";
	let worst = null, right = 0;
	// An element inside a box that scrolls or clips does not widen the page: skip those.
	const clipped = e => {
		for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
			if (getComputedStyle(a).overflowX !== "visible") return true;
		}
		return false;
	};
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w && r.right >= right && !clipped(e)) { right = r.right; worst = e; }
	}
	// Something positioned out of its scrolling box escapes the clip: name the furthest one then.
	if (!worst) {
		for (const e of document.body.querySelectorAll("*")) {
			const r = e.getBoundingClientRect();
			if (r.right > w && r.right >= right) { right = r.right; worst = e; }
		}
	}
	let name = "";
	if (worst) {
		name = worst.tagName.toLowerCase() + (worst.id ? "#" + worst.id : "") +
			(worst.classList.length ? "." + Array.from(worst.classList).join(".") : "") +
			" (" + Math.round(worst.getBoundingClientRect().width) + " px wide, right edge at " + Math.round(right) +
			" px): " + JSON.stringify((worst.textContent || "").trim().slice(0, 60));
	}
	return "page " + sw + " px wide in a " + w + " px window; widest: " + name;
})()`

// headerRowsJS answers 1 when the header's visible items stand on one line, 2 when one of them starts below the
// bottom of another (the line wrapped).
const headerRowsJS = `(() => {
	const boxes = Array.from(document.querySelectorAll(".site-header li")).map(li => li.getBoundingClientRect())
		.filter(r => r.width > 0);
	const bottom = Math.min(...boxes.map(r => r.bottom));
	return boxes.some(r => r.top >= bottom - 1) ? 2 : 1;
})()`

// axeRunJS runs axe-core on the page and lists its violations, each with the first elements it names.
const axeRunJS = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
	v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`

// axeSource is axe-core's script, from the file KUMBARA_AXE names (scripts/test.sh installs the pinned version).
// Without it the walk still checks widths and statuses, except in CI, where the accessibility check is required.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("KUMBARA_AXE")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KUMBARA_AXE is not set: CI must check every page with axe-core")
		}
		t.Log("KUMBARA_AXE is not set: the walk checks no accessibility rules")
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(src)
}

// shotName names a page's screenshot after its route: "/accounts/{id}/history" signed in, in English, is
// accounts-id-history-in-en (the width follows).
func shotName(route, who, lang string) string {
	name := strings.Trim(strings.NewReplacer("{$}", "", "{", "", "}", "", "/", "-").Replace(route), "-")
	if name == "" {
		name = "home"
	}
	return name + "-" + who + "-" + lang
}

// saveShot saves the whole page, at one device pixel per CSS pixel, into dir (relative to the module's folder).
// The window is made as tall as the page first, so what is fixed to its bottom (the phone's tab bar) is drawn at
// the bottom of the picture, as a phone shows it when scrolled to the end.
func saveShot(t *testing.T, ctx context.Context, dir, name string, width int64) {
	t.Helper()
	height, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.EmulateViewport(width, max(height, 800)))
	defer webtest.Run(t, ctx, chromedp.EmulateViewport(width, 800))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir) // the tests of package web run in web/
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// prepareWalk gives the walk what its path parameters need: the demo customer's first account, a registered
// device and a passkey, and two transfers made through the pages, one waiting for its SMS code and one done (with
// the review page of the second on the way).
// walkCard issues the walk's customer a debit card on their first account, links their next current account to it
// and buys with it at a terminal of the card network sandbox: the card's pages, its transactions (one pending) and
// the unlink confirmation have something to show.
func walkCard(t *testing.T, b *webtest.Bank, customerID string, accounts []ledger.Account) (string, string) {
	t.Helper()
	bg := context.Background()
	k, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: customerID, AccountID: accounts[0].ID, Type: card.Visa,
		Contactless: true, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.CardNetwork.Authorise(bg, issuing.Request{ID: "WALK-1", CardID: k.ID, Amount: money.New(1_200_00, money.ALL),
		Merchant: "Conad Tirana", MCC: "5411", Country: "AL", CardPresent: true})
	if err != nil || !a.Approved {
		t.Fatalf("the walk's card purchase: %+v %v", a, err)
	}
	for _, a := range accounts[1:] {
		if a.Type != ledger.TypeCurrent {
			continue
		}
		if _, err := b.Cards.Link(bg, card.Staff(), k.ID, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		return k.ID, a.ID
	}
	t.Fatal("the walk's customer has one current account only")
	return "", ""
}

func prepareWalk(t *testing.T, b *webtest.Bank) walkState {
	t.Helper()
	bg := context.Background()
	c, err := b.Customers.ByClientNumber(bg, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(bg, c.ID)
	if err != nil || len(accounts) < 2 {
		t.Fatalf("demo accounts: %v %v", accounts, err)
	}
	payee, err := b.Customers.ByClientNumber(bg, "100000002")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := b.Ledger.ListByCustomer(bg, payee.ID)
	if err != nil || len(theirs) == 0 {
		t.Fatalf("payee accounts: %v %v", theirs, err)
	}
	st := walkState{account: accounts[0].ID, device: walkDevice(t, b, c.ID), passkey: walkPasskey(t, b, c.ID)}
	saved, err := (&beneficiary.Service{DB: b.DB, Clock: b.Clock}).Add(bg, c.ID, beneficiary.Input{Name: "Dritan Çela",
		IBAN: "AL47212110090000000235698741", Address: beneficiary.Address{City: "Durrës", Country: "AL"}})
	if err != nil {
		t.Fatal(err)
	}
	st.beneficiary = saved.ID
	st.card, st.linked = walkCard(t, b, c.ID, accounts)
	if cards, err := b.Credit.List(bg, c.ID); err == nil && len(cards) == 1 {
		st.credit = cards[0].CardID
		if sts, err := b.Credit.Statements(bg, c.ID, st.credit); err == nil && len(sts) > 0 {
			st.statement = sts[0].ID
		}
	}
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	// An own transfer, done: its result page and receipt.
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/transfers/own"),
		chromedp.WaitVisible(chromedp.CSS("#own-form")),
		chromedp.SetValue(chromedp.CSS("#from"), accounts[0].ID),
		chromedp.SetValue(chromedp.CSS("#to"), accounts[1].ID),
		chromedp.SetValue(chromedp.CSS("#amount"), "1250,50"),
		chromedp.SetValue(chromedp.CSS("#description"), "Kursime për pushimet"),
	)
	webtest.SubmitAndWait(t, ctx, "#own-submit", "#confirm-form")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#result")
	st.doneTransfer = webtest.Text(t, ctx, "#transfer-id")
	// The newest line of the account: the transfer just made, for the line's detail page.
	recent, err := b.Ledger.Recent(bg, []string{accounts[0].ID}, 1)
	if err != nil || len(recent) == 0 {
		t.Fatalf("recent lines: %v %v", recent, err)
	}
	st.line = recent[0].ID
	// A transfer to another customer, reviewed and waiting for its code: the review and confirmation pages.
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/transfers/internal"),
		chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")),
		chromedp.SetValue(chromedp.CSS("#value"), "100000002"),
	)
	webtest.SubmitAndWait(t, ctx, "#payee-submit", "#payee-name")
	webtest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="to_iban"][value="%s"]`, theirs[0].IBAN))),
		chromedp.SetValue(chromedp.CSS("#from"), accounts[0].ID),
		chromedp.SetValue(chromedp.CSS("#amount"), "5000"), // above the low-value limit: it needs the code
		chromedp.SetValue(chromedp.CSS("#description"), "Dhuratë për ditëlindjen"),
		chromedp.SetValue(chromedp.CSS("#phone"), "069 123 4567"),
	)
	webtest.SubmitAndWait(t, ctx, "#internal-submit", "#confirm-form")
	loc := webtest.Location(t, ctx)
	st.review = loc[strings.Index(loc, "/transfers/review"):]
	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	loc = webtest.Location(t, ctx)
	id, ok := strings.CutSuffix(loc[strings.Index(loc, "/transfers/")+len("/transfers/"):], "/confirm")
	if !ok {
		t.Fatalf("the confirmation page is at %s", loc)
	}
	st.pendingTransfer = id
	st.donePayment, st.pendingPayment, st.paymentReview = walkPayments(t, ctx, b, accounts[0].ID)
	st.conversion, st.quote = walkExchange(t, ctx, b, accounts)
	return st
}

// walkExchange converts euros to lek through the pages (the result page and its receipt), then quotes a second
// conversion and leaves it under review. The bank's clock stands still, so the quote holds while the walk looks at it.
func walkExchange(t *testing.T, ctx context.Context, b *webtest.Bank, accounts []ledger.Account) (done, quote string) {
	t.Helper()
	var all, eur string
	for _, a := range accounts {
		switch {
		case a.Currency == money.ALL && all == "":
			all = a.ID
		case a.Currency == money.EUR && eur == "":
			eur = a.ID
		}
	}
	id := func(prefix string) string {
		loc := webtest.Location(t, ctx)
		rest := loc[strings.Index(loc, prefix)+len(prefix):]
		rest, _, _ = strings.Cut(rest, "?")
		return rest
	}
	ask := func(amount string) {
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/exchange"),
			chromedp.WaitVisible(chromedp.CSS("#fx-form")),
			chromedp.SetValue(chromedp.CSS("#fx-from"), eur),
			chromedp.SetValue(chromedp.CSS("#fx-to"), all),
			chromedp.SetValue(chromedp.CSS("#fx-amount"), amount),
		)
		webtest.SubmitAndWait(t, ctx, "#fx-submit", "#confirm-form")
	}
	ask("100")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#result")
	done = id("/exchange/conversions/")
	ask("20")
	return done, id("/exchange/quotes/")
}

// walkPayments makes payments to another bank through the pages: one of low value, which the bank takes at once
// (its page and receipt), one waiting for its SMS code (the confirmation page), and one left under review.
func walkPayments(t *testing.T, ctx context.Context, b *webtest.Bank, from string) (done, pending, review string) {
	t.Helper()
	pay := func(amount string) {
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/payments/domestic"),
			chromedp.WaitVisible(chromedp.CSS("#pay-form")),
			chromedp.SetValue(chromedp.CSS("#pay-name"), "Blerina Kasa"),
			chromedp.SetValue(chromedp.CSS("#pay-iban"), "AL47 2121 1009 0000 0002 3569 8741"),
			chromedp.SetValue(chromedp.CSS("#pay-city"), "Tiranë"),
			chromedp.SetValue(chromedp.CSS("#pay-from"), from),
			chromedp.SetValue(chromedp.CSS("#pay-amount"), amount),
			chromedp.SetValue(chromedp.CSS("#pay-description"), "Qira nëntor"),
		)
		webtest.SubmitAndWait(t, ctx, "#pay-submit", "#confirm-form")
	}
	id := func(suffix string) string {
		loc := webtest.Location(t, ctx)
		rest := loc[strings.Index(loc, "/payments/")+len("/payments/"):]
		rest, _, _ = strings.Cut(rest, "?")
		return strings.TrimSuffix(rest, suffix)
	}
	pay("1500") // low value: no code
	webtest.SubmitAndWait(t, ctx, "#confirm", "#payment")
	done = id("")
	pay("5000")
	webtest.SubmitAndWait(t, ctx, "#confirm", "#code-form")
	pending = id("/confirm")
	pay("2000")
	loc := webtest.Location(t, ctx)
	return done, pending, loc[strings.Index(loc, "/payments/review"):]
}

// walkDevice registers a phone for the customer, as the app does, for the devices pages.
func walkDevice(t *testing.T, b *webtest.Bank, customerID string) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	d, err := b.Devices.Register(context.Background(), customerID, device.NewDevice{Name: "Samsung Galaxy A54",
		Type: "android", PublicKey: base64.StdEncoding.EncodeToString(der), ScreenLock: true, Password: demo.Password},
		device.Seen{Location: "Tiranë"})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// walkPasskey stores a passkey for the customer (its key is never used: the walk only looks at the pages that
// list and remove it).
func walkPasskey(t *testing.T, b *webtest.Bank, customerID string) string {
	t.Helper()
	id := "pk-walk"
	if _, err := b.DB.Exec(context.Background(), `INSERT INTO passkeys (id, customer_id, credential_id, public_key,
		name, created_at) VALUES (?, ?, ?, ?, ?, ?)`, id, customerID, "cred-walk", "key", "Pixel 8",
		b.Clock.Now().UnixMicro()); err != nil {
		t.Fatal(err)
	}
	return id
}
