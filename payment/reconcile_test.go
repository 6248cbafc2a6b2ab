package payment_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// settled runs what leaves and lets the clearing house answer it.
func (f *fixture) settled(t testing.TB) {
	t.Helper()
	if _, err := f.svc.RunSession(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Dispatch(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ch.Work(f.ctx); err != nil {
		t.Fatal(err)
	}
}

// report is the sandbox's settlement report of business day day in currency c.
func (f *fixture) report(t testing.TB, day calendar.Date, c money.Currency) []byte {
	t.Helper()
	from, to, err := f.svc.Window(f.ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.ch.SettlementReport(f.ctx, c, from, to)
	if err != nil {
		t.Fatalf("SettlementReport: %v", err)
	}
	return doc
}

func summary(rs []payment.Result) string {
	var s string
	for _, r := range rs {
		s += fmt.Sprintf("%s %d/%d/%d/%d ", r.Currency, r.Theirs, r.Ours, r.Matched, r.BreakCount)
	}
	return s
}

// TestTheSettlementReportMatchesTheBooks: a business day of payments out settled, rejected and returned by the
// beneficiary's bank, payments in credited or sent back at once, in ALL and EUR: the clearing house's reports are
// valid camt.053 statements whose every entry matches the bank's settlement postings, and reconciling the day
// again changes nothing.
func TestTheSettlementReportMatchesTheBooks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Elona", "Dushku")
		all := f.account(t, c.ID, money.ALL, 5_000_000_00)
		eur := f.account(t, c.ID, money.EUR, 100_000_00)
		if err := f.ch.Reject(f.ctx, iban.IBAN(otherBank), "AC01"); err != nil {
			t.Fatal(err)
		}
		returned := f.pay(t, c.ID, domestic(all.ID, credins, "25000"))
		f.pay(t, c.ID, domestic(all.ID, otherBank, "3000"))
		instant := domestic(all.ID, credins, "1500")
		instant.Instant = true
		f.pay(t, c.ID, instant)
		sepa := domestic(eur.ID, "DE89370400440532013000", "250.50")
		sepa.Type, sepa.Currency = payment.SEPA, "EUR"
		sepa.Instant = true // settled the same day (an SCT settles D+1)
		sepa.Beneficiary.Address = payment.Address{City: "Berlin", Country: "DE"}
		f.pay(t, c.ID, sepa)
		f.settled(t)
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: iban.IBAN(all.IBAN), Amount: money.New(7_500_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}
		unknown, _ := iban.NewAlbanian(bank.Code, bank.Branch, "0000000099999999")
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: unknown, Amount: money.New(100_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Hour)
		if _, err := f.ch.Return(f.ctx, f.journey(t, returned.ID).Payment.TxID, "AC04"); err != nil {
			t.Fatal(err)
		}
		f.settled(t) // the bank's return of the payment it could not credit leaves
		day := f.day(t)
		for _, cur := range []money.Currency{money.ALL, money.EUR, money.USD} {
			isotest.Validate(t, "camt.053.001.08.xsd", f.report(t, day, cur))
		}
		f.at(t, day.String(), 20, 5)
		results, err := f.svc.ReconcileDay(f.ctx, day)
		if err != nil {
			t.Fatalf("ReconcileDay: %v", err)
		}
		// ALL: two payments settled, one in, one in and back at once, one returned after settlement; EUR: one.
		if got, want := summary(results), "ALL 6/4/6/0 EUR 1/1/1/0 "; got != want {
			t.Fatalf("results %s, want %s", got, want)
		}
		again, err := f.svc.ReconcileDay(f.ctx, day)
		if err != nil || summary(again) != summary(results) {
			t.Fatalf("again: %s, %v", summary(again), err)
		}
		kept, err := f.svc.Reconciliation(f.ctx, day)
		if err != nil || summary(kept) != summary(results) || kept[0].Statement != again[0].Statement {
			t.Fatalf("kept %s, %v", summary(kept), err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM reconciliations"); n != 2 {
			t.Errorf("%d reconciliations kept, want one per currency that moved", n)
		}
		// The clearing house's closing balance is the mirror of the bank's settlement account.
		if g := f.gl(t, "settlement", money.ALL); kept[0].Closing.Minor != -g.Balance {
			t.Errorf("the report closes at %d, the settlement account holds %d", kept[0].Closing.Minor, g.Balance)
		}
		f.sound(t)
	})
}

// TestHandMadeBreaksAreKeptWithTheEntriesOnEachSide: a report with a settlement the bank never posted, an amount
// changed and a settlement left out gives one break of each kind, each with what each side holds and the
// payment it is about; the clearing house's own report of the day replaces them with none.
func TestHandMadeBreaksAreKeptWithTheEntriesOnEachSide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Besa", "Marku")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		changed := f.pay(t, c.ID, domestic(a.ID, credins, "1000"))
		dropped := f.pay(t, c.ID, domestic(a.ID, credins, "2000"))
		f.settled(t)
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: iban.IBAN(a.IBAN), Amount: money.New(500_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}
		day := f.day(t)
		real := f.report(t, day, money.ALL)
		st, err := iso20022.ParseStatement(real)
		if err != nil {
			t.Fatal(err)
		}
		changedTx, droppedTx := f.journey(t, changed.ID).Payment.TxID, f.journey(t, dropped.ID).Payment.TxID
		var entries []iso20022.Entry
		for _, e := range st.Entries {
			switch e.TxID {
			case droppedTx:
				continue
			case changedTx:
				e.Amount.Minor++
			}
			entries = append(entries, e)
		}
		entries = append(entries, iso20022.Entry{Reference: "GHOST1", Amount: money.New(123_45, money.ALL), Credit: true,
			BookingDate: day, ValueDate: day, BankTxCode: "PMNT/RCDT/DMCT", TxID: "GHOSTTX", EndToEndID: "GHOSTE2E",
			AdditionalInfo: "never posted"})
		st.Entries, st.Closing.Minor = entries, st.Opening.Minor
		for _, e := range entries {
			if e.Credit {
				st.Closing.Minor += e.Amount.Minor
			} else {
				st.Closing.Minor -= e.Amount.Minor
			}
		}
		doc, err := st.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Reconcile(f.ctx, day, doc)
		if err != nil {
			t.Fatalf("Reconcile: %v", err)
		}
		if got, want := summary([]payment.Result{res}), "ALL 3/3/1/3 "; got != want {
			t.Fatalf("result %s, want %s", got, want)
		}
		kept, err := f.svc.Reconciliation(f.ctx, day)
		if err != nil || len(kept) != 1 {
			t.Fatalf("kept %v, %v", kept, err)
		}
		byKind := map[string]payment.Break{}
		for _, b := range kept[0].Breaks {
			byKind[b.Kind] = b
		}
		if b := byKind[payment.BreakAmount]; b.TxID != changedTx || b.PaymentID != changed.ID || b.Theirs == nil ||
			b.Ours == nil || b.Theirs.Amount.Minor != 1000_01 || b.Theirs.Credit || b.Ours.Amount.Minor != 1000_00 ||
			b.Ours.Credit || b.Ours.Kind != "payment_settled" || b.Theirs.Booked != day {
			t.Errorf("the amount that differs: %+v (theirs %+v, ours %+v)", b, b.Theirs, b.Ours)
		}
		if b := byKind[payment.BreakMissingTheirs]; b.TxID != droppedTx || b.PaymentID != dropped.ID || b.Theirs != nil ||
			b.Ours == nil || b.Ours.Amount.Minor != 2000_00 || b.Ours.EntryID == "" || b.Ours.PostedAt.IsZero() {
			t.Errorf("the settlement left out: %+v (ours %+v)", b, b.Ours)
		}
		if b := byKind[payment.BreakMissingOurs]; b.TxID != "GHOSTTX" || b.EndToEndID != "GHOSTE2E" || b.PaymentID != "" ||
			b.Ours != nil || b.Theirs == nil || !b.Theirs.Credit || b.Theirs.Amount.Minor != 123_45 ||
			b.Theirs.Reference != "GHOST1" || b.Theirs.Info != "PMNT/RCDT/DMCT never posted" {
			t.Errorf("the settlement never posted: %+v (theirs %+v)", b, b.Theirs)
		}
		if res, err := f.svc.Reconcile(f.ctx, day, real); err != nil || res.BreakCount != 0 || res.Matched != 3 {
			t.Fatalf("the real report: %+v, %v", res, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM reconciliation_breaks"); n != 0 {
			t.Errorf("%d breaks left after the real report", n)
		}
		list, err := f.svc.Reconciled(f.ctx, 10)
		if err != nil || len(list) != 1 || list[0].Day != day || list[0].BreakCount != 0 || list[0].Breaks != nil {
			t.Errorf("Reconciled = %+v, %v", list, err)
		}
	})
}

// TestTheBusinessDayRunsFromCloseToClose: a business day's reconciliation covers what settled from the close of
// the working day before to its own close, the weekend included on a Monday, as the books value-date it.
func TestTheBusinessDayRunsFromCloseToClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Klea", "Shehu")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		instant := func(amount string) {
			r := domestic(a.ID, credins, amount)
			r.Instant = true
			f.pay(t, c.ID, r)
			if _, err := f.ch.Work(f.ctx); err != nil {
				t.Fatal(err)
			}
		}
		f.at(t, "2026-03-06", 10, 0) // Friday
		instant("100")
		f.at(t, "2026-03-06", 21, 0) // after Friday's close
		instant("200")
		f.at(t, "2026-03-07", 12, 0) // Saturday
		instant("300")
		friday, _ := calendar.ParseDate("2026-03-06")
		monday, _ := calendar.ParseDate("2026-03-09")
		from, to, err := f.svc.Window(f.ctx, monday)
		if err != nil || !from.Equal(time.Date(2026, 3, 6, 20, 0, 0, 0, clock.Tirane)) ||
			!to.Equal(time.Date(2026, 3, 9, 20, 0, 0, 0, clock.Tirane)) {
			t.Fatalf("Monday's window %s to %s, %v", from, to, err)
		}
		f.at(t, "2026-03-09", 20, 1)
		for day, want := range map[calendar.Date]string{friday: "ALL 1/1/1/0 ", monday: "ALL 2/2/2/0 "} {
			rs, err := f.svc.ReconcileDay(f.ctx, day)
			if err != nil || summary(rs) != want {
				t.Errorf("%s: %s, %v; want %s", day, summary(rs), err, want)
			}
		}
	})
}

// TestAReportThatIsNotTheDaysIsRefused: a statement of another period, a document that is not a statement and
// one that is not XML are refused with the iso20022 package's codes and keep nothing; a clearing house that is
// down sends no report and the day is not reconciled.
func TestAReportThatIsNotTheDaysIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Genti", "Dervishi")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		f.pay(t, c.ID, domestic(a.ID, credins, "1000"))
		f.settled(t)
		day := f.day(t)
		tuesday := f.report(t, day.AddDays(1), money.ALL)
		ct, err := iso20022.CreditTransfer{MessageID: "M1", CreatedAt: f.clk.Now(), SettlementDate: day,
			SettlementMethod: "CLRG", Transactions: []iso20022.Transaction{{EndToEndID: "E1", TxID: "T1",
				Amount: money.New(1, money.ALL), ChargeBearer: "SLEV", Debtor: iso20022.Party{Name: "A"},
				DebtorAccount: iso20022.Account{IBAN: credins}, DebtorAgent: iso20022.Agent{BIC: "CDISALTR"},
				Creditor: iso20022.Party{Name: "B"}, CreditorAccount: iso20022.Account{IBAN: otherBank},
				CreditorAgent: iso20022.Agent{BIC: "SGSBALTX"}}}}.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			doc  []byte
			code string
		}{
			"another day's":      {tuesday, "iso_invalid"},
			"a pacs.008":         {ct, "iso_wrong_message"},
			"not XML":            {[]byte("settled, all of it"), "iso_malformed"},
			"a DTD and entities": {[]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`), "iso_unsafe"},
		} {
			_, err := f.svc.Reconcile(f.ctx, day, c.doc)
			if e, ok := kumbara.As(err); !ok || e.Code != c.code || e.Kind != kumbara.KindInvalid {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM reconciliations"); n != 0 {
			t.Errorf("%d reconciliations kept from refused reports", n)
		}
		if err := f.ch.Set(f.ctx, clearinghouse.Settings{Down: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReconcileDay(f.ctx, day); !errors.Is(err, clearinghouse.ErrDown) {
			t.Errorf("ReconcileDay with the clearing house down: %v", err)
		}
		if got, err := f.svc.Reconciliation(f.ctx, day); err != nil || len(got) != 0 {
			t.Errorf("the day after a report that never came: %v, %v", got, err)
		}
		f.svc.Clearing = nil
		if got, err := f.svc.ReconcileDay(f.ctx, day); err != nil || got != nil {
			t.Errorf("without a clearing side: %v, %v", got, err)
		}
	})
}

// TestTheCardSchemesSettlementIsNotTheClearingSides: the card scheme's settlement moves the nostro too
// (issuing.EntrySchemeSettlement), but the clearing side never reports it: the day's reconciliation leaves it out
// rather than calling it a break.
func TestTheCardSchemesSettlementIsNotTheClearingSides(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.l.Post(f.ctx, ledger.Entry{Kind: issuing.EntrySchemeSettlement, Description: "Card scheme settlement F-1",
			Legs: []ledger.Leg{{AccountID: f.gl(t, ledger.TypeCardSettlement, money.ALL).ID, Amount: -12_345},
				{AccountID: f.gl(t, ledger.TypeSettlement, money.ALL).ID, Amount: 12_345}}}); err != nil {
			t.Fatal(err)
		}
		day := f.day(t)
		f.at(t, day.String(), 20, 5)
		results, err := f.svc.ReconcileDay(f.ctx, day)
		if err != nil || len(results) != 0 {
			t.Fatalf("ReconcileDay: %s, %v", summary(results), err)
		}
	})
}
