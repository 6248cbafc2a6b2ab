package cardtransactions_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestTheDemoCardsHavePendingAndCompletedPurchases: seeded with its cards and the issuer, the demo gives
// 100000001's credit card purchases pending (authorised, not cleared) and completed (cleared), and its debit card a
// pending purchase, each on its card's transactions page; the credit card's page shows too.
func TestTheDemoCardsHavePendingAndCompletedPurchases(t *testing.T) {
	b := webtest.NewBank(t)
	bg := context.Background()
	if err := demo.Seed(bg, demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms,
		Credit: b.Credit, Cards: b.Cards, Issuing: b.Issuing}); err != nil {
		t.Fatal(err)
	}
	c, err := b.Customers.ByClientNumber(bg, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	cards, err := b.Cards.List(bg, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var credit, debit string
	for _, k := range cards {
		if k.Kind == card.Credit {
			credit = k.ID
		} else {
			debit = k.ID
		}
	}
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	for _, tc := range []struct {
		name, card, status, list string
		want                     []string
	}{
		{"credit-pending", credit, "pending", "#ct-pending", []string{"Sport Vision TEG", "Kafe Komiteti"}},
		{"credit-completed", credit, "completed", "#ct-completed", []string{"Spar Blloku", "Restorant Oda"}},
		{"debit-pending", debit, "pending", "#ct-pending", []string{"Farmacia Tirana"}},
		{"debit-completed", debit, "completed", "#ct-completed", []string{"Conad Tirana"}},
	} {
		webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+tc.card+"/transactions?status="+tc.status),
			chromedp.WaitVisible(chromedp.CSS(tc.list)))
		lines := webtest.Text(t, ctx, "#ct-lines")
		for _, w := range tc.want {
			if !strings.Contains(lines, w) {
				t.Errorf("%s lacks %q: %s", tc.name, w, lines)
			}
		}
		shots(t, ctx, "demo-"+tc.name)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/cards/"+credit), chromedp.WaitVisible(chromedp.CSS("#card-details")))
	shots(t, ctx, "demo-credit-card")
}
