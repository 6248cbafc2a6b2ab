package dev3ds

import "testing"

// FuzzParseAmount feeds the network's amount and currency: never a panic, and what it takes is a positive amount in
// a currency the bank knows.
func FuzzParseAmount(f *testing.F) {
	f.Add("2450", "ALL")
	f.Add("18999.90", "eur")
	f.Add("-1", "XXX")
	f.Add("1e9", "")
	f.Fuzz(func(t *testing.T, amount, currency string) {
		a, err := parseAmount(amount, currency)
		if err != nil {
			return
		}
		if a.Minor <= 0 || !a.Currency.Valid() {
			t.Fatalf("%q %q read as %+v", amount, currency, a)
		}
	})
}
