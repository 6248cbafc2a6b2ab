package statement

import (
	"fmt"
	"time"

	"github.com/kumbara/kumbara/i18n"
)

// Receipt is everything printed on the receipt of one transfer. Amount is in
// minor units of Currency.
type Receipt struct {
	Lang  Lang
	Texts *i18n.Catalogue // the words of the transfer pages, in Lang

	BankName, BankBIC  string
	TransferID, Status string
	CreatedAt          time.Time // printed in Europe/Tirane

	FromName, FromIBAN string
	ToName, ToIBAN     string
	// ToPhone is the beneficiary's phone the transfer named (told of it by SMS); "" prints no line.
	ToPhone string

	Amount   int64
	Currency string

	Description string

	// ValueDate is the day the money counts from (its date in Tirane); printed only when it is a later day than
	// CreatedAt's, as after the close of business (AfterClose) or on a day the bank is closed (T14).
	ValueDate  time.Time
	AfterClose bool

	// StatusText, when set, is printed for the status instead of the transfer pages' words for Status: a payment
	// to another bank has statuses of its own, which its caller names in Lang.
	StatusText string
	// Details are further rows, printed after the beneficiary's, each a label and its values in Lang: what a
	// payment to another bank adds (the way it travels, the fee, what left the account, the name check).
	Details []ReceiptDetail

	// Title, IDLabel, FromLabel and ToLabel, when set, are printed instead of a transfer's words for the document,
	// its reference and its two parties: a currency exchange between the customer's own accounts is not a transfer
	// from a payer to a beneficiary. Each is in Lang.
	Title, IDLabel, FromLabel, ToLabel string
}

// ReceiptDetail is one further row of a receipt: its label and its values, one a line.
type ReceiptDetail struct {
	Label  string
	Values []string
}

// receiptDetails and receiptDetailLines keep the receipt on one page however many further rows it is given: at
// most that many rows of at most that many lines, and the description wrapped to receiptDetailDescLines then.
const (
	receiptDetails         = 9
	receiptDetailLines     = 2
	receiptDetailDescLines = 3
)

// receiptDescLines keeps the receipt on one page whatever the description.
const receiptDescLines = 8

// RenderReceipt lays out the receipt of a transfer as a one-page PDF.
func RenderReceipt(r Receipt) ([]byte, error) {
	lang, ok := r.Lang.normalize()
	if !ok {
		return nil, ErrUnsupportedLanguage
	}
	if r.CreatedAt.IsZero() {
		return nil, ErrMissingCreatedAt
	}
	if r.Texts == nil {
		return nil, errNoTexts
	}
	l := labelsFor(r.Texts, lang)
	title, idLabel, fromLabel, toLabel := or(r.Title, l.receiptTitle), or(r.IDLabel, l.transferID),
		or(r.FromLabel, l.payer), or(r.ToLabel, l.beneficiary)
	d, err := newDoc(l, lang, title+" "+r.TransferID, r.BankName, r.CreatedAt)
	if err != nil {
		return nil, err
	}
	d.pdf.AddPage()
	y := marginT

	d.textColor(colAccent)
	d.font("B", 14)
	d.text(marginL, y, 120, 7, r.BankName, "L")
	if r.BankBIC != "" {
		d.textColor(colMuted)
		d.font("", 7.5)
		d.text(pageW-marginR-55, y+0.5, 55, 3.6, "BIC: "+r.BankBIC, "R")
	}
	y += 9
	d.accentRule(y)
	y += 3

	d.textColor(colAccent)
	d.font("B", 16)
	d.text(marginL, y, contentW, 8, title, "L")
	y += 12

	// The amount is what the customer came for, so it stands apart.
	const boxH = 17.0
	d.fillRect(marginL, y, contentW, boxH, colBox)
	d.textColor(colMuted)
	d.font("", 8)
	d.text(marginL+2, y+2, contentW-4, 4, l.amount, "L")
	d.textColor(colText)
	amount := FormatAmount(r.Amount, lang)
	if c := clean(r.Currency); c != "" {
		amount += " " + c
	}
	d.shrink(marginL+2, y+7, contentW-4, 8, amount, "L", "B", 18)
	y += boxH + 6

	const labelW = 45.0
	const lh = 5.0
	row := func(label string, values ...string) {
		d.textColor(colMuted)
		d.font("", 8.5)
		d.text(marginL, y+1.5, labelW, lh, label, "L")
		d.textColor(colText)
		d.font("", 9.5)
		n := 0
		for _, v := range values {
			if clean(v) == "" {
				continue
			}
			// Receipt values are names, IBANs and ids (the description
			// arrives already wrapped), so they shrink rather than lose text.
			d.shrink(marginL+labelW, y+1.5+float64(n)*lh, contentW-labelW, lh, v, "L", "", 9.5)
			n++
		}
		y += float64(max(n, 1))*lh + 3
		d.rule(y)
	}
	row(idLabel, r.TransferID)
	status := l.statusText(r.Status)
	if r.StatusText != "" {
		status = r.StatusText
	}
	row(l.status, status)
	row(l.createdAt, d.dateTime(r.CreatedAt, true))
	if v, ok := r.laterValueDate(l, lang, d.loc); ok {
		row(l.valueDate, v)
	}
	row(fromLabel, r.FromName, formatIBAN(r.FromIBAN))
	row(toLabel, r.ToName, formatIBAN(r.ToIBAN))
	if clean(r.ToPhone) != "" {
		row(l.payeePhone, r.ToPhone)
	}
	descLines := receiptDescLines
	for _, x := range r.Details[:min(len(r.Details), receiptDetails)] {
		row(x.Label, x.Values[:min(len(x.Values), receiptDetailLines)]...)
		descLines = receiptDetailDescLines
	}
	d.font("", 9.5)
	row(l.description, d.wrap(r.Description, contentW-labelW, descLines)...)

	// The receipt has no generation time of its own to show: CreatedAt is when
	// the transfer was made, already printed above.
	d.footers(l.electronic)
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("statement: lay out receipt: %w", err)
	}
	return d.output()
}

// or is s, or else when s is blank.
func or(s, otherwise string) string {
	if clean(s) == "" {
		return otherwise
	}
	return s
}

// laterValueDate is the value date as the receipt words it — "08.12.2026, after the close of business" — when it
// is a later day than the transfer's (T14); false when the money counted from the day it was made.
func (r Receipt) laterValueDate(l *labels, lang Lang, tirane *time.Location) (string, bool) {
	if r.ValueDate.IsZero() {
		return "", false
	}
	vy, vm, vd := r.ValueDate.In(tirane).Date()
	cy, cm, cd := r.CreatedAt.In(tirane).Date()
	if !time.Date(vy, vm, vd, 0, 0, 0, 0, time.UTC).After(time.Date(cy, cm, cd, 0, 0, 0, 0, time.UTC)) {
		return "", false
	}
	key := "web_doc_value_date_closed_day"
	if r.AfterClose {
		key = "web_doc_value_date_after_close"
	}
	date := formatDate(time.Date(vy, vm, vd, 0, 0, 0, 0, time.UTC), lang)
	return l.c.Message(l.lang, key, map[string]string{"date": date}), true
}
