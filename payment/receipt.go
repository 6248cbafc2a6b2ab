package payment

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

// HasReceipt reports whether p has a receipt: once the bank took it (its money held), whatever became of it
// after. A payment still waiting for its confirmation, or one that failed or lapsed before it was taken, moved
// nothing and has none.
func (p Payment) HasReceipt() bool {
	return slices.Contains([]string{Accepted, Waiting, Sent, Settled, Rejected, Returned, Credited}, p.Status)
}

// Receipt renders the PDF receipt of one of the customer's payments to or from another bank (Y19), as every
// channel that offers one prints it, through the same document as a transfer's (package statement): the
// parties, the amount, the status in the reader's words, and what a payment adds — the way it travels, the
// beneficiary's bank, who bears the charges, the fee and what left the account, the name check the customer was
// shown before confirming (VoP), an international payment's purpose, and why it was rejected or returned.
// Another customer's payment is payment_not_found, like Get; one without a receipt yet (HasReceipt) is
// transfer_not_completed. bank is the bank named on the receipt.
func (s *Service) Receipt(ctx context.Context, customerID, id string, bank customer.Bank, lang statement.Lang) (Payment, []byte, error) {
	p, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Payment{}, nil, err
	}
	if !p.HasReceipt() {
		return Payment{}, nil, transfer.ErrNotCompleted
	}
	holder, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Payment{}, nil, fmt.Errorf("receipt: holder: %w", err)
	}
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.SQ
	}
	m := func(key string) string { return s.Texts.Message(l, key, nil) }
	desc := p.Description
	if desc == "" {
		desc = m(TextDefault)
	}
	r := statement.Receipt{Lang: lang, Texts: s.Texts, BankName: bank.Name, BankBIC: bank.BIC, TransferID: p.ID,
		Status: p.Status, StatusText: m("web_pay_status_" + p.Status), CreatedAt: p.CreatedAt,
		FromName: holder.Name(), FromIBAN: p.AccountIBAN, ToName: p.Beneficiary.Name, ToIBAN: p.Beneficiary.Account(),
		Amount: p.Amount.Minor, Currency: string(p.Amount.Currency), Description: desc, Details: s.receiptDetails(p, l)}
	if p.Direction == In {
		// A payment received: the other bank's customer paid this one.
		r.FromName, r.FromIBAN, r.ToName, r.ToIBAN = p.Beneficiary.Name, p.Beneficiary.Account(), holder.Name(), p.AccountIBAN
	}
	if !p.ValueDate.IsZero() {
		// Printed when later than the day the payment was made: after the cut-off, or on a day the bank is closed,
		// it is the next working day's.
		r.ValueDate = p.ValueDate.Start()
	}
	pdf, err := statement.RenderReceipt(r)
	if err != nil {
		return Payment{}, nil, fmt.Errorf("render receipt: %w", err)
	}
	return p, pdf, nil
}

// receiptDetails are the rows a payment adds to the receipt, in the reader's language, the most telling first.
func (s *Service) receiptDetails(p Payment, l i18n.Lang) []statement.ReceiptDetail {
	m := func(key string) string { return s.Texts.Message(l, key, nil) }
	amount := func(minor int64) string { return i18n.FormatAmount(minor, string(p.Amount.Currency), l) }
	var out []statement.ReceiptDetail
	add := func(labelKey string, values ...string) {
		var kept []string
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) > 0 {
			out = append(out, statement.ReceiptDetail{Label: m(labelKey), Values: kept})
		}
	}
	add("web_pay_scheme", m("web_pay_scheme_"+p.Scheme))
	add("web_pay_bank", p.Beneficiary.BankName, p.Beneficiary.BIC)
	if p.Direction == Out {
		add("web_pay_charges", m("web_pay_charges_"+strings.ToLower(p.Charges)))
		fee := amount(p.Fee.Minor)
		if p.FeeDeducted {
			fee = s.Texts.Message(l, "web_pay_fee_deducted", map[string]string{"fee": fee})
		}
		add("web_pay_fee", fee)
		if x := p.Exchange; p.Converted() {
			add("web_pay_debited_fx", amount(p.Debited().Minor))
			add("web_pay_rate", i18n.FormatRate(string(x.Base), x.Rate, string(x.Quoted), l))
			add("web_pay_debited", i18n.FormatAmount(x.Charged.Minor, string(x.Charged.Currency), l))
		} else {
			add("web_pay_debited", amount(p.Debited().Minor))
		}
		if p.FeeDeducted {
			add("web_pay_sent", amount(p.SentAmount().Minor))
		}
	}
	switch v := p.Verification; v.Result {
	case "":
	case CloseMatch:
		add("web_pay_vop", m("web_pay_vop_"+v.Result), s.Texts.Message(l, "web_pay_vop_name", map[string]string{"name": v.Name}))
	default:
		add("web_pay_vop", m("web_pay_vop_"+v.Result))
	}
	if p.Purpose.Category != "" {
		add("web_pay_purpose", m("web_pay_purpose_"+strings.ToLower(p.Purpose.Category)), p.Purpose.Purpose)
		add("web_pay_beneficiary_category", m("web_pay_beneficiary_category_"+p.Purpose.BeneficiaryCategory))
	}
	if p.Reason != "" && (p.Status == Rejected || p.Status == Returned) {
		add("web_pay_reason", ReasonText(s.Texts, l, p.Reason))
	}
	return out
}
