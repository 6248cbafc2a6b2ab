package bulk

import (
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

var isoReason = regexp.MustCompile(`^[A-Z0-9]{4}$`)

// FuzzReadLines holds what the package itself reads of an uploaded file, beyond iso20022's reader (which has its
// own fuzz targets), to its word on any input: each line becomes a domestic or SEPA payment request in the line's
// own currency, or a problem with a code and an ISO reason; what is kept of the file's texts is valid UTF-8 of the
// lengths the columns take.
func FuzzReadLines(f *testing.F) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for _, m := range []iso20022.Initiation{
		{MessageID: "SEED-1", CreatedAt: at, Batches: []iso20022.PaymentInfo{{ID: "P1", Method: "TRF",
			RequestedDate: calendar.DateOf(at), LocalInstrument: "INST", ServiceLevel: "URGP", ChargeBearer: "DEBT",
			DebtorAccount: iso20022.Account{IBAN: "AL47212110090000000235698741"},
			Transactions: []iso20022.InitiationTx{{Line: 1, EndToEndID: "E1", Amount: money.New(100_00, money.ALL),
				Creditor: iso20022.Party{Name: "Ëndrit Lleshi", Address: iso20022.Address{Street: "Rruga e Kavajës",
					BuildingNumber: "7", City: "Tiranë", Country: "AL"}},
				CreditorAccount: iso20022.Account{IBAN: "AL35202111090000000001234567"}, Remittance: "Paga"}}}}},
		{MessageID: "SEED-2", CreatedAt: at, Batches: []iso20022.PaymentInfo{{ID: "P2", Method: "TRF",
			RequestedDate: calendar.DateOf(at), DebtorAccount: iso20022.Account{Other: "1234"},
			Transactions: []iso20022.InitiationTx{{Line: 1, EndToEndID: "E2", Amount: money.New(5, money.EUR),
				ChargeBearer: "CRED", Creditor: iso20022.Party{Name: "Müller"},
				CreditorAccount: iso20022.Account{Other: "0012345678"}, CreditorAgent: iso20022.Agent{BIC: "COBADEFFXXX"}},
				{Line: 2, EndToEndID: "E3", Amount: money.New(7, money.USD), Creditor: iso20022.Party{Name: "X"},
					CreditorAccount: iso20022.Account{IBAN: "DE89370400440532013000"}}}}}},
	} {
		doc, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc)
	}
	f.Add([]byte(`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, found, err := iso20022.ParseInitiation(doc)
		if err != nil {
			return
		}
		for _, p := range lineProblems(found) {
			if p.Code == "" || !isoReason.MatchString(p.Reason) || !utf8.ValidString(p.Field) ||
				utf8.RuneCountInString(p.Field) > 70 {
				t.Fatalf("problem %+v", p)
			}
		}
		for _, pi := range m.Batches {
			for _, tx := range pi.Transactions {
				r, p := request(pi, tx, "account")
				if p != nil {
					if p.Code == "" || !isoReason.MatchString(p.Reason) || r.Type != "" {
						t.Fatalf("line %d: %+v %+v", tx.Line, r, p)
					}
					continue
				}
				if (r.Type != payment.Domestic && r.Type != payment.SEPA) || r.Currency != string(tx.Amount.Currency) ||
					r.FromAccountID != "account" || r.Amount != tx.Amount.Decimal() {
					t.Fatalf("line %d: %+v", tx.Line, r)
				}
				for _, s := range []struct {
					v   string
					max int
				}{{tx.Creditor.Name, 140}, {tx.Remittance, 140}, {tx.EndToEndID, 35}, {pi.ID, 35}} {
					if got := shown(s.v, s.max); !utf8.ValidString(got) || utf8.RuneCountInString(got) > s.max {
						t.Fatalf("shown(%q) = %q", s.v, got)
					}
				}
			}
		}
	})
}
