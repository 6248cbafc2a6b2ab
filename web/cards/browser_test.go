package cards_test

import (
	"context"
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

// issue gives a demo customer a Visa debit card with PIN 4739 on their first ALL current account, as a branch does.
func issue(t *testing.T, b *webtest.Bank, client string) card.Card {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	acc := account(t, b, client, money.ALL)
	k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa,
		Contactless: true, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// account is a demo customer's first current account in cur.
func account(t *testing.T, b *webtest.Bank, client string, cur money.Currency) ledger.Account {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Currency == cur && a.Type == ledger.TypeCurrent {
			return a
		}
	}
	t.Fatalf("%s has no %s current account", client, cur)
	return ledger.Account{}
}

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either; the tab stays at 1280 px.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("%s at %d px scrolls sideways (%v)", name, w, err)
		}
		webtest.Screenshot(t, ctx, name+"-"+map[int64]string{360: "360", 1280: "1280"}[w])
	}
}

func status(t *testing.T, b *webtest.Bank, id string) card.Status {
	t.Helper()
	c, err := b.Cards.Find(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func open(t *testing.T, ctx context.Context, b *webtest.Bank, id string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+id), chromedp.WaitVisible(chromedp.CSS("#card-details")))
}

func TestTheSummaryListsTheCardAndItsPageBlocksAndReactivatesIt(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	k := issue(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")
	if got := webtest.Text(t, ctx, `#summary-cards [data-card-id="`+k.ID+`"] .cd-pan`); got != k.Masked {
		t.Fatalf("summary shows %q, want %q", got, k.Masked)
	}
	shots(t, ctx, "summary")
	webtest.SubmitAndWait(t, ctx, `#summary-cards [data-card-id="`+k.ID+`"] .card-link`, "#card-details")
	if got := webtest.Text(t, ctx, "#card-pan"); got != k.Masked {
		t.Fatalf("card page shows %q", got)
	}
	if got := webtest.Text(t, ctx, "#card-holder"); got != k.Holder || got == "" {
		t.Fatalf("holder %q, want %q", got, k.Holder)
	}
	if got := webtest.Attr(t, ctx, "#card-status", "data-status"); got != "active" {
		t.Fatalf("status %q", got)
	}
	shots(t, ctx, "card")

	// Block: the confirmation page first; cancelling changes nothing.
	webtest.SubmitAndWait(t, ctx, "#action-block", "#confirm-submit")
	webtest.SubmitAndWait(t, ctx, "#confirm-cancel", "#card-details")
	if status(t, b, k.ID) != card.Active {
		t.Fatal("cancelling blocked the card")
	}
	webtest.SubmitAndWait(t, ctx, "#action-block", "#confirm-submit")
	shots(t, ctx, "block-confirm")
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#card-details")
	if status(t, b, k.ID) != card.Blocked || webtest.Attr(t, ctx, "#card-status", "data-status") != "blocked" {
		t.Fatal("the card is not blocked")
	}
	if webtest.Text(t, ctx, "#notice") != b.Message("web_cd_done_block") {
		t.Fatalf("notice %q", webtest.Text(t, ctx, "#notice"))
	}
	// Reactivate: a wrong password is refused on the confirmation page, the right one reactivates.
	webtest.SubmitAndWait(t, ctx, "#action-unblock", "#confirm-password")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#confirm-password"), "wrong-password"))
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#problem")
	if status(t, b, k.ID) != card.Blocked || webtest.Attr(t, ctx, "#confirm-password", "aria-invalid") != "true" {
		t.Fatal("a wrong password reactivated the card or is not marked")
	}
	shots(t, ctx, "unblock-refused")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#confirm-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#card-details")
	if status(t, b, k.ID) != card.Active {
		t.Fatal("the card is not active again")
	}
	history := webtest.Text(t, ctx, "#card-history tbody")
	for _, want := range []string{b.Message("audit_card_reactivated"), b.Message("audit_card_blocked"), b.Message("audit_card_issued")} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q: %s", want, history)
		}
	}
	// Another customer's card is not found.
	other := issue(t, b, "100000002")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+other.ID), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := webtest.Text(t, ctx, "main"); strings.Contains(body, other.Masked) || !strings.Contains(body, b.Message("card_not_found")) {
		t.Fatalf("another customer's card page: %s", body)
	}
}

func TestControlsAndLinkedAccountsOnTheCardPage(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	k := issue(t, b, "100000001")
	eur := account(t, b, "100000001", money.EUR)
	b.LogIn(t, ctx, "100000001")
	open(t, ctx, b, k.ID)

	// Turning a control off and lowering a limit needs no password, and works without JavaScript: a plain form.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#ctl-online")), chromedp.SetValue(chromedp.CSS("#ctl-cash"), "20.000"))
	webtest.SubmitAndWait(t, ctx, "#controls-save", "#notice")
	got, _ := b.Cards.Find(context.Background(), k.ID)
	if got.Controls.Online || got.Controls.DailyATMLimit != 20_000_00 {
		t.Fatalf("controls %+v", got.Controls)
	}
	// A limit above the bank's maximum is refused beside the form, nothing changed.
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#ctl-purchase"), "600.000"))
	webtest.SubmitAndWait(t, ctx, "#controls-save", "#problem")
	if got, _ := b.Cards.Find(context.Background(), k.ID); got.Controls.DailyPurchaseLimit != 500_000_00 {
		t.Fatalf("purchase limit %d", got.Controls.DailyPurchaseLimit)
	}
	shots(t, ctx, "controls-refused")
	// Turning online purchases back on asks for the password.
	open(t, ctx, b, k.ID)
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#ctl-online")), chromedp.SendKeys(chromedp.CSS("#ctl-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#controls-save", "#notice")
	if got, _ := b.Cards.Find(context.Background(), k.ID); !got.Controls.Online {
		t.Fatal("online purchases are still off")
	}

	// Link the EUR account, then unlink it.
	webtest.SubmitAndWait(t, ctx, "#action-link", "#link-choices")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#link-choices input[value="`+eur.ID+`"]`)),
		chromedp.SendKeys(chromedp.CSS("#confirm-password"), demo.Password))
	shots(t, ctx, "link-confirm")
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#notice")
	row := `#linked-accounts [data-account-id="` + eur.ID + `"]`
	if !strings.Contains(webtest.Text(t, ctx, row), "EUR") {
		t.Fatalf("linked accounts: %s", webtest.Text(t, ctx, "#linked-accounts"))
	}
	shots(t, ctx, "linked")
	webtest.SubmitAndWait(t, ctx, row+" .unlink-link", "#confirm-account")
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#notice")
	if links, _ := b.Cards.Linked(context.Background(), card.Staff(), k.ID); len(links) != 0 {
		t.Fatalf("still linked: %+v", links)
	}
}

func TestReprintAndANewPINFromTheCardPage(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	k := issue(t, b, "100000001")
	b.LogIn(t, ctx, "100000001")
	open(t, ctx, b, k.ID)

	// A new PIN: a weak one is refused, a good one is pending until the first ATM operation.
	webtest.SubmitAndWait(t, ctx, "#action-pin", "#confirm-pin")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#confirm-pin"), "1234"),
		chromedp.SendKeys(chromedp.CSS("#confirm-password"), demo.Password))
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#problem")
	if webtest.Attr(t, ctx, "#confirm-pin", "aria-invalid") != "true" {
		t.Fatal("the weak PIN is not marked")
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#confirm-pin"), "5821"),
		chromedp.SendKeys(chromedp.CSS("#confirm-password"), demo.Password))
	shots(t, ctx, "pin-confirm")
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#card-pin-pending")
	if err := b.Cards.CheckTerminalPIN(context.Background(), k.ID, "4739", false); err != nil {
		t.Fatalf("the old PIN before an ATM: %v", err)
	}
	if err := b.Cards.CheckTerminalPIN(context.Background(), k.ID, "5821", true); err != nil {
		t.Fatalf("the new PIN at an ATM: %v", err)
	}

	// Reprint: the old card is replaced, the new one waits at the branch.
	webtest.SubmitAndWait(t, ctx, "#action-reprint", "#confirm-password")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#confirm-password"), demo.Password))
	shots(t, ctx, "reprint-confirm")
	webtest.SubmitAndWait(t, ctx, "#confirm-submit", "#card-waiting")
	if status(t, b, k.ID) != card.Replaced {
		t.Fatal("the old card is not replaced")
	}
	if got := webtest.Attr(t, ctx, "#card-status", "data-status"); got != "ordered" {
		t.Fatalf("new card's status %q", got)
	}
	if got := webtest.Text(t, ctx, "#card-pan"); got == k.Masked {
		t.Fatal("the new card has the old number")
	}
	shots(t, ctx, "reprinted")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards"), chromedp.WaitVisible(chromedp.CSS("#cards")))
	shots(t, ctx, "list")
}
