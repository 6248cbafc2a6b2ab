package statement

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW      = 210.0
	pageH      = 297.0
	marginL    = 15.0
	marginR    = 15.0
	marginT    = 14.0
	contentW   = pageW - marginL - marginR
	footerRule = pageH - 15.0
	// bodyBottom leaves room for the footer, which is drawn after the body
	// once the page count is known.
	bodyBottom = footerRule - 3.0
)

const fontFamily = "dejavu"

type rgb struct{ r, g, b int }

var (
	// The internet branch's colours (web/core's stylesheet): the bank's green for the name, headings and rules, its
	// pale tint behind the table's head and the summary, so a printed statement looks like the page it came from.
	colText   = rgb{33, 37, 41}
	colMuted  = rgb{95, 102, 110}
	colAccent = rgb{0x0b, 0x5d, 0x3b} // #0b5d3b
	colRule   = rgb{0xc4, 0xd8, 0xcc}
	colHead   = rgb{0xe3, 0xef, 0xe8}
	colZebra  = rgb{246, 248, 247}
	colBox    = rgb{0xf0, 0xf6, 0xf2}
)

// doc wraps one fpdf document with the helpers both documents share: text is
// cleaned and fitted to its box before fpdf sees it, because fpdf itself
// happily draws past a cell's edge.
type doc struct {
	pdf  *fpdf.Fpdf
	lang Lang
	l    *labels
	loc  *time.Location
}

func newDoc(l *labels, lang Lang, title, author string, created time.Time) (*doc, error) {
	loc, err := tirane()
	if err != nil {
		return nil, fmt.Errorf("statement: load Europe/Tirane: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginL, marginT, marginR)
	// Page breaks are placed by the layout code, which knows row heights and
	// must repeat the table header; fpdf's automatic break would split rows.
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	// Fixed dates and sorted catalog make the bytes a function of the input,
	// so a document can be regenerated and compared, and tests are stable.
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(clean(title), true)
	pdf.SetAuthor(clean(author), true)
	pdf.SetCreator("Kumbara", true)
	pdf.SetLang(string(lang))
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("statement: set up PDF: %w", err)
	}
	return &doc{pdf: pdf, lang: lang, l: l, loc: loc}, nil
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont(fontFamily, style, size) }

func (d *doc) textColor(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fillColor(c rgb) { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *doc) drawColor(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// accentRule is the bank's green line under a page's letterhead.
func (d *doc) accentRule(y float64) {
	d.drawColor(colAccent)
	d.pdf.SetLineWidth(0.5)
	d.pdf.Line(marginL, y, pageW-marginR, y)
}

func (d *doc) rule(y float64) {
	d.drawColor(colRule)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginL, y, pageW-marginR, y)
}

func (d *doc) fillRect(x, y, w, h float64, c rgb) {
	d.fillColor(c)
	d.pdf.Rect(x, y, w, h, "F")
}

// text draws s on one line inside the box, cut with an ellipsis when it does
// not fit.
func (d *doc) text(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, d.fit(clean(s), w), "", 0, align, false, 0, "")
}

// number draws an amount right-aligned on one line; see shrink.
func (d *doc) number(x, y, w, h float64, s, style string, size float64) {
	d.shrink(x, y, w, h, s, "R", style, size)
}

// shrink draws s on one line, reducing the font size until it fits. It is for
// amounts and identifiers, which should not lose characters: a truncated IBAN
// or amount would be a wrong one. Only text that does not fit even at the
// smallest size (a name hundreds of characters long) is cut, because running
// over the page is worse. Every int64 amount fits the amount columns at
// minShrink.
func (d *doc) shrink(x, y, w, h float64, s, align, style string, size float64) {
	const minShrink = 5.0
	s = clean(s)
	avail := w - 2*d.pdf.GetCellMargin()
	sz := size
	d.font(style, sz)
	for d.pdf.GetStringWidth(s) > avail && sz > minShrink {
		sz = max(sz-0.5, minShrink)
		d.font(style, sz)
	}
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, d.fit(s, w), "", 0, align, false, 0, "")
	d.font(style, size)
}

// fit returns s, or its longest prefix that fits in a cell of width w
// followed by an ellipsis.
func (d *doc) fit(s string, w float64) string {
	avail := w - 2*d.pdf.GetCellMargin()
	if d.pdf.GetStringWidth(s) <= avail {
		return s
	}
	const ellipsis = "…"
	r := []rune(s)
	lo, hi := 0, len(r) // largest n with r[:n]+… fitting lies in [lo, hi)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.pdf.GetStringWidth(string(r[:mid])+ellipsis) <= avail {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRightFunc(string(r[:lo]), unicode.IsSpace) + ellipsis
}

// wrap breaks s into at most maxLines lines of width w in the current font;
// the last line ends in an ellipsis when text was left out.
func (d *doc) wrap(s string, w float64, maxLines int) []string {
	s = clean(s)
	if s == "" {
		return nil
	}
	lines := d.pdf.SplitText(s, w)
	if len(lines) > maxLines {
		// The joined rest is wider than a line, so fit cuts it and adds the
		// ellipsis.
		rest := strings.Join(lines[maxLines-1:], " ")
		lines = append(lines[:maxLines-1], d.fit(rest, w))
	}
	for i := range lines {
		// SplitText cuts a word longer than the line in the middle but can
		// still leave a line a hair too wide; fit guarantees the bound.
		lines[i] = d.fit(strings.TrimSpace(lines[i]), w)
	}
	return lines
}

func (d *doc) dateTime(t time.Time, seconds bool) string {
	t = t.In(d.loc)
	layout := "15:04"
	if seconds {
		layout = "15:04:05"
	}
	return formatDate(t, d.lang) + " " + t.Format(layout)
}

// footers writes the footer of every page. It runs after the body because
// "page X of Y" needs Y; fpdf's page-count alias would do that too, but fpdf
// measures the alias text rather than the number, so right-aligned footers
// would come out misaligned.
func (d *doc) footers(left string) {
	n := d.pdf.PageCount()
	for i := 1; i <= n; i++ {
		d.pdf.SetPage(i)
		// A revisited page carries on with the graphics state it ended with,
		// not fpdf's current one, so every attribute is set again here; fpdf
		// writes them out on each call.
		d.fillColor(colMuted)
		d.textColor(colMuted)
		d.rule(footerRule)
		d.font("", 7)
		d.text(marginL, footerRule+1, contentW*0.7, 4, left, "L")
		d.text(marginL+contentW*0.7, footerRule+1, contentW*0.3, 4, d.l.pageOf(i, n), "R")
	}
	d.pdf.SetPage(n)
}

func (d *doc) output() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("statement: write PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// clean makes caller text safe for the layout: it has to be valid UTF-8 on a
// single line, and fpdf indexes glyph widths by rune in a 64K table, so a rune
// outside the Basic Multilingual Plane (an emoji in a description) would make
// it panic. Invisible format characters are dropped so bidi overrides cannot
// make a printed name read differently from the stored one.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		case r > 0xFFFF:
			r = '\uFFFD'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
