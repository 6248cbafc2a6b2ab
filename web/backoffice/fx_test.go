package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/web/webtest"
)

// fxRequests counts the requests for a new exchange rate, whatever their state.
func fxRequests(t *testing.T, b *webtest.Bank) int {
	t.Helper()
	m, err := b.Staff.ByUsername(context.Background(), "manager")
	if err != nil {
		t.Fatal(err)
	}
	list, err := b.Approvals.List(context.Background(), m, approval.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range list {
		if r.Kind == string(operation.KindFXPublish) {
			n++
		}
	}
	return n
}

// section is the part of a page's body from the element with id on.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("the page has no %s", id)
	}
	return body[i:]
}

// ids matches the ids of a page's elements.
var ids = regexp.MustCompile(` id="([^"]+)"`)

// uniqueIDs fails the test if an id names two elements of body: a label, a link to a part or a test would find
// the first.
func uniqueIDs(t *testing.T, what, body string) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range ids.FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("%s: id %q twice", what, m[1])
		}
		seen[m[1]] = true
	}
}

// TestEveryRoleReadsTheExchangeRatesAndOnlyARateSetterAsksForOne: a teller reads the demo's rates in force, in
// the page's language (a decimal comma in Albanian), from the payments' tabs, without a form or a "change"; a
// post of theirs, or of an administrator who keeps the tariff but not the rates, is the 403 page and files
// nothing. The back office is offered the form and a "change" on each rate.
func TestEveryRoleReadsTheExchangeRatesAndOnlyARateSetterAsksForOne(t *testing.T) {
	webtest.EachBank(t, func(t *testing.T, b *webtest.Bank) {
		teller, admin, keeper := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "admin"),
			webtest.StaffToken(t, b, "backoffice")
		before := fxRequests(t, b)
		for lang, want := range map[i18n.Lang][]string{
			i18n.SQ: {`<span class="fx-buy">97,80</span>`, `<span class="fx-sell">99,40</span>`, `<span class="fx-mid">98,60</span>`},
			i18n.EN: {`<span class="fx-buy">97.80</span>`, `<span class="fx-sell">99.40</span>`, `<span class="fx-mid">98.60</span>`},
		} {
			page := staffGet(t, b, "/backoffice/fx", teller, lang)
			if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="payments-tab-fx" aria-current="page"`) {
				t.Fatalf("the teller's rates (%s): %d", lang, page.Status)
			}
			eur := section(t, page.Body, "fx-EUR")
			for _, w := range append(want, `<span class="fx-maker">backoffice</span>`, `<span class="fx-checker">manager</span>`) {
				if !strings.Contains(eur[:strings.Index(eur, "</tr>")], w) {
					t.Errorf("EUR's row (%s) lacks %s", lang, w)
				}
			}
			for _, part := range []string{`id="fx-publish-form"`, `class="secondary fx-change"`, `id="ask-fx"`} {
				if strings.Contains(page.Body, part) {
					t.Errorf("the teller is offered %s", part)
				}
			}
		}
		form := url.Values{"currency": {"EUR"}, "buy": {"98"}, "sell": {"99"}}
		for who, token := range map[string]string{"teller": teller, "admin": admin} {
			if a := postIn(t, b, "/backoffice/fx", token, i18n.EN, form); a.Status != http.StatusForbidden ||
				!strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "staff_permission_denied", nil))) {
				t.Errorf("the %s asking for a rate: %d", who, a.Status)
			}
		}
		if n := fxRequests(t, b); n != before {
			t.Errorf("%d requests filed by members who may not", n-before)
		}
		page := staffGet(t, b, "/backoffice/fx?cross=USD&history=EUR", keeper, "")
		for _, part := range []string{`id="fx-publish-form"`, `id="change-EUR"`, `id="change-CAD"`, `id="cross-table"`} {
			if !strings.Contains(page.Body, part) {
				t.Errorf("the back office is not offered %s", part)
			}
		}
		uniqueIDs(t, "the rates page", page.Body)
	})
}

// TestABadRateIsSaidBesideItsFieldsAndFilesNothing: what fx.Normalize and Check refuse comes back on the form,
// 400, each field's problem beside it in the member's language and what was typed kept; no request is filed.
func TestABadRateIsSaidBesideItsFieldsAndFilesNothing(t *testing.T) {
	webtest.EachBank(t, func(t *testing.T, b *webtest.Bank) {
		token := webtest.StaffToken(t, b, "backoffice")
		before := fxRequests(t, b)
		for _, tc := range []struct {
			name   string
			form   url.Values
			fields map[string]string // field → code
			kept   []string
		}{
			{"nothing typed", url.Values{"currency": {""}, "buy": {""}, "sell": {""}},
				map[string]string{"currency": "field_required", "buy": "fx_rate_invalid", "sell": "fx_rate_invalid"}, nil},
			{"the lek, a word and seven decimals", url.Values{"currency": {"ALL"}, "buy": {"nëntëdhjetë"}, "sell": {"99,1234567"}},
				map[string]string{"currency": "fx_currency_invalid", "buy": "fx_rate_invalid", "sell": "fx_rate_invalid"},
				[]string{`value="nëntëdhjetë"`, `value="99,1234567"`}},
			{"sell below buy", url.Values{"currency": {"EUR"}, "buy": {"99,50"}, "sell": {"98.50"}},
				map[string]string{"sell": "fx_sell_below_buy"}, []string{`value="99,50"`, `value="98.50"`}},
			{"a negative rate", url.Values{"currency": {"USD"}, "buy": {"-90"}, "sell": {"92"}},
				map[string]string{"buy": "fx_rate_invalid"}, []string{`value="-90"`}},
			// EUR's mid moves from 98.60 to 121: beyond the 5 % band, without a reason.
			{"beyond the band without a reason", url.Values{"currency": {"EUR"}, "buy": {"120"}, "sell": {"122"}},
				map[string]string{"reason": "fx_rate_reason_required"}, []string{`value="120"`, `<option value="EUR" selected>`}},
			{"a reason too long", url.Values{"currency": {"EUR"}, "buy": {"98"}, "sell": {"99"},
				"reason": {strings.Repeat("ë", fx.MaxReason+1)}}, map[string]string{"reason": "description_too_long"}, nil},
		} {
			for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
				a := postIn(t, b, "/backoffice/fx", token, lang, tc.form)
				if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="fx-publish-form"`) {
					t.Errorf("%s (%s): %d", tc.name, lang, a.Status)
					continue
				}
				for field, code := range tc.fields {
					msg := htmlText(b.Catalogue.Message(lang, code, map[string]string{"band": "5.00"}))
					if !strings.Contains(a.Body, `id="`+field+`-problem">`+msg+`</small>`) {
						t.Errorf("%s (%s): no %s beside %s", tc.name, lang, code, field)
					}
				}
				for _, k := range tc.kept {
					if !strings.Contains(a.Body, k) {
						t.Errorf("%s (%s): %s is not kept", tc.name, lang, k)
					}
				}
			}
		}
		if n := fxRequests(t, b); n != before {
			t.Errorf("%d requests filed for refused rates", n-before)
		}
	})
}

// TestANewRateIsAskedOnTheRatesPageAndInForceOnceAManagerApproves: EUR's "change" fills the form with its rate
// the Albanian way; the rate typed so is filed as a request the page names, in the form fx keeps it, and nothing is
// in force yet; the manager reads it beside the rate in force, the maker may not approve it, the manager does, and
// the page shows the new rate in force and first in the history, with both members and the reason.
func TestANewRateIsAskedOnTheRatesPageAndInForceOnceAManagerApproves(t *testing.T) {
	webtest.EachBank(t, func(t *testing.T, b *webtest.Bank) {
		maker, checker := webtest.StaffToken(t, b, "backoffice"), webtest.StaffToken(t, b, "manager")
		change := staffGet(t, b, "/backoffice/fx?change=EUR", maker, i18n.SQ)
		form := section(t, change.Body, "fx-publish-form")
		for _, want := range []string{`<option value="EUR" selected>`, `id="buy" name="buy"`, `value="97,80"`, `value="99,40"`} {
			if !strings.Contains(form, want) {
				t.Errorf("the change form lacks %s", want)
			}
		}

		a := postIn(t, b, "/backoffice/fx", maker, i18n.SQ, url.Values{"currency": {"EUR"}, "buy": {" 98,1 "},
			"sell": {"99,70"}, "reason": {"Lëvizje në tregun ndërbankar"}})
		r := requestOf(t, b, a, "backoffice")
		if r.Kind != string(operation.KindFXPublish) || r.Status != approval.Pending ||
			!strings.HasPrefix(a.Location, "/backoffice/fx?request=") {
			t.Fatalf("request %+v to %q", r, a.Location)
		}
		if !strings.Contains(string(r.Payload), `"currency":"EUR","buy":"98.10","sell":"99.70"`) ||
			!strings.Contains(string(r.Payload), `"published_by":"backoffice"`) {
			t.Errorf("payload %s", r.Payload)
		}
		sent := staffGet(t, b, a.Location, maker, i18n.SQ)
		if !strings.Contains(sent.Body, `id="sent"`) || !strings.Contains(sent.Body, r.Hash[:12]) ||
			!strings.Contains(section(t, sent.Body, "fx-EUR"), `<span class="fx-buy">97,80</span>`) {
			t.Errorf("the rates page after asking: %d", sent.Status)
		}

		req := "/backoffice/approvals/" + r.ID
		seen := staffGet(t, b, req, checker, i18n.SQ)
		what := section(t, seen.Body, "request-fx-rate")
		for _, want := range []string{`id="request-fx"`, "97,80", "98,10", "99,40", "99,70", "98,60", "98,90",
			"Lëvizje në tregun ndërbankar", `id="approve-form"`, htmlText(b.Catalogue.Message(i18n.SQ, "web_bo_req_fx_publish", nil))} {
			if !strings.Contains(what+seen.Body, want) {
				t.Errorf("the manager's page of the request lacks %q", want)
			}
		}
		if a := postIn(t, b, req+"/approve", maker, "", url.Values{"hash": {r.Hash}}); a.Status != http.StatusForbidden {
			t.Errorf("the maker approving: %d", a.Status)
		}
		if a := postIn(t, b, req+"/approve", checker, "", url.Values{"hash": {r.Hash}}); a.Status != http.StatusSeeOther {
			t.Fatalf("approving: %d %s", a.Status, a.Body)
		}

		page := staffGet(t, b, "/backoffice/fx", maker, i18n.EN)
		eur := section(t, page.Body, "fx-EUR")
		eur = eur[:strings.Index(eur, "</tr>")]
		for _, want := range []string{`<span class="fx-buy">98.10</span>`, `<span class="fx-sell">99.70</span>`,
			`<span class="fx-mid">98.90</span>`, `<span class="fx-maker">backoffice</span>`,
			`<span class="fx-checker">manager</span>`} {
			if !strings.Contains(eur, want) {
				t.Errorf("EUR in force lacks %s", want)
			}
		}
		hist := section(t, page.Body, "fx-history-table")
		first := hist[strings.Index(hist, `<tr class="fx-history-row"`):]
		first = first[:strings.Index(first, "</tr>")]
		for _, want := range []string{`data-currency="EUR"`, `<span class="fx-buy">98.10</span>`,
			`<span class="fx-reason">Lëvizje në tregun ndërbankar</span>`, `<span class="fx-checker">manager</span>`} {
			if !strings.Contains(first, want) {
				t.Errorf("the newest publication lacks %s", want)
			}
		}
	})
}

// TestCrossRatesAndTheHistoryAreChosenByCurrency: against EUR (the demo's 97.80/99.40, mid 98.60) the lek buys
// at 1 / 99.40 = 0.01006036… → 0.01006 and sells at 1 / 97.80 = 0.01022494… → 0.010225, the dollar (90.20/92.10)
// at 90.20 / 99.40 = 0.9074446… → 0.907445 and 92.10 / 97.80 = 0.9417177… → 0.941718; the history of one currency
// lists its publications alone. A currency the bank does not quote is said beside its list (400), and once the
// rates' validity has passed there is nothing to cross against (422), each with the rest of the page as it is.
func TestCrossRatesAndTheHistoryAreChosenByCurrency(t *testing.T) {
	webtest.EachBank(t, func(t *testing.T, b *webtest.Bank) {
		token := webtest.StaffToken(t, b, "teller")
		page := staffGet(t, b, "/backoffice/fx?cross=eur", token, i18n.SQ)
		if page.Status != http.StatusOK {
			t.Fatalf("cross rates: %d", page.Status)
		}
		cross := section(t, page.Body, "cross-table")
		if !strings.Contains(section(t, page.Body, "cross-form"), `<option value="EUR" selected>`) {
			t.Error("the cross rates' list does not say EUR")
		}
		for id, want := range map[string][]string{
			"cross-ALL": {`<span class="fx-buy">0,01006</span>`, `<span class="fx-sell">0,010225</span>`},
			"cross-USD": {`<span class="fx-buy">0,907445</span>`, `<span class="fx-sell">0,941718</span>`},
		} {
			row := section(t, cross, id)
			row = row[:strings.Index(row, "</tr>")]
			for _, w := range want {
				if !strings.Contains(row, w) {
					t.Errorf("%s lacks %s", id, w)
				}
			}
		}
		if strings.Contains(cross[:strings.Index(cross, "</table>")], `id="cross-EUR"`) {
			t.Error("EUR is crossed against itself")
		}

		usd := staffGet(t, b, "/backoffice/fx?history=USD", token, i18n.EN)
		hist := section(t, usd.Body, "fx-history-table")
		n, m := strings.Count(hist, `class="fx-history-row"`), strings.Count(hist, `data-currency="USD"`)
		if usd.Status != http.StatusOK || n != 1 || m != 1 {
			t.Errorf("USD's history: %d, %d rows, %d of USD", usd.Status, n, m)
		}
		every := staffGet(t, b, "/backoffice/fx", token, i18n.EN)
		if n := strings.Count(every.Body, `class="fx-history-row"`); n != 6 {
			t.Errorf("every currency's history has %d rows, want the demo's 6", n)
		}

		for _, tc := range []struct {
			path, field, code string
			status            int
		}{
			{"/backoffice/fx?cross=XYZ", "cross", "fx_currency_invalid", http.StatusBadRequest},
			{"/backoffice/fx?history=ALL", "history", "fx_currency_invalid", http.StatusBadRequest},
			{"/backoffice/fx?history=%3Cb%3E", "history", "fx_currency_invalid", http.StatusBadRequest},
		} {
			a := staffGet(t, b, tc.path, token, i18n.SQ)
			if a.Status != tc.status || !strings.Contains(a.Body, `id="`+tc.field+`-problem">`+
				htmlText(b.Catalogue.Message(i18n.SQ, tc.code, nil))+`</small>`) || !strings.Contains(a.Body, `id="fx-EUR"`) {
				t.Errorf("%s: %d", tc.path, a.Status)
			}
		}

		b.Clock.Advance(25 * time.Hour)
		token = webtest.StaffToken(t, b, "teller")
		a := staffGet(t, b, "/backoffice/fx?cross=EUR", token, i18n.EN)
		if a.Status != http.StatusUnprocessableEntity || !strings.Contains(a.Body, `id="cross-problem">`+
			htmlText(b.Catalogue.Message(i18n.EN, "fx_rate_missing", nil))+`</small>`) {
			t.Errorf("against EUR with no rate in force: %d", a.Status)
		}
		if n := strings.Count(a.Body, `class="fx-row fx-missing"`); n != 6 {
			t.Errorf("%d currencies say they have no rate in force, want 6", n)
		}
	})
}
