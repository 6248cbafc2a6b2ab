package cardtransactions_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// issue gives a demo customer a Visa debit card on their first ALL current account, as a branch does.
func issue(t *testing.T, b *webtest.Bank, client string) (card.Card, ledger.Account) {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Currency != money.ALL || a.Type != ledger.TypeCurrent {
			continue
		}
		k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa,
			Contactless: true, PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		return k, a
	}
	t.Fatalf("%s has no ALL current account", client)
	return card.Card{}, ledger.Account{}
}

// authorise is a card-present purchase at a terminal of the card network sandbox, which must be approved.
func authorise(t *testing.T, b *webtest.Bank, id, cardID, merchant string, amount money.Amount) {
	t.Helper()
	a, err := b.CardNetwork.Authorise(context.Background(), issuing.Request{ID: id, CardID: cardID, Amount: amount,
		Merchant: merchant, MCC: "5411", Country: "AL", CardPresent: true})
	if err != nil || !a.Approved {
		t.Fatalf("authorise %s: %+v %v", id, a, err)
	}
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

// TestACardsPendingAndCompletedTransactionsShowOnItsPage: a purchase of 2,500.00 ALL cleared with a refund of
// 500.00 ALL is completed, charged to the card's account; a purchase of 45.90 EUR authorised since is pending,
// with what its hold keeps on the ALL account beside it; an online one of 100.00 EUR without 3-D Secure is declined,
// with its reason. The tabs are links; another customer's card is not found.
// On both engines: the lists are the issuer's queries.
func TestACardsPendingAndCompletedTransactionsShowOnItsPage(t *testing.T) {
	webtest.EachBank(t, pendingAndCompleted)
}

func pendingAndCompleted(t *testing.T, b *webtest.Bank) {
	ctx := webtest.Tab(t)
	k, acc := issue(t, b, "100000001")
	bg := context.Background()

	authorise(t, b, "NET-1", k.ID, "Conad Tirana", money.New(2_500_00, money.ALL))
	if _, err := b.CardNetwork.Stage(bg, cardnetwork.Presentment{CardID: k.ID, Kind: issuing.KindRefund,
		Amount: money.New(500_00, money.ALL), Merchant: "Conad Tirana"}); err != nil {
		t.Fatal(err)
	}
	if res, err := b.CardNetwork.RunClearing(bg, calendar.DateOf(b.Clock.Now())); err != nil || res.Posted != 2 {
		t.Fatalf("clearing %+v %v", res, err)
	}
	authorise(t, b, "NET-2", k.ID, "Duty Free Rinas", money.New(45_90, money.EUR))
	// Online, 100.00 EUR without 3-D Secure: declined authentication_required.
	if a, err := b.CardNetwork.Authorise(bg, issuing.Request{ID: "NET-4", CardID: k.ID, Amount: money.New(100_00, money.EUR),
		Merchant: "Libraria Online", MCC: "5942", Country: "AL"}); err != nil || a.Reason != issuing.AuthenticationRequired {
		t.Fatalf("online without 3-D Secure: %+v %v", a, err)
	}

	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+k.ID), chromedp.WaitVisible(chromedp.CSS("#card-details")))
	webtest.SubmitAndWait(t, ctx, "#card-transactions-link", "#ct-pending")

	// Pending: the EUR purchase, with the ALL its hold keeps.
	if got := webtest.Attr(t, ctx, "#ct-tab-pending", "aria-current"); got != "page" {
		t.Errorf("the pending tab is not current: %q", got)
	}
	line := webtest.Text(t, ctx, "#ct-lines")
	for _, want := range []string{"Duty Free Rinas", "45,90", "EUR", b.Message("web_ct_held"), "ALL"} {
		if !strings.Contains(line, want) {
			t.Errorf("pending lacks %q: %s", want, line)
		}
	}
	if strings.Contains(line, "Conad") {
		t.Errorf("a completed purchase shows as pending: %s", line)
	}
	shots(t, ctx, "pending")

	// Completed: the purchase charged to the account and the refund shown as money back.
	webtest.SubmitAndWait(t, ctx, "#ct-tab-completed", "#ct-completed")
	purchase := webtest.Text(t, ctx, `#ct-lines [data-kind="purchase"]`)
	for _, want := range []string{"Conad Tirana", "−2.500,00 ALL", b.Message("web_ct_kind_purchase"), acc.IBAN[len(acc.IBAN)-4:]} {
		if !strings.Contains(purchase, want) {
			t.Errorf("the completed purchase lacks %q: %s", want, purchase)
		}
	}
	refund := webtest.Text(t, ctx, `#ct-lines [data-kind="refund"]`)
	for _, want := range []string{"+500,00 ALL", b.Message("web_ct_kind_refund")} {
		if !strings.Contains(refund, want) {
			t.Errorf("the refund lacks %q: %s", want, refund)
		}
	}
	if strings.Contains(webtest.Text(t, ctx, "#ct-lines"), "Duty Free") {
		t.Error("the pending purchase shows as completed")
	}
	shots(t, ctx, "completed")

	// Declined: the online purchase that needed 3-D Secure, with the reason; it is in no other list.
	webtest.SubmitAndWait(t, ctx, "#ct-tab-declined", "#ct-declined")
	declined := webtest.Text(t, ctx, "#ct-lines")
	for _, want := range []string{"Libraria Online", "100,00 EUR", b.Message("web_ct_reason_authentication_required")} {
		if !strings.Contains(declined, want) {
			t.Errorf("declined lacks %q: %s", want, declined)
		}
	}
	if strings.Contains(declined, "Conad") || strings.Contains(declined, "Duty Free") {
		t.Errorf("an approved purchase shows as declined: %s", declined)
	}
	shots(t, ctx, "declined")

	// A status the page does not know is refused, nothing listed.
	if got := webtest.Fetch(t, ctx, "/cards/"+k.ID+"/transactions?status=later"); got.Status < 400 || got.Status >= 500 {
		t.Errorf("an unknown status: %d", got.Status)
	}

	// A card without transactions says what will appear in each tab.
	other, _ := issue(t, b, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+other.ID+"/transactions"), chromedp.WaitVisible(chromedp.CSS("#ct-empty")))
	if got := webtest.Text(t, ctx, "#ct-empty"); got != b.Message("web_ct_empty_pending") {
		t.Errorf("empty pending: %q", got)
	}
	shots(t, ctx, "empty-pending")
	webtest.SubmitAndWait(t, ctx, "#ct-tab-completed", "#ct-completed")
	if got := webtest.Text(t, ctx, "#ct-empty"); got != b.Message("web_ct_empty_completed") {
		t.Errorf("empty completed: %q", got)
	}

	// Another customer's card is the not-found page, its transactions not shown.
	stranger, _ := issue(t, b, "100000002")
	authorise(t, b, "NET-3", stranger.ID, "Libraria Adrion", money.New(1_000_00, money.ALL))
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+stranger.ID+"/transactions"), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := webtest.Text(t, ctx, "main"); strings.Contains(body, "Libraria") || !strings.Contains(body, b.Message("card_not_found")) {
		t.Fatalf("another customer's card: %s", body)
	}
	if got := webtest.Fetch(t, ctx, "/cards/"+stranger.ID+"/transactions?status=completed"); got.Status != 404 {
		t.Errorf("another customer's completed transactions: %d", got.Status)
	}
}
