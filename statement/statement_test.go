package statement

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
)

var (
	jan1  = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	jan31 = time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
)

// sampleStatement is a January statement with n lines; its balances are
// consistent so the document reads like a real one.
func sampleStatement(lang Lang, n int) Statement {
	s := Statement{
		Lang:          lang,
		Texts:         catalogue,
		BankName:      "Banka Kumbara sh.a.",
		BankBIC:       "KUMBALTR",
		BankAddress:   "Rruga e Kavajës 12, 1001 Tiranë",
		HolderName:    "Arbër Çela",
		HolderAddress: "Rruga Myslym Shyri 5, Tiranë",
		ClientNumber:  "K-000123",
		IBAN:          "AL47212110090000000235698741",
		AccountNumber: "0000000235698741",
		Currency:      "ALL",
		AccountType:   "Llogari rrjedhëse",
		From:          jan1,
		To:            jan31,
		Opening:       123450,
		GeneratedAt:   time.Date(2025, 2, 1, 7, 30, 0, 0, time.UTC),
	}
	balance := s.Opening
	for i := range n {
		amount := int64(25000 + i)
		desc := "Çelësi për Dritën Ëmbël"
		if i%2 == 1 {
			amount = -amount / 2
			desc = "Pagesë fature çdo muaj"
		}
		balance += amount
		if amount > 0 {
			s.TotalCredits += amount
		} else {
			s.TotalDebits -= amount
		}
		s.Lines = append(s.Lines, Line{
			PostedAt:     jan1.Add(time.Duration(i) * 20 * time.Minute),
			Description:  desc,
			Counterparty: "Ëndrit Çollaku",
			Reference:    fmt.Sprintf("TX-%05d", i+1),
			Amount:       amount,
			BalanceAfter: balance,
		})
	}
	s.Closing = balance
	return s
}

func render(t testing.TB, s Statement) []byte {
	t.Helper()
	pdf, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("Render returned %d bytes that are not a PDF", len(pdf))
	}
	return pdf
}

func TestRenderShowsAlbanianLettersLabelsAndBalances(t *testing.T) {
	base := sampleStatement("", 3)
	base.Opening, base.Closing = 123450, 9876543
	tests := []struct {
		name string
		lang Lang
		want []string
	}{
		{"albanian is the default", "", []string{
			"Pasqyra e llogarisë", "Emër Mbiemër", "Arbër Çela", "Periudha", "01.01.2025 – 31.01.2025",
			"Gjendja në fillim", "Gjendja në fund", "Gjithsej në mbërritje", "Gjithsej në nisje",
			"Numri i llogarisë", "Data", "Përshkrimi", "Shuma (ALL)", "Gjendja (ALL)",
			"1.234,50 ALL", "98.765,43 ALL", "Çelësi për Dritën Ëmbël", "Ëndrit Çollaku · Nr. ref. TX-00001",
			"AL47 2121 1009 0000 0002 3569 8741", "Llogari rrjedhëse", "Faqe 1 nga 1", "Gjeneruar më 01.02.2025 08:30",
		}},
		{"english", English, []string{
			"Account statement", "Account holder", "Arbër Çela", "Period", "1 Jan 2025 – 31 Jan 2025",
			"Opening balance", "Closing balance", "Total incoming", "Total outgoing",
			"Account number", "Date", "Description", "Amount (ALL)", "Balance (ALL)",
			"1,234.50 ALL", "98,765.43 ALL", "Çelësi për Dritën Ëmbël", "Ëndrit Çollaku · Ref. TX-00001", "Page 1 of 1",
			"Generated on 1 Feb 2025 08:30",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Lang = tt.lang
			text := pdfText(t, render(t, s))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q; got:\n%s", w, text)
				}
			}
		})
	}
}

func TestRenderPaginatesTwoThousandLinesWithoutLosingAny(t *testing.T) {
	const n = 2000
	pdf := render(t, sampleStatement(Albanian, n))
	text := pdfText(t, pdf)
	pp := pages(text)
	if len(pp) <= 1 {
		t.Fatalf("%d lines rendered on %d page(s)", n, len(pp))
	}
	for i, p := range pp {
		for _, w := range []string{"Data", "Përshkrimi", "Shuma (ALL)", "Gjendja (ALL)", fmt.Sprintf("Faqe %d nga %d", i+1, len(pp))} {
			if !strings.Contains(p, w) {
				t.Errorf("page %d lacks %q", i+1, w)
			}
		}
		if i > 0 && !strings.Contains(p, "AL47 2121 1009 0000 0002 3569 8741") {
			t.Errorf("continuation page %d does not name the account", i+1)
		}
	}
	// Every transaction must appear exactly once: none dropped or repeated
	// at a page break.
	seen := map[string]int{}
	for _, ref := range regexp.MustCompile(`TX-\d{5}`).FindAllString(text, -1) {
		seen[ref]++
	}
	for i := 1; i <= n; i++ {
		if ref := fmt.Sprintf("TX-%05d", i); seen[ref] != 1 {
			t.Errorf("%s appears %d times", ref, seen[ref])
		}
	}
	if len(seen) != n {
		t.Errorf("found %d distinct references, want %d", len(seen), n)
	}
	if !strings.Contains(pp[len(pp)-1], "Gjendja në fund") {
		t.Error("closing balance is not on the last page")
	}
	t.Logf("%d lines: %d pages, %d bytes", n, len(pp), len(pdf))
}

func TestRenderEmptyPeriodSaysSo(t *testing.T) {
	tests := []struct {
		lang Lang
		want string
	}{
		{Albanian, "Nuk ka lëvizje në këtë periudhë"},
		{English, "No transactions in this period"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			s := sampleStatement(tt.lang, 0)
			text := pdfText(t, render(t, s))
			if !strings.Contains(text, tt.want) {
				t.Errorf("text lacks %q; got:\n%s", tt.want, text)
			}
			if n := len(pages(text)); n != 1 {
				t.Errorf("empty statement has %d pages", n)
			}
		})
	}
}

func TestRenderPrintsTimesInTirane(t *testing.T) {
	tests := []struct {
		name   string
		posted time.Time
		sq, en string
	}{
		{"winter is UTC+1 and crosses midnight", time.Date(2025, 1, 15, 23, 30, 0, 0, time.UTC), "16.01.2025 00:30", "16 Jan 2025 00:30"},
		{"summer is UTC+2", time.Date(2025, 3, 30, 22, 15, 0, 0, time.UTC), "31.03.2025 00:15", "31 Mar 2025 00:15"},
		{"other zones are converted", time.Date(2025, 7, 1, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600)), "01.07.2025 15:00", "1 Jul 2025 15:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[Lang]string{Albanian: tt.sq, English: tt.en} {
				s := sampleStatement(lang, 0)
				s.To = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
				s.Lines = []Line{{PostedAt: tt.posted, Description: "Kohë", Amount: 100, BalanceAfter: 100}}
				// pdftotext prints the date and the time below it on
				// separate lines; joining them checks both.
				text := strings.Join(strings.Fields(pdfText(t, render(t, s))), " ")
				i := strings.LastIndexByte(want, ' ')
				date, clock := want[:i], want[i+1:]
				if !strings.Contains(text, date) || !strings.Contains(text, clock) {
					t.Errorf("%s: text lacks %q; got:\n%s", lang, want, text)
				}
			}
		})
	}
}

func TestRenderKeepsLongTextAndHugeAmountsInsideTheirColumns(t *testing.T) {
	s := sampleStatement(Albanian, 2)
	long := strings.Repeat("Zgjatjeë ", 80) + strings.Repeat("Ç", 400)
	s.HolderName = strings.Repeat("Arbër Çela ", 30)
	s.HolderAddress = strings.Repeat("Rruga e Dibrës ", 40)
	s.BankName = strings.Repeat("Banka ", 40)
	s.BankAddress = strings.Repeat("Bulevardi Dëshmorët e Kombit ", 20)
	s.AccountType = strings.Repeat("Llogari ", 30)
	s.Opening, s.Closing = math.MinInt64, math.MaxInt64
	s.TotalCredits, s.TotalDebits = math.MaxInt64, math.MaxInt64
	s.Lines = append(s.Lines,
		Line{PostedAt: jan1, Description: long, Counterparty: long, Reference: strings.Repeat("R", 300), Amount: math.MinInt64, BalanceAfter: math.MinInt64},
		Line{PostedAt: jan1, Description: strings.Repeat("Ë", 500), Amount: math.MaxInt64, BalanceAfter: math.MaxInt64},
	)
	words := pdfWords(t, render(t, s))
	checkInsidePage(t, words)

	const tol = 0.5
	descRight := pt(colDescX + colDescW)
	var descWords, amountWords int
	for _, w := range words {
		switch {
		case strings.HasPrefix(w.text, "Zgjatje") || strings.HasPrefix(w.text, "ÇÇÇ") || strings.HasPrefix(w.text, "ËËË") || strings.HasPrefix(w.text, "RRR"):
			descWords++
			if w.xMax > descRight+tol {
				t.Errorf("description word %.20q ends at %.1f, past the description column (%.1f)", w.text, w.xMax, descRight)
			}
		case strings.Contains(w.text, "92.233.720.368.547.758,0"):
			amountWords++
			inAmount := w.xMin >= pt(colAmountX)-tol && w.xMax <= pt(colAmountX+colAmountW)+tol
			inBalance := w.xMin >= pt(colBalanceX)-tol && w.xMax <= pt(colBalanceX+colBalanceW)+tol
			inSummary := w.yMin < pt(100) // the summary box above the table
			if !inAmount && !inBalance && !inSummary {
				t.Errorf("amount %q at x %.1f–%.1f straddles a column", w.text, w.xMin, w.xMax)
			}
		}
	}
	// Guard against a check that passes because it matched nothing.
	if descWords < 10 || amountWords < 6 {
		t.Fatalf("checked %d description and %d amount words; the layout or pdftotext output changed", descWords, amountWords)
	}
	text := pdfText(t, render(t, s))
	for _, want := range []string{"-92.233.720.368.547.758,08", "92.233.720.368.547.758,07"} {
		if !strings.Contains(text, want) {
			t.Errorf("amount %q is not printed in full", want)
		}
	}
}

func TestRenderSurvivesHostileText(t *testing.T) {
	tests := []struct {
		name, desc string
	}{
		{"emoji outside the basic plane", "Kafe ☕ me miqtë 🙂🎉"},
		{"invalid UTF-8", "Pagesë \xff\xfe e prishur"},
		{"control characters and newlines", "rresht 1\nrresht 2\r\n\x00\x07\ttab"},
		{"bidi override", "Arbër \u202Ealeç\u202C"},
		{"only whitespace", " \n\t "},
		{"PDF syntax characters", `(kllapa) \backslash\ ) (`},
		{"very long", strings.Repeat("çelës ", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleStatement(Albanian, 1)
			s.Lines[0].Description = tt.desc
			s.Lines[0].Counterparty = tt.desc
			s.HolderName = tt.desc
			render(t, s)
		})
	}
}

func TestRenderRejectsInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Statement)
		code   string
	}{
		{"unknown language", func(s *Statement) { s.Lang = "de" }, "unsupported_language"},
		{"no generation time", func(s *Statement) { s.GeneratedAt = time.Time{} }, "missing_generated_at"},
		{"no start date", func(s *Statement) { s.From = time.Time{} }, "invalid_period"},
		{"end before start", func(s *Statement) { s.From, s.To = jan31, jan1 }, "invalid_period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleStatement(Albanian, 1)
			tt.change(&s)
			_, err := Render(s)
			if kumbara.KindOf(err) != kumbara.KindInvalid || kumbara.CodeOf(err) != tt.code {
				t.Errorf("Render error = %v, want invalid %q", err, tt.code)
			}
		})
	}
}

func TestRenderAcceptsSingleDayPeriodInAnyZone(t *testing.T) {
	s := sampleStatement(Albanian, 1)
	// The same calendar day expressed in two zones: To is not before From.
	s.From = time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	s.To = time.Date(2025, 1, 31, 0, 0, 0, 0, time.FixedZone("UTC+5", 5*3600))
	render(t, s)
}

func TestRenderIsDeterministic(t *testing.T) {
	s := sampleStatement(Albanian, 50)
	if a, b := render(t, s), render(t, s); !bytes.Equal(a, b) {
		t.Error("two renders of the same statement differ")
	}
}

func TestRenderIsSafeForConcurrentUseAndLeavesFontsIntact(t *testing.T) {
	before := [2][32]byte{sha256.Sum256(fontRegular), sha256.Sum256(fontBold)}
	s := sampleStatement(Albanian, 40)
	want := render(t, s)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := render(t, s); !bytes.Equal(got, want) {
				t.Error("concurrent render differs")
			}
		})
	}
	wg.Wait()
	if after := [2][32]byte{sha256.Sum256(fontRegular), sha256.Sum256(fontBold)}; after != before {
		t.Error("rendering modified the embedded font bytes")
	}
}

func TestRenderEmbedsOnlyASubsetOfTheFont(t *testing.T) {
	pdf := render(t, sampleStatement(Albanian, 100))
	// The two full fonts are ~1.4 MB; subset and compressed, a 100-line
	// statement stays far below one of them.
	if limit := len(fontRegular) / 5; len(pdf) > limit {
		t.Errorf("100-line statement is %d bytes, want at most %d", len(pdf), limit)
	}
}

func BenchmarkRenderStatement100Lines(b *testing.B) {
	s := sampleStatement(Albanian, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(s); err != nil {
			b.Fatal(err)
		}
	}
}
