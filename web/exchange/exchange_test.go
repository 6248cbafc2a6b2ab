package exchange_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/web/webtest"
)

// token signs a demo customer in through the services and returns the web session's token.
func token(t *testing.T, b *webtest.Bank, client string) string {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Token(t, b, client, demo.Password, c.Mobile)
}

// says reports whether a page's body holds the catalogue's Albanian text of key (as the page escapes it).
func says(b *webtest.Bank, body, key string) bool {
	return strings.Contains(html.UnescapeString(body), b.Message(key))
}

// TestAnotherCustomersConversionIsNotFound: a customer's quote and conversion — the review, its confirmation, a new
// quote of its figures, the result and the receipt — are the not-found page to any other customer, and nothing
// moves; their owner gets the receipt as a PDF named in the page's language.
func TestAnotherCustomersConversionIsNotFound(t *testing.T) {
	b := webtest.NewBank(t)
	owner, accounts := demoAccounts(t, b, "100000001")
	ctx := context.Background()
	quote, err := b.Pages.FX.Quote(ctx, owner, fx.QuoteRequest{FromAccountID: accounts[2].ID, ToAccountID: accounts[0].ID,
		SellAmount: "10"})
	if err != nil {
		t.Fatal(err)
	}
	done, err := b.Pages.FX.Quote(ctx, owner, fx.QuoteRequest{FromAccountID: accounts[2].ID, ToAccountID: accounts[0].ID,
		SellAmount: "20"})
	if err != nil {
		t.Fatal(err)
	}
	quoted := done
	if done, _, err = b.Pages.FX.Execute(ctx, owner, quoted.ID); err != nil {
		t.Fatal(err)
	}
	eur := balance(t, b, accounts[2].ID)
	other := token(t, b, "100000002")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/exchange/quotes/" + quote.ID},
		{"POST", "/exchange/quotes/" + quote.ID + "/confirm"},
		{"POST", "/exchange/quotes/" + quote.ID + "/again"},
		{"GET", "/exchange/conversions/" + done.ID},
		{"GET", "/exchange/conversions/" + done.ID + "/receipt"},
		{"GET", "/exchange/quotes/no-such-quote"},
		{"GET", "/exchange/conversions/" + url.PathEscape("x'; --") + "/receipt"},
	} {
		var form url.Values
		if tc.method == "POST" {
			form = url.Values{}
		}
		a := webtest.Do(t, b, tc.method, tc.path, other, false, form)
		if a.Status != http.StatusNotFound || strings.Contains(a.Header.Get("Content-Type"), "pdf") {
			t.Errorf("%s %s by another customer: %d %s, want the not-found page", tc.method, tc.path, a.Status,
				a.Header.Get("Content-Type"))
		}
	}
	if got := balance(t, b, accounts[2].ID); got != eur {
		t.Errorf("the owner's euros moved by %d after another customer's requests", got-eur)
	}
	mine := token(t, b, "100000001")
	a := webtest.Do(t, b, "GET", "/exchange/conversions/"+done.ID+"/receipt", mine, false, nil)
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(a.Body, "%PDF-") {
		t.Fatalf("the owner's receipt: %d %s", a.Status, a.Header.Get("Content-Type"))
	}
	if got, want := a.Header.Get("Content-Disposition"), `attachment; filename="mandat-kembimi-`+done.ID+`.pdf"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	// A quote not executed has no receipt; its result is its review.
	if a := webtest.Do(t, b, "GET", "/exchange/conversions/"+quote.ID+"/receipt", mine, false, nil); a.Status != http.StatusNotFound {
		t.Errorf("the receipt of a quote not executed: %d, want 404", a.Status)
	}
	if a := webtest.Do(t, b, "GET", "/exchange/conversions/"+quote.ID, mine, false, nil); a.Status != http.StatusSeeOther ||
		a.Location != "/exchange/quotes/"+quote.ID {
		t.Errorf("the result of a quote not executed: %d %s, want its review", a.Status, a.Location)
	}
}

// TestBadInputIsA4xxWithTheDomainsWordsAndNeverA500: what the calculator and the exchange form cannot take —
// typed, chosen or forged — is answered with a 4xx and the FX service's (or money's, or the ledger's) message on
// the page; the rates and the calculator need no session, the exchange does.
func TestBadInputIsA4xxWithTheDomainsWordsAndNeverA500(t *testing.T) {
	b := webtest.NewBank(t)
	_, accounts := demoAccounts(t, b, "100000001")
	_, theirs := demoAccounts(t, b, "100000002")
	all, savings, eur := accounts[0].ID, accounts[1].ID, accounts[2].ID
	for _, tc := range []struct {
		query  string
		status int
		key    string
	}{
		{"sell=EUR&buy=ALL&side=sell&amount=100", http.StatusOK, "web_fx_calc_result"},
		{"sell=EUR&buy=EUR&side=sell&amount=100", http.StatusBadRequest, "fx_same_currency"},
		{"sell=EUR&buy=ALL&side=sell&amount=abc", http.StatusBadRequest, "invalid_amount"},
		{"sell=EUR&buy=ALL&side=sell&amount=0", http.StatusBadRequest, "amount_not_positive"},
		{"sell=EUR&buy=ALL&side=sell&amount=1,005", http.StatusBadRequest, "amount_ambiguous"},
		{"sell=EUR&buy=ALL&side=sell&amount=", http.StatusBadRequest, "field_required"},
		{"sell=EUR&buy=ALL&side=sell&amount=99999999999999999999", http.StatusBadRequest, "amount_out_of_range"},
		{"sell=XYZ&buy=ALL&side=sell&amount=100", http.StatusBadRequest, "fx_currency_invalid"},
		{"sell=EUR&buy=ALL&side=sideways&amount=100", http.StatusOK, "web_fx_calc_result"}, // read as the amount sold
		{"base=XYZ", http.StatusBadRequest, "fx_currency_invalid"},
		{"base=usd", http.StatusOK, "web_fx_rates_title"},
	} {
		a := webtest.Do(t, b, "GET", "/rates?"+tc.query, "", false, nil)
		if a.Status != tc.status || !says(b, a.Body, tc.key) {
			t.Errorf("/rates?%s: %d, says %s: %v; want %d", tc.query, a.Status, tc.key, says(b, a.Body, tc.key), tc.status)
		}
	}
	if a := webtest.Do(t, b, "GET", "/exchange", "", false, nil); a.Status != http.StatusSeeOther {
		t.Errorf("the exchange without a session: %d, want the login", a.Status)
	}

	tok := token(t, b, "100000001")
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		key    string
	}{
		{"the same currency", url.Values{"from": {all}, "to": {savings}, "amount": {"100"}}, http.StatusBadRequest, "fx_same_currency"},
		{"no amount", url.Values{"from": {eur}, "to": {all}, "amount": {""}}, http.StatusBadRequest, "field_required"},
		{"an ambiguous amount", url.Values{"from": {eur}, "to": {all}, "amount": {"1,234"}, "side": {"buy"}}, http.StatusBadRequest, "amount_ambiguous"},
		{"three decimals", url.Values{"from": {eur}, "to": {all}, "amount": {"1,2345"}}, http.StatusBadRequest, "amount_too_many_decimals"},
		{"more than the account holds", url.Values{"from": {eur}, "to": {all}, "amount": {"1.000.000"}}, http.StatusUnprocessableEntity, "insufficient_funds"},
		{"another customer's account", url.Values{"from": {theirs[2].ID}, "to": {all}, "amount": {"10"}}, http.StatusNotFound, "account_not_found"},
		{"no account", url.Values{"to": {all}, "amount": {"10"}}, http.StatusBadRequest, "field_required"},
		{"a description with signs", url.Values{"from": {eur}, "to": {all}, "amount": {"10"}, "description": {"<b>"}}, http.StatusBadRequest, "description_invalid_characters"},
	} {
		a := webtest.Do(t, b, "POST", "/exchange", tok, false, tc.form)
		if a.Status != tc.status || !says(b, a.Body, tc.key) {
			t.Errorf("%s: %d, says %s: %v; want %d", tc.name, a.Status, tc.key, says(b, a.Body, tc.key), tc.status)
		}
	}
	a := webtest.Do(t, b, "POST", "/exchange", tok, false, url.Values{"from": {eur}, "to": {all}, "amount": {"10,50"}})
	if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/exchange/quotes/") {
		t.Errorf("a good quote: %d %s, want its review", a.Status, a.Location)
	}
}
