package payments_test

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
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

// domestic is the domestic form as a customer fills it, to Credins' example IBAN.
func domestic(from, amount string) url.Values {
	return url.Values{"name": {"Blerina Kasa"}, "iban": {credinsPrintable}, "city": {"Tiranë"}, "country": {"AL"},
		"from": {from}, "amount": {amount}, "description": {"Qira nëntor"}, "charges": {"SHA"}}
}

// reviewOf posts a form and returns the sealed review it leads to.
func reviewOf(t *testing.T, b *webtest.Bank, tok, path string, form url.Values) url.Values {
	t.Helper()
	a := webtest.Do(t, b, "POST", path, tok, false, form)
	if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/payments/review?") {
		t.Fatalf("POST %s = %d %q, want the review:\n%s", path, a.Status, a.Location, a.Body)
	}
	u, err := url.Parse(a.Location)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func payments(t *testing.T, b *webtest.Bank, customerID string) []payment.Payment {
	t.Helper()
	list, err := b.Payments.List(context.Background(), customerID, payment.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestAReviewedPaymentIsMadeOnceHoweverOftenItIsConfirmed: the review carries its idempotency key, so a second
// confirmation (a double click, the back button) answers the first payment; a review changed on the way is
// refused and pays nothing.
func TestAReviewedPaymentIsMadeOnceHoweverOftenItIsConfirmed(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	tok := token(t, b, "100000001")
	sealed := reviewOf(t, b, tok, "/payments/domestic", domestic(accounts[0].ID, "1.500"))
	if a := webtest.Do(t, b, "GET", "/payments/review?"+sealed.Encode(), tok, false, nil); a.Status != http.StatusOK ||
		!strings.Contains(a.Body, `id="review-debited"`) {
		t.Fatalf("review = %d", a.Status)
	}

	changed := url.Values{}
	for k, v := range sealed {
		changed[k] = v
	}
	changed.Set("amount", "150000")
	a := webtest.Do(t, b, "POST", "/payments/confirm", tok, false, changed)
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, b.Message("web_pay_tampered")) {
		t.Errorf("a changed review answered %d", a.Status)
	}
	if n := len(payments(t, b, cust)); n != 0 {
		t.Fatalf("%d payments after a changed review", n)
	}

	first := webtest.Do(t, b, "POST", "/payments/confirm", tok, false, sealed)
	again := webtest.Do(t, b, "POST", "/payments/confirm", tok, false, sealed)
	list := payments(t, b, cust)
	if len(list) != 1 {
		t.Fatalf("%d payments after confirming one review twice", len(list))
	}
	if first.Location != "/payments/"+list[0].ID || again.Location != "/payments/"+list[0].ID+"?m=replayed" {
		t.Errorf("confirmations went to %q and %q", first.Location, again.Location)
	}
	if page := webtest.Do(t, b, "GET", again.Location, tok, false, nil); !strings.Contains(page.Body, b.Message("web_pay_replayed")) {
		t.Error("the second confirmation does not say the payment was made once")
	}
}

// TestAPaymentFromAnAccountInAnotherCurrencyShowsTheExchangeBeforeItIsConfirmed: a payment in lek from the euro
// account is reviewed with the bank's rate and the euros that will leave the account, the figures the payment is
// then made with; its page says them again.
func TestAPaymentFromAnAccountInAnotherCurrencyShowsTheExchangeBeforeItIsConfirmed(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	tok := token(t, b, "100000001")
	sealed := reviewOf(t, b, tok, "/payments/domestic", domestic(accounts[2].ID, "5000"))
	q, err := b.Payments.Preview(context.Background(), cust, payment.Request{Type: payment.Domestic,
		FromAccountID: accounts[2].ID, Amount: "5000", Currency: "ALL", Charges: "SHA",
		Beneficiary: beneficiary.Input{Name: "Blerina Kasa", IBAN: credins, Address: beneficiary.Address{City: "Tiranë", Country: "AL"}}})
	if err != nil || q.Exchange.Rate == "" || q.Exchange.Charged.Currency != money.EUR {
		t.Fatalf("preview %+v, %v", q.Exchange, err)
	}
	rate := i18n.FormatRate("EUR", q.Exchange.Rate, "ALL", i18n.SQ)
	charged := i18n.FormatAmount(q.Exchange.Charged.Minor, "EUR", i18n.SQ)
	review := webtest.Do(t, b, "GET", "/payments/review?"+sealed.Encode(), tok, false, nil)
	for _, want := range []string{`id="review-rate">` + rate, charged} {
		if !strings.Contains(review.Body, want) {
			t.Errorf("the review does not say %q", want)
		}
	}
	done := webtest.Do(t, b, "POST", "/payments/confirm", tok, false, sealed)
	list := payments(t, b, cust)
	if len(list) != 1 || list[0].Charged() != q.Exchange.Charged || list[0].Exchange.Rate != q.Exchange.Rate {
		t.Fatalf("payments %+v after %d %s", list, done.Status, done.Location)
	}
	confirm := webtest.Do(t, b, "GET", done.Location, tok, false, nil)
	if !strings.Contains(confirm.Body, `id="confirm-rate">`+rate) || !strings.Contains(confirm.Body, charged) {
		t.Error("the confirmation page does not say the rate and the euros that will leave the account")
	}
	_, code := smsCode(t, b, "100000001")
	if _, err := b.Payments.Confirm(context.Background(), cust, list[0].ID, sca.Proof{Method: sca.MethodSMS,
		Code: code}); err != nil {
		t.Fatal(err)
	}
	page := webtest.Do(t, b, "GET", "/payments/"+list[0].ID, tok, false, nil)
	if !strings.Contains(page.Body, `id="payment-rate">`+rate) || !strings.Contains(page.Body, charged) {
		t.Errorf("the payment's page (%d, %s after %s) does not say the rate and the euros that left the account", page.Status, list[0].Status, done.Location)
	}
}

// TestAnInternationalPaymentMayBeInAnotherCurrencyThanItsAccount: the form offers the currencies the bank has,
// and a payment in euros from the lek account is reviewed with the bank's sell rate and the lek that will leave.
func TestAnInternationalPaymentMayBeInAnotherCurrencyThanItsAccount(t *testing.T) {
	b := webtest.NewBank(t)
	_, accounts := demoAccounts(t, b, "100000001")
	tok := token(t, b, "100000001")
	form := webtest.Do(t, b, "GET", "/payments/international", tok, false, nil)
	if !strings.Contains(form.Body, `id="pay-currency"`) || !strings.Contains(form.Body, `<option value="EUR"`) {
		t.Fatal("the international form offers no currency")
	}
	in := url.Values{"name": {"Arta Gashi"}, "iban": {"DE89 3704 0044 0532 0130 00"}, "street": {"Unter den Linden 1"},
		"city": {"Berlin"}, "country": {"DE"}, "from": {accounts[0].ID}, "currency": {"EUR"}, "amount": {"100"},
		"purpose_category": {"EDUC"}, "purpose": {"Tarifa e semestrit"}, "beneficiary_category": {"individual"},
		"terms": {"1"}, "charges": {"SHA"}}
	sealed := reviewOf(t, b, tok, "/payments/international", in)
	review := webtest.Do(t, b, "GET", "/payments/review?"+sealed.Encode(), tok, false, nil)
	if !strings.Contains(review.Body, `id="review-rate">`+i18n.FormatRate("EUR", "99.40", "ALL", i18n.SQ)) ||
		!strings.Contains(review.Body, `id="review-charged"`) {
		t.Errorf("the review does not show the exchange:\n%s", review.Body)
	}
}

// TestEveryRefusalStandsBesideItsFieldInTheCustomersLanguage (Z8): each refusal of a payment's form is said in its
// own words, in Albanian or English, beside the field it is about, and the form keeps what was typed.
func TestEveryRefusalStandsBesideItsFieldInTheCustomersLanguage(t *testing.T) {
	b := webtest.NewBank(t)
	_, accounts := demoAccounts(t, b, "100000001")
	_, theirs := demoAccounts(t, b, "100000002")
	tok := token(t, b, "100000001")
	international := url.Values{"name": {"Arta Gashi"}, "account_number": {"000123456789"}, "bic": {"CHASUS33"},
		"street": {"Arthur Avenue 600"}, "city": {"New York"}, "country": {"US"}, "from": {accounts[2].ID},
		"amount": {"100"}, "purpose_category": {"EDUC"}, "purpose": {"Tarifa e semestrit"},
		"beneficiary_category": {"individual"}, "terms": {"1"}, "charges": {"SHA"}}
	with := func(v url.Values, changes ...string) url.Values {
		out := url.Values{}
		for k, x := range v {
			out[k] = x
		}
		for i := 0; i+1 < len(changes); i += 2 {
			out.Set(changes[i], changes[i+1])
		}
		return out
	}
	tests := []struct {
		name, path string
		form       url.Values
		field      string // the field marked; "" for a refusal of the whole payment
		code       string
	}{
		{"no name", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "name", ""), "name", "field_required"},
		{"an IBAN abroad", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "iban", "DE89 3704 0044 0532 0130 00"), "iban", "payment_not_domestic"},
		{"a customer of this bank", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "iban", theirs[0].IBAN), "iban", "payment_own_bank"},
		{"a wrong IBAN", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "iban", "AL47 2121 1009 0000 0002 3569 8742"), "iban", "iban_invalid"},
		{"a wrong country", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "country", "XX"), "country", "beneficiary_country_invalid"},
		{"a description with signs", "/payments/domestic", with(domestic(accounts[0].ID, "5000"), "description", "Qira <nëntor>"), "description", "description_invalid_characters"},
		{"more than the funds", "/payments/domestic", domestic(accounts[0].ID, "9000000"), "", "insufficient_funds"},
		{"no terms", "/payments/international", with(international, "terms", ""), "terms", "payment_terms_not_accepted"},
		{"no purpose", "/payments/international", with(international, "purpose", ""), "purpose", "field_required"},
		{"no street abroad", "/payments/international", with(international, "street", ""), "street", "field_required"},
		// A field the form does not have (SEPA's charges are always shared) is said above the form, in its words.
		{"charges the scheme does not take", "/payments/sepa", url.Values{"name": {"Luan Berisha"},
			"iban": {"DE89 3704 0044 0532 0130 00"}, "city": {"Berlin"}, "country": {"DE"}, "from": {accounts[2].ID},
			"amount": {"100"}, "charges": {"OUR"}}, "", "payment_charges_unsupported"},
	}
	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		for _, tt := range tests {
			t.Run(string(lang)+"/"+tt.name, func(t *testing.T) {
				a := doLang(t, b, "POST", tt.path, tok, string(lang), tt.form)
				if a.Status < 400 || a.Status >= 500 {
					t.Fatalf("answered %d, want a refusal:\n%s", a.Status, a.Body)
				}
				want := b.Catalogue.Message(lang, tt.code, nil)
				want = template.HTMLEscapeString(want)
				if tt.field == "" {
					if !strings.Contains(a.Body, want) || strings.Contains(a.Body, `class="pay-error"`) {
						t.Errorf("the page does not say %q alone at the top", want)
					}
					return
				}
				id := "pay-" + strings.ReplaceAll(tt.field, "_", "-")
				beside := `id="` + id + `-error"><svg class="icon" aria-hidden="true" focusable="false">`
				i := strings.Index(a.Body, beside)
				if i < 0 || !strings.Contains(a.Body[i:min(len(a.Body), i+len(beside)+400)], want) {
					t.Errorf("%s does not say %q beside it", id, want)
				}
				if name := tt.form.Get("name"); name != "" && !strings.Contains(a.Body, `value="`+name+`"`) {
					t.Error("the form lost the name typed")
				}
			})
		}
	}
}

// doLang sends a form as Do does, in the page language lang (the lang cookie).
func doLang(t *testing.T, b *webtest.Bank, method, path, tok, lang string, form url.Values) webtest.Answer {
	t.Helper()
	req, _ := http.NewRequest(method, b.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: tok})
	req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Answer{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(body)}
}

// TestAnotherCustomersPaymentIsNotFound: a payment is its customer's; to anyone else every page of it is the
// not-found page.
func TestAnotherCustomersPaymentIsNotFound(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	mine := token(t, b, "100000001")
	sealed := reviewOf(t, b, mine, "/payments/domestic", domestic(accounts[0].ID, "5000"))
	if a := webtest.Do(t, b, "POST", "/payments/confirm", mine, false, sealed); !strings.HasSuffix(a.Location, "/confirm") {
		t.Fatalf("confirm went to %q", a.Location)
	}
	id := payments(t, b, cust)[0].ID
	theirs := token(t, b, "100000002")
	for _, path := range []string{"/payments/" + id, "/payments/" + id + "/confirm", "/payments/" + id + "/receipt",
		"/payments/domestic?again=" + id} {
		if a := webtest.Do(t, b, "GET", path, theirs, false, nil); a.Status != http.StatusNotFound {
			t.Errorf("GET %s by another customer = %d, want 404", path, a.Status)
		}
	}
	if a := webtest.Do(t, b, "POST", "/payments/"+id+"/confirm", theirs, false, url.Values{"code": {"123456"}}); a.Status != http.StatusNotFound {
		t.Errorf("a code for another customer's payment = %d, want 404", a.Status)
	}
	// Nor does its review confirm for anyone else: the seal is the customer's.
	if a := webtest.Do(t, b, "POST", "/payments/confirm", theirs, false, sealed); a.Status != http.StatusBadRequest {
		t.Errorf("another customer's review = %d, want it refused", a.Status)
	}
}

// TestThePaymentPageAsksForItsProgressForAWhileOnly: a payment under way asks for its progress every few seconds,
// each answer carrying the next ask, until pollTimes asks; then the page says to reload, and a settled payment
// never asks.
func TestThePaymentPageAsksForItsProgressForAWhileOnly(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	tok := token(t, b, "100000001")
	sealed := reviewOf(t, b, tok, "/payments/domestic", domestic(accounts[0].ID, "1500"))
	webtest.Do(t, b, "POST", "/payments/confirm", tok, false, sealed)
	id := payments(t, b, cust)[0].ID

	page := webtest.Do(t, b, "GET", "/payments/"+id, tok, false, nil)
	if !strings.Contains(page.Body, `hx-get="/payments/`+id+`?poll=1"`) || !strings.Contains(page.Body, "htmx-2.0.11") {
		t.Errorf("a payment waiting for its session does not ask for its progress")
	}
	next := webtest.Do(t, b, "GET", "/payments/"+id+"?poll=1", tok, true, nil)
	if !strings.HasPrefix(next.Body, `<section id="pay-progress"`) || !strings.Contains(next.Body, "?poll=2") {
		t.Errorf("the progress answers %q", next.Body[:min(len(next.Body), 200)])
	}
	last := webtest.Do(t, b, "GET", "/payments/"+id+"?poll=24", tok, true, nil)
	if strings.Contains(last.Body, "hx-get") || !strings.Contains(last.Body, b.Message("web_pay_live_stopped")) {
		t.Errorf("after the last ask the progress still asks, or does not say to reload")
	}

	if _, err := b.Payments.RunSession(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ClearingHouse.Work(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := webtest.Do(t, b, "GET", "/payments/"+id, tok, false, nil)
	if strings.Contains(done.Body, "hx-get") || strings.Contains(done.Body, "htmx-2.0.11") {
		t.Error("a settled payment's page still asks for its progress")
	}
}

// TestACodeThatNoLongerWorksLeadsToMakingThePaymentAgain: the payment service sends no new code for a payment, so
// a code that has lapsed is said in the pages' own words, with the way to make the same payment again (its form,
// filled in).
func TestACodeThatNoLongerWorksLeadsToMakingThePaymentAgain(t *testing.T) {
	b := webtest.NewBank(t)
	cust, accounts := demoAccounts(t, b, "100000001")
	tok := token(t, b, "100000001")
	sealed := reviewOf(t, b, tok, "/payments/domestic", domestic(accounts[0].ID, "5000"))
	webtest.Do(t, b, "POST", "/payments/confirm", tok, false, sealed)
	id := payments(t, b, cust)[0].ID
	_, code := smsCode(t, b, "100000001")
	b.Clock.Advance(3 * time.Minute) // the code lasts 2 minutes; the payment waits 10
	a := webtest.Do(t, b, "POST", "/payments/"+id+"/confirm", tok, false, url.Values{"code": {code}})
	if a.Status != http.StatusUnauthorized || !strings.Contains(a.Body, template.HTMLEscapeString(b.Message("web_pay_code_expired"))) {
		t.Fatalf("a lapsed code answered %d", a.Status)
	}
	again := "/payments/domestic?again=" + id
	if !strings.Contains(a.Body, `href="`+again+`"`) {
		t.Fatal("the page does not offer to make the payment again")
	}
	form := webtest.Do(t, b, "GET", again, tok, false, nil)
	for _, want := range []string{`value="Blerina Kasa"`, `value="` + credinsPrintable + `"`, `value="5000.00"`,
		`value="Qira nëntor"`, `value="` + accounts[0].ID + `" selected`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("the form again lacks %s", want)
		}
	}
}
