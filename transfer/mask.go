package transfer

import (
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
)

func maskName(c customer.Customer) string { return kyc.MaskName(c.Name()) }

// payeeName is the payee's name as the payer may see it: in full for an own transfer (it is the payer's), masked
// for any other, exactly as the payee check (FindPayee) and the confirmation SMS show it.
func payeeName(transferType, full string) string {
	if transferType == Own {
		return full
	}
	return kyc.MaskName(full)
}
