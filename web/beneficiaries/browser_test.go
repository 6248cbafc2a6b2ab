package beneficiaries_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// fill types values into the form's inputs, each named by its id without "bn-".
func fill(t *testing.T, ctx context.Context, values map[string]string) {
	t.Helper()
	for id, v := range values {
		script := `document.getElementById(` + webtest.Quote("bn-"+id) + `).value = ` + webtest.Quote(v) + `; true`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			t.Fatalf("fill %s: %v", id, err)
		}
	}
}

// shots saves the page at 360 and 1280 px and fails if it scrolls sideways at either.
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
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
}

func rows(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#beneficiaries tbody tr").length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAddSearchEditAndDeleteABeneficiary(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 900))
	b.LogIn(t, ctx, "100000001")

	// From the transfers page, as the manual has it.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.WaitVisible(chromedp.CSS("#choose-beneficiaries")))
	webtest.SubmitAndWait(t, ctx, "#choose-beneficiaries", "#bn-none")
	webtest.SubmitAndWait(t, ctx, "#bn-add", "#bn-form")

	// A bad IBAN is shown beside its field, and what was typed stays.
	fill(t, ctx, map[string]string{"name": "Dritan Çela", "nickname": "Vëllai", "iban": "AL48 2121 1009 0000 0002 3569 8741",
		"street": "Rruga Kavajës 8", "city": "Durrës", "postal_code": "2001", "country": "AL", "phone": "069 123 4567"})
	webtest.SubmitAndWait(t, ctx, "#bn-submit", "#bn-iban-error")
	if got, want := webtest.Text(t, ctx, "#bn-iban-error"), b.Message("iban_invalid"); got != want {
		t.Errorf("IBAN error %q, want %q", got, want)
	}
	if webtest.Attr(t, ctx, "#bn-iban", "aria-invalid") != "true" || webtest.Value(t, ctx, "#bn-name") != "Dritan Çela" {
		t.Error("the form lost what was typed or did not mark the IBAN")
	}
	shots(t, ctx, "form-error")

	fill(t, ctx, map[string]string{"iban": "AL47 2121 1009 0000 0002 3569 8741"})
	webtest.SubmitAndWait(t, ctx, "#bn-submit", "#beneficiaries")
	if n := rows(t, ctx); n != 1 {
		t.Fatalf("%d rows after adding", n)
	}
	if got := webtest.Text(t, ctx, "#beneficiaries .bn-account"); got != "AL47 2121 1009 0000 0002 3569 8741" {
		t.Errorf("account %q", got)
	}

	// A second one, so the search has something to leave out.
	webtest.SubmitAndWait(t, ctx, "#bn-add", "#bn-form")
	fill(t, ctx, map[string]string{"name": "John Smith", "account_number": "1234 5678", "bic": "CHASUS33",
		"bank_name": "JPMorgan Chase", "bank_address": "383 Madison Avenue, New York", "city": "New York", "country": "us"})
	webtest.SubmitAndWait(t, ctx, "#bn-submit", "#beneficiaries")
	if n := rows(t, ctx); n != 2 {
		t.Fatalf("%d rows after adding a second", n)
	}
	shots(t, ctx, "list")

	// The search ignores accents.
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#bn-q"), "cela"))
	webtest.SubmitAndWait(t, ctx, "#bn-search-submit", "#beneficiaries")
	if n := rows(t, ctx); n != 1 || !strings.Contains(webtest.Text(t, ctx, "#beneficiaries .bn-name"), "Dritan Çela") {
		t.Fatalf("search found %d: %q", n, webtest.Text(t, ctx, "#beneficiaries"))
	}

	webtest.SubmitAndWait(t, ctx, "#beneficiaries .bn-edit", "#bn-form")
	if got := webtest.Value(t, ctx, "#bn-iban"); got != "AL47 2121 1009 0000 0002 3569 8741" {
		t.Errorf("edit form IBAN %q", got)
	}
	fill(t, ctx, map[string]string{"city": "Tiranë", "nickname": ""})
	webtest.SubmitAndWait(t, ctx, "#bn-submit", "#beneficiaries")
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#bn-q"), "Dritan"))
	webtest.SubmitAndWait(t, ctx, "#bn-search-submit", "#beneficiaries")
	if got := webtest.Text(t, ctx, "#beneficiaries .bn-place"); got != "Tiranë, AL" {
		t.Errorf("after edit: %q", got)
	}

	webtest.SubmitAndWait(t, ctx, "#beneficiaries .bn-delete", "#bn-delete-confirm")
	shots(t, ctx, "delete")
	if got := webtest.Text(t, ctx, "#bn-delete-question"); !strings.Contains(got, "Dritan Çela") {
		t.Errorf("question %q", got)
	}
	webtest.SubmitAndWait(t, ctx, "#bn-delete-confirm", "#beneficiaries")
	if n := rows(t, ctx); n != 1 || strings.Contains(webtest.Text(t, ctx, "#beneficiaries"), "Dritan") {
		t.Errorf("after delete: %d rows", n)
	}
}

func TestAnotherCustomersBeneficiaryIsNotFound(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/beneficiaries/new"), chromedp.WaitVisible(chromedp.CSS("#bn-form")))
	fill(t, ctx, map[string]string{"name": "Dritan Çela", "iban": "AL47212110090000000235698741", "city": "Durrës",
		"country": "AL"})
	webtest.SubmitAndWait(t, ctx, "#bn-submit", "#beneficiaries")
	href := webtest.Attr(t, ctx, "#beneficiaries .bn-edit", "href")
	webtest.LogOut(t, ctx, b)
	b.LogIn(t, ctx, "100000002")
	for _, path := range []string{href, strings.Replace(href, "/edit", "/delete", 1)} {
		got := webtest.Fetch(t, ctx, path)
		if got.Status != 404 {
			t.Errorf("%s: %d", path, got.Status)
		}
	}
}
