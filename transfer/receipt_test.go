package transfer_test

import (
	"bytes"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

func TestReceiptIsThePayersPDFAndNobodyElses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee, stranger := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu"), f.person(t, "Dritan", "Çela")
		from := f.account(t, payer.ID, money.ALL, 100000)
		to := f.account(t, payee.ID, money.ALL, 0)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "receipt-1", transfer.Request{Type: transfer.Internal,
			FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "12.50", Currency: "ALL", Description: "Qira"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			customer string
			id       string
			wantCode string
		}{
			{"the payer gets the receipt", payer.ID, tr.ID, ""},
			{"the payee cannot read the payer's receipt", payee.ID, tr.ID, "transfer_not_found"},
			{"a stranger cannot either", stranger.ID, tr.ID, "transfer_not_found"},
			{"an unknown id is not found", payer.ID, "nope", "transfer_not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, pdf, err := f.svc.Receipt(f.ctx, tt.customer, tt.id, bank, statement.Albanian)
				if tt.wantCode != "" {
					wantCode(t, err, kumbara.KindNotFound, tt.wantCode)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != tr.ID || !bytes.HasPrefix(pdf, []byte("%PDF")) {
					t.Fatalf("receipt of %s starts %q", got.ID, pdf[:min(8, len(pdf))])
				}
			})
		}
	})
}
