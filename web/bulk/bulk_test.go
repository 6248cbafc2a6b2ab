package bulk_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

// businessToken signs the demo business in through the services and returns its web session's token.
func businessToken(t *testing.T, b *webtest.Bank) string {
	t.Helper()
	ctx := context.Background()
	ch, err := b.Auth.LoginBusiness(ctx, business, demo.BusinessNIPT, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	biz, err := b.Customers.ByClientNumber(ctx, business)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := b.Auth.VerifyOTP(ctx, ch.ID, smsCode(t, b, biz.Mobile))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// upload posts doc as the form's file, as the browser does.
func upload(t *testing.T, b *webtest.Bank, token string, doc []byte) webtest.Answer {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", "paga.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(doc); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", b.URL+"/bulk", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return webtest.Answer{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(raw), Header: resp.Header}
}

// The pages refuse what the bank refuses, with its message and the API's status, and a file is its customer's.
func TestTheBulkPagesRefuseWithTheBanksMessages(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	biz := businessToken(t, b)
	arben, err := b.Customers.ByClientNumber(ctx, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	person := webtest.Token(t, b, "100000001", demo.Password, arben.Mobile)
	bizCustomer, _ := b.Customers.ByClientNumber(ctx, business)
	accounts, err := b.Ledger.ListByCustomer(ctx, bizCustomer.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatal(err)
	}
	good := salaries(t, accounts[0].IBAN, b.Clock.Now())
	message := func(code string) string {
		return strings.ReplaceAll(b.Catalogue.Message(i18n.SQ, code, nil), "'", "&#39;")
	}

	a := upload(t, b, person, good)
	if a.Status != http.StatusForbidden || !strings.Contains(a.Body, message("bulk_business_only")) {
		t.Errorf("an individual's upload: %d %.300s", a.Status, a.Body)
	}
	a = upload(t, b, biz, []byte("<salaries/>"))
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="problem"`) || !strings.Contains(a.Body, `id="bulk-form"`) {
		t.Errorf("a file that is no pain.001: %d %.300s", a.Status, a.Body)
	}
	a = upload(t, b, biz, bytes.Repeat([]byte("x"), 10<<20+1))
	if a.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a file over 10 MiB: %d %.300s", a.Status, a.Body)
	}
	a = upload(t, b, biz, good)
	if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/bulk/") {
		t.Fatalf("upload: %d %q %.300s", a.Status, a.Location, a.Body)
	}
	for _, path := range []string{a.Location, a.Location + "/pain002"} {
		if got := webtest.Do(t, b, "GET", path, person, false, nil); got.Status != http.StatusNotFound {
			t.Errorf("another customer's %s: %d", path, got.Status)
		}
	}
	got := webtest.Do(t, b, "POST", a.Location+"/confirm", biz, false, map[string][]string{"code": {"000000"}})
	if got.Status != http.StatusUnauthorized || !strings.Contains(got.Body, `id="code-form"`) {
		t.Errorf("a wrong code: %d %.300s", got.Status, got.Body)
	}
	if got := webtest.Do(t, b, "GET", a.Location+"/pain002", biz, false, nil); got.Status != http.StatusOK ||
		got.Header.Get("Content-Type") != "application/xml" || !strings.Contains(got.Body, "<GrpSts>PART</GrpSts>") {
		t.Errorf("the report before confirmation: %d %.300s", got.Status, got.Body)
	}
}

// The passkey steps of a file answer bad input with a stable code and never a 500, keep another customer's file
// hidden, send the page back to the file when it no longer waits, and count none of it as a failed factor.
func TestTheBulkPasskeyStepsAnswerWithStableCodes(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	biz := businessToken(t, b)
	bizCustomer, err := b.Customers.ByClientNumber(ctx, business)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, bizCustomer.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatal(err)
	}
	a := upload(t, b, biz, salaries(t, accounts[0].IBAN, b.Clock.Now()))
	if a.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", a.Status, a.Body)
	}
	batch := a.Location
	arben, err := b.Customers.ByClientNumber(ctx, "100000001")
	if err != nil {
		t.Fatal(err)
	}
	person := webtest.Token(t, b, "100000001", demo.Password, arben.Mobile)
	const js = "application/json"
	for _, tc := range []struct {
		name, token, path, contentType, body string
		status                               int
		code                                 string
	}{
		{"a form instead of JSON", biz, batch + "/confirm/passkey/options", "application/x-www-form-urlencoded", "x=1", 400, "unsupported_media_type"},
		{"an unknown field", biz, batch + "/confirm/passkey/options", js, `{"amount":"1"}`, 400, "unknown_field"},
		{"a business without passkeys", biz, batch + "/confirm/passkey/options", js, `{}`, 422, "passkey_none"},
		{"no assertion", biz, batch + "/confirm/passkey", js, `{"ceremony_id":"x"}`, 400, "validation_failed"},
		{"another customer's file", person, batch + "/confirm/passkey/options", js, `{}`, 404, "bulk_not_found"},
		{"another customer's file to confirm", person, batch + "/confirm/passkey", js, `{"ceremony_id":"x","response":{}}`, 404, "bulk_not_found"},
		{"an unknown file", biz, "/bulk/nope/confirm/passkey/options", js, `{}`, 404, "bulk_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := webtest.PostJSON(t, b, tc.path, tc.token, tc.contentType, tc.body)
			if got.Status != tc.status || got.JSON["code"] != tc.code || got.JSON["error"] == "" {
				t.Fatalf("answer %d %v, want %d %s", got.Status, got.JSON, tc.status, tc.code)
			}
		})
	}
	// Confirmed with its code, the file has nothing left for a passkey to sign: the page goes back to it.
	if got := webtest.Do(t, b, "POST", batch+"/confirm", biz, false, map[string][]string{"code": {smsCode(t, b, bizCustomer.Mobile)}}); got.Status != http.StatusSeeOther {
		t.Fatalf("the code: %d %.300s", got.Status, got.Body)
	}
	got := webtest.PostJSON(t, b, batch+"/confirm/passkey/options", biz, js, `{}`)
	if got.Status != http.StatusConflict || got.JSON["code"] != "bulk_not_pending" || got.JSON["redirect"] != batch {
		t.Errorf("a paid file's passkey: %d %v", got.Status, got.JSON)
	}
	if n := b.Failures(t, business); n != 0 {
		t.Errorf("bad input counted %d failures", n)
	}
}
