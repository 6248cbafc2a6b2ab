package payment_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/vop"
)

// closeMatch answers every name check with a close match: the account is Arben Hoxhaj's.
type closeMatch struct{}

func (closeMatch) Check(context.Context, string, iban.IBAN, string) (vop.Outcome, error) {
	return vop.Outcome{Result: vop.CloseMatch, Name: "Arben Hoxhaj"}, nil
}

// receiptText is the text of a PDF as poppler's pdftotext reads it; without the tool (outside CI) it is "", and
// the callers check the text only when there is some.
func receiptText(t *testing.T, pdf []byte) string {
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

// TestTheReceiptSaysWhatThePaymentIsAndWhatTheCustomerWasShown: a payment's receipt, in either language, names the
// parties, the amount, the status in the customer's words, the way it travels, the beneficiary's bank, who bears
// the charges, the fee and what left the account, and the name check as the customer was shown it before
// confirming (a close match, with the name on the account).
func TestTheReceiptSaysWhatThePaymentIsAndWhatTheCustomerWasShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.Payees = closeMatch{}
		c := f.person(t, "Elira", "Çela")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		p := f.pay(t, c.ID, domestic(a.ID, credins, "25000"))
		if p.Status != payment.Waiting || !p.HasReceipt() {
			t.Fatalf("payment %s, receipt %v: want one waiting for its session, with a receipt", p.Status, p.HasReceipt())
		}
		tests := []struct {
			lang statement.Lang
			want []string
		}{
			{statement.Albanian, []string{"Mandat transferte", "25.000,00 ALL", p.ID, "Në pritje të dërgimit",
				"Elira Çela", "Arben Hoxha", "AL47 2121 1009 0000 0002 3569 8741", "Credins Bank", "CDISALTR",
				"Dhomën e klerimit (AECH)", "Të përbashkëta (SHA)", "100,00 ALL", "25.100,00 ALL",
				"Emri përputhet pothuajse me llogarinë", "Emri në llogari: Arben Hoxhaj", "Qira mars"}},
			{statement.English, []string{"Transfer receipt", "25,000.00 ALL", "Waiting to be sent", "Credins Bank",
				"Clearing house (AECH)", "Shared (SHA)", "100.00 ALL", "25,100.00 ALL",
				"The name almost matches the account", "Name on the account: Arben Hoxhaj"}},
		}
		for _, tt := range tests {
			got, pdf, err := f.svc.Receipt(f.ctx, c.ID, p.ID, bank, tt.lang)
			if err != nil {
				t.Fatalf("Receipt(%s): %v", tt.lang, err)
			}
			if got.ID != p.ID || !strings.HasPrefix(string(pdf), "%PDF-") {
				t.Fatalf("Receipt(%s) = %s and %d bytes that are not a PDF", tt.lang, got.ID, len(pdf))
			}
			text := receiptText(t, pdf)
			if text == "" {
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s receipt lacks %q:\n%s", tt.lang, w, text)
				}
			}
		}
	})
}

// TestAReceiptIsOnlyForAPaymentTheBankTookAndOnlyItsCustomers: a payment waiting for its confirmation has moved
// nothing and has no receipt yet (transfer_not_completed); another customer's payment is not found.
func TestAReceiptIsOnlyForAPaymentTheBankTookAndOnlyItsCustomers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Elira", "Çela")
		other := f.person(t, "Dritan", "Hoxha")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		p, _, err := f.svc.Create(f.ctx, c.ID, key(), domestic(a.ID, credins, "25000"))
		if err != nil || p.Status != payment.PendingConfirmation {
			t.Fatalf("Create = %s, %v; want one waiting for confirmation", p.Status, err)
		}
		if p.HasReceipt() {
			t.Error("a payment waiting for confirmation has a receipt")
		}
		_, _, err = f.svc.Receipt(f.ctx, c.ID, p.ID, bank, statement.Albanian)
		wantCode(t, err, kumbara.KindConflict, "transfer_not_completed")
		_, _, err = f.svc.Receipt(f.ctx, other.ID, p.ID, bank, statement.Albanian)
		wantCode(t, err, kumbara.KindNotFound, payment.ErrNotFound.Code)
	})
}
