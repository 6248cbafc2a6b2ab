package transfer

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/vop"
)

// Receipt renders the PDF receipt of one of the customer's transfers (Y19), as printed by every channel that
// offers one — the API and the web app call this, so the two receipts cannot drift apart. Another customer's
// transfer is transfer_not_found, like Get. bank is the bank named on the receipt.
func (s *Service) Receipt(ctx context.Context, customerID, id string, bank customer.Bank, lang statement.Lang) (Transfer, []byte, error) {
	t, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Transfer{}, nil, err
	}
	if t.Status != Completed {
		// A receipt says money moved; until it has, there is none.
		return Transfer{}, nil, ErrNotCompleted
	}
	payer, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Transfer{}, nil, fmt.Errorf("receipt: payer: %w", err)
	}
	var valueDate time.Time
	if !t.ValueDate.IsZero() {
		valueDate = t.ValueDate.Start()
	}
	desc := t.Description
	if desc == "" {
		desc = s.Texts.Message(i18n.Lang(lang), TextDefault, nil)
	}
	pdf, err := statement.RenderReceipt(statement.Receipt{Lang: lang, Texts: s.Texts, BankName: bank.Name, BankBIC: bank.BIC,
		TransferID: t.ID, Status: t.Status, CreatedAt: t.CreatedAt, FromName: payer.Name(), FromIBAN: t.FromIBAN,
		ToName: t.ToName, ToIBAN: t.ToIBAN, ToPhone: t.PayeePhone, Amount: t.Amount.Minor, Currency: string(t.Amount.Currency),
		Description: desc, ValueDate: valueDate, AfterClose: s.afterClose(t), Details: s.verificationDetails(t, lang)})
	if err != nil {
		return Transfer{}, nil, fmt.Errorf("render receipt: %w", err)
	}
	return t, pdf, nil
}

// afterClose reports whether t was made after the close of business of its day, so its value date is the next
// working day's for that reason rather than because the bank was closed that day.
func (s *Service) afterClose(t Transfer) bool {
	cal := s.Ledger.Calendar
	if cal == nil {
		cal = &calendar.Service{}
	}
	return cal.AfterClose(t.CreatedAt)
}

// verificationDetails is the receipt's row of the name check the payer was told before confirming, in the words
// and under the label the receipt of a payment to another bank prints it (VoP): the result and, on a close match,
// the name on the account. None when the transfer named no payee.
func (s *Service) verificationDetails(t Transfer, lang statement.Lang) []statement.ReceiptDetail {
	v := t.Verification
	if v.Result == "" {
		return nil
	}
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.SQ
	}
	values := []string{s.Texts.Message(l, TextVerification+"_"+string(v.Result), nil)}
	if v.Result == vop.CloseMatch && v.Name != "" {
		values = append(values, s.Texts.Message(l, TextVerificationName, map[string]string{"name": v.Name}))
	}
	return []statement.ReceiptDetail{{Label: s.Texts.Message(l, TextVerification, nil), Values: values}}
}
