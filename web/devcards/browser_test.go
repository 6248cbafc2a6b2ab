package devcards_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// TestTheDemoTerminalAuthorisesReversesAndClearsACardPayment: a person plays a shop against a demo customer's
// card: 25,40 lek approved and held; a magnetic stripe use declined with its reason; the approval reversed; a
// second purchase cleared by today's file and paid; at 360 and 1280 px.
func TestTheDemoTerminalAuthorisesReversesAndClearsACardPayment(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	bg := context.Background()
	c, err := b.Customers.ByClientNumber(bg, demo.Logins[0].ClientNumber)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(bg, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts[slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.Currency == money.ALL })]
	k, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, Contactless: true, PIN: "4826"})
	if err != nil {
		t.Fatal(err)
	}
	before := acc.Balance
	held := func() int64 {
		a, err := b.Ledger.Get(bg, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a.Held
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/cards"), chromedp.WaitVisible(chromedp.CSS("#dc-terminal")))
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "25,40"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	if got := webtest.Text(t, ctx, "#dc-answer"); got != b.Message("web_devcards_approved") {
		t.Fatalf("answer %q", got)
	}
	if h := held(); h != 2_540 {
		t.Errorf("held %d, want 2540", h)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "10"),
		chromedp.SetValue(chromedp.CSS("#dc-mode"), "magstripe"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	if got, want := webtest.Text(t, ctx, "#dc-answer"), b.Message("web_devcards_reason_control_off")+" ("+
		b.Message("web_devcards_control_magstripe")+")"; got != want {
		t.Errorf("magstripe answer %q, want %q", got, want)
	}
	webtest.SubmitAndWait(t, ctx, "#dc-sent button.reverse", "#notice")
	if h := held(); h != 0 {
		t.Errorf("held %d after the reversal", h)
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), k.ID), chromedp.SetValue(chromedp.CSS("#dc-amount"), "100"),
		chromedp.SetValue(chromedp.CSS("#dc-mode"), "contactless"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-answer")
	webtest.SubmitAndWait(t, ctx, "#dc-run", "#notice")
	a, err := b.Ledger.Get(bg, acc.ID)
	if err != nil || a.Balance != before-10_000 || a.Held != 0 {
		t.Errorf("after clearing: balance %d (was %d) held %d %v", a.Balance, before, a.Held, err)
	}
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("the page at %d px scrolls sideways (%v)", w, err)
		}
		webtest.Screenshot(t, ctx, map[int64]string{360: "devcards-360", 1280: "devcards-1280"}[w])
	}
}

// demoCard gives the first demo customer a debit card on their lek account.
func demoCard(t *testing.T, b *webtest.Bank) (card.Card, ledger.Account) {
	t.Helper()
	bg := context.Background()
	c, err := b.Customers.ByClientNumber(bg, demo.Logins[0].ClientNumber)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(bg, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts[slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.Currency == money.ALL })]
	k, err := b.Cards.Issue(bg, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, PIN: "4826"})
	if err != nil {
		t.Fatal(err)
	}
	return k, acc
}

// askOnline plays an online shop asking 3-D Secure (the default) for 5.000,00 lek on the card: the terminal waits
// for the holder with the approval's time left.
func askOnline(t *testing.T, b *webtest.Bank, ctx context.Context, cardID string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/dev/cards"), chromedp.WaitVisible(chromedp.CSS("#dc-terminal")))
	if on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#dc-threeds").checked`)); err != nil || !on {
		t.Error("3-D Secure is not on by default")
	}
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#dc-card"), cardID),
		chromedp.SetValue(chromedp.CSS("#dc-amount"), "5000"), chromedp.SetValue(chromedp.CSS("#dc-mode"), "ecommerce"),
		chromedp.SetValue(chromedp.CSS("#dc-merchant"), "Libraria Online"))
	webtest.SubmitAndWait(t, ctx, "#dc-send", "#dc-3ds")
	if got := webtest.Attr(t, ctx, "#dc-3ds", "data-status"); got != "pending" {
		t.Fatalf("3-D Secure step %q, want pending", got)
	}
	if got, want := webtest.Text(t, ctx, "#dc-3ds-status"), b.Message("web_devcards_3ds_waiting"); !strings.Contains(got, want) {
		t.Errorf("the terminal says %q, want %q", got, want)
	}
	if got := webtest.Text(t, ctx, "#dc-3ds-left"); !strings.Contains(got, "5:00") {
		t.Errorf("time left %q, want 5:00", got)
	}
}

// TestTheDemoTerminalWaitsForTheHolderToApproveAnOnlinePurchaseWith3DSecure: an online shop asks 3-D Secure for
// 5.000,00 lek (above the low-value exemption); the holder, logged in to the internet branch in another browser,
// approves it under Aprovimet with the SMS code; the terminal, polling, sends the authorisation with the approval's
// reference and value and shows it approved, the amount held; showing the page again sends nothing new.
func TestTheDemoTerminalWaitsForTheHolderToApproveAnOnlinePurchaseWith3DSecure(t *testing.T) {
	b := webtest.NewBank(t)
	k, acc := demoCard(t, b)
	holder := webtest.Tab(t)
	b.LogIn(t, holder, demo.Logins[0].ClientNumber)
	term := webtest.Tab(t)
	before := acc.Held
	askOnline(t, b, term, k.ID)
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, term, chromedp.EmulateViewport(w, 900))
		webtest.Screenshot(t, term, map[int64]string{360: "devcards-3ds-waiting-360", 1280: "devcards-3ds-waiting-1280"}[w])
	}

	_, code := b.InboxCode(t, holder)
	webtest.Run(t, holder, chromedp.Navigate(b.URL+"/approvals"), chromedp.WaitVisible(chromedp.CSS("#pending")))
	webtest.SubmitAndWait(t, holder, "#pending .approve-link", "#code-form")
	webtest.Run(t, holder, chromedp.SendKeys(chromedp.CSS("#code"), code))
	webtest.SubmitAndWait(t, holder, "#code-submit", "#history")

	webtest.WaitText(t, term, "#dc-answer", b.Message("web_devcards_approved"))
	if got := webtest.Text(t, term, "#dc-3ds-status"); got != b.Message("web_devcards_3ds_approved") {
		t.Errorf("the terminal says %q", got)
	}
	held := func() int64 {
		a, err := b.Ledger.Get(context.Background(), acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a.Held
	}
	if h := held(); h != before+5_000_00 {
		t.Errorf("held %d, want %d", h, before+5_000_00)
	}
	webtest.Run(t, term, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#dc-answer")))
	if h := held(); h != before+5_000_00 {
		t.Errorf("held %d after showing the page again", h)
	}
	webtest.Screenshot(t, term, "devcards-3ds-approved-1280")
	sent, err := b.CardNetwork.Recent(context.Background(), 5)
	if err != nil || len(sent) != 1 || !sent[0].Approved {
		t.Errorf("the network sent %+v (%v), want one approved authorisation", sent, err)
	}
}

// TestTheDemoTerminalSendsNothingWhenTheHolderRejectsTheOnlinePurchase: the holder rejects the purchase under
// Aprovimet; the terminal says so and sends no authorisation.
func TestTheDemoTerminalSendsNothingWhenTheHolderRejectsTheOnlinePurchase(t *testing.T) {
	b := webtest.NewBank(t)
	k, _ := demoCard(t, b)
	holder := webtest.Tab(t)
	b.LogIn(t, holder, demo.Logins[0].ClientNumber)
	term := webtest.Tab(t)
	askOnline(t, b, term, k.ID)

	webtest.Run(t, holder, chromedp.Navigate(b.URL+"/approvals"), chromedp.WaitVisible(chromedp.CSS("#pending")))
	webtest.SubmitAndWait(t, holder, "#pending .reject-form button", "#history")

	webtest.Run(t, term, chromedp.Click(chromedp.CSS("#dc-3ds-check")))
	webtest.WaitText(t, term, "#dc-3ds-status", b.Message("web_devcards_3ds_rejected"))
	if n, err := chromedp.Run(term, chromedp.Evaluate[int](`document.querySelectorAll("#dc-answer").length`)); err != nil || n != 0 {
		t.Errorf("an answer is shown (%d, %v)", n, err)
	}
	sent, err := b.CardNetwork.Recent(context.Background(), 5)
	if err != nil || len(sent) != 0 {
		t.Errorf("the network sent %+v (%v), want nothing", sent, err)
	}
}
