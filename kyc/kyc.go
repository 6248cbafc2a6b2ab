// Package kyc validates the identifiers the bank collects when it gets to know a customer: the Albanian personal
// number (numri personal), the business tax number (NIPT), the bank's own client number and an Albanian mobile
// number; and it masks names and phone numbers for screens that confirm a payee without disclosing them.
//
// Every check that fails returns an instance of one of the errors in errors.go, whose code picks the customer's
// message. Its Detail says which rule failed, for the logs, and never repeats the input, which is personal data.
package kyc

import "github.com/kumbara/kumbara/iban"

// compact is iban.Compact: one rule for reading any identifier a customer types.
var compact = iban.Compact

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
