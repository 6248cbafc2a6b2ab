package transfer

import (
	"fmt"

	"github.com/kumbara/kumbara/customer"
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

// payeeSMS tells the phone an in-bank transfer named (T3) that money arrived: the amount and who sent it, in
// Albanian. The number was typed by the payer and may not be a customer's, so the message names nothing of the
// payee (no account, no IBAN) and carries nothing to act on.
func payeeSMS(payerName string, amount money.Amount) string {
	return fmt.Sprintf("Kumbara: %s ju dërgoi %s %s me transfertë brenda Bankës Kumbara.", payerName,
		amount.Decimal(), amount.Currency)
}
