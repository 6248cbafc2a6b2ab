package statement

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// needPdftotext skips a test that reads the rendered text back when poppler's
// pdftotext is missing on a developer machine, but fails it in CI, where a
// silent skip would leave the Albanian glyphs untested.
func needPdftotext(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext not on PATH; CI must install poppler-utils: %v", err)
		}
		t.Skip("pdftotext not on PATH (apt-get install poppler-utils); with CI=true this fails instead")
	}
}

// pdfText runs pdftotext on the document and returns its output; pages are
// separated by form feeds.
func pdfText(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	needPdftotext(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "doc.txt")
	cmd := exec.Command("pdftotext", append(append(args, "-enc", "UTF-8"), in, out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, msg)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// pages splits pdftotext output into the text of each page.
func pages(text string) []string {
	p := strings.Split(text, "\f")
	if len(p) > 0 && strings.TrimSpace(p[len(p)-1]) == "" {
		p = p[:len(p)-1]
	}
	return p
}

// word is one word as pdftotext -bbox places it, in points from the top left.
type word struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	pageRe = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfWords returns every word of the document with its bounding box.
func pdfWords(t testing.TB, pdf []byte) []word {
	t.Helper()
	html := pdfText(t, pdf, "-bbox")
	var words []word
	page := 0
	for _, line := range strings.Split(html, "\n") {
		if pageRe.MatchString(line) {
			page++
			continue
		}
		m := wordRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := word{page: page, text: unescapeHTML(m[5])}
		for i, p := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
			v, err := strconv.ParseFloat(m[i+1], 64)
			if err != nil {
				t.Fatalf("bbox %q: %v", line, err)
			}
			*p = v
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
	return words
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(s)
}

// pt converts layout millimetres to the points pdftotext reports.
func pt(mm float64) float64 { return mm * 72 / 25.4 }

// checkInsidePage fails for any word that leaves the printable width.
func checkInsidePage(t *testing.T, words []word) {
	t.Helper()
	const tol = 0.5
	for _, w := range words {
		if w.xMin < pt(marginL)-tol || w.xMax > pt(pageW-marginR)+tol || w.yMax > pt(pageH)-tol {
			t.Errorf("page %d: %q at x %.1f–%.1f, y %.1f leaves the printable area (x %.1f–%.1f)",
				w.page, w.text, w.xMin, w.xMax, w.yMax, pt(marginL), pt(pageW-marginR))
		}
	}
}
