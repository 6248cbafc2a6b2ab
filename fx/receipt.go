package fx

import (
	"context"
	"fmt"
	"strings"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/statement"
)

// The catalogue's words of a conversion's receipt, which the pages that show a conversion use for the same things
// (the page and its PDF say the same thing).
const (
	TextReceiptTitle = "web_fx_doc_title"       // the document: a currency exchange's receipt
	TextReceiptID    = "web_fx_doc_id"          // its reference
	TextFrom         = "web_fx_from"            // the account sold from
	TextTo           = "web_fx_to"              // the account bought into
	TextKind         = "web_fx_kind"            // buying, selling or converting (TextKind + "_" + Kind())
	TextRate         = "web_fx_rate"            // the customer's rate
	TextBought       = "web_fx_doc_credited"    // the amount credited
	TextExecuted     = "web_fx_status_executed" // the status of a conversion that moved its money
)

// ReceiptTexts lists the catalogue keys a receipt prints, for the tests that check each one is there.
func ReceiptTexts() []string {
	return []string{TextReceiptTitle, TextReceiptID, TextFrom, TextTo, TextKind + "_buy", TextKind + "_sell",
		TextKind + "_convert", TextRate, TextBought, TextExecuted, TextConversion}
}

// Receipt renders the PDF receipt of one of the customer's executed conversions (X2–X4) in lang, as every channel
// that offers one prints it, through the document a transfer's and a payment's receipts are (package statement):
// the amount sold in the box, the reference, when the money moved (and a later value date, T14), the two accounts,
// and what a conversion adds — buying, selling or converting, the rate as people read it ("1 EUR = 97,80 ALL"), the
// amount credited — then the description (the bank's own words for the conversion when the customer gave none).
// texts is the catalogue the words come from and bank the bank named on the receipt. Another customer's conversion,
// or a quote that never moved money, is fx_quote_not_found: a receipt says money moved, and until it has there is
// none.
func (s *Service) Receipt(ctx context.Context, customerID, id string, bank customer.Bank, texts *i18n.Catalogue,
	lang statement.Lang) (Conversion, []byte, error) {
	c, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Conversion{}, nil, err
	}
	if c.Status != Executed {
		return Conversion{}, nil, ErrQuoteNotFound
	}
	holder, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Conversion{}, nil, fmt.Errorf("fx receipt: holder: %w", err)
	}
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.SQ
	}
	m := func(key string) string { return texts.Message(l, key, nil) }
	amount := func(a money.Amount) string { return i18n.FormatAmount(a.Minor, string(a.Currency), l) }
	desc := c.Description
	if desc == "" {
		desc = texts.Message(l, TextConversion, map[string]string{"sell": amount(c.Sell), "buy": amount(c.Buy),
			"rate": RateText(c.Price, l)})
	}
	r := statement.Receipt{Lang: lang, Texts: texts, BankName: bank.Name, BankBIC: bank.BIC, TransferID: c.ID,
		Status: c.Status, StatusText: m(TextExecuted), CreatedAt: c.ExecutedAt,
		FromName: holder.Name(), FromIBAN: c.FromIBAN, ToName: holder.Name(), ToIBAN: c.ToIBAN,
		Amount: c.Sell.Minor, Currency: string(c.Sell.Currency), Description: desc,
		Title: m(TextReceiptTitle), IDLabel: m(TextReceiptID), FromLabel: m(TextFrom), ToLabel: m(TextTo),
		Details: []statement.ReceiptDetail{
			{Label: m(TextKind), Values: []string{m(TextKind + "_" + c.Kind())}},
			{Label: m(TextRate), Values: []string{RateText(c.Price, l)}},
			{Label: m(TextBought), Values: []string{amount(c.Buy)}},
		}}
	if !c.ValueDate.IsZero() {
		// Printed only when later than the day the money moved: after the close of business, or on a day the bank
		// is closed, the conversion counts from the next working day.
		r.ValueDate = c.ValueDate.Start()
		cal := s.Ledger.Calendar
		if cal == nil {
			cal = &calendar.Service{}
		}
		r.AfterClose = cal.AfterClose(c.ExecutedAt)
	}
	pdf, err := statement.RenderReceipt(r)
	if err != nil {
		return Conversion{}, nil, fmt.Errorf("fx receipt: %w", err)
	}
	return c, pdf, nil
}

// RateText is p's rate as people read it, in lang's way of writing decimals: "1 EUR = 97,80 ALL" in Albanian,
// "1 EUR = 97.80 ALL" in English (i18n.FormatRate).
func RateText(p Price, lang i18n.Lang) string {
	return i18n.FormatRate(string(p.Base), p.Rate, string(p.Quoted), lang)
}

// ReceiptFileName is the file name a conversion's receipt is saved under, in the reader's language
// ("mandat-kembimi-<id>.pdf", "exchange-receipt-<id>.pdf"): only letters, digits and hyphens of id, so nothing of
// it can break out of a header.
func ReceiptFileName(id string, lang statement.Lang) string {
	prefix := "mandat-kembimi"
	if lang == statement.English {
		prefix = "exchange-receipt"
	}
	safe := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return -1
	}, id)
	return prefix + "-" + safe + ".pdf"
}
