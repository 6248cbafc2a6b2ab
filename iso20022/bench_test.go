package iso20022

import (
	"fmt"
	"testing"
)

// session is a clearing session of n credit transfers, every one with names, addresses, IBANs and a remittance.
func session(b *testing.B, n int) CreditTransfer {
	m := creditTransfers(b)["one instant transfer in lek"]
	one := m.Transactions[0]
	m.Transactions = make([]Transaction, n)
	for i := range m.Transactions {
		tx := one
		tx.InstructionID = fmt.Sprintf("KUM-20260309-%08d", i)
		tx.EndToEndID = fmt.Sprintf("E2E-%08d", i)
		tx.TxID = fmt.Sprintf("TX-%08d", i)
		tx.UETR = ""
		tx.Amount = all(int64(100 + i))
		m.Transactions[i] = tx
	}
	return m
}

func BenchmarkMarshalCreditTransfer100k(b *testing.B) {
	m := session(b, 100_000)
	doc, err := m.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCreditTransfer100k(b *testing.B) {
	doc, err := session(b, 100_000).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ParseCreditTransfer(doc); err != nil {
			b.Fatal(err)
		}
	}
}
