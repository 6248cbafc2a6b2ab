package bulk_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// report reads the batch's pain.002, valid against its schema.
func (f *fixture) report(t *testing.T, customerID, batchID string) iso20022.CustomerStatusReport {
	t.Helper()
	doc, err := f.svc.StatusReport(f.ctx, customerID, batchID)
	if err != nil {
		t.Fatalf("StatusReport: %v", err)
	}
	isotest.Validate(t, "pain.002.001.10.xsd", doc)
	r, err := iso20022.ParseCustomerStatusReport(doc)
	if err != nil {
		t.Fatalf("the bank's reader refuses its pain.002: %v", err)
	}
	return r
}

func txStatuses(r iso20022.CustomerStatusReport) string {
	var out []string
	for _, b := range r.Batches {
		for _, t := range b.Transactions {
			out = append(out, t.OriginalEndToEndID+":"+t.Status+":"+t.Reason)
		}
	}
	return strings.Join(out, " ")
}

// TestABulkFileIsConfirmedOnceAndItsValidLinesBecomePayments follows a salary file of four lines, one with an IBAN
// whose check digits fail: read, one SMS naming the three payments and what they take, nothing held before the
// confirmation; one code confirms them all, each held at once as a payment; the pain.002 says which line was
// rejected and why.
func TestABulkFileIsConfirmedOnceAndItsValidLinesBecomePayments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Ëmbëlsira Tirana Shpk")
		a := f.account(t, c.ID, money.ALL, 1_000_000_00)
		doc := file(t, "PAGA-2026-03", a.IBAN,
			tx("E1", "Blerina Çeliku", credins, "85000", money.ALL),
			tx("E2", "Ëndrit Lleshi", raiffeisen, "92500.50", money.ALL),
			tx("E3", "Dritë Shehu", credins, "60000", money.ALL),
			tx("E4", "Arta Gjoni", raiffeisen, "1500", money.ALL))
		// Line 2's IBAN with check digits that fail (the file's control sum still holds).
		doc = bytes.Replace(doc, []byte(raiffeisen), []byte(broken(raiffeisen)), 1)
		b, err := f.svc.Upload(f.ctx, c.ID, doc)
		if err != nil {
			t.Fatalf("Upload: %v", err)
		}
		if b.Status != bulk.PendingConfirmation || b.Lines != 4 || b.Count != 3 || b.Challenge == nil {
			t.Fatalf("batch %s, %d lines, %d valid, challenge %v", b.Status, b.Lines, b.Count, b.Challenge)
		}
		if statuses(b) != "valid invalid valid valid" {
			t.Fatalf("lines %s", statuses(b))
		}
		bad := b.Items[1]
		if len(bad.Problems) != 1 || bad.Problems[0].Code != "iban_invalid" || bad.Problems[0].Field != "CdtrAcct/Id/IBAN" ||
			bad.Problems[0].Reason != "AC03" {
			t.Fatalf("line 2 problems %+v", bad.Problems)
		}
		if b.Total != money.New(146_500_00, money.ALL) || b.Debited.Minor != b.Total.Minor+b.Fees.Minor || b.Fees.Minor <= 0 {
			t.Fatalf("total %v fees %v debited %v", b.Total, b.Fees, b.Debited)
		}
		body, code := f.sms(t, c.ID)
		if !strings.Contains(body, "BULK:3") || !strings.Contains(body, "PAGA-2026-03") ||
			!strings.Contains(body, formatALL(b.Debited.Minor)) {
			t.Errorf("the SMS %q does not name the count, the file and the total %s", body, formatALL(b.Debited.Minor))
		}
		if got := f.get(t, a.ID); got.Held != 0 || f.count(t, "SELECT COUNT(*) FROM payments") != 0 {
			t.Fatalf("held %d before the confirmation", got.Held)
		}
		if f.names.n.Load() != 0 {
			t.Errorf("%d name checks for a bulk file", f.names.n.Load())
		}
		r := f.report(t, c.ID, b.ID)
		if r.GroupStatus != "PART" || r.OriginalMessageID != "PAGA-2026-03" ||
			txStatuses(r) != "E1:ACTC: E2:RJCT:AC03 E3:ACTC: E4:ACTC:" {
			t.Fatalf("pain.002 before the confirmation: %s %s", r.GroupStatus, txStatuses(r))
		}

		done, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil {
			t.Fatalf("Confirm: %v", err)
		}
		if done.Status != bulk.Completed || statuses(done) != "accepted invalid accepted accepted" || done.Accepted != 3 {
			t.Fatalf("after the confirmation: %s, lines %s", done.Status, statuses(done))
		}
		if got := f.get(t, a.ID); got.Held != b.Debited.Minor {
			t.Errorf("held %d, want the batch's %d", got.Held, b.Debited.Minor)
		}
		for _, l := range done.Items {
			if l.Status != bulk.LineAccepted {
				continue
			}
			p, err := f.pay.Get(f.ctx, c.ID, l.PaymentID)
			if err != nil || p.Status != payment.Waiting || p.Amount != l.Amount || p.Beneficiary.Name != l.CreditorName {
				t.Errorf("line %d's payment %+v, %v", l.Number, p, err)
			}
		}
		if len(f.jobs.args) != 1 || f.jobs.args[0].(bulk.ProcessArgs).BatchID != b.ID {
			t.Errorf("jobs enqueued: %+v", f.jobs.args)
		}
		r = f.report(t, c.ID, b.ID)
		if r.GroupStatus != "PART" || txStatuses(r) != "E1:ACCP: E2:RJCT:AC03 E3:ACCP: E4:ACCP:" {
			t.Fatalf("pain.002: %s %s", r.GroupStatus, txStatuses(r))
		}
		if info := r.Batches[0].Transactions[1].AdditionalInfo; info != "iban_invalid CdtrAcct/Id/IBAN" {
			t.Errorf("additional information %q", info)
		}
		// A repeat of the confirmation changes nothing; the job finds nothing left.
		again, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || again.Status != bulk.Completed {
			t.Fatalf("repeat: %v %s", err, again.Status)
		}
		if err := f.svc.Process(f.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 3 {
			t.Errorf("%d payments, want 3", n)
		}
		// The clearing session sends them like any other.
		if n, err := f.pay.RunSession(f.ctx); err != nil || n != 3 {
			t.Fatalf("RunSession = %d, %v", n, err)
		}
		f.sound(t)
	})
}

func formatALL(minor int64) string {
	// As the SMS writes an amount in Albanian: 146.600,00 ALL.
	s := money.FormatMinor(minor, 2)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + "," + frac
}

// When the funds cover the lines one by one but not all together, the confirmation pays them in the file's order:
// the last is rejected for its funds (AM04) and the others go on.
func TestLinesBeyondTheFundsAreRejectedInTheFilesOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Furra Lushnja")
		a := f.account(t, c.ID, money.ALL, 1_000_000_00)
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "F-1", a.IBAN,
			tx("A", "Ana Kola", credins, "400000", money.ALL),
			tx("B", "Ben Kola", credins, "400000", money.ALL),
			tx("C", "Cen Kola", credins, "400000", money.ALL)))
		if err != nil || b.Count != 3 {
			t.Fatalf("Upload: %v, %d valid", err, b.Count)
		}
		_, code := f.sms(t, c.ID)
		done, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if statuses(done) != "accepted accepted rejected" || done.Items[2].Problems[0].Code != "insufficient_funds" {
			t.Fatalf("lines %s, %+v", statuses(done), done.Items[2].Problems)
		}
		if r := f.report(t, c.ID, b.ID); r.GroupStatus != "PART" || txStatuses(r) != "A:ACCP: B:ACCP: C:RJCT:AM04" {
			t.Fatalf("pain.002 %s %s", r.GroupStatus, txStatuses(r))
		}
		if got := f.get(t, a.ID); got.Held != done.Items[0].Debited.Minor+done.Items[1].Debited.Minor {
			t.Errorf("held %d", got.Held)
		}
		f.sound(t)
	})
}

// Each line's own problem rejects that line with its code and ISO reason, and the others stand.
func TestEachLinesProblemRejectsThatLineOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Tregtia Vlorë")
		a := f.account(t, c.ID, money.ALL, 500_000_00)
		own := f.account(t, c.ID, money.ALL, 0)
		noTown := tx("TOWN", "Ema Dema", credins, "100", money.ALL)
		noTown.Creditor.Address = iso20022.Address{Country: "AL", Lines: []string{"Rruga 1, Tiranë"}}
		lines := []iso20022.InitiationTx{
			tx("OK", "Ana Kola", credins, "100", money.ALL),
			tx("OWN", "Vetë", own.IBAN, "100", money.ALL),
			noTown,
			tx("BANK", "Bledi Hoxha", "AL09205111000000000001234567", "100", money.ALL),
			tx("FUNDS", "Ana Kola", credins, "600000", money.ALL),
			tx("DE", "Müller GmbH", german, "100", money.ALL),
		}
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "MIX-1", a.IBAN, lines...))
		if err != nil {
			t.Fatalf("Upload: %v", err)
		}
		want := []struct{ code, field, reason string }{
			{},
			{"payment_own_bank", "CdtrAcct/Id/IBAN", "AG03"},
			{"field_required", "Cdtr/PstlAdr/TwnNm", "BE04"},
			{"bank_unknown", "CdtrAcct/Id/IBAN", "CNOR"},
			{"insufficient_funds", "", "AM04"},
			{"payment_not_domestic", "CdtrAcct/Id/IBAN", "AC03"},
		}
		if b.Count != 1 || len(b.Items) != len(want) {
			t.Fatalf("%d valid of %d: %s", b.Count, len(b.Items), statuses(b))
		}
		for i, w := range want {
			l := b.Items[i]
			if w.code == "" {
				if l.Status != bulk.LineValid {
					t.Errorf("line %d %s %+v", i+1, l.Status, l.Problems)
				}
				continue
			}
			if l.Status != bulk.LineInvalid || len(l.Problems) == 0 || l.Problems[0].Code != w.code ||
				l.Problems[0].Field != w.field || l.Problems[0].Reason != w.reason {
				t.Errorf("line %d: %s %+v, want %+v", i+1, l.Status, l.Problems, w)
			}
		}
		f.sound(t)
	})
}

// A file in EUR pays SEPA; a line outside SEPA is refused; a line dated after the day it could be paid is refused;
// a file in a currency the channel does not pay has nothing to confirm and is kept as rejected, with its report.
func TestTheCurrencyChoosesTheSchemeAndWhatCannotBePaidIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Eksport Durrës")
		eur := f.account(t, c.ID, money.EUR, 10_000_00)
		usd := f.account(t, c.ID, money.USD, 10_000_00)
		de := tx("DE", "Müller GmbH", german, "120.50", money.EUR)
		de.Creditor.Address = iso20022.Address{Street: "Hauptstraße", BuildingNumber: "1", PostalCode: "10115",
			City: "Berlin", Country: "DE"}
		tr := tx("TR", "Yılmaz Ltd", turkish, "80", money.EUR)
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "EUR-1", eur.IBAN, de, tr))
		if err != nil {
			t.Fatal(err)
		}
		if statuses(b) != "valid invalid" || b.Items[0].Type != payment.SEPA || b.Items[0].Scheme != payment.SCT ||
			b.Items[1].Problems[0].Code != "payment_not_sepa" || b.Items[1].Problems[0].Reason != "AC03" {
			t.Fatalf("EUR file: %s %+v %+v", statuses(b), b.Items[0], b.Items[1].Problems)
		}
		// A requested date a week ahead: not scheduled.
		later := file(t, "EUR-2", eur.IBAN, tx("D2", "Müller GmbH", german, "10", money.EUR))
		later = bytes.Replace(later, []byte("<ReqdExctnDt><Dt>2026-03-02</Dt>"), []byte("<ReqdExctnDt><Dt>2026-03-09</Dt>"), 1)
		b, err = f.svc.Upload(f.ctx, c.ID, later)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != bulk.Rejected || b.Challenge != nil || b.Items[0].Problems[0].Code != "bulk_future_date" ||
			b.Items[0].Problems[0].Reason != "DT04" || b.Items[0].Problems[0].Params["value_date"] != "2026-03-02" {
			t.Fatalf("a later date: %s %+v", b.Status, b.Items[0].Problems)
		}
		b, err = f.svc.Upload(f.ctx, c.ID, file(t, "USD-1", usd.IBAN, tx("U", "Smith LLC", german, "10", money.USD)))
		if err != nil {
			t.Fatal(err)
		}
		if p := b.Items[0].Problems; b.Status != bulk.Rejected || len(p) != 1 || p[0].Code != "bulk_line_international" ||
			p[0].Field != "Amt/InstdAmt" || p[0].Params["currency"] != "USD" {
			t.Fatalf("USD: %s %+v", b.Status, b.Items[0].Problems)
		}
		// The line says, in both languages, that it is an international payment and why a file does not make it.
		texts, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		for lang, words := range map[i18n.Lang][]string{
			i18n.SQ: {"USD", "pagesë ndërkombëtare", "passkey", "qëllimin"},
			i18n.EN: {"USD", "international payment", "passkey", "purpose"},
		} {
			msg := texts.Message(lang, "bulk_line_international", b.Items[0].Problems[0].Params)
			for _, w := range words {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: %q does not say %q", lang, msg, w)
				}
			}
		}
		if r := f.report(t, c.ID, b.ID); r.GroupStatus != "RJCT" || txStatuses(r) != "U:RJCT:AG03" {
			t.Fatalf("pain.002 %s %s", r.GroupStatus, txStatuses(r))
		}
		if _, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: "000000"}); !errors.Is(err, bulk.ErrNotPending) {
			t.Errorf("confirming a rejected file: %v", err)
		}
	})
}

// What refuses the file as a whole keeps nothing and sends nothing.
func TestAFileRefusedAsAWholeKeepsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Ndërtimi Fier")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		eur := f.account(t, c.ID, money.EUR, 100_00)
		stranger := f.business(t, "Tjetër Shpk")
		theirs := f.account(t, stranger.ID, money.ALL, 100_000_00)
		person := f.person(t, "Arbër", "Çela")
		mine := f.account(t, person.ID, money.ALL, 100_000_00)
		good := string(file(t, "G-1", a.IBAN, tx("A", "Ana Kola", credins, "100", money.ALL),
			tx("B", "Ben Kola", credins, "200", money.ALL)))
		mixed := iso20022.Initiation{MessageID: "MIX", CreatedAt: t0, Batches: []iso20022.PaymentInfo{
			{ID: "P1", Method: "TRF", RequestedDate: calendar.DateOf(t0), DebtorAccount: iso20022.Account{IBAN: a.IBAN},
				Transactions: []iso20022.InitiationTx{tx("A", "Ana", credins, "1", money.ALL)}},
			{ID: "P2", Method: "TRF", RequestedDate: calendar.DateOf(t0), DebtorAccount: iso20022.Account{IBAN: eur.IBAN},
				Transactions: []iso20022.InitiationTx{tx("B", "Müller", german, "1", money.EUR)}}}}
		mixed.Batches[0].Transactions[0].Line, mixed.Batches[1].Transactions[0].Line = 1, 2
		mixedDoc, err := mixed.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>&lol2;</CstmrCdtTrfInitn></Document>`
		xxe := `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>&x;</CstmrCdtTrfInitn></Document>`
		few, small := *f.svc, *f.svc
		few.Config.MaxLines, small.Config.MaxFile = 1, len(good)-1
		for name, tc := range map[string]struct {
			svc      *bulk.Service
			customer string
			doc      string
			kind     kumbara.Kind
			code     string
		}{
			"not XML":                      {f.svc, c.ID, "salaries.xlsx", kumbara.KindInvalid, "iso_malformed"},
			"truncated":                    {f.svc, c.ID, good[:len(good)-40], kumbara.KindInvalid, "iso_malformed"},
			"an XML bomb":                  {f.svc, c.ID, bomb, kumbara.KindInvalid, "iso_unsafe"},
			"an external entity":           {f.svc, c.ID, xxe, kumbara.KindInvalid, "iso_unsafe"},
			"another message":              {f.svc, c.ID, strings.ReplaceAll(good, "pain.001.001.09", "pain.001.001.03"), kumbara.KindInvalid, "iso_wrong_message"},
			"NbOfTxs wrong":                {f.svc, c.ID, strings.Replace(good, "<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>", 1), kumbara.KindInvalid, "iso_count_mismatch"},
			"CtrlSum wrong":                {f.svc, c.ID, strings.Replace(good, "<CtrlSum>300.00</CtrlSum>", "<CtrlSum>300.01</CtrlSum>", 1), kumbara.KindInvalid, "iso_control_sum_mismatch"},
			"another customer's account":   {f.svc, c.ID, strings.ReplaceAll(good, a.IBAN, theirs.IBAN), kumbara.KindNotFound, "account_not_found"},
			"an account the bank lacks":    {f.svc, c.ID, strings.ReplaceAll(good, a.IBAN, credins), kumbara.KindNotFound, "account_not_found"},
			"two currencies":               {f.svc, c.ID, string(mixedDoc), kumbara.KindUnprocessable, "bulk_mixed_currency"},
			"an individual":                {f.svc, person.ID, strings.ReplaceAll(good, a.IBAN, mine.IBAN), kumbara.KindForbidden, "bulk_business_only"},
			"too many lines":               {&few, c.ID, good, kumbara.KindUnprocessable, "bulk_too_many_lines"},
			"too large":                    {&small, c.ID, good, kumbara.KindTooLarge, "iso_too_large"},
			"a debtor account not an IBAN": {f.svc, c.ID, strings.ReplaceAll(good, a.IBAN, broken(a.IBAN)), kumbara.KindInvalid, "iso_invalid"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := tc.svc.Upload(f.ctx, tc.customer, []byte(tc.doc))
				wantCode(t, err, tc.kind, tc.code)
				if n := f.count(t, "SELECT COUNT(*) FROM bulk_batches"); n != 0 {
					t.Errorf("%d batches kept", n)
				}
				if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 0 {
					t.Errorf("%d messages sent", n)
				}
			})
		}
	})
}

// The same file sent twice is one batch; another file under a live batch's MsgId is refused; once the batch has
// expired, the MsgId may be used again.
func TestTheFilesMessageIDKeepsItFromBeingPaidTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Hoteli Sarandë")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		doc := file(t, "ONCE", a.IBAN, tx("A", "Ana Kola", credins, "100", money.ALL))
		first, err := f.svc.Upload(f.ctx, c.ID, doc)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Upload(f.ctx, c.ID, doc)
		if err != nil || again.ID != first.ID {
			t.Fatalf("the same file again: %v, %s", err, again.ID)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 1 {
			t.Errorf("%d SMS for one batch", n)
		}
		other := file(t, "ONCE", a.IBAN, tx("A", "Ana Kola", credins, "101", money.ALL))
		_, err = f.svc.Upload(f.ctx, c.ID, other)
		wantCode(t, err, kumbara.KindConflict, "bulk_duplicate")
		f.clk.Advance(16 * time.Minute)
		got, err := f.svc.Get(f.ctx, c.ID, first.ID)
		if err != nil || got.Status != bulk.Expired || got.Challenge != nil {
			t.Fatalf("after 16 minutes: %v %s", err, got.Status)
		}
		if _, err := f.svc.Confirm(f.ctx, c.ID, first.ID, sca.Proof{Method: sca.MethodSMS, Code: "123456"}); !errors.Is(err, bulk.ErrExpired) {
			t.Errorf("confirming an expired batch: %v", err)
		}
		if r := f.report(t, c.ID, first.ID); r.GroupStatus != "RJCT" || r.GroupReason != "NOAS" || txStatuses(r) != "A:RJCT:NOAS" {
			t.Errorf("expired pain.002: %s %s %s", r.GroupStatus, r.GroupReason, txStatuses(r))
		}
		second, err := f.svc.Upload(f.ctx, c.ID, other)
		if err != nil || second.ID == first.ID || second.Status != bulk.PendingConfirmation {
			t.Fatalf("after expiry: %v %s %s", err, second.ID, second.Status)
		}
		if got := f.get(t, a.ID); got.Held != 0 {
			t.Errorf("held %d", got.Held)
		}
	})
}

// A batch is its customer's: another's is not found, whatever is asked of it; a wrong code confirms nothing, and a
// new code replaces the old one.
func TestABatchIsItsCustomersAndOnlyItsCodeConfirmsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Kantina Berat")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		other := f.business(t, "Tjetër Shpk")
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "MINE", a.IBAN, tx("A", "Ana Kola", credins, "100", money.ALL)))
		if err != nil {
			t.Fatal(err)
		}
		_, old := f.sms(t, c.ID)
		for _, err := range []error{
			func() error { _, err := f.svc.Get(f.ctx, other.ID, b.ID); return err }(),
			func() error { _, err := f.svc.StatusReport(f.ctx, other.ID, b.ID); return err }(),
			func() error {
				_, err := f.svc.Confirm(f.ctx, other.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: old})
				return err
			}(),
			func() error { _, err := f.svc.Challenge(f.ctx, other.ID, b.ID); return err }(),
			func() error { _, err := f.svc.Get(f.ctx, c.ID, "no-such-batch"); return err }(),
		} {
			wantCode(t, err, kumbara.KindNotFound, "bulk_not_found")
		}
		wrong := "000000"
		if old == wrong {
			wrong = "000001"
		}
		if _, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: wrong}); !errors.Is(err, auth.ErrOTPInvalid) {
			t.Fatalf("a wrong code: %v", err)
		}
		f.clk.Advance(3 * time.Minute) // the code's two minutes have passed
		if got, err := f.svc.Get(f.ctx, c.ID, b.ID); err != nil || got.Challenge != nil || got.Status != bulk.PendingConfirmation {
			t.Fatalf("after the code expired: %v %+v", err, got.Challenge)
		}
		fresh, err := f.svc.Challenge(f.ctx, c.ID, b.ID)
		if err != nil || fresh.Challenge == nil {
			t.Fatalf("Challenge: %v", err)
		}
		_, code := f.sms(t, c.ID)
		if _, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: old}); err == nil && old != code {
			t.Fatalf("the replaced code confirmed the batch")
		}
		done, err := f.svc.Confirm(f.ctx, c.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || done.Status != bulk.Completed {
			t.Fatalf("the new code: %v %s", err, done.Status)
		}
		if _, err := f.svc.Challenge(f.ctx, c.ID, b.ID); !errors.Is(err, bulk.ErrNotPending) {
			t.Errorf("a new code for a paid batch: %v", err)
		}
	})
}

// A batch confirmed whose request ended before its payments were made is finished by the job, once: while another
// holds the batch the job waits, and a repeat makes nothing twice.
func TestTheJobFinishesABatchItsRequestDidNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Fabrika Elbasan")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "JOB", a.IBAN, tx("A", "Ana Kola", credins, "100", money.ALL),
			tx("B", "Ben Kola", raiffeisen, "200", money.ALL)))
		if err != nil {
			t.Fatal(err)
		}
		// As if the confirming request had stopped right after its transaction, holding the batch.
		lease := f.clk.Now().Add(time.Minute).UnixMicro()
		if _, err := f.d.Exec(f.ctx, "UPDATE bulk_batches SET status = ?, lease_until = ? WHERE id = ?",
			bulk.Confirmed, lease, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Process(f.ctx, b.ID); err == nil {
			t.Fatal("the job paid a batch another holds")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 0 {
			t.Fatalf("%d payments", n)
		}
		f.clk.Advance(2 * time.Minute)
		if err := f.svc.Process(f.ctx, b.ID); err != nil {
			t.Fatalf("Process: %v", err)
		}
		if err := f.svc.Process(f.ctx, b.ID); err != nil {
			t.Fatalf("Process again: %v", err)
		}
		got, err := f.svc.Get(f.ctx, c.ID, b.ID)
		if err != nil || got.Status != bulk.Completed || statuses(got) != "accepted accepted" {
			t.Fatalf("%v %s %s", err, got.Status, statuses(got))
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 2 {
			t.Errorf("%d payments, want 2", n)
		}
		if got := f.get(t, a.ID); got.Held != b.Debited.Minor {
			t.Errorf("held %d, want %d", got.Held, b.Debited.Minor)
		}
		f.sound(t)
	})
}
