package transfers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/transfer"
)

// receiptText is the text of a receipt as poppler's pdftotext reads it; "" without the tool outside CI.
func receiptText(t *testing.T, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext not on PATH: %v", err)
		}
		return ""
	}
	in := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(in, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// The result page and the PDF receipt of an in-bank transfer name the payee as the payee check did.
func TestWebReceiptNamesAnotherCustomerMasked(t *testing.T) {
	b := newBank(t)
	me, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	tr, _, err := b.Transfers.Create(context.Background(), me, "masked-receipt", transfer.Request{Type: transfer.Internal,
		FromAccountID: mine[0].ID, ToIBAN: theirs[0].IBAN, Amount: "10.00", Currency: "ALL", Description: "Kafe"})
	if err != nil {
		t.Fatal(err)
	}
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	page := webtest.Do(t, b.Bank, "GET", "/transfers/"+tr.ID, token, false, nil)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "E**** S****") || strings.Contains(page.Body, "Shehu") {
		t.Errorf("result page %d names the payee unmasked or not at all", page.Status)
	}
	pdf := webtest.Do(t, b.Bank, "GET", "/transfers/"+tr.ID+"/receipt", token, false, nil)
	if pdf.Status != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Fatalf("receipt: %d", pdf.Status)
	}
	if text := receiptText(t, pdf.Body); text != "" && (strings.Contains(text, "Shehu") || !strings.Contains(text, "E**** S****")) {
		t.Errorf("receipt names the payee unmasked:\n%s", text)
	}
}

// The beneficiary's phone a transfer named shows on its page and its receipt, and the history line of the
// payer's transfer leads to that page.
func TestWebTransferShowsTheBeneficiaryPhoneAndHistoryLeadsToIt(t *testing.T) {
	b := newBank(t)
	me, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	tr, _, err := b.Transfers.Create(context.Background(), me, "phone-page", transfer.Request{Type: transfer.Internal,
		FromAccountID: mine[0].ID, ToIBAN: theirs[0].IBAN, Amount: "10.00", Currency: "ALL", Description: "Kafe",
		PayeePhone: "0687654321"})
	if err != nil {
		t.Fatal(err)
	}
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	page := webtest.Do(t, b.Bank, "GET", "/transfers/"+tr.ID, token, false, nil)
	if page.Status != http.StatusOK || !strings.Contains(html.UnescapeString(page.Body), `id="result-phone">+355 68 765 4321<`) {
		t.Errorf("result page %d does not show the beneficiary's phone", page.Status)
	}
	pdf := webtest.Do(t, b.Bank, "GET", "/transfers/"+tr.ID+"/receipt", token, false, nil)
	if text := receiptText(t, pdf.Body); text != "" && !strings.Contains(text, "+355687654321") {
		t.Errorf("receipt does not show the beneficiary's phone:\n%s", text)
	}
	// The history line opens its detail, which leads to the transfer.
	detail := "/accounts/" + mine[0].ID + "/history/" + latestLine(t, b, mine[0].ID)
	history := webtest.Do(t, b.Bank, "GET", "/accounts/"+mine[0].ID+"/history", token, false, nil)
	if history.Status != http.StatusOK || !strings.Contains(history.Body, `href="`+detail+`"`) {
		t.Errorf("history %d does not lead to the line's detail", history.Status)
	}
	line := webtest.Do(t, b.Bank, "GET", detail, token, false, nil)
	if line.Status != http.StatusOK || !strings.Contains(line.Body, `href="/transfers/`+tr.ID+`"`) {
		t.Errorf("the line's detail %d does not lead to the transfer", line.Status)
	}
	// The payee's history and line show the money arriving, without a way into the payer's transfer.
	elira := webtest.Token(t, b.Bank, "100000002", demo.Password, "+355682000002")
	for _, path := range []string{"/accounts/" + theirs[0].ID + "/history",
		"/accounts/" + theirs[0].ID + "/history/" + latestLine(t, b, theirs[0].ID)} {
		theirsPage := webtest.Do(t, b.Bank, "GET", path, elira, false, nil)
		if theirsPage.Status != http.StatusOK || strings.Contains(theirsPage.Body, tr.ID) {
			t.Errorf("payee's %s %d leads to the payer's transfer", path, theirsPage.Status)
		}
	}
}

// latestLine is the id of an account's newest history line.
func latestLine(t *testing.T, b *bank, accountID string) string {
	t.Helper()
	p, err := b.Ledger.History(context.Background(), accountID, ledger.HistoryFilter{Limit: 1})
	if err != nil || len(p.Lines) == 0 {
		t.Fatalf("history of %s: %v", accountID, err)
	}
	return p.Lines[0].ID
}

// The forms answer with the transfer service's rules: the payee check says a payee who is the customer as it always
// has, marking the value typed, and the description's hint shows the signs the service allows.
func TestWebTransferFormsSayTheTransferServicesAnswers(t *testing.T) {
	b := newBank(t)
	_, mine := b.demoAccounts(t, "100000001")
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	for _, tt := range []struct {
		name, by, value string
		status          int
		code, field     string
	}{
		{"my own client number", "client_number", "100000001", http.StatusUnprocessableEntity, "web_tr_own_payee", "value"},
		{"my own IBAN", "iban", mine[0].IBAN, http.StatusUnprocessableEntity, "web_tr_own_payee", "value"},
		{"a way to look up that does not exist", "name", "Elira", http.StatusBadRequest, "invalid_query", "by"},
		{"nothing typed", "client_number", "", http.StatusBadRequest, "field_required", "value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := webtest.Do(t, b.Bank, "POST", "/transfers/internal/payee", token, false, url.Values{"by": {tt.by}, "value": {tt.value}})
			body := html.UnescapeString(a.Body)
			if a.Status != tt.status || !strings.Contains(body, b.Message(tt.code)) {
				t.Errorf("payee check answered %d without %q", a.Status, b.Message(tt.code))
			}
			marked := `id="value" name="value"`
			if tt.field == "by" {
				marked = `<fieldset aria-invalid="true"`
			}
			if i := strings.Index(body, marked); i < 0 || (tt.field == "value" && !strings.Contains(body[i:i+200], `aria-invalid="true"`)) {
				t.Errorf("the field %s is not marked", tt.field)
			}
		})
	}
	form := webtest.Do(t, b.Bank, "GET", "/transfers/own", token, false, nil)
	if !strings.Contains(html.UnescapeString(form.Body), "<code>"+transfer.DescriptionChars+"</code>") {
		t.Errorf("the own-transfer form does not show the description's signs %q", transfer.DescriptionChars)
	}
}

// An IBAN may be typed as people write it, in lower case and with spaces anywhere; the form shows it again in
// groups of four.
func TestWebPayeeCheckTakesAnIBANWithSpacesAndShowsItGroupedByFour(t *testing.T) {
	b := newBank(t)
	_, theirs := b.demoAccounts(t, "100000002")
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	typed := strings.ToLower(theirs[0].IBAN[:6] + "  " + theirs[0].IBAN[6:15] + " " + theirs[0].IBAN[15:])
	if a := webtest.Do(t, b.Bank, "POST", "/transfers/internal/payee", token, false,
		url.Values{"by": {"iban"}, "value": {typed}}); a.Status != http.StatusSeeOther ||
		!strings.HasPrefix(a.Location, "/transfers/internal?") {
		t.Errorf("payee check of %q: %d %s, want the payee found", typed, a.Status, a.Location)
	}
	// Nobody banks here under the registry's example IBAN: the answer shows it again, grouped.
	a := webtest.Do(t, b.Bank, "POST", "/transfers/internal/payee", token, false,
		url.Values{"by": {"iban"}, "value": {"al4721211009 0000000235698741"}})
	if a.Status != http.StatusNotFound || !strings.Contains(a.Body, `value="AL47 2121 1009 0000 0002 3569 8741"`) {
		t.Errorf("unknown IBAN: %d, the field does not show it grouped by four", a.Status)
	}
}

func TestAnOwnTransferTakesTheAmountAsThePageWritesItAndSaysWhenItReadsTwoWays(t *testing.T) {
	b := newBank(t)
	_, mine := b.demoAccounts(t, "100000001")
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	from, to := mine[0].ID, mine[1].ID
	for _, tt := range []struct {
		name, amount string
		status       int // 303 to the review page
	}{
		{"grouped as Albanians write it", "1.250,50", http.StatusSeeOther},
		{"grouped as the English write it", "1,250.50", http.StatusSeeOther},
		{"with a decimal point", "1250.50", http.StatusSeeOther},
		{"a comma before three digits", "1,250", http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := webtest.Do(t, b.Bank, "POST", "/transfers/own", token, false,
				url.Values{"from": {from}, "to": {to}, "amount": {tt.amount}})
			if a.Status != tt.status {
				t.Fatalf("%q answered %d, want %d", tt.amount, a.Status, tt.status)
			}
			if tt.status == http.StatusSeeOther {
				if !strings.Contains(a.Location, "amount=1250.50") {
					t.Errorf("%q goes to the review as %s", tt.amount, a.Location)
				}
				return
			}
			body := html.UnescapeString(a.Body)
			if !strings.Contains(body, b.Message("amount_ambiguous")) {
				t.Errorf("%q: the page does not say the amount reads two ways", tt.amount)
			}
			if i := strings.Index(body, `id="amount" name="amount"`); i < 0 || !strings.Contains(body[i:i+300], `aria-invalid="true"`) {
				t.Errorf("%q: the amount field is not marked", tt.amount)
			}
		})
	}
}

// TestAnOwnTransferBetweenTwoCurrenciesLeadsToTheExchange: from the lek account to the euro one the form goes to
// the exchange page with what was typed, where the bank's rate is quoted before anything moves.
func TestAnOwnTransferBetweenTwoCurrenciesLeadsToTheExchange(t *testing.T) {
	b := newBank(t)
	_, mine := b.demoAccounts(t, "100000001")
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	a := webtest.Do(t, b.Bank, "POST", "/transfers/own", token, false,
		url.Values{"from": {mine[0].ID}, "to": {mine[2].ID}, "amount": {"1.000,00"}, "description": {"Kursime"}})
	want := "/exchange?" + url.Values{"from": {mine[0].ID}, "to": {mine[2].ID}, "side": {"sell"},
		"amount": {"1.000,00"}, "description": {"Kursime"}}.Encode()
	if a.Status != http.StatusSeeOther || a.Location != want {
		t.Fatalf("answered %d to %q, want the exchange page %q", a.Status, a.Location, want)
	}
	page := webtest.Do(t, b.Bank, "GET", a.Location, token, false, nil)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `value="1.000,00"`) {
		t.Errorf("the exchange page (%d) does not keep the amount typed", page.Status)
	}
}
