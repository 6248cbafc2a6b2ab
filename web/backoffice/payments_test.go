package backoffice_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/web/webtest"
)

// credins puts the bank of the IBAN registry's Albanian example in the directory, as the demo does.
func credins(t *testing.T, b *webtest.Bank) {
	t.Helper()
	if _, err := b.BackOffice.Directory.Put(context.Background(), bankdir.Bank{Code: "212", BIC: "CDISALTR",
		Name: "Credins Bank", Instant: true}); err != nil {
		t.Fatal(err)
	}
}

// TestEveryRoleReadsTheBanksAndTheTariffAndOnlyTheirKeepersChangeThem: a teller reads the directory and the tariff
// without a form or a button, and a post of theirs is the 403 page; the back office is offered both forms.
func TestEveryRoleReadsTheBanksAndTheTariffAndOnlyTheirKeepersChangeThem(t *testing.T) {
	b := webtest.NewBank(t)
	credins(t, b)
	teller, keeper := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "backoffice")
	banks := staffGet(t, b, "/backoffice/banks", teller, i18n.EN)
	if banks.Status != http.StatusOK || !strings.Contains(banks.Body, `id="bank-212"`) || !strings.Contains(banks.Body, "CDISALTR") ||
		!strings.Contains(banks.Body, `id="menu-payments"`) {
		t.Fatalf("the teller's directory: %d", banks.Status)
	}
	tariffPage := staffGet(t, b, "/backoffice/tariff", teller, i18n.EN)
	if tariffPage.Status != http.StatusOK || !strings.Contains(tariffPage.Body, `id="rate-aech-SHA-ALL"`) {
		t.Fatalf("the teller's tariff: %d", tariffPage.Status)
	}
	for _, part := range []string{`id="bank-put-form"`, `class="secondary bank-deactivate"`, `id="tariff-set-form"`, `class="secondary rate-change"`} {
		if strings.Contains(banks.Body+tariffPage.Body, part) {
			t.Errorf("the teller is offered %s", part)
		}
	}
	for path, form := range map[string]url.Values{
		"/backoffice/banks":                {"code": {"213"}, "bic": {"SGSBALTX"}, "name": {"X"}},
		"/backoffice/banks/212/deactivate": {},
		"/backoffice/tariff":               {"scheme": {"aech"}, "charges": {"SHA"}, "currency": {"ALL"}, "fixed": {"1"}},
	} {
		if a := postIn(t, b, path, teller, i18n.EN, form); a.Status != http.StatusForbidden {
			t.Errorf("the teller posting %s: %d", path, a.Status)
		}
	}
	for path, part := range map[string]string{"/backoffice/banks": `id="bank-put-form"`, "/backoffice/tariff": `id="tariff-set-form"`} {
		if a := staffGet(t, b, path, keeper, ""); a.Status != http.StatusOK || !strings.Contains(a.Body, part) {
			t.Errorf("the back office's %s: %d", path, a.Status)
		}
	}
}

// TestABankIsAddedChangedAndDeactivatedOnItsPage: the back office adds a bank and the directory says so; a form
// with bad fields is refused beside each field, in the member's language, with what was typed kept; a bank's
// "change" fills the form; deactivating it stops payments to it at once.
func TestABankIsAddedChangedAndDeactivatedOnItsPage(t *testing.T) {
	b := webtest.NewBank(t)
	credins(t, b)
	token := webtest.StaffToken(t, b, "backoffice")
	a := postIn(t, b, "/backoffice/banks", token, i18n.SQ, url.Values{"code": {"215"}, "bic": {"fefaaltr"},
		"name": {"ProCredit Bank"}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/banks?m=saved#bank-215" {
		t.Fatalf("adding a bank: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	page := staffGet(t, b, "/backoffice/banks?m=saved", token, i18n.EN)
	if !strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_bank_saved", nil))) ||
		!strings.Contains(page.Body, `id="bank-215"`) || !strings.Contains(page.Body, "FEFAALTR") {
		t.Fatalf("the directory after adding: %d", page.Status)
	}

	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		a = postIn(t, b, "/backoffice/banks", token, lang, url.Values{"code": {"21"}, "bic": {"DEUTDEFF"}, "name": {"Banka <x>"}})
		if a.Status != http.StatusBadRequest {
			t.Fatalf("a bad bank (%s): %d", lang, a.Status)
		}
		for field, code := range map[string]string{"code": "bank_code_invalid", "bic": "bank_bic_country",
			"name": "description_invalid_characters"} {
			if !strings.Contains(a.Body, `id="`+field+`-problem"`) || !strings.Contains(a.Body, htmlText(b.Catalogue.Message(lang, code, nil))) {
				t.Errorf("a bad bank (%s): no %s beside %s", lang, code, field)
			}
		}
		if !strings.Contains(a.Body, `value="DEUTDEFF"`) || !strings.Contains(a.Body, `value="Banka &lt;x&gt;"`) {
			t.Errorf("a bad bank (%s): what was typed is not kept", lang)
		}
	}
	if a := postIn(t, b, "/backoffice/banks", token, i18n.EN, url.Values{"code": {"216"}, "bic": {"CDISALTR"}, "name": {"X"}}); a.Status != http.StatusConflict ||
		!strings.Contains(a.Body, `id="bic-problem"`) {
		t.Errorf("another bank's BIC: %d", a.Status)
	}

	change := staffGet(t, b, "/backoffice/banks?code=215", token, i18n.EN)
	if !strings.Contains(change.Body, `value="215"`) || !strings.Contains(change.Body, `value="ProCredit Bank"`) ||
		!strings.Contains(change.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_bank_form_change", nil))) {
		t.Errorf("the change form: %d", change.Status)
	}
	if a := postIn(t, b, "/backoffice/banks", token, i18n.EN, url.Values{"code": {"215"}, "bic": {"FEFAALTRTIR"},
		"name": {"ProCredit Bank Albania"}, "instant": {"1"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("changing the bank: %d", a.Status)
	}
	got, err := b.BackOffice.Directory.ByCode(context.Background(), "215")
	if err != nil || got.BIC != "FEFAALTRTIR" || got.Name != "ProCredit Bank Albania" || !got.Instant || !got.Active {
		t.Fatalf("the changed bank: %+v, %v", got, err)
	}

	a = postIn(t, b, "/backoffice/banks/215/deactivate", token, i18n.EN, nil)
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/banks?m=deactivated#bank-215" {
		t.Fatalf("deactivating: %d to %q", a.Status, a.Location)
	}
	ib, err := iban.NewAlbanian("215", "0001", "1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.BackOffice.Directory.ForIBAN(context.Background(), ib); !errors.Is(err, bankdir.ErrInactive) {
		t.Errorf("a payment to the deactivated bank: %v", err)
	}
	page = staffGet(t, b, "/backoffice/banks", token, i18n.EN)
	if !strings.Contains(page.Body, `id="activate-215"`) || strings.Contains(page.Body, `id="deactivate-215"`) {
		t.Errorf("the directory after deactivating: %d", page.Status)
	}
	if a := postIn(t, b, "/backoffice/banks/299/deactivate", token, i18n.EN, nil); a.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "bank_unknown", nil))) {
		t.Errorf("deactivating a bank the directory lacks: %d", a.Status)
	}
}

// TestANewRateIsAskedOnTheTariffPageAndPutInForceByAManager: the back office asks for a new rate typed the
// Albanian way; the page names the request and the fee has not moved; a manager sees the rate in force beside the
// one asked for, approves its hash, and the fee is the new one, listed in the history with both members.
func TestANewRateIsAskedOnTheTariffPageAndPutInForceByAManager(t *testing.T) {
	b := webtest.NewBank(t)
	maker, checker := webtest.StaffToken(t, b, "backoffice"), webtest.StaffToken(t, b, "manager")
	ctx := context.Background()
	fee := func() int64 {
		t.Helper()
		f, err := b.BackOffice.Tariff.Fee(ctx, tariff.SchemeAECH, tariff.ChargesSHA, money.New(100_000_00, money.ALL))
		if err != nil {
			t.Fatal(err)
		}
		return f.Amount.Minor
	}
	change := staffGet(t, b, "/backoffice/tariff?scheme=aech&charges=SHA&currency=ALL", maker, i18n.EN)
	if !strings.Contains(change.Body, `value="100.00"`) || !strings.Contains(change.Body, `<option value="aech" selected>`) {
		t.Fatalf("the change form: %d", change.Status)
	}

	for _, tc := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"AECH in euros", url.Values{"scheme": {"aech"}, "charges": {"SHA"}, "currency": {"EUR"}, "fixed": {"1"}}, []string{"currency"}},
		{"bad amounts and percent", url.Values{"scheme": {"aips"}, "charges": {"SHA"}, "currency": {"ALL"}, "fixed": {"dy"},
			"min": {"1,001"}, "percent": {"11"}}, []string{"fixed", "min"}},
		{"bad percent, min above max", url.Values{"scheme": {"aips"}, "charges": {"SHA"}, "currency": {"ALL"}, "percent": {"0,123456"},
			"min": {"200"}, "max": {"100"}}, []string{"percent", "min"}},
	} {
		a := postIn(t, b, "/backoffice/tariff", maker, i18n.SQ, tc.form)
		if a.Status != http.StatusBadRequest {
			t.Errorf("%s: %d", tc.name, a.Status)
		}
		for _, f := range tc.fields {
			if !strings.Contains(a.Body, `id="`+f+`-problem"`) {
				t.Errorf("%s: no problem beside %s", tc.name, f)
			}
		}
	}

	a := postIn(t, b, "/backoffice/tariff", maker, i18n.SQ, url.Values{"scheme": {"aech"}, "charges": {"SHA"},
		"currency": {"ALL"}, "fixed": {"80,00"}, "percent": {"0,01"}, "min": {""}, "max": {"1.500"}})
	r := requestOf(t, b, a, "backoffice")
	if r.Kind != "tariff.set" || r.Status != approval.Pending || !strings.HasPrefix(a.Location, "/backoffice/tariff?request=") {
		t.Fatalf("request %+v to %q", r, a.Location)
	}
	if !strings.Contains(string(r.Payload), `"fixed":8000,"percent":"0.01","min":0,"max":150000`) {
		t.Errorf("payload %s", r.Payload)
	}
	sent := staffGet(t, b, a.Location, maker, "")
	if !strings.Contains(sent.Body, `id="sent"`) || !strings.Contains(sent.Body, r.Hash[:12]) {
		t.Errorf("the tariff page does not name the request: %d", sent.Status)
	}
	if got := fee(); got != 100_00 {
		t.Fatalf("the fee moved to %d before approval", got)
	}

	req := "/backoffice/approvals/" + r.ID
	seen := staffGet(t, b, req, checker, i18n.SQ)
	for _, want := range []string{`id="request-tariff"`, `id="approve-form"`, "100,00 ALL", "80,00 ALL", "0,01 %", "1.500,00 ALL",
		htmlText(b.Catalogue.Message(i18n.SQ, "web_bo_req_tariff_set", nil))} {
		if !strings.Contains(seen.Body, want) {
			t.Errorf("the manager's page of the request lacks %q", want)
		}
	}
	if a := postIn(t, b, req+"/approve", maker, "", url.Values{"hash": {r.Hash}}); a.Status != http.StatusForbidden {
		t.Errorf("the maker approving: %d", a.Status)
	}
	if a := postIn(t, b, req+"/approve", checker, "", url.Values{"hash": {r.Hash}}); a.Status != http.StatusSeeOther {
		t.Fatalf("approving: %d %s", a.Status, a.Body)
	}
	if got := fee(); got != 80_00+10_00 { // 80 + 0.01 % of 100,000
		t.Errorf("the fee after approval: %d", got)
	}
	page := staffGet(t, b, "/backoffice/tariff", maker, i18n.EN)
	hist := page.Body[strings.Index(page.Body, `id="tariff-history"`):]
	if !strings.Contains(hist, "80.00 ALL") || !strings.Contains(hist, `<span class="rate-maker">backoffice</span>`) ||
		!strings.Contains(hist, `<span class="rate-checker">manager</span>`) {
		t.Errorf("the history after approval: %d", page.Status)
	}
}
