package transfer

import (
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
)

func maskName(c customer.Customer) string { return kyc.MaskName(c.Name()) }
