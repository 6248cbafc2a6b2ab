package creditcard_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// TestAYearOfCyclesMatchesTheFiguresComputedByHand runs a credit card through 2026 day by day, the close of
// business every evening at 20:00, and checks its twelve statements against figures computed by hand. Amounts are
// minor units (100000 = 1,000.00 ALL). The tariff (testConfig): minimum 10 % with a floor of 100000, due 20 days
// after the cut on a working day, 36.5 % a year on the revolving balance (0.1 % a day) and 73 % on cash (0.2 % a
// day), late fee 150000, cash advance fee 3 % at least 50000, 1 point per 100 ALL, offer "3m" with a 3 % fee.
//
// January (opened the 5th; first cycle, grace): purchase 1000000 on the 10th. Closing 1000000, minimum
// max(10 % = 100000, 100000) = 100000, points 10000 ALL / 100 = 100, due 31 Jan + 20 = 20 Feb (a Friday).
// Paid in full on 10 Feb.
//
// February (grace: January paid in full by its due date): purchase 500000 on the 15th. Closing 500000,
// minimum 100000, points 50. Due 28 Feb + 20 = 20 Mar, the Eid al-Fitr; 21–22 are a weekend and 23 Mar is Nevruz
// observed, so the due date is Tuesday 24 Mar. Only the minimum is paid, on 5 Mar.
//
// March (no grace: 100000 of 500000 paid): cash advance 200000 on the 11th, fee max(3 % = 6000, 50000) = 50000.
// Daily balances: 1–4 Mar 500000 (4 days), 5–10 Mar 400000 (6 days), 11–31 Mar 650000 of which 200000 cash
// (21 days). Revolving Σ = 4×500000 + 6×400000 + 21×450000 = 13850000 → 13850000 × 0.365 / 365 = 13850.
// Cash Σ = 21×200000 = 4200000 → 4200000 × 0.73 / 365 = 8400. Interest 22250. Closing 500000 − 100000 + 200000
// + 50000 + 22250 = 672250, minimum 100000, due 20 Apr (Monday). Nothing paid: late fee 150000 on 20 Apr.
//
// April (no grace): purchase 300000 on the 10th, split on the 12th into 3 instalments (fee 3 % = 9000: 100000
// and 3000 a month). Daily: 1–9 Apr 672250 (9 days), 10–11 Apr 972250 (2), 12–19 Apr 972250 − 300000 unbilled =
// 672250 (8), 20–30 Apr with the late fee 822250 (11). Σ = 6050250 + 1944500 + 5378000 + 9044750 = 22417500 →
// × 0.365 / 365 = 22417.5 → 22418 (half up). First instalment billed: 100000 principal, 3000 fee. Closing
// 1122250 + 22418 + 3000 = 1147668; unbilled 200000; total due 947668; minimum max(94766.8 → 94767, 100000) =
// 100000; fees 150000 + 3000 = 153000; points 30; due 20 May. Auto-payment 100 % set on 25 Apr, paid 20 May.
//
// May (grace: paid in full): autopay 947668 on the 20th. Second instalment 100000 + 3000. Closing 1147668 −
// 947668 + 3000 = 203000, unbilled 100000, total 103000, minimum 100000, due 31 May + 20 = Saturday 20 Jun →
// Monday 22 Jun; autopay 103000.
//
// June (grace): purchase 200000 on the 25th; last instalment 100000 + 9000 − 2×3000 = 3000. Closing 203000 −
// 103000 + 200000 + 3000 = 303000, unbilled 0, total 303000, minimum 100000, points 20, due 20 Jul.
//
// July–December (grace): a purchase of 100000 on the 10th, the previous total paid by the autopay. Closing
// 100000, minimum 100000 (the floor capped at the total), points 10 each. Due dates 20 Aug, 21 Sep (20 Sep is a
// Sunday), 20 Oct, 20 Nov, 21 Dec (20 Dec is a Sunday), 20 Jan 2027.
//
// Points: 100 + 50 + 30 + 20 + 6×10 = 260. Credit account at the end: −100000. Current account: 5000000 −
// 1000000 − 100000 + 200000 − 947668 − 103000 − 303000 − 5×100000 = 2246332.
func TestAYearOfCyclesMatchesTheFiguresComputedByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, c := f.open(t)
		var plan string
		events := map[string]func(){
			"2026-01-10": func() { f.purchase(t, cr, 1000000) },
			"2026-02-10": func() { f.pay(t, c.ID, creditcard.PayRemaining, 0) },
			"2026-02-15": func() { f.purchase(t, cr, 500000) },
			"2026-03-05": func() { f.pay(t, c.ID, creditcard.PayMinimum, 0) },
			"2026-03-11": func() {
				ca, err := f.s.CashAdvance(f.ctx, f.alice.ID, c.ID, creditcard.CashAdvanceRequest{
					ToAccountID: f.current.ID, Amount: 200000, Confirm: true, IdempotencyKey: "ca-1"})
				if err != nil || ca.Fee != 50000 {
					t.Fatalf("cash advance %+v, %v", ca, err)
				}
			},
			"2026-04-10": func() { plan = f.purchase(t, cr, 300000) },
			"2026-04-12": func() {
				if _, err := f.s.Split(f.ctx, f.alice.ID, c.ID, plan, "3m"); err != nil {
					t.Fatalf("split: %v", err)
				}
			},
			"2026-04-25": func() {
				if err := f.s.SetAutoPayment(f.ctx, f.alice.ID, c.ID, 100, f.current.ID); err != nil {
					t.Fatalf("autopay: %v", err)
				}
			},
			"2026-06-25": func() { f.purchase(t, cr, 200000) },
		}
		for _, m := range []string{"07", "08", "09", "10", "11", "12"} {
			events["2026-"+m+"-10"] = func() { f.purchase(t, cr, 100000) }
		}
		for day := date("2026-01-05"); !day.After(date("2026-12-31")); day = day.AddDays(1) {
			if ev := events[day.String()]; ev != nil {
				f.clk.Set(day.Start().Add(10 * time.Hour))
				ev()
			}
			f.endOfDay(t, day)
		}

		type fig struct {
			cut, due                                               string
			prev, purch, cash, paid, interest, fees, instal, close int64
			unbilled, total, minimum, points, late                 int64
			grace                                                  bool
		}
		quiet := func(cut, due string, prev int64) fig {
			return fig{cut, due, prev, 100000, 0, prev, 0, 0, 0, 100000, 0, 100000, 100000, 10, 0, true}
		}
		want := []fig{
			{"2026-01-31", "2026-02-20", 0, 1000000, 0, 0, 0, 0, 0, 1000000, 0, 1000000, 100000, 100, 0, true},
			{"2026-02-28", "2026-03-24", 1000000, 500000, 0, 1000000, 0, 0, 0, 500000, 0, 500000, 100000, 50, 0, true},
			{"2026-03-31", "2026-04-20", 500000, 0, 200000, 100000, 22250, 50000, 0, 672250, 0, 672250, 100000, 0, 150000, false},
			{"2026-04-30", "2026-05-20", 672250, 300000, 0, 0, 22418, 153000, 100000, 1147668, 200000, 947668, 100000, 30, 0, false},
			{"2026-05-31", "2026-06-22", 1147668, 0, 0, 947668, 0, 3000, 100000, 203000, 100000, 103000, 100000, 0, 0, true},
			{"2026-06-30", "2026-07-20", 203000, 200000, 0, 103000, 0, 3000, 100000, 303000, 0, 303000, 100000, 20, 0, true},
			quiet("2026-07-31", "2026-08-20", 303000),
			quiet("2026-08-31", "2026-09-21", 100000),
			quiet("2026-09-30", "2026-10-20", 100000),
			quiet("2026-10-31", "2026-11-20", 100000),
			quiet("2026-11-30", "2026-12-21", 100000),
			quiet("2026-12-31", "2027-01-20", 100000),
		}
		sts, err := f.s.Statements(f.ctx, f.alice.ID, c.ID)
		if err != nil || len(sts) != len(want) {
			t.Fatalf("%d statements, %v", len(sts), err)
		}
		for i, w := range want {
			st := sts[len(sts)-1-i]
			got := fig{st.CutDate.String(), st.DueDate.String(), st.PreviousBalance, st.Purchases, st.Cash,
				st.Payments, st.Interest, st.Fees, st.Instalments, st.ClosingBalance, st.Unbilled, st.TotalDue,
				st.MinimumDue, st.Points, st.LateFee, st.Grace}
			if got != w {
				t.Errorf("statement %d:\n got %+v\nwant %+v", i+1, got, w)
			}
		}
		if b := f.balance(t, cr.AccountID); b != -100000 {
			t.Errorf("credit account %d, want -100000", b)
		}
		if b := f.balance(t, f.current.ID); b != 2246332 {
			t.Errorf("current account %d, want 2246332", b)
		}
		sum, err := f.s.Summary(f.ctx, f.alice.ID, c.ID)
		if err != nil || sum.Points != 260 || sum.Debt != 100000 || sum.Available != 9900000 || sum.Last == nil ||
			sum.Last.TotalDue != 100000 {
			t.Errorf("summary %+v, %v", sum, err)
		}
		// The steps replayed for the last day change nothing.
		if n, err := f.s.RunStatements(f.ctx, date("2026-12-31")); n != 0 || err != nil {
			t.Errorf("replayed statements: %d, %v", n, err)
		}
		if n, err := f.s.RunDue(f.ctx, date("2026-12-31")); n != 0 || err != nil {
			t.Errorf("replayed due: %d, %v", n, err)
		}
		f.sound(t)
		// March's statement lists its transactions: the payment, the advance, its fee and the interest.
		_, lines, err := f.s.StatementLines(f.ctx, f.alice.ID, c.ID, sts[9].ID)
		if err != nil || len(lines) != 4 || lines[3].Kind != creditcard.KindInterest || lines[3].Amount != -22250 {
			t.Errorf("March lines %+v, %v", lines, err)
		}
	})
}

func (f *fixture) pay(t *testing.T, cardID, kind string, amount int64) {
	t.Helper()
	if _, err := f.s.Pay(f.ctx, f.alice.ID, cardID, creditcard.PayRequest{FromAccountID: f.current.ID, Kind: kind,
		Amount: amount, IdempotencyKey: kind + f.clk.Now().String()}); err != nil {
		t.Fatalf("pay %s: %v", kind, err)
	}
}
