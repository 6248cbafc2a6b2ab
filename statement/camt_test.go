package statement

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// camtFixture is an account with a month of postings: a deposit before the period, then within it a deposit, a
// payment received from another customer, a payment sent to them and a withdrawal.
type camtFixture struct {
	src       Source
	a, other  ledger.Account
	clk       *clock.Fake
	l         *ledger.Ledger
	otherName string
}

func newCAMTFixture(t *testing.T, d *db.DB) camtFixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 10, 30, 9, 0, 0, 0, time.UTC))
	l := ledger.New(d, clk)
	l.Calendar = &calendar.Service{DB: d, Clock: clk}
	if err := l.EnsureGL(ctx); err != nil {
		t.Fatal(err)
	}
	bank := customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}
	cs := &customer.Service{DB: d, Clock: clk, Bank: bank}
	person := func(first, last string, n int) customer.Customer {
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{FirstName: first, LastName: last,
			NationalID: kyc.NewNationalID(time.Date(1980, 5, n, 0, 0, 0, 0, time.UTC), false, n).String(),
			Mobile:     "+35569100000" + string(rune('0'+n))})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c, o := person("Arbër", "Çela", 7), person("Drita", "Leka", 8)
	a, err := cs.OpenAccount(ctx, c.ID, money.ALL, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := cs.OpenAccount(ctx, o.ID, money.ALL, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	// Before the period: the opening balance.
	if _, err := l.CashDeposit(ctx, a.ID, money.New(1_000_00, money.ALL), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CashDeposit(ctx, other.ID, money.New(5_000_00, money.ALL), ""); err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
	if _, err := l.CashDeposit(ctx, a.ID, money.New(250_50, money.ALL), "Arka 1"); err != nil {
		t.Fatal(err)
	}
	move := func(from, to ledger.Account, fromName, toName string, minor int64, desc string) {
		t.Helper()
		_, err := l.Post(ctx, ledger.Entry{Kind: ledger.KindTransfer, Description: desc, Legs: []ledger.Leg{
			{AccountID: from.ID, Amount: -minor, Description: desc, Counterparty: toName, CounterpartyIBAN: to.IBAN},
			{AccountID: to.ID, Amount: minor, Description: desc, Counterparty: fromName, CounterpartyIBAN: from.IBAN}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(time.Date(2026, 11, 10, 11, 0, 0, 0, time.UTC))
	move(other, a, "Drita Leka", "Arbër Çela", 300_00, "Qira nëntor")
	clk.Set(time.Date(2026, 11, 20, 19, 30, 0, 0, time.UTC)) // 20:30 in Tirana, after the close of business
	move(a, other, "Arbër Çela", "Drita Leka", 120_25, "Kthim huaje")
	if _, err := l.CashWithdrawal(ctx, a.ID, money.New(50_00, money.ALL), ""); err != nil {
		t.Fatal(err)
	}
	// After the period.
	clk.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	if _, err := l.CashDeposit(ctx, a.ID, money.New(7_00, money.ALL), ""); err != nil {
		t.Fatal(err)
	}
	return camtFixture{src: Source{Ledger: &l.Store, Customers: cs, Bank: bank, Clock: clk, Texts: catalogue},
		a: a, other: other, clk: clk, l: l, otherName: "Drita Leka"}
}

// The camt.053 of a month is schema-valid and says what the books say: the balance before the first day, every
// posting of the month with its direction, dates and counterparty, and the balance after the last day — checked by
// hand: 1,000.00 + 250.50 + 300.00 − 120.25 − 50.00 = 1,380.25.
func TestTheCAMT053StatementIsValidAndItsBalancesAddUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCAMTFixture(t, d)
		first, last, err := ParsePeriod("2026-11-01", "2026-11-30")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := f.src.CAMT053(context.Background(), f.a, first, last, English)
		if err != nil {
			t.Fatal(err)
		}
		isotest.Validate(t, "camt.053.001.08.xsd", doc)
		st, err := iso20022.ParseStatement(doc)
		if err != nil {
			t.Fatalf("the bank's own reader refuses its statement: %v", err)
		}
		if st.Opening != money.New(1_000_00, money.ALL) || st.Closing != money.New(1_380_25, money.ALL) {
			t.Errorf("opening %v closing %v, want 1000.00 and 1380.25", st.Opening, st.Closing)
		}
		if st.OpeningDate.String() != "2026-11-01" || st.ClosingDate.String() != "2026-11-30" {
			t.Errorf("balances dated %s and %s", st.OpeningDate, st.ClosingDate)
		}
		if st.Account.IBAN != f.a.IBAN || st.Currency != money.ALL || st.Owner.Name != "Arbër Çela" ||
			st.Servicer.BIC != "KUMBALT0XXX" {
			t.Errorf("account %+v %s owner %+v servicer %+v", st.Account, st.Currency, st.Owner, st.Servicer)
		}
		if !strings.HasPrefix(st.StatementID, "20261101-20261130-") || len(st.StatementID) > 35 {
			t.Errorf("statement id %q", st.StatementID)
		}
		type want struct {
			minor          int64
			credit         bool
			booked, valued string
			code, cp, info string
		}
		wants := []want{
			{250_50, true, "2026-11-03", "2026-11-03", "PMNT/CNTR/CDPT", "", "Cash deposit at a branch - Arka 1"},
			{300_00, true, "2026-11-10", "2026-11-10", "PMNT/RCDT/OTHR", "Drita Leka", "Qira nëntor"},
			// Posted after the close of business on Friday: value-dated the next working day.
			{120_25, false, "2026-11-20", "2026-11-23", "PMNT/ICDT/OTHR", "D**** L***", "Kthim huaje"},
			{50_00, false, "2026-11-20", "2026-11-23", "PMNT/CNTR/CWDL", "", "Cash withdrawal at a branch"},
		}
		if len(st.Entries) != len(wants) {
			t.Fatalf("%d entries, want %d: %+v", len(st.Entries), len(wants), st.Entries)
		}
		for i, w := range wants {
			e := st.Entries[i]
			if e.Amount != money.New(w.minor, money.ALL) || e.Credit != w.credit || e.Status != "BOOK" ||
				e.BookingDate.String() != w.booked || e.BankTxCode != w.code || e.Counterparty.Name != w.cp ||
				e.AdditionalInfo != w.info || len(e.Reference) != 32 {
				t.Errorf("entry %d = %+v, want %+v", i+1, e, w)
			}
			if e.ValueDate.String() != w.valued {
				t.Errorf("entry %d valued %s, want %s", i+1, e.ValueDate, w.valued)
			}
		}
		if st.Entries[1].CounterpartyAccount.IBAN != f.other.IBAN || st.Entries[1].Remittance != "Qira nëntor" {
			t.Errorf("the payment received names %+v, remittance %q", st.Entries[1].CounterpartyAccount, st.Entries[1].Remittance)
		}
		if st.Entries[0].Remittance != "" {
			t.Errorf("a text the bank wrote is remittance information: %q", st.Entries[0].Remittance)
		}
		if got := CAMT053FileName(f.a, first, last); got != "camt053-"+f.a.Number+"-2026-11-01-2026-11-30.xml" {
			t.Errorf("file name %q", got)
		}
	})
}

// A period without postings is a statement of its balance alone, opening and closing alike; one in Albanian
// describes the bank's postings in Albanian.
func TestTheCAMT053OfAQuietPeriodAndInAlbanian(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCAMTFixture(t, d)
		ctx := context.Background()
		first, last, _ := ParsePeriod("2026-11-25", "2026-11-30")
		doc, err := f.src.CAMT053(ctx, f.a, first, last, Albanian)
		if err != nil {
			t.Fatal(err)
		}
		isotest.Validate(t, "camt.053.001.08.xsd", doc)
		st, err := iso20022.ParseStatement(doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Entries) != 0 || st.Opening != st.Closing || st.Closing.Minor != 1_380_25 {
			t.Errorf("quiet period: %d entries, %v → %v", len(st.Entries), st.Opening, st.Closing)
		}
		first, last, _ = ParsePeriod("2026-11-01", "2026-11-05")
		doc, err = f.src.CAMT053(ctx, f.a, first, last, Albanian)
		if err != nil {
			t.Fatal(err)
		}
		if st, err = iso20022.ParseStatement(doc); err != nil || len(st.Entries) != 1 ||
			st.Entries[0].AdditionalInfo != "Depozitë cash në degë - Arka 1" {
			t.Fatalf("%v %+v", err, st.Entries)
		}
		if _, err := f.src.CAMT053(ctx, f.a, first, last, Lang("de")); !errors.Is(err, ErrUnsupportedLanguage) {
			t.Errorf("German: %v", err)
		}
	})
}

// Whatever a name or description holds, the document stays valid: cut to the message's lengths, without the
// characters XML cannot carry.
func TestFitKeepsTextsWithinWhatTheMessageCarries(t *testing.T) {
	for in, want := range map[string]string{
		"Arbër Çela":                    "Arbër Çela",
		"  a\x00b\uFFFEc ":              "abc",
		strings.Repeat("ë", 150):        strings.Repeat("ë", 140),
		"\xff" + strings.Repeat("x", 3): "xxx",
	} {
		if got := fit(in, 140); got != want {
			t.Errorf("fit(%q) = %q, want %q", in, got, want)
		}
	}
	if d := calendar.DateOf(time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)); d.String() != "2026-12-01" {
		t.Errorf("a booking date is the day in Tirana: %s", d)
	}
}

// The camt.054 of a period is schema-valid and notifies every posting of it — the cash at the branch, the payment
// from another customer, the one to them and a payment in from another bank — as booked credits and debits with
// their dates, codes and counterparties, the same entries as the camt.053 of the period and no balance; the same
// period asked twice has the same identification; a period without postings is a notification without entries.
func TestTheCAMT054NotifiesEveryPostingOfThePeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCAMTFixture(t, d)
		ctx := context.Background()
		settlement, err := f.l.Store.GL(ctx, ledger.GLCode(ledger.TypeSettlement, money.ALL))
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Set(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
		const foreign = "DE89370400440532013000"
		if _, err := f.l.Post(ctx, ledger.Entry{Kind: "payment_in", Description: "Faturë 12", Legs: []ledger.Leg{
			{AccountID: settlement.ID, Amount: -80_00, Description: "Faturë 12"},
			{AccountID: f.a.ID, Amount: 80_00, Description: "Faturë 12", Counterparty: "Besnik Hoxha",
				CounterpartyIBAN: foreign}}}); err != nil {
			t.Fatal(err)
		}
		type want struct {
			minor                int64
			credit               bool
			booked, code, cp, ib string
		}
		for _, tc := range []struct {
			name, from, to string
			wants          []want
		}{
			{"November", "2026-11-01", "2026-11-30", []want{
				{250_50, true, "2026-11-03", "PMNT/CNTR/CDPT", "", ""},
				{300_00, true, "2026-11-10", "PMNT/RCDT/OTHR", "Drita Leka", f.other.IBAN},
				{120_25, false, "2026-11-20", "PMNT/ICDT/OTHR", "D**** L***", f.other.IBAN},
				{50_00, false, "2026-11-20", "PMNT/CNTR/CWDL", "", ""},
			}},
			{"December", "2026-12-01", "2026-12-31", []want{
				{7_00, true, "2026-12-02", "PMNT/CNTR/CDPT", "", ""},
				{80_00, true, "2026-12-03", "PMNT/RCDT/OTHR", "Besnik Hoxha", foreign},
			}},
			{"a quiet week", "2026-11-24", "2026-11-30", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				first, last, err := ParsePeriod(tc.from, tc.to)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := f.src.CAMT054(ctx, f.a, first, last, English)
				if err != nil {
					t.Fatal(err)
				}
				isotest.Validate(t, "camt.054.001.08.xsd", doc)
				if strings.Contains(string(doc), "<Bal>") {
					t.Error("a notification carries a balance")
				}
				n, err := iso20022.ParseNotification(doc)
				if err != nil {
					t.Fatalf("the bank's own reader refuses its notification: %v", err)
				}
				if n.Account.IBAN != f.a.IBAN || n.Currency != money.ALL || n.Owner.Name != "Arbër Çela" ||
					n.Servicer.BIC != "KUMBALT0XXX" || !n.From.Equal(first) || !n.To.Before(last.AddDate(0, 0, 1)) {
					t.Errorf("account %+v %s owner %+v servicer %+v period %s…%s", n.Account, n.Currency, n.Owner,
						n.Servicer, n.From, n.To)
				}
				if n.NotificationID != statementID(f.a, first, last) {
					t.Errorf("notification id %q", n.NotificationID)
				}
				again, _ := f.src.CAMT054(ctx, f.a, first, last, English)
				if m, err := iso20022.ParseNotification(again); err != nil || m.NotificationID != n.NotificationID ||
					m.MessageID == n.MessageID {
					t.Errorf("asked again: id %q message %q (%v)", m.NotificationID, m.MessageID, err)
				}
				if len(n.Entries) != len(tc.wants) {
					t.Fatalf("%d entries, want %d: %+v", len(n.Entries), len(tc.wants), n.Entries)
				}
				for i, w := range tc.wants {
					e := n.Entries[i]
					if e.Amount != money.New(w.minor, money.ALL) || e.Credit != w.credit || e.Status != "BOOK" ||
						e.BookingDate.String() != w.booked || e.BankTxCode != w.code || e.Counterparty.Name != w.cp ||
						e.CounterpartyAccount.IBAN != w.ib {
						t.Errorf("entry %d = %+v, want %+v", i+1, e, w)
					}
				}
				st, err := iso20022.ParseStatement(mustCAMT053(t, f, first, last))
				if err != nil {
					t.Fatal(err)
				}
				for i := range st.Entries {
					if !reflect.DeepEqual(st.Entries[i], n.Entries[i]) {
						t.Errorf("entry %d differs from the statement's:\n%+v\n%+v", i+1, n.Entries[i], st.Entries[i])
					}
				}
			})
		}
		first, last, _ := ParsePeriod("2026-11-01", "2026-11-30")
		if got := CAMT054FileName(f.a, first, last); got != "camt054-"+f.a.Number+"-2026-11-01-2026-11-30.xml" {
			t.Errorf("file name %q", got)
		}
		if _, err := f.src.CAMT054(ctx, f.a, first, last, Lang("de")); !errors.Is(err, ErrUnsupportedLanguage) {
			t.Errorf("German: %v", err)
		}
	})
}

func mustCAMT053(t *testing.T, f camtFixture, first, last time.Time) []byte {
	t.Helper()
	doc, err := f.src.CAMT053(context.Background(), f.a, first, last, English)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
