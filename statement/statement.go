// Package statement renders the bank's customer documents as PDF: the account
// statement for a period and the receipt of a transfer.
//
// Both are laid out on A4 in DejaVu Sans, embedded and subset, because the
// PDF core fonts cannot show the Albanian ë and ç. Amounts are int64 minor
// units and are formatted digit by digit; times are printed in Europe/Tirane.
package statement

import (
	"fmt"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/i18n"
)

// Line is one posted transaction on a statement.
type Line struct {
	PostedAt     time.Time // printed in Europe/Tirane
	Description  string
	Counterparty string
	Reference    string // transaction id
	Amount       int64  // minor units, signed: credit > 0, debit < 0
	BalanceAfter int64  // minor units
}

// Statement is everything printed on an account statement. Amounts are minor
// units of Currency.
type Statement struct {
	Lang  Lang
	Texts *i18n.Catalogue // the words of the page, in Lang

	BankName, BankBIC, BankAddress          string
	HolderName, HolderAddress, ClientNumber string
	IBAN, AccountNumber, Currency           string
	AccountType                             string

	// From and To are the first and last day of the period, both included.
	// They are calendar dates: their year, month and day are printed in the
	// location they carry, without conversion to Europe/Tirane.
	From, To time.Time

	Opening, Closing int64
	TotalCredits     int64
	TotalDebits      int64 // a positive number
	Lines            []Line

	GeneratedAt time.Time // printed in Europe/Tirane in every page footer
}

// Column widths of the transaction table, in millimetres; they add up to the
// content width.
const (
	colDateW    = 24.0
	colAmountW  = 31.0
	colBalanceW = 31.0
	colDescW    = contentW - colDateW - colAmountW - colBalanceW

	colDateX    = marginL
	colDescX    = colDateX + colDateW
	colAmountX  = colDescX + colDescW
	colBalanceX = colAmountX + colAmountW
)

// Row metrics: main text 8 pt, secondary (time, counterparty) 6.5 pt.
const (
	rowSize       = 8.0
	rowDetailSize = 6.5
	rowLH         = 3.8
	rowDetailLH   = 3.2
	rowPad        = 1.1
	headRowH      = 6.0
	// maxDescLines bounds a row's height, so one absurd description cannot
	// outgrow a page.
	maxDescLines = 3
)

var colCredit = rgb{22, 110, 55}

// Render lays out the statement as a PDF. The transaction table runs over as
// many pages as it needs, repeating its header on each; every page carries
// "page X of Y" and the generation time.
func Render(s Statement) ([]byte, error) {
	lang, ok := s.Lang.normalize()
	if !ok {
		return nil, ErrUnsupportedLanguage
	}
	if s.GeneratedAt.IsZero() {
		return nil, ErrMissingGeneratedAt
	}
	if s.From.IsZero() || s.To.IsZero() {
		return nil, ErrInvalidPeriod.WithFields(kumbara.ErrRequired.At("period"))
	}
	if dayOf(s.To).Before(dayOf(s.From)) {
		return nil, ErrInvalidPeriod.WithFields(ErrBeforeFrom.At("to"))
	}

	if s.Texts == nil {
		return nil, errNoTexts
	}
	l := labelsFor(s.Texts, lang)
	period := calendarDate(s.From, lang) + " – " + calendarDate(s.To, lang)
	title := l.statementTitle + " " + formatIBAN(s.IBAN) + " " + period
	d, err := newDoc(l, lang, title, s.BankName, s.GeneratedAt)
	if err != nil {
		return nil, err
	}
	st := &statementLayout{doc: d, s: &s, period: period}
	st.firstPage()
	st.table()

	footer := l.generated(d.dateTime(s.GeneratedAt, false))
	if s.BankName != "" {
		footer += " · " + s.BankName
	}
	d.footers(footer)
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("statement: lay out statement: %w", err)
	}
	return d.output()
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type statementLayout struct {
	*doc
	s      *Statement
	period string
	y      float64
}

// kv is one label/value pair of an information block.
type kv struct {
	label, value string
	bold         bool
	lines        int  // how many lines the value may wrap to; 0 means 1
	whole        bool // an identifier: shrunk to fit, never cut
}

// infoBlock prints label/value rows in a column and returns the y below it.
// Empty values are left out rather than printed as a bare label.
func (st *statementLayout) infoBlock(x, y, w, labelW float64, rows []kv) float64 {
	const lh = 4.4
	for _, r := range rows {
		if clean(r.value) == "" {
			continue
		}
		st.textColor(colMuted)
		st.font("", 7.5)
		st.text(x, y, labelW, lh, r.label, "L")
		st.textColor(colText)
		style := ""
		if r.bold {
			style = "B"
		}
		if r.whole {
			st.shrink(x+labelW, y, w-labelW, lh, r.value, "L", style, 8.5)
			y += lh
			continue
		}
		st.font(style, 8.5)
		lines := st.wrap(r.value, w-labelW, max(r.lines, 1))
		for i, line := range lines {
			st.text(x+labelW, y+float64(i)*lh, w-labelW, lh, line, "L")
		}
		y += float64(len(lines)) * lh
	}
	return y
}

func (st *statementLayout) firstPage() {
	s, l := st.s, st.l
	st.pdf.AddPage()
	y := marginT

	st.textColor(colAccent)
	st.font("B", 14)
	st.text(marginL, y, 105, 7, s.BankName, "L")

	// Bank identification on the right, as on the bank's letterhead.
	const bankW = 75.0
	st.textColor(colMuted)
	st.font("", 7.5)
	ry := y + 0.5
	if s.BankBIC != "" {
		st.text(pageW-marginR-bankW, ry, bankW, 3.6, "BIC: "+s.BankBIC, "R")
		ry += 3.6
	}
	for _, line := range st.wrap(s.BankAddress, bankW, 2) {
		st.text(pageW-marginR-bankW, ry, bankW, 3.6, line, "R")
		ry += 3.6
	}
	y = max(y+9, ry) + 2
	st.accentRule(y)
	y += 3

	st.textColor(colAccent)
	st.font("B", 16)
	st.text(marginL, y, contentW, 8, l.statementTitle, "L")
	y += 11

	leftY := st.infoBlock(marginL, y, 86, 28, []kv{
		{label: l.holder, value: s.HolderName, bold: true},
		{label: l.address, value: s.HolderAddress, lines: 2},
		{label: l.clientNumber, value: s.ClientNumber, whole: true},
	})
	rightY := st.infoBlock(marginL+92, y, contentW-92, 28, []kv{
		{label: l.iban, value: formatIBAN(s.IBAN), bold: true, whole: true},
		{label: l.accountNumber, value: s.AccountNumber, whole: true},
		{label: l.currency, value: s.Currency},
		{label: l.accountType, value: s.AccountType},
		{label: l.period, value: st.period},
	})
	y = max(leftY, rightY) + 4

	// Summary: the four figures a customer checks first.
	const boxH = 14.0
	st.fillRect(marginL, y, contentW, boxH, colBox)
	cellW := contentW / 4
	for i, f := range []struct {
		label string
		value int64
	}{
		{l.opening, s.Opening},
		{l.credits, s.TotalCredits},
		{l.debits, s.TotalDebits},
		{l.closing, s.Closing},
	} {
		x := marginL + float64(i)*cellW
		st.textColor(colMuted)
		st.font("", 7.5)
		st.text(x, y+1.8, cellW, 4, f.label, "R")
		st.textColor(colText)
		st.number(x, y+6.5, cellW, 5.5, st.money(f.value), "B", 10.5)
	}
	st.y = y + boxH + 5
	st.tableHeader()
}

func (st *statementLayout) money(v int64) string {
	if st.s.Currency == "" {
		return FormatAmount(v, st.lang)
	}
	return FormatAmount(v, st.lang) + " " + clean(st.s.Currency)
}

// continuationPage starts a new page with a one-line reminder of whose
// statement this is, so a loose page can still be identified.
func (st *statementLayout) continuationPage() {
	s := st.s
	st.pdf.AddPage()
	y := marginT
	st.textColor(colAccent)
	st.font("B", 9)
	st.text(marginL, y, 55, 5, s.BankName, "L")
	st.textColor(colMuted)
	st.font("", 7)
	st.text(marginL+55, y, contentW-55, 5, st.l.statementTitle+" · "+formatIBAN(s.IBAN)+" · "+st.period, "R")
	y += 6
	st.accentRule(y)
	st.y = y + 3
	st.tableHeader()
}

func (st *statementLayout) tableHeader() {
	suffix := ""
	if c := clean(st.s.Currency); c != "" {
		suffix = " (" + c + ")"
	}
	st.fillRect(marginL, st.y, contentW, headRowH, colHead)
	st.textColor(colText)
	st.font("B", 7.5)
	y := st.y + (headRowH-4)/2
	st.text(colDateX, y, colDateW, 4, st.l.date, "L")
	st.text(colDescX, y, colDescW, 4, st.l.description, "L")
	st.text(colAmountX, y, colAmountW, 4, st.l.amount+suffix, "R")
	st.text(colBalanceX, y, colBalanceW, 4, st.l.balance+suffix, "R")
	st.y += headRowH
}

// ensure starts a new page when a row of height h would run into the footer.
func (st *statementLayout) ensure(h float64) {
	if st.y+h > bodyBottom {
		st.continuationPage()
	}
}

func (st *statementLayout) table() {
	s := st.s
	st.balanceRow(s.From, st.l.opening, s.Opening)
	if len(s.Lines) == 0 {
		h := rowLH + 2*rowPad + 4
		st.ensure(h)
		st.textColor(colMuted)
		st.font("", rowSize)
		st.text(marginL, st.y+2+rowPad, contentW, rowLH, st.l.noLines, "C")
		st.y += h
	}
	for i := range s.Lines {
		st.line(&s.Lines[i], i%2 == 1)
	}
	st.balanceRow(s.To, st.l.closing, s.Closing)
	st.rule(st.y)
}

// balanceRow frames the transactions with the opening and closing balance, so
// each line's running balance can be followed from the first to the last.
func (st *statementLayout) balanceRow(day time.Time, label string, balance int64) {
	h := rowLH + 2*rowPad
	st.ensure(h)
	y := st.y + rowPad
	st.textColor(colText)
	st.font("", rowSize)
	st.text(colDateX, y, colDateW, rowLH, calendarDate(day, st.lang), "L")
	st.font("B", rowSize)
	st.text(colDescX, y, colDescW, rowLH, label, "L")
	st.number(colBalanceX, y, colBalanceW, rowLH, FormatAmount(balance, st.lang), "B", rowSize)
	st.rule(st.y + h)
	st.y += h
}

func (st *statementLayout) line(ln *Line, shaded bool) {
	st.font("", rowSize)
	desc := st.wrap(ln.Description, colDescW, maxDescLines)
	if len(desc) == 0 {
		desc = []string{""}
	}
	detail := clean(ln.Counterparty)
	if ref := clean(ln.Reference); ref != "" {
		if detail != "" {
			detail += " · "
		}
		detail += st.l.reference + " " + ref
	}
	textH := float64(len(desc)) * rowLH
	if detail != "" {
		textH += rowDetailLH
	}
	h := max(textH, rowLH+rowDetailLH) + 2*rowPad
	st.ensure(h)
	if shaded {
		st.fillRect(marginL, st.y, contentW, h, colZebra)
	}
	y := st.y + rowPad
	posted := ln.PostedAt.In(st.loc)

	st.textColor(colText)
	st.font("", rowSize)
	st.text(colDateX, y, colDateW, rowLH, formatDate(posted, st.lang), "L")
	for i, text := range desc {
		st.text(colDescX, y+float64(i)*rowLH, colDescW, rowLH, text, "L")
	}
	st.number(colBalanceX, y, colBalanceW, rowLH, FormatAmount(ln.BalanceAfter, st.lang), "", rowSize)
	if ln.Amount > 0 {
		st.textColor(colCredit)
	}
	st.number(colAmountX, y, colAmountW, rowLH, FormatAmount(ln.Amount, st.lang), "", rowSize)

	st.textColor(colMuted)
	st.font("", rowDetailSize)
	st.text(colDateX, y+rowLH, colDateW, rowDetailLH, posted.Format("15:04"), "L")
	if detail != "" {
		st.text(colDescX, y+float64(len(desc))*rowLH, colDescW, rowDetailLH, detail, "L")
	}
	st.y += h
}
