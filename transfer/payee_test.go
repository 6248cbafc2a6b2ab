package transfer_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
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

// The payee check shows another customer's name masked; paying them must not reveal more of it. Every place the
// payer reads the transfer — the answer to Create, Get, the receipt, the payer's own history — shows the masked
// name, while the payee still sees who paid them and an own transfer shows the payer's own name.
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
		mine, err := f.l.History(f.ctx, from.ID, ledger.HistoryFilter{Limit: 1})
		if err != nil || len(mine.Lines) != 1 || mine.Lines[0].Counterparty != masked {
			t.Errorf("payer's history line %+v (%v), want the payee as %q", mine.Lines, err, masked)
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
			t.Errorf("payer's history line %+v (%v)", mine.Lines, err)
		}
	})
}
