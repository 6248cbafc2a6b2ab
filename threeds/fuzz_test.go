package threeds

import (
	"testing"
	"unicode/utf8"

	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// FuzzValidate feeds the network's fields to the check that guards Ask: it never panics, and what it lets through
// is storable, bounded and a positive amount in a currency the bank knows.
func FuzzValidate(f *testing.F) {
	f.Add("card-1", "net-1", "Librari Adrion", int64(2_450_00), "ALL")
	f.Add("", "", "", int64(0), "")
	f.Add("c\x00", "r", "Shop\u00a0", int64(-1), "XXX")
	f.Fuzz(func(t *testing.T, cardID, ref, merchant string, minor int64, currency string) {
		req := Request{CardID: cardID, NetworkRef: ref, Merchant: text.Clean(merchant),
			Amount: money.New(minor, money.Currency(currency))}
		if validate(req) != nil {
			return
		}
		if !text.Storable(req.CardID) || !text.Storable(req.NetworkRef) || req.Merchant == "" ||
			utf8.RuneCountInString(req.Merchant) > MaxMerchant || len(req.NetworkRef) > MaxRef ||
			req.Amount.Minor <= 0 || !req.Amount.Currency.Valid() {
			t.Fatalf("accepted %+v", req)
		}
	})
}
