package api_test

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// withBulk serves the API with the bulk payment files; maxFile, when not 0, is the file's limit.
func (b *bank) withBulk(t *testing.T, maxFile int) *bank {
	t.Helper()
	svc := *b.services.Bulk
	if maxFile > 0 {
		svc.Config.MaxFile = maxFile
	}
	srv := b.newServer(t, true)
	srv.Bulk = &svc
	b.server, b.url = srv, b.serve(t, srv)
	return b
}

// painFile is a pain.001 paying lines of 1,000.00 ALL from debtor to the IBANs given, today.
func painFile(t *testing.T, msgID, debtor string, ibans ...string) []byte {
	t.Helper()
	var lines []iso20022.InitiationTx
	for i, ib := range ibans {
		e2e := msgID + "-" + string(rune('A'+i))
		lines = append(lines, iso20022.InitiationTx{Line: i + 1, EndToEndID: e2e, Amount: money.New(1_000_00, money.ALL),
			Creditor:        iso20022.Party{Name: "Blerina Çeliku", Address: iso20022.Address{City: "Tiranë", Country: "AL"}},
			CreditorAccount: iso20022.Account{IBAN: ib}, Remittance: "Paga e marsit"})
	}
	m := iso20022.Initiation{MessageID: msgID, CreatedAt: epoch, InitiatingParty: iso20022.Party{Name: "Ëmbëlsira"},
		Batches: []iso20022.PaymentInfo{{ID: msgID + "-1", Method: "TRF", RequestedDate: calendar.DateOf(epoch),
			DebtorAccount: iso20022.Account{IBAN: debtor}, Transactions: lines}}}
	doc, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const (
	credinsIBAN    = "AL47212110090000000235698741"
	raiffeisenIBAN = "AL35202111090000000001234567"
)

// TestABulkFileThroughTheAPI: a business uploads a file of three lines, one with a wrong IBAN; the answer lists the
// lines with their problems and the one challenge; the code confirms the two payments, held at once; the pain.002
// says what became of each line.
func TestABulkFileThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t).withBulk(t, 0)
		tok := b.login(t, business)
		acc := b.account(t, business, money.ALL, ledger.TypeCurrent)
		before := b.fresh(t, acc.ID)
		doc := painFile(t, "PAGA-03", acc.IBAN, credinsIBAN, raiffeisenIBAN, raiffeisenIBAN)
		doc = bytes.Replace(doc, []byte(raiffeisenIBAN), []byte("AL35202111090000000001234568"), 1)
		r := b.do(t, "POST", "/api/v1/bulk-payments", tok, doc, "Content-Type", "application/xml",
			"Accept-Language", "en")
		wantStatus(t, r, http.StatusAccepted)
		id := r.str("id")
		if r.str("status") != "pending_confirmation" || r.json["count"] != 2.0 || r.json["line_count"] != 3.0 ||
			r.header.Get("Location") != "/api/v1/bulk-payments/"+id || r.json["confirmation"] == nil {
			t.Fatalf("upload %s", r.body)
		}
		lines := r.json["lines"].([]any)
		bad := lines[1].(map[string]any)
		problems := bad["problems"].([]any)
		p := problems[0].(map[string]any)
		if bad["status"] != "invalid" || p["code"] != "iban_invalid" || p["reason"] != "AC03" ||
			p["field"] != "CdtrAcct/Id/IBAN" || !strings.Contains(p["message"].(string), "IBAN") {
			t.Fatalf("line 2 %v", bad)
		}
		debited := r.json["debited"].(map[string]any)
		if r.json["total"].(map[string]any)["amount"] != "2000.00" || debited["currency"] != "ALL" {
			t.Fatalf("totals %s", r.body)
		}
		if b.fresh(t, acc.ID).Held != before.Held {
			t.Fatalf("money held before the confirmation")
		}
		report := b.do(t, "GET", "/api/v1/bulk-payments/"+id+"/status-report", tok, nil)
		wantStatus(t, report, http.StatusOK)
		isotest.Validate(t, "pain.002.001.10.xsd", report.body)
		if !strings.Contains(report.header.Get("Content-Disposition"), "pain002-"+id+".xml") {
			t.Errorf("Content-Disposition %q", report.header.Get("Content-Disposition"))
		}
		code := b.otp(t, business)
		other := b.login(t, elira)
		b.expectProblem(t, "GET", "/api/v1/bulk-payments/"+id, other, nil, http.StatusNotFound, "bulk_not_found")
		b.expectProblem(t, "POST", "/api/v1/bulk-payments/"+id+"/confirm", other,
			map[string]string{"method": "sms", "code": code}, http.StatusNotFound, "bulk_not_found")

		r = b.do(t, "POST", "/api/v1/bulk-payments/"+id+"/confirm", tok, map[string]string{"method": "sms", "code": code})
		wantStatus(t, r, http.StatusOK)
		if r.str("status") != "completed" || r.json["accepted"] != 2.0 || r.json["rejected"] != 1.0 {
			t.Fatalf("confirmed %s", r.body)
		}
		first := r.json["lines"].([]any)[0].(map[string]any)
		if first["status"] != "accepted" || first["payment_id"] == "" {
			t.Fatalf("line 1 %v", first)
		}
		pay := b.do(t, "GET", "/api/v1/transfers/"+first["payment_id"].(string), tok, nil)
		wantStatus(t, pay, http.StatusOK)
		if pay.str("status") != "waiting" {
			t.Errorf("the line's payment %s", pay.body)
		}
		if got := b.fresh(t, acc.ID).Held - before.Held; dec(got) != debited["amount"] {
			t.Errorf("held %s, want %s", dec(got), debited["amount"])
		}
		report = b.do(t, "GET", "/api/v1/bulk-payments/"+id+"/status-report", tok, nil)
		wantStatus(t, report, http.StatusOK)
		isotest.Validate(t, "pain.002.001.10.xsd", report.body)
		st, err := iso20022.ParseCustomerStatusReport(report.body)
		if err != nil || st.GroupStatus != "PART" || st.Batches[0].Transactions[1].Reason != "AC03" ||
			st.Batches[0].Transactions[0].Status != "ACCP" {
			t.Fatalf("pain.002 %+v %v", st, err)
		}
		list := b.do(t, "GET", "/api/v1/bulk-payments", tok, nil)
		wantStatus(t, list, http.StatusOK)
		if got := list.json["bulk_payments"].([]any); len(got) != 1 || got[0].(map[string]any)["lines"] != nil {
			t.Errorf("list %s", list.body)
		}
	})
}

// Each refusal of a file is a 4xx with its code, and nothing is kept or held.
func TestBulkFilesRefusedThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t).withBulk(t, 8<<10)
		tok := b.login(t, business)
		acc := b.account(t, business, money.ALL, ledger.TypeCurrent)
		elira := b.login(t, elira)
		eliras := b.account(t, "100000002", money.ALL, ledger.TypeCurrent)
		good := painFile(t, "GOOD", acc.IBAN, credinsIBAN, credinsIBAN)
		before := b.money(t)
		xxe := `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>&x;</CstmrCdtTrfInitn></Document>`
		var many []string
		for range 40 {
			many = append(many, credinsIBAN)
		}
		for name, tc := range map[string]struct {
			token  string
			body   []byte
			ctype  string
			status int
			code   string
			wrong  string // why the request breaks the document on purpose
		}{
			"not XML":                    {tok, []byte(`{"lines":[]}`), "application/json", 415, "unsupported_media_type", "a JSON body"},
			"an external entity":         {tok, []byte(xxe), "application/xml", 400, "iso_unsafe", ""},
			"not well-formed":            {tok, good[:len(good)-20], "text/xml", 400, "iso_malformed", ""},
			"NbOfTxs wrong":              {tok, bytes.Replace(good, []byte("<NbOfTxs>2</NbOfTxs>"), []byte("<NbOfTxs>3</NbOfTxs>"), 1), "application/xml", 400, "iso_count_mismatch", ""},
			"another customer's account": {tok, bytes.ReplaceAll(good, []byte(acc.IBAN), []byte(eliras.IBAN)), "application/xml", 404, "account_not_found", ""},
			"an individual":              {elira, bytes.ReplaceAll(good, []byte(acc.IBAN), []byte(eliras.IBAN)), "application/xml", 403, "bulk_business_only", ""},
			"too large":                  {tok, painFile(t, "BIG", acc.IBAN, many...), "application/xml", 413, "body_too_large", ""},
		} {
			t.Run(name, func(t *testing.T) {
				headers := []string{"Content-Type", tc.ctype}
				if tc.wrong != "" {
					headers = append(headers, invalidOnPurpose, tc.wrong)
				}
				b.expectProblem(t, "POST", "/api/v1/bulk-payments", tc.token, tc.body, tc.status, tc.code, headers...)
			})
		}
		b.expectNothingMoved(t, before)
		var n int
		if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM bulk_batches").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d batches kept, %v", n, err)
		}
		b.expectProblem(t, "GET", "/api/v1/bulk-payments/nope/status-report", tok, nil, http.StatusNotFound, "bulk_not_found")
	})
}

// TestCAMT053ThroughTheAPI: an account's month as camt.053, schema-valid, named as a file; another customer's
// account is not found and a wrong period is refused.
func TestCAMT053ThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		r := b.do(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt053?from=2026-03-01&to=2026-03-02&lang=en", tok, nil)
		wantStatus(t, r, http.StatusOK)
		isotest.Validate(t, "camt.053.001.08.xsd", r.body)
		if ct := r.header.Get("Content-Type"); ct != "application/xml" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="camt053-`+acc.Number+`-2026-03-01-2026-03-02.xml"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		st, err := iso20022.ParseStatement(r.body)
		if err != nil || st.Account.IBAN != acc.IBAN || st.Closing.Minor != b.fresh(t, acc.ID).Balance {
			t.Fatalf("statement %+v, %v", st, err)
		}
		other := b.login(t, elira)
		b.expectProblem(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt053?from=2026-03-01&to=2026-03-02", other, nil,
			http.StatusNotFound, "account_not_found")
		b.expectProblem(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt053?from=2026-03-02&to=2026-03-01", tok, nil,
			http.StatusBadRequest, "invalid_date_range")
	})
}

// TestCAMT054ThroughTheAPI: an account's period as camt.054, schema-valid, named as a file, with the same entries
// as the camt.053 of the period and no balance; another customer's account is not found and a wrong period is
// refused, as for the camt.053.
func TestCAMT054ThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		const period = "?from=2026-03-01&to=2026-03-02&lang=en"
		r := b.do(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt054"+period, tok, nil)
		wantStatus(t, r, http.StatusOK)
		isotest.Validate(t, "camt.054.001.08.xsd", r.body)
		if ct := r.header.Get("Content-Type"); ct != "application/xml" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="camt054-`+acc.Number+`-2026-03-01-2026-03-02.xml"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		n, err := iso20022.ParseNotification(r.body)
		if err != nil || n.Account.IBAN != acc.IBAN || bytes.Contains(r.body, []byte("<Bal>")) {
			t.Fatalf("notification %+v, %v", n, err)
		}
		st, err := iso20022.ParseStatement(b.do(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt053"+period, tok, nil).body)
		if err != nil || len(n.Entries) == 0 || !reflect.DeepEqual(n.Entries, st.Entries) || n.NotificationID != st.StatementID {
			t.Errorf("the notification's entries differ from the statement's (%v):\n%+v\n%+v", err, n.Entries, st.Entries)
		}
		other := b.login(t, elira)
		b.expectProblem(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt054?from=2026-03-01&to=2026-03-02", other, nil,
			http.StatusNotFound, "account_not_found")
		b.expectProblem(t, "GET", "/api/v1/accounts/"+acc.ID+"/camt054?from=2026-03-02&to=2026-03-01", tok, nil,
			http.StatusBadRequest, "invalid_date_range")
	})
}
