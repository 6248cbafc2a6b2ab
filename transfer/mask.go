package transfer

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/money"
)

func maskName(c customer.Customer) string { return kyc.MaskName(c.Name()) }

// setPayee names the payee of t: in full for the books, and as the payer may see them in ToName — in full for an
// own transfer (it is the payer), masked for any other, exactly as the payee check (FindPayee) and the
// confirmation SMS show it.
func (t *Transfer) setPayee(full string) {
	t.payee, t.ToName = full, payeeName(t.Type, full)
}

// payeeName is the payee's full name as the payer of a transfer of type typ may see it.
func payeeName(typ, full string) string {
	if typ == Own {
		return full
	}
	return kyc.MaskName(full)
}

// payeeSMS tells the phone an in-bank transfer named (T3) that money arrived: the amount and who sent it. The
// number was typed by the payer and may not be a customer's, so the message names nothing of the payee (no
// account, no IBAN) and carries nothing to act on. It is in the language of the account's holder, whose money it
// is and whose phone it most likely is, with the amount as that language writes it.
func (s *Service) payeeSMS(ctx context.Context, toAccountID, payerName string, amount money.Amount) (string, error) {
	a, err := s.Ledger.Get(ctx, toAccountID)
	if err != nil {
		return "", fmt.Errorf("payee sms: %w", err)
	}
	holder, err := s.Customers.Get(ctx, a.CustomerID)
	if err != nil {
		return "", fmt.Errorf("payee sms: %w", err)
	}
	lang := holder.Language
	return s.Texts.Message(lang, TextPayeeCredited, map[string]string{"payer": payerName,
		"amount": i18n.FormatAmount(amount.Minor, string(amount.Currency), lang)}), nil
}
