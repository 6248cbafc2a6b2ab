package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

// demoFXRequest is the demo's request for a preferential rate (Dritan Çela buying 12,000 EUR), waiting for staff.
func demoFXRequest(t *testing.T, b *webtest.Bank) fx.Request {
	t.Helper()
	list, err := b.Operations.FX.AllRequests(context.Background(), 0)
	if err != nil || len(list) != 1 || list[0].Status != fx.Requested || list[0].Amount.String() != "12000.00 EUR" {
		t.Fatalf("the demo's request: %+v, %v", list, err)
	}
	return list[0]
}

// validUntil is now plus d as the form's datetime-local writes it, in Tirana's time.
func validUntil(b *webtest.Bank, d time.Duration) string {
	return b.Clock.Now().Add(d).In(clock.Tirane).Format("2006-01-02T15:04")
}

// TestTheDeskProposesAPreferentialRateAndABigOneWaitsForASecondMember: the desk lists the requests, the one
// waiting for the bank first, and opens the demo's; a rate that is not one, or one far from the mid, is refused
// beside its field with what was typed kept; a good one typed with the decimal comma confirms the request at once.
// A request above 100,000 EUR says it needs a second member: the proposal waits — the page says so, naming the
// request, and offers no second form —, the approvals inbox describes it, and once a manager approves it the
// request is confirmed naming both. A teller reads the requests but proposes nothing; an unknown one is not found.
func TestTheDeskProposesAPreferentialRateAndABigOneWaitsForASecondMember(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	q := demoFXRequest(t, b)
	desk := webtest.StaffToken(t, b, "backoffice")
	list := staffGet(t, b, "/backoffice/fx/requests", desk, i18n.SQ)
	if list.Status != http.StatusOK || !strings.Contains(list.Body, `id="fxr-`+q.ID+`"`) ||
		!strings.Contains(list.Body, "12.000,00 EUR") || !strings.Contains(list.Body, `id="menu-fxrequests-desk"`) ||
		!strings.Contains(list.Body, `id="fxr-waiting"`) {
		t.Fatalf("the list: %d\n%s", list.Status, list.Body)
	}
	path := "/backoffice/fx/requests/" + q.ID
	page := staffGet(t, b, path, desk, i18n.SQ)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="fxr-propose-form"`) ||
		strings.Contains(page.Body, `id="fxr-four-eyes"`) || !strings.Contains(page.Body, `id="fxr-board"`) ||
		!strings.Contains(page.Body, "1 EUR = 97.80 / 99.40 ALL") {
		t.Fatalf("the request's page: %d\n%s", page.Status, page.Body)
	}
	for _, tc := range []struct {
		name, rate, field, code string
	}{
		{"not a rate", "nëntëdhjetë", "rate", "fx_rate_invalid"},
		{"far from the mid", "90", "", "fx_offer_rate_out_of_band"},
	} {
		a := staffPost(t, b, path, desk, url.Values{"rate": {tc.rate}, "valid_until": {validUntil(b, time.Hour)}})
		if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `value="`+tc.rate+`"`) {
			t.Fatalf("%s: %d\n%s", tc.name, a.Status, a.Body)
		}
		if tc.field != "" && !strings.Contains(a.Body, `id="rate-problem">`+htmlText(b.Message(tc.code))) {
			t.Errorf("%s: the rate's problem is not beside it", tc.name)
		}
		if tc.field == "" && !strings.Contains(a.Body, "nga kursi mesatar i çiftit") {
			t.Errorf("%s: the problem is not said", tc.name)
		}
	}
	a := staffPost(t, b, path, desk, url.Values{"rate": {"98,90"}, "valid_until": {validUntil(b, 3*time.Hour)}})
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != path+"?m=proposed" {
		t.Fatalf("proposing: %d %s", a.Status, a.Header.Get("Location"))
	}
	page = staffGet(t, b, path+"?m=proposed", desk, i18n.EN)
	if !strings.Contains(page.Body, `id="fxr-rate">1 EUR = 98.90 ALL`) || strings.Contains(page.Body, `id="fxr-propose-form"`) ||
		!strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_fxr_proposed", nil))) {
		t.Fatalf("after proposing:\n%s", page.Body)
	}

	// Arben Hoxha asks to sell 150,000 EUR: above the four-eyes amount.
	arben, err := b.Customers.ByClientNumber(ctx, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, arben.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := fx.RequestInput{SellAmount: "150000"}
	for _, acc := range accounts {
		switch {
		case acc.Currency == money.EUR:
			in.FromAccountID = acc.ID
		case acc.Type == ledger.TypeCurrent:
			in.ToAccountID = acc.ID
		}
	}
	big, err := b.Operations.FX.Ask(ctx, arben.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	path = "/backoffice/fx/requests/" + big.ID
	if page := staffGet(t, b, path, desk, i18n.SQ); !strings.Contains(page.Body, `id="fxr-four-eyes"`) {
		t.Fatalf("the big request's page does not say it needs a second member:\n%s", page.Body)
	}
	a = staffPost(t, b, path, desk, url.Values{"rate": {"98.45"}, "valid_until": {validUntil(b, 2*time.Hour)}})
	m := regexp.MustCompile(`\?request=([0-9a-f-]+)$`).FindStringSubmatch(a.Header.Get("Location"))
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("proposing the big one: %d %s", a.Status, a.Header.Get("Location"))
	}
	page = staffGet(t, b, path+"?request="+m[1], desk, i18n.SQ)
	if !strings.Contains(page.Body, `id="fxr-pending"`) || !strings.Contains(page.Body, `id="fxr-pending-link">`+m[1]) ||
		strings.Contains(page.Body, `id="fxr-propose-form"`) || !strings.Contains(page.Body, `id="fxr-status">Në pritje të bankës`) ||
		!strings.Contains(page.Body, `id="sent"`) {
		t.Fatalf("while the rate waits:\n%s", page.Body)
	}
	if got, _ := b.Operations.FX.RequestByID(ctx, big.ID); got.Status != fx.Requested {
		t.Fatalf("status while the rate waits: %s", got.Status)
	}
	manager := webtest.StaffToken(t, b, "manager")
	inbox := staffGet(t, b, "/backoffice/approvals", manager, i18n.SQ)
	if !strings.Contains(inbox.Body, "Kurs preferencial") || !strings.Contains(inbox.Body, "EUR → ALL · 150.000,00 EUR · 98.45") {
		t.Fatalf("the inbox does not describe the rate:\n%s", inbox.Body)
	}
	mgr, err := b.Staff.ByUsername(ctx, "manager")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Operations.Approve(ctx, mgr, m[1], ""); err != nil {
		t.Fatal(err)
	}
	page = staffGet(t, b, path, desk, i18n.EN)
	if !strings.Contains(page.Body, `id="fxr-status">Confirmed`) || !strings.Contains(page.Body, "backoffice · approved by manager") ||
		strings.Contains(page.Body, `id="fxr-pending"`) {
		t.Fatalf("after the approval:\n%s", page.Body)
	}

	teller := webtest.StaffToken(t, b, "teller")
	if page := staffGet(t, b, "/backoffice/fx/requests/"+q.ID, teller, i18n.SQ); page.Status != http.StatusOK ||
		strings.Contains(page.Body, `id="fxr-propose-form"`) {
		t.Fatalf("a teller's view: %d", page.Status)
	}
	if a := staffPost(t, b, path, teller, url.Values{"rate": {"98.4"}, "valid_until": {validUntil(b, time.Hour)}}); a.Status != http.StatusForbidden {
		t.Fatalf("a teller proposing: %d", a.Status)
	}
	if page := staffGet(t, b, "/backoffice/fx/requests/nope", desk, i18n.SQ); page.Status != http.StatusNotFound {
		t.Fatalf("an unknown request: %d", page.Status)
	}
}

// TestTheDeskAnswersAPreferentialRequestInTheBrowser: the back-office member opens the preferential rates from the
// menu, the demo's request from the list, and proposes a rate; the list and the page look right on a phone and a
// laptop.
func TestTheDeskAnswersAPreferentialRequestInTheBrowser(t *testing.T) {
	b := webtest.NewBank(t)
	q := demoFXRequest(t, b)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(1280, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	webtest.SubmitAndWait(t, ctx, "#menu-fxrequests-desk", "#fxr-table")
	shoot(t, ctx, "fx-requests")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#fxr-"+q.ID+" .fxr-link", "#fxr-propose-form")
	if got := webtest.Value(t, ctx, "#rate"); got != "98.60" {
		t.Errorf("the rate starts at %q, want the mid", got)
	}
	shoot(t, ctx, "fx-request")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800), chromedp.SetValue(chromedp.CSS("#rate"), "98,95"))
	webtest.SubmitAndWait(t, ctx, "#fxr-propose-submit", "#fxr-rate")
	if got := webtest.Text(t, ctx, "#fxr-status"); got != "Konfirmuar" {
		t.Errorf("status %q", got)
	}
	if got := webtest.Text(t, ctx, "#fxr-rate"); got != "1 EUR = 98.95 ALL" {
		t.Errorf("rate %q", got)
	}
	shoot(t, ctx, "fx-request-confirmed")
}
