package fx_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/statement"
)

// receiptText is the text of a receipt as poppler's pdftotext reads it; "" without the tool outside CI.
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

var receiptBank = customer.Bank{Name: "Banka Kumbara", BIC: "KUMBALT0XXX"}

// TestAConversionsReceiptSaysWhatMovedInTheReadersLanguage: the receipt of 100 euros sold for lek names the
// document and its reference as an exchange's, the two accounts, the amount sold and the amount credited in the
// reader's way of writing amounts, the rate as people read it, what kind of exchange it was, the status, and the
// bank's own words for it when the customer gave no description.
func TestAConversionsReceiptSaysWhatMovedInTheReadersLanguage(t *testing.T) {
	texts, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 500_000, money.ALL: 0})
		q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
			SellAmount: "1250.50"})
		if err != nil {
			t.Fatal(err)
		}
		done, _, err := f.s.Execute(f.ctx, id, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			lang statement.Lang
			want []string
		}{
			{statement.Albanian, []string{"Mandat këmbimi valutor", "ID e këmbimit", done.ID, "1.250,50 EUR",
				"Nga llogaria", "Në llogarinë", "Arta Hoxha", "Veprimi", "Shitje valute", "Kursi", "1 EUR = 97,80 ALL",
				"Shuma e kredituar", "122.298,90 ALL", "I kryer", "02.03.2026 09:00",
				"Këmbim valutor 1.250,50 EUR → 122.298,90 ALL (1 EUR = 97,80 ALL)"}},
			{statement.English, []string{"Currency exchange receipt", "Exchange ID", "1,250.50 EUR", "From account",
				"To account", "Transaction", "Selling foreign currency", "Rate", "1 EUR = 97.80 ALL", "Amount credited",
				"122,298.90 ALL", "Completed", "2 Mar 2026 09:00",
				"Currency exchange 1,250.50 EUR → 122,298.90 ALL (1 EUR = 97.80 ALL)"}},
		}
		for _, tt := range tests {
			// By the quote's id or the conversion's own, it is the executed conversion's.
			got, pdf, err := f.s.Receipt(f.ctx, id, q.ID, receiptBank, texts, tt.lang)
			if err != nil {
				t.Fatalf("Receipt(%s): %v", tt.lang, err)
			}
			if got.ID != done.ID || !strings.HasPrefix(string(pdf), "%PDF-") {
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
			for _, w := range []string{"Mandat transferte", "Transfer receipt", "Urdhëruesi", "Payer"} {
				if strings.Contains(text, w) {
					t.Errorf("%s receipt says the transfer's %q:\n%s", tt.lang, w, text)
				}
			}
		}
	})
}

// TestAReceiptIsOnlyForAnExecutedConversionOfTheCustomers: a quote that never moved money has no receipt, and
// another customer's conversion is not found; both are fx_quote_not_found, a 404.
func TestAReceiptIsOnlyForAnExecutedConversionOfTheCustomers(t *testing.T) {
	texts, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newConvFixture(t, d)
		id, a := f.customer(t, false, map[money.Currency]int64{money.EUR: 100_000, money.ALL: 0})
		other, _ := f.customer(t, false, map[money.Currency]int64{money.ALL: 0})
		q, err := f.s.Quote(f.ctx, id, fx.QuoteRequest{FromAccountID: a[money.EUR].ID, ToAccountID: a[money.ALL].ID,
			SellAmount: "10"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.Receipt(f.ctx, id, q.ID, receiptBank, texts, statement.Albanian); !isNotFound(err) {
			t.Errorf("the receipt of a quote not executed: %v, want fx_quote_not_found", err)
		}
		if _, _, err := f.s.Execute(f.ctx, id, q.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.Receipt(f.ctx, other, q.ID, receiptBank, texts, statement.Albanian); !isNotFound(err) {
			t.Errorf("another customer's receipt: %v, want fx_quote_not_found", err)
		}
		if _, _, err := f.s.Receipt(f.ctx, id, q.ID, receiptBank, texts, statement.Albanian); err != nil {
			t.Errorf("the customer's own receipt: %v", err)
		}
	})
}

func isNotFound(err error) bool {
	return kumbara.CodeOf(err) == fx.ErrQuoteNotFound.Code && kumbara.KindOf(err) == kumbara.KindNotFound
}

// TestRatesAreWrittenTheReadersWay: every decimal of a rate is kept, with the reader's decimal mark and grouping.
func TestRatesAreWrittenTheReadersWay(t *testing.T) {
	for _, tt := range []struct {
		rate   string
		sq, en string
	}{
		{"97.80", "97,80", "97.80"},
		{"0.010142", "0,010142", "0.010142"},
		{"1234.5678", "1.234,5678", "1,234.5678"},
		{"1234567", "1.234.567", "1,234,567"},
		{"not a rate", "not a rate", "not a rate"},
	} {
		if got := i18n.FormatDecimal(tt.rate, i18n.SQ); got != tt.sq {
			t.Errorf("FormatDecimal(%q, sq) = %q, want %q", tt.rate, got, tt.sq)
		}
		if got := i18n.FormatDecimal(tt.rate, i18n.EN); got != tt.en {
			t.Errorf("FormatDecimal(%q, en) = %q, want %q", tt.rate, got, tt.en)
		}
	}
	p := fx.Price{Rate: "0.907445", Base: money.USD, Quoted: money.EUR}
	if got, want := fx.RateText(p, i18n.SQ), "1 USD = 0,907445 EUR"; got != want {
		t.Errorf("RateText = %q, want %q", got, want)
	}
	if got, want := fx.ReceiptFileName(`a"b/c-1`, statement.English), "exchange-receipt-abc-1.pdf"; got != want {
		t.Errorf("ReceiptFileName = %q, want %q", got, want)
	}
}

// TestTheReceiptsWordsAreInTheCatalogueInBothLanguages: each word the receipt prints is the catalogue's, in
// Albanian and English.
func TestTheReceiptsWordsAreInTheCatalogueInBothLanguages(t *testing.T) {
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range fx.ReceiptTexts() {
		if !c.Has(key) {
			t.Errorf("%s is not in the catalogue", key)
		}
	}
}
