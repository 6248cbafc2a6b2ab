package access_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/uniquecode"
)

func TestBrowserRegistrationWithABranchCodeSetsAPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	bg := context.Background()
	c, err := b.Customers.CreateIndividual(bg, customer.NewIndividual{FirstName: "Dritan", LastName: "Hoxha",
		NationalID: kyc.NewNationalID(time.Date(1985, 3, 9, 0, 0, 0, 0, time.UTC), false, 412).String(),
		Mobile:     "+355695000017", ContractVersion: "002", Branch: "Tiranë Qendër"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := b.Codes.Issue(bg, c.ID, uniquecode.Registration, "test")
	if err != nil {
		t.Fatal(err)
	}
	plain := strings.NewReplacer("-", "", " ", "").Replace(code)
	wrong := "A" + plain[1:]
	if plain[0] == 'A' {
		wrong = "C" + plain[1:]
	}
	// Each click that leaves a page waits for the next page (webtest.SubmitAndWait): waiting for an element alone
	// could query the page being left while it goes away ("Could not find node with given id").
	submit := func(username, code, next string) {
		t.Helper()
		webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#register-link")))
		webtest.SubmitAndWait(t, ctx, "#register-link", "#reg-username")
		webtest.Run(t, ctx,
			chromedp.WaitVisible(chromedp.CSS("#reg-username")),
			chromedp.SetValue(chromedp.CSS("#reg-username"), username),
			chromedp.Click(chromedp.CSS("#reg-method-code")),
			chromedp.SetValue(chromedp.CSS("#reg-unique-code"), code),
		)
		webtest.SubmitAndWait(t, ctx, "#register-submit", next)
	}
	// An unknown client number and a wrong code read the same, and the input is kept.
	submit("199999999", plain, "#problem")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#problem")))
	unknown := webtest.Text(t, ctx, "#problem")
	submit(c.ClientNumber, wrong, "#problem")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got := webtest.Text(t, ctx, "#problem"); got != unknown || got == "" {
		t.Fatalf("wrong code says %q, unknown client says %q", got, unknown)
	}
	if v := webtest.Attr(t, ctx, "#reg-username", "value"); v != c.ClientNumber {
		t.Fatalf("username not kept: %q", v)
	}
	// The right code leads to the SMS step.
	submit(c.ClientNumber, code, "#otp")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#otp")))
	if intro := webtest.Text(t, ctx, "#register-intro"); strings.Contains(intro, c.Mobile) || !strings.Contains(intro, "17") {
		t.Fatalf("intro should show the masked phone: %q", intro)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	m := webtest.CodeRe.FindStringSubmatch(webtest.Text(t, ctx, "#inbox tbody tr:first-child .body"))
	if m == nil {
		t.Fatal("no registration code in the demo inbox")
	}
	const pw = "Pranvera#7351"
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/register/complete"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), m[1]),
		chromedp.SendKeys(chromedp.CSS("#new_password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), pw),
	)
	webtest.SubmitAndWait(t, ctx, "#register-complete-submit", "#register-done")
	webtest.SubmitAndWait(t, ctx, "#register-login", "#username")
	webtest.Run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), c.ClientNumber),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	webtest.SubmitAndWait(t, ctx, "#login-submit", "#otp")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/inbox"), chromedp.WaitVisible(chromedp.CSS("#inbox")))
	m = webtest.CodeRe.FindStringSubmatch(webtest.Text(t, ctx, "#inbox tbody tr:first-child .body"))
	if m == nil {
		t.Fatal("no login code in the demo inbox")
	}
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login/otp"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), m[1]),
	)
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#terms-accept-page, #accounts")
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "/terms/accept") && !strings.Contains(loc, "/summary") {
		t.Fatalf("after login the browser is at %s", loc)
	}
}

func TestBrowserRegistrationWithACardAndItsPINSetsAPasswordThatLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	bg := context.Background()
	c, err := b.Customers.CreateIndividual(bg, customer.NewIndividual{FirstName: "Mirela", LastName: "Dervishi",
		NationalID: kyc.NewNationalID(time.Date(1990, 7, 21, 0, 0, 0, 0, time.UTC), true, 318).String(),
		Mobile:     "+355695000023", ContractVersion: "002", Branch: "Durrës"})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := b.Customers.OpenAccount(bg, c.ID, money.ALL, ledger.TypeCurrent, "Llogaria rrjedhëse")
	if err != nil {
		t.Fatal(err)
	}
	issued, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, PIN: "4812"})
	if err != nil {
		t.Fatal(err)
	}
	submit := func(pin string) {
		t.Helper()
		webtest.Run(t, ctx,
			chromedp.Navigate(b.URL+"/register"),
			chromedp.WaitVisible(chromedp.CSS("#reg-username")),
			chromedp.SetValue(chromedp.CSS("#reg-username"), c.NationalID),
			chromedp.Click(chromedp.CSS("#reg-method-card")),
			chromedp.SetValue(chromedp.CSS("#reg-card-type"), string(card.Visa)),
			chromedp.SetValue(chromedp.CSS("#reg-last6"), issued.Last6),
			chromedp.SetValue(chromedp.CSS("#reg-pin"), pin),
		)
	}
	// A wrong PIN reads like any other wrong proof.
	submit("4813")
	webtest.SubmitAndWait(t, ctx, "#register-submit", "#problem")
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("registration_failed") {
		t.Fatalf("wrong PIN says %q", got)
	}
	submit("4812")
	webtest.SubmitAndWait(t, ctx, "#register-submit", "#otp")
	_, code := b.InboxCode(t, ctx)
	const pw = "Vjeshta#2084"
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/register/complete"),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
		chromedp.SendKeys(chromedp.CSS("#otp"), code),
		chromedp.SendKeys(chromedp.CSS("#new_password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), pw),
	)
	webtest.SubmitAndWait(t, ctx, "#register-complete-submit", "#register-done")
	if _, err := b.Auth.Login(bg, c.ClientNumber, pw); err != nil {
		t.Fatalf("login with the password set at registration: %v", err)
	}
}
