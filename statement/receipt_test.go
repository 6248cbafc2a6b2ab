package statement

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
)

func sampleReceipt(lang Lang) Receipt {
	return Receipt{
		Lang:        lang,
		Texts:       catalogue,
		BankName:    "Banka Kumbara sh.a.",
		BankBIC:     "KUMBALTR",
		TransferID:  "3f0c1d2e-8a9b-4c5d-9e0f-112233445566",
		Status:      "completed",
		CreatedAt:   time.Date(2025, 3, 30, 23, 30, 5, 0, time.UTC),
		FromName:    "Arbër Çela",
		FromIBAN:    "AL47212110090000000235698741",
		ToName:      "Ëmbëlsira Çajupi sh.p.k.",
		ToIBAN:      "AL35202111090000000001234567",
		Amount:      123450,
		Currency:    "ALL",
		Description: "Çelësi për Dritën Ëmbël",
	}
}

func renderReceipt(t testing.TB, r Receipt) []byte {
	t.Helper()
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatalf("RenderReceipt: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("RenderReceipt returned %d bytes that are not a PDF", len(pdf))
	}
	return pdf
}

func TestRenderReceiptShowsTheTransfer(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		want []string
	}{
		{"albanian is the default", "", []string{
			"Mandat transferte", "Shuma", "1.234,50 ALL", "ID e transfertës", "3f0c1d2e-8a9b-4c5d-9e0f-112233445566",
			"Statusi", "E kryer", "Data dhe ora", "31.03.2025 01:30:05",
			"Urdhëruesi", "Arbër Çela", "AL47 2121 1009 0000 0002 3569 8741",
			"Përfituesi", "Ëmbëlsira Çajupi sh.p.k.", "AL35 2021 1109 0000 0000 0123 4567",
			"Përshkrimi", "Çelësi për Dritën Ëmbël", "BIC: KUMBALTR", "Faqe 1 nga 1",
		}},
		{"english", English, []string{
			"Transfer receipt", "Amount", "1,234.50 ALL", "Transfer ID", "Status", "Completed",
			"Date and time", "31 Mar 2025 01:30:05", "Payer", "Arbër Çela", "Beneficiary", "Ëmbëlsira Çajupi sh.p.k.",
			"Description", "Çelësi për Dritën Ëmbël", "Page 1 of 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := pdfText(t, renderReceipt(t, sampleReceipt(tt.lang)))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q; got:\n%s", w, text)
				}
			}
		})
	}
}

func TestRenderReceiptStatus(t *testing.T) {
	tests := []struct {
		status string
		lang   Lang
		want   string
	}{
		{"pending_confirmation", Albanian, "Në pritje të konfirmimit"},
		{"FAILED", Albanian, "Nuk u krye"},
		{"Failed", English, "Not made"},
		{"Completed", English, "Completed"},
		{"awaiting_sca", Albanian, "awaiting_sca"}, // unknown states print as given
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			r := sampleReceipt(tt.lang)
			r.Status = tt.status
			if text := pdfText(t, renderReceipt(t, r)); !strings.Contains(text, tt.want) {
				t.Errorf("text lacks %q; got:\n%s", tt.want, text)
			}
		})
	}
}

func TestRenderReceiptStaysOnOnePageInsideTheMargins(t *testing.T) {
	r := sampleReceipt(Albanian)
	r.Description = strings.Repeat("Pagesë për çelësin e dritës ", 200)
	r.FromName = strings.Repeat("Arbër Çela ", 40)
	r.ToName = strings.Repeat("Ë", 300)
	r.TransferID = strings.Repeat("x", 200)
	r.BankName = strings.Repeat("Banka ", 50)
	r.Amount = math.MinInt64
	pdf := renderReceipt(t, r)
	checkInsidePage(t, pdfWords(t, pdf))
	text := pdfText(t, pdf)
	if n := len(pages(text)); n != 1 {
		t.Errorf("receipt has %d pages, want 1", n)
	}
	if !strings.Contains(text, "-92.233.720.368.547.758,08 ALL") {
		t.Errorf("amount is not printed in full; got:\n%s", text)
	}
}

func TestRenderReceiptRejectsInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Receipt)
		code   string
	}{
		{"unknown language", func(r *Receipt) { r.Lang = "it" }, "unsupported_language"},
		{"no creation time", func(r *Receipt) { r.CreatedAt = time.Time{} }, "missing_created_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleReceipt(Albanian)
			tt.change(&r)
			_, err := RenderReceipt(r)
			if kumbara.KindOf(err) != kumbara.KindInvalid || kumbara.CodeOf(err) != tt.code {
				t.Errorf("RenderReceipt error = %v, want invalid %q", err, tt.code)
			}
		})
	}
}

// TestRenderReceiptPrintsAPaymentsDetails: a payment to another bank names its status in its own words and adds
// rows of its own after the beneficiary's; the most it may add still fits one page inside the margins.
func TestRenderReceiptPrintsAPaymentsDetails(t *testing.T) {
	r := sampleReceipt(English)
	r.Status, r.StatusText = "settled", "Reached the beneficiary's bank"
	r.Details = []ReceiptDetail{{Label: "Fee", Values: []string{"100.00 ALL"}},
		{Label: "Name check", Values: []string{"Close match", "Blerina Kasa"}}}
	text := pdfText(t, renderReceipt(t, r))
	for _, w := range []string{"Reached the beneficiary's bank", "Fee", "100.00 ALL", "Name check", "Close match",
		"Blerina Kasa"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q; got:\n%s", w, text)
		}
	}

	r.Description = strings.Repeat("Pagesë për çelësin e dritës ", 200)
	r.FromName, r.ToName, r.ToPhone = strings.Repeat("Arbër Çela ", 40), strings.Repeat("Ë", 300), "+355 69 123 4567"
	r.ValueDate = r.CreatedAt.Add(72 * time.Hour)
	r.Details = nil
	for range 20 {
		r.Details = append(r.Details, ReceiptDetail{Label: strings.Repeat("Etiketë ", 10),
			Values: []string{strings.Repeat("ë", 200), strings.Repeat("ç", 200), "third", "fourth"}})
	}
	pdf := renderReceipt(t, r)
	checkInsidePage(t, pdfWords(t, pdf))
	if n := len(pages(pdfText(t, pdf))); n != 1 {
		t.Errorf("receipt has %d pages, want 1", n)
	}
}

// TestRenderReceiptNamesAnotherKindOfDocumentInItsOwnWords: a receipt that is not a transfer's (a currency
// exchange between the customer's own accounts) gives its own title, reference label and parties' labels, and none
// of a transfer's words is printed in their place.
func TestRenderReceiptNamesAnotherKindOfDocumentInItsOwnWords(t *testing.T) {
	r := sampleReceipt(Albanian)
	r.Title, r.IDLabel, r.FromLabel, r.ToLabel = "Mandat këmbimi valutor", "ID e këmbimit", "Nga llogaria", "Në llogarinë"
	text := pdfText(t, renderReceipt(t, r))
	for _, w := range []string{"Mandat këmbimi valutor", "ID e këmbimit", "Nga llogaria", "Në llogarinë", "1.234,50 ALL"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q; got:\n%s", w, text)
		}
	}
	for _, w := range []string{"Mandat transferte", "ID e transfertës", "Urdhëruesi", "Përfituesi"} {
		if strings.Contains(text, w) {
			t.Errorf("text has the transfer's %q; got:\n%s", w, text)
		}
	}
}
