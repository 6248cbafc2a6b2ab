package payments_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestBrowserASavedBeneficiaryFillsTheForm: the form offers the customer's saved beneficiaries that its type can
// pay, and picking one fills the beneficiary's fields.
func TestBrowserASavedBeneficiaryFillsTheForm(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	bg := context.Background()
	saved, err := b.Beneficiaries.Add(bg, cust, beneficiary.Input{Name: "Blerina Kasa", Nickname: "Motra", IBAN: credins,
		Address: beneficiary.Address{Street: "Rruga e Kavajës 27", City: "Tiranë", PostalCode: "1001", Country: "AL"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Beneficiaries.Add(bg, cust, beneficiary.Input{Name: "Luan Berisha", IBAN: "DE89370400440532013000",
		Address: beneficiary.Address{City: "Berlin", Country: "DE"}}); err != nil {
		t.Fatal(err)
	}
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/payments/domestic"), chromedp.WaitVisible(chromedp.CSS("#pay-pick")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#pay-pick-select option").length`)); n != 1 {
		t.Errorf("the domestic form offers %d saved beneficiaries, want the Albanian one", n)
	}
	shots(t, ctx, "pick")
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#pay-pick-select"), saved.ID))
	webtest.SubmitAndWait(t, ctx, "#pay-pick-submit", "#pay-picked")
	for id, want := range map[string]string{"#pay-name": "Blerina Kasa", "#pay-iban": credinsPrintable,
		"#pay-street": "Rruga e Kavajës 27", "#pay-city": "Tiranë", "#pay-postal-code": "1001", "#pay-country": "AL"} {
		if got := webtest.Value(t, ctx, id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	fill(t, ctx, map[string]string{"from": accounts[0].ID, "amount": "1500"})
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	shots(t, ctx, "picked-review")
}

// TestBrowserSaveThisBeneficiaryAddsThemOnceThePaymentIsMade: "save this beneficiary" adds them to the address
// book when the payment is made. A payment of low value needs no confirmation (sca's exemption): it is made, and
// the beneficiary saved, when the review is confirmed.
func TestBrowserSaveThisBeneficiaryAddsThemOnceThePaymentIsMade(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	domesticForm(t, ctx, b, accounts[0].ID, "Dritan Çela", "1500")
	fill(t, ctx, nil, "save")
	webtest.SubmitAndWait(t, ctx, "#pay-submit", "#review")
	if got := webtest.Text(t, ctx, "#review-save"); got != b.Message("web_pay_save_review") {
		t.Errorf("the review says %q about saving", got)
	}
	if list, err := b.Beneficiaries.List(context.Background(), cust, ""); err != nil || len(list) != 0 {
		t.Fatalf("saved before the payment was made: %v %v", list, err)
	}
	webtest.SubmitAndWait(t, ctx, "#confirm", "#payment")
	list, err := b.Beneficiaries.List(context.Background(), cust, "")
	if err != nil || len(list) != 1 || list[0].Name != "Dritan Çela" || list[0].IBAN != credins {
		t.Fatalf("address book %+v (%v), want Dritan Çela at Credins", list, err)
	}
	// The next payment offers them.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/payments/domestic"), chromedp.WaitVisible(chromedp.CSS("#pay-pick")))
	if got := webtest.Attr(t, ctx, "#pay-pick-select option", "value"); got != list[0].ID {
		t.Errorf("the picker offers %q, want the saved beneficiary", got)
	}
}
