package clearinghouse_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/money"
)

// TestTheSettlementReportCarriesTheBalanceFromPeriodToPeriod: what the sandbox sent the bank before a period is
// the report's opening balance, what it sent in the period its entries (credits, with the payer and the
// transaction's references), and the closing balance their sum; the report is a valid camt.053. Down, the sandbox
// sends none; a return of a payment it never settled is refused.
func TestTheSettlementReportCarriesTheBalanceFromPeriodToPeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Tirane))
		s := &clearinghouse.Sandbox{DB: d, Clock: clk, BankBIC: "KUMBALT0XXX",
			Bank: func(context.Context, []byte) error { return nil }}
		to := iban.IBAN("AL35202111090000000001234567")
		send := func(minor int64) {
			t.Helper()
			if _, err := s.Inject(ctx, clearinghouse.Inbound{IBAN: to, Amount: money.New(minor, money.ALL),
				Name: "Alba Trade", Remittance: "Fatura"}); err != nil {
				t.Fatal(err)
			}
		}
		send(100_00)
		from := clk.Now().Add(time.Hour)
		clk.Advance(2 * time.Hour)
		send(250_00)
		send(50_00)
		doc, err := s.SettlementReport(ctx, money.ALL, from, from.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		isotest.Validate(t, "camt.053.001.08.xsd", doc)
		st, err := iso20022.ParseStatement(doc)
		if err != nil {
			t.Fatal(err)
		}
		if st.Opening.Minor != 100_00 || st.Closing.Minor != 400_00 || len(st.Entries) != 2 || !st.From.Equal(from) {
			t.Fatalf("report: opening %d closing %d, %d entries from %s", st.Opening.Minor, st.Closing.Minor,
				len(st.Entries), st.From)
		}
		e := st.Entries[0]
		if !e.Credit || e.Amount.Minor != 250_00 || e.TxID == "" || e.EndToEndID == "" || e.Counterparty.Name != "Alba Trade" ||
			e.BankTxCode != "PMNT/RCDT/DMCT" || e.Remittance != "Fatura" {
			t.Errorf("the first entry: %+v", e)
		}
		if doc, err := s.SettlementReport(ctx, money.EUR, from, from.Add(24*time.Hour)); err != nil {
			t.Error(err)
		} else if st, err := iso20022.ParseStatement(doc); err != nil || len(st.Entries) != 0 || st.Closing.Minor != 0 {
			t.Errorf("a currency nothing moved in: %+v, %v", st, err)
		}
		if _, err := s.SettlementReport(ctx, money.ALL, from, from); err == nil {
			t.Error("a report of no time")
		}
		if err := s.Set(ctx, clearinghouse.Settings{Down: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SettlementReport(ctx, money.ALL, from, from.Add(time.Hour)); !errors.Is(err, clearinghouse.ErrDown) {
			t.Errorf("a report while down: %v", err)
		}
		if _, err := s.Return(ctx, "NOSUCHTX", "AC04"); !errors.Is(err, clearinghouse.ErrNotSettled) {
			t.Errorf("returning what was never settled: %v", err)
		}
	})
}
