package transfer_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

// pdfText is the text of a PDF as poppler's pdftotext reads it; without the tool (outside CI) it is "", and the
// callers check the text only when there is some.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext not on PATH: %v", err)
		}
		return ""
	}
	in := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// The payee check shows another customer's name masked; the transfer must not reveal more of it. Every place the
// payer reads the transfer — the answer to Create, Get, the receipt — shows the masked name, and an own transfer
// the payer's own name. The books record both parties in full: once the money moved, the payer's posting names
// whom it went to, as the payee's names who sent it.
func TestThePayerSeesAnInBankPayeeOnlyAsThePayeeCheckShowedThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.ALL, 100000)
		savings := f.account(t, payer.ID, money.ALL, 0)
		to := f.account(t, payee.ID, money.ALL, 0)
		const masked = "E**** S****"

		tr, _, err := f.svc.Create(f.ctx, payer.ID, "masked-1", transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "12.50", Currency: "ALL", Description: "Qira"})
		if err != nil {
			t.Fatal(err)
		}
		if tr.ToName != masked {
			t.Errorf("Create names the payee %q, want %q", tr.ToName, masked)
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.ToName != masked {
			t.Errorf("Get names the payee %q (%v), want %q", got.ToName, err, masked)
		}
		got, pdf, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, statement.Albanian)
		if err != nil || got.ToName != masked {
			t.Fatalf("Receipt names the payee %q (%v), want %q", got.ToName, err, masked)
		}
		if text := pdfText(t, pdf); text != "" && (strings.Contains(text, "Shehu") || !strings.Contains(text, masked)) {
			t.Errorf("receipt text shows the payee's name unmasked:\n%s", text)
		}
		// The books keep the payee in full; the payer's history shows her as the check did.
		mine, err := f.l.History(f.ctx, from.ID, ledger.HistoryFilter{Limit: 1})
		if err != nil || len(mine.Lines) != 1 || mine.Lines[0].Counterparty != masked {
			t.Errorf("payer's history line %+v (%v), want the payee masked", mine.Lines, err)
		}
		theirs, err := f.l.History(f.ctx, to.ID, ledger.HistoryFilter{Limit: 1})
		if err != nil || len(theirs.Lines) != 1 || theirs.Lines[0].Counterparty != "Arben Hoxha" {
			t.Errorf("payee's history line %+v (%v), want the payer in full", theirs.Lines, err)
		}

		own, _, err := f.svc.Create(f.ctx, payer.ID, "own-1", transfer.Request{Type: transfer.Own,
			FromAccountID: from.ID, ToAccountID: savings.ID, Amount: "1", Currency: "ALL"})
		if err != nil || own.ToName != "Arben Hoxha" {
			t.Errorf("own transfer names the payee %q (%v), want the payer's own name", own.ToName, err)
		}
	})
}

func TestAPaymentWaitingForConfirmationShowsThePayeeMasked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 100000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "pending-masked", pay(from, to, "250"))
		if err != nil || tr.Status != transfer.PendingConfirmation {
			t.Fatalf("Create = %+v, %v", tr, err)
		}
		if tr.ToName != "D***** Ç***" {
			t.Errorf("Create names the payee %q", tr.ToName)
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.ToName != "D***** Ç***" {
			t.Errorf("Get names the payee %q (%v)", got.ToName, err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		done, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || done.Status != transfer.Completed || done.ToName != "D***** Ç***" {
			t.Fatalf("Confirm = %+v, %v", done, err)
		}
		mine, err := f.l.History(f.ctx, from.ID, ledger.HistoryFilter{Limit: 1})
		if err != nil || len(mine.Lines) != 1 || mine.Lines[0].Counterparty != "D***** Ç***" {
			t.Errorf("payer's history line %+v (%v), want the payee masked", mine.Lines, err)
		}
	})
}

// smsTo lists the bodies of the messages queued for a phone, oldest first.
func (f *fixture) smsTo(t *testing.T, phone string) []string {
	t.Helper()
	rows, err := f.d.Query(f.ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at, id", phone)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// The optional phone of an in-bank transfer (T3) is kept with the transfer, printed on its receipt, and told of the
// payment by SMS in the posting's own transaction — once, however often the request is repeated.
func TestTheBeneficiaryPhoneIsKeptAndToldOfThePayment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.ALL, 100000)
		to := f.account(t, payee.ID, money.ALL, 0)
		const phone = "+355691234567"
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "250",
			Currency: "ALL", Description: "Dhuratë", PayeePhone: "069 123 4567"}
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "phone-1", req)
		if err != nil {
			t.Fatal(err)
		}
		if tr.PayeePhone != phone {
			t.Errorf("Create keeps the phone as %q, want %q", tr.PayeePhone, phone)
		}
		if _, replayed, err := f.svc.Create(f.ctx, payer.ID, "phone-1", req); err != nil || !replayed {
			t.Fatalf("repeat: replayed %v, %v", replayed, err)
		}
		sms := f.smsTo(t, phone)
		if len(sms) != 1 || !strings.Contains(sms[0], "250,00 ALL") || !strings.Contains(sms[0], "Arben Hoxha") ||
			!strings.Contains(sms[0], "ju dërgoi") {
			t.Fatalf("SMS to the payee's phone: %q, want one naming the amount and the payer in Albanian", sms)
		}
		for _, leak := range []string{to.IBAN, from.IBAN, "Elira"} {
			if strings.Contains(sms[0], leak) {
				t.Errorf("SMS to a phone the payer typed names %q: %q", leak, sms[0])
			}
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.PayeePhone != phone {
			t.Errorf("Get: phone %q, %v", got.PayeePhone, err)
		}
		_, pdf, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, statement.Albanian)
		if err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, pdf); text != "" && (!strings.Contains(text, phone) || !strings.Contains(text, "Celulari i përfituesit")) {
			t.Errorf("receipt does not show the beneficiary's phone:\n%s", text)
		}

		// Without a phone nobody else hears of it, and the receipt has no phone line.
		plain, _, err := f.svc.Create(f.ctx, payer.ID, "phone-2", transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "1", Currency: "ALL"})
		if err != nil || plain.PayeePhone != "" {
			t.Fatalf("transfer without a phone: %+v, %v", plain, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 1 {
			t.Errorf("%d messages queued, want only the one to the named phone", n)
		}
		_, pdf, _ = f.svc.Receipt(f.ctx, payer.ID, plain.ID, bank, statement.English)
		if text := pdfText(t, pdf); text != "" && strings.Contains(text, "Beneficiary's phone") {
			t.Errorf("receipt of a transfer without a phone has a phone line:\n%s", text)
		}
	})
}

func TestABeneficiaryPhoneThatIsNoMobileOrOnAnOwnTransferIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.ALL, 100000)
		savings := f.account(t, payer.ID, money.ALL, 0)
		to := f.account(t, payee.ID, money.ALL, 0)
		for i, tt := range []struct {
			name  string
			req   transfer.Request
			code  string
			field string
		}{
			{"a landline", transfer.Request{Type: transfer.Internal, ToIBAN: to.IBAN, PayeePhone: "04 222 3333"}, "mobile_invalid", "payee_phone"},
			{"letters", transfer.Request{Type: transfer.Internal, ToIBAN: to.IBAN, PayeePhone: "069 thirr"}, "mobile_invalid", "payee_phone"},
			{"a foreign number", transfer.Request{Type: transfer.Internal, ToIBAN: to.IBAN, PayeePhone: "+4915112345678"}, "mobile_invalid", "payee_phone"},
			{"an own transfer", transfer.Request{Type: transfer.Own, ToAccountID: savings.ID, PayeePhone: "0691234567"}, "validation_failed", "payee_phone"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.req
				r.FromAccountID, r.Amount, r.Currency = from.ID, "10", "ALL"
				_, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("bad-phone-%d", i), r)
				wantCode(t, err, kumbara.KindInvalid, tt.code)
				e, _ := kumbara.As(err)
				if !slices.ContainsFunc(e.Fields, func(fe kumbara.FieldError) bool { return fe.Field == tt.field }) {
					t.Errorf("error %v is not about %s: %+v", err, tt.field, e.Fields)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Errorf("%d messages queued for refused transfers", n)
		}
		if got := f.balance(t, to.ID) + f.balance(t, savings.ID); got != 0 {
			t.Errorf("refused transfers moved %d", got)
		}
	})
}

// A payment refused when it posts tells nobody: the SMS is written in the posting's transaction.
func TestARefusedTransferSendsThePayeeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.ALL, 1000)
		to := f.account(t, payee.ID, money.ALL, 0)
		_, _, err := f.svc.Create(f.ctx, payer.ID, "too-much", transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "250", Currency: "ALL", PayeePhone: "0691234567"})
		wantCode(t, err, kumbara.KindUnprocessable, "insufficient_funds")
		if n := f.count(t, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Errorf("%d messages queued for a refused transfer", n)
		}
	})
}

// A payment that waits for confirmation keeps its phone, and the SMS goes when it posts, not before.
func TestAConfirmedPaymentTellsTheBeneficiaryPhoneWhenItPosts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 100000)
		r := pay(from, to, "250")
		r.PayeePhone = "+355 68 765 4321"
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "pending-phone", r)
		if err != nil || tr.Status != transfer.PendingConfirmation || tr.PayeePhone != "+355687654321" {
			t.Fatalf("Create = %+v, %v", tr, err)
		}
		if sms := f.smsTo(t, "+355687654321"); len(sms) != 0 {
			t.Fatalf("payee told before the payment was confirmed: %q", sms)
		}
		if got, err := f.svc.Get(f.ctx, payer.ID, tr.ID); err != nil || got.PayeePhone != "+355687654321" {
			t.Fatalf("Get of the pending payment: %+v, %v", got, err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		done, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || done.PayeePhone != "+355687654321" {
			t.Fatalf("Confirm = %+v, %v", done, err)
		}
		sms := f.smsTo(t, "+355687654321")
		if len(sms) != 1 || !strings.Contains(sms[0], "250,00 EUR") || !strings.Contains(sms[0], "Elira Shehu") {
			t.Errorf("SMS to the payee's phone after confirmation: %q", sms)
		}
	})
}

// A history line leads to its transfer's detail for the payer only.
func TestHistoryLinesLeadToThePayersTransfers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.ALL, 100000)
		to := f.account(t, payee.ID, money.ALL, 0)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "history-1", transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "5", Currency: "ALL"})
		if err != nil {
			t.Fatal(err)
		}
		page, err := f.l.History(f.ctx, from.ID, ledger.HistoryFilter{Limit: 10})
		if err != nil || len(page.Lines) != 2 {
			t.Fatalf("history: %+v, %v", page, err)
		}
		entries := []string{page.Lines[0].EntryID, page.Lines[1].EntryID, "nope", ""}
		got, err := f.svc.OfEntries(f.ctx, payer.ID, entries)
		if err != nil || len(got) != 1 || got[tr.EntryID] != tr.ID {
			t.Errorf("payer's transfers of %v = %v, %v; want only %s → %s", entries, got, err, tr.EntryID, tr.ID)
		}
		if got, err := f.svc.OfEntries(f.ctx, payee.ID, entries); err != nil || len(got) != 0 {
			t.Errorf("payee's transfers of the payer's entries = %v, %v; want none", got, err)
		}
	})
}

// The SMS to the phone a transfer named is in the language of the account's holder, with the amount as that
// language writes it.
func TestThePayeesSMSIsInTheHoldersLanguage(t *testing.T) {
	tests := []struct {
		lang        i18n.Lang
		amount, say string
	}{
		{i18n.SQ, "1.250,50 ALL", "ju dërgoi"},
		{i18n.EN, "1,250.50 ALL", "sent you"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
				if err := f.cs.SetLanguage(f.ctx, payee.ID, tt.lang); err != nil {
					t.Fatal(err)
				}
				from := f.account(t, payer.ID, money.ALL, 1_000_000)
				to := f.account(t, payee.ID, money.ALL, 0)
				const phone = "+355691234567"
				if _, _, err := f.svc.Create(f.ctx, payer.ID, "lang-1", transfer.Request{Type: transfer.Internal,
					FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "1250.50", Currency: "ALL",
					PayeePhone: phone}); err != nil {
					t.Fatal(err)
				}
				sms := f.smsTo(t, phone)
				if len(sms) != 1 || !strings.Contains(sms[0], tt.amount) || !strings.Contains(sms[0], tt.say) {
					t.Fatalf("SMS %q, want %q and %q", sms, tt.amount, tt.say)
				}
			})
		})
	}
}
