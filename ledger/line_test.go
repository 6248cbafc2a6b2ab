package ledger_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// pay posts a transfer of amount from one account to another, each side naming the other's holder.
func (f *fixture) pay(t *testing.T, from, to ledger.Account, amount int64, desc, payer, payee string) string {
	t.Helper()
	id, err := f.l.Post(f.ctx, ledger.Entry{Kind: ledger.KindTransfer, Description: desc, Legs: []ledger.Leg{
		{AccountID: from.ID, Amount: -amount, Description: desc, Counterparty: payee, CounterpartyIBAN: to.IBAN},
		{AccountID: to.ID, Amount: amount, Description: desc, Counterparty: payer, CounterpartyIBAN: from.IBAN},
	}})
	if err != nil {
		t.Fatalf("pay: %v", err)
	}
	return id
}

func TestHistorySearchIgnoresAccentsAndCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.funded(t, 100000)
		vault := f.gl(t, ledger.TypeVault)
		for _, desc := range []string{"Dhuratë nga Dritan Çela", "Faturë OSHEE dhjetor", "Pagesë qiraje", "Ujësjellës UKT"} {
			if _, err := f.l.Post(f.ctx, ledger.Entry{Kind: "test", Description: desc, Legs: []ledger.Leg{
				{AccountID: a.ID, Amount: -100, Description: desc}, {AccountID: vault.ID, Amount: 100, Description: desc},
			}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			text string
			want int
		}{
			{"Cela", 1}, {"cela", 1}, {"Çela", 1}, {"ÇELA", 1}, {"çela", 1},
			{"fature", 1}, {"FATURË", 1}, {"faturë oshee", 1},
			{"pagese", 1}, {"ujesjelles", 1}, {"UJËSJELLËS", 1},
			{"e", 5}, // the cash deposit's description has an ë too
			{"celaa", 0},
		} {
			p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Text: tc.text})
			if err != nil || len(p.Lines) != tc.want {
				t.Errorf("search %q found %d lines (%v), want %d", tc.text, len(p.Lines), err, tc.want)
			}
		}
	})
}

func TestHistoryShowsAnotherCustomersNameMasked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		arben, dritan := f.funded(t, 100000), f.funded(t, 100000)
		savings := f.openFor(t, arben.CustomerID, 0)
		rent := f.pay(t, arben, dritan, 500, "Qira", "Arben Hoxha", "Dritan Çela")
		f.pay(t, arben, savings, 700, "Kursime", "Arben Hoxha", "Arben Hoxha")
		f.pay(t, dritan, arben, 300, "Kthim", "Dritan Çela", "Arben Hoxha")
		if _, err := f.l.Reverse(f.ctx, rent, "Gabim"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			account ledger.Account
			seq     int64
			want    string
			masked  bool
		}{
			{"a payment to another customer", arben, 2, "D***** Ç***", true},
			{"a payment to one's own account", arben, 3, "Arben Hoxha", false},
			{"a payment from another customer names the payer", arben, 4, "Dritan Çela", false},
			{"the reversal of a payment to another customer", arben, 5, "D***** Ç***", true},
			{"the payee's side names the payer", dritan, 2, "Arben Hoxha", false},
			{"the payee's side of the reversal", dritan, 4, "A**** H****", true},
			{"one's own account's side", savings, 1, "Arben Hoxha", false},
			{"the cash desk", arben, 1, "", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := f.l.History(f.ctx, tc.account.ID, ledger.HistoryFilter{Sort: ledger.SortDateAsc})
				if err != nil {
					t.Fatal(err)
				}
				l := p.Lines[tc.seq-1]
				if l.Counterparty != tc.want || l.CounterpartyMasked != tc.masked {
					t.Errorf("history shows %q (masked %v), want %q (%v)", l.Counterparty, l.CounterpartyMasked, tc.want, tc.masked)
				}
				d, err := f.l.LineOf(f.ctx, tc.account.ID, l.ID)
				if err != nil || d.Counterparty != tc.want {
					t.Errorf("the line's detail shows %q (%v), want %q", d.Counterparty, err, tc.want)
				}
				s, err := f.l.Statement(f.ctx, tc.account.ID, t0.Add(-1), t0.AddDate(0, 0, 1))
				if err != nil || s.Lines[tc.seq-1].Counterparty != tc.want {
					t.Errorf("the statement shows %q (%v), want %q", s.Lines[tc.seq-1].Counterparty, err, tc.want)
				}
			})
		}
		// A name shown masked cannot be found by searching for it; one shown in full can, without its accents.
		for _, tc := range []struct {
			account ledger.Account
			text    string
			want    []int64
		}{
			{arben, "cela", []int64{4}}, {arben, "ÇELA", []int64{4}}, {arben, "hoxha", []int64{3}},
			{dritan, "hoxha", []int64{2}}, {dritan, "arben", []int64{2}},
		} {
			p, err := f.l.History(f.ctx, tc.account.ID, ledger.HistoryFilter{Text: tc.text, Sort: ledger.SortDateAsc})
			var got []int64
			for _, l := range p.Lines {
				got = append(got, l.Seq)
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("search %q found lines %v (%v), want %v", tc.text, got, err, tc.want)
			}
		}
	})
}

func TestLineOfGivesTheDetailOfTheAccountsOwnLineOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		arben, dritan := f.funded(t, 100000), f.funded(t, 100000)
		entry := f.pay(t, arben, dritan, 500, "Qira", "Arben Hoxha", "Dritan Çela")
		p, err := f.l.History(f.ctx, arben.ID, ledger.HistoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		line := p.Lines[0]
		got, err := f.l.LineOf(f.ctx, arben.ID, line.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != ledger.KindTransfer || got.Reference != entry || got.Status != ledger.LineBooked ||
			got.Amount != -500 || got.BalanceAfter != 99500 || !got.PostedAt.Equal(t0) ||
			got.ValueDate.Format("2006-01-02") != "2026-03-02" {
			t.Errorf("detail %+v", got)
		}
		for _, tc := range []struct{ name, account, line string }{
			{"another account's line", dritan.ID, line.ID},
			{"an unknown line", arben.ID, "0190f1f0-0000-7000-8000-000000000000"},
			{"an empty id", arben.ID, ""},
			{"an id with a NUL", arben.ID, "a\x00b"},
			{"an id not UTF-8", arben.ID, "\xff\xfe"},
		} {
			_, err := f.l.LineOf(f.ctx, tc.account, tc.line)
			wantCode(t, err, "transaction_not_found")
		}
		if _, err := f.l.Reverse(f.ctx, entry, "Gabim"); err != nil {
			t.Fatal(err)
		}
		if got, err := f.l.LineOf(f.ctx, arben.ID, line.ID); err != nil || got.Status != ledger.LineReversed {
			t.Errorf("status after a reversal %q (%v), want %q", got.Status, err, ledger.LineReversed)
		}
	})
}

func TestRecentMergesTheAccountsLatestLinesNewestFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		current := f.funded(t, 100000)
		savings := f.openFor(t, current.CustomerID, 0)
		other := f.funded(t, 100000)
		var want []string // entry ids, oldest first
		for i := range 6 {
			f.clk.Advance(time.Hour)
			from, to := current, savings
			if i%3 == 2 {
				from, to = other, current
			}
			want = append(want, f.pay(t, from, to, int64(100+i), "Kursime", "A", "B"))
		}
		got, err := f.l.Recent(f.ctx, []string{current.ID, savings.ID}, 4)
		if err != nil {
			t.Fatal(err)
		}
		// The two sides of an own transfer are both the customer's: each is a line.
		var entries []string
		for _, l := range got {
			entries = append(entries, l.EntryID)
		}
		if len(got) != 4 || entries[0] != want[5] || entries[1] != want[4] || entries[2] != want[4] || entries[3] != want[3] {
			t.Errorf("recent entries %v, want the newest of %v", entries, want)
		}
		for i := 1; i < len(got); i++ {
			if got[i].PostedAt.After(got[i-1].PostedAt) {
				t.Errorf("line %d is newer than line %d", i, i-1)
			}
		}
		if none, err := f.l.Recent(f.ctx, nil, 8); err != nil || len(none) != 0 {
			t.Errorf("no accounts: %v, %v", none, err)
		}
	})
}
