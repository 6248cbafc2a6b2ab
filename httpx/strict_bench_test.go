package httpx

import (
	"reflect"
	"testing"
)

// A transfer request as the API takes it: the body every payment decodes.
type benchTransfer struct {
	Type          string `json:"type"`
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id,omitempty"`
	ToIBAN        string `json:"to_iban,omitempty"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description,omitempty"`
	PayeePhone    string `json:"payee_phone,omitempty"`
	TrustPayee    bool   `json:"trust_payee,omitempty"`
}

func BenchmarkCheckStrictOfATransfer(b *testing.B) {
	body := []byte(`{"type":"internal","from_account_id":"0192f7c4-7a1e-7c3a-9b1e-4f5d6e7a8b9c","to_iban":"AL35202111090000000001234567","amount":"1.00","currency":"ALL","description":"Bench 12345"}`)
	t := reflect.TypeOf(&benchTransfer{})
	b.ReportAllocs()
	for b.Loop() {
		if err := checkStrict(body, t); err != nil {
			b.Fatal(err)
		}
	}
}
