package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
)

// now is when the tests seed the demo bank.
var now = time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)

func seed(t *testing.T, d *db.DB, history bool) *app.Bank { return seedAt(t, d, history, now) }

func seedAt(t *testing.T, d *db.DB, history bool, now time.Time) *app.Bank {
	t.Helper()
	ctx := context.Background()
	s, err := app.New(ctx, app.Config{DB: d, Clock: clock.NewFake(now), Secret: bytes.Repeat([]byte{0x4b}, 32),
		Bank:    customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"},
		CardBIN: "400000", Hasher: password.ForTests})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	deps := demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms, History: history,
		Beneficiaries: s.Beneficiaries}
	start := time.Now()
	if err := demo.Seed(ctx, deps); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %v", time.Since(start))
	if err := demo.Seed(ctx, deps); err != nil {
		t.Fatalf("seeding again: %v", err)
	}
	return s
}

// fingerprint is what the demo's history is, line by line, across every demo customer's accounts.
func fingerprint(t *testing.T, s *app.Bank) (lines []string, kinds map[string]int) {
	t.Helper()
	ctx := context.Background()
	kinds = map[string]int{}
	for _, client := range []string{"100000001", "100000002", "100000003", "100000004"} {
		c, err := s.Customers.ByClientNumber(ctx, client)
		if err != nil {
			t.Fatal(err)
		}
		accounts, err := s.Ledger.ListByCustomer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			p, err := s.Ledger.Statement(ctx, a.ID, time.Time{}, now.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var last time.Time
			for _, l := range p.Lines {
				if l.PostedAt.Before(last) || l.PostedAt.After(now) {
					t.Errorf("%s line %d booked at %v, after %v, now %v", a.IBAN, l.Seq, l.PostedAt, last, now)
				}
				last = l.PostedAt
				d, err := s.Ledger.LineOf(ctx, a.ID, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				kinds[d.Kind]++
				lines = append(lines, fmt.Sprintf("%s %s %d %s %s %d", client, l.PostedAt.Format(time.DateTime),
					l.Amount, l.Description, l.Counterparty, l.BalanceAfter))
			}
		}
	}
	return lines, kinds
}

func TestDemoHistoryIsMonthsOfBalancedLinesBookedInThePastTheSameEveryTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d, true)
		breaks, err := s.Ledger.Verify(context.Background())
		if err != nil || len(breaks) > 0 {
			t.Fatalf("the ledger does not verify: %v %v", breaks, err)
		}
		lines, kinds := fingerprint(t, s)
		if len(lines) < 300 {
			t.Errorf("%d lines of history, want months of it", len(lines))
		}
		for _, k := range []string{ledger.KindTransfer, ledger.KindCashDeposit, ledger.KindCashWithdrawal} {
			if kinds[k] < 10 {
				t.Errorf("%d lines of kind %s", kinds[k], k)
			}
		}
		first := lines[0]
		if want := "2026-08-01 07:00:00"; first[10:29] != want {
			t.Errorf("the first line %q, want it booked at %s (9:00 in Tirana, four months back)", first, want)
		}
		// Another demo bank seeded at the same moment has the same history.
		again, _ := fingerprint(t, seed(t, dbtest.Open(t, d.Engine), true))
		if len(again) != len(lines) {
			t.Fatalf("a second seed has %d lines, the first %d", len(again), len(lines))
		}
		for i := range lines {
			if again[i] != lines[i] {
				t.Fatalf("line %d differs: %q, then %q", i, lines[i], again[i])
			}
		}
	})
}

func TestDemoWithoutHistoryKeepsItsShortHistoryBookedNow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		lines, _ := fingerprint(t, seed(t, d, false))
		// Ten opening deposits (three accounts each and the business's) and three transfers, two lines each.
		if len(lines) != 16 {
			t.Errorf("%d lines, want 16: %v", len(lines), lines)
		}
	})
}

// Whatever day the demo is seeded on, every movement of its history goes through: no account runs short.
func TestDemoHistorySeedsOnAnyDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i, at := range []time.Time{
			time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2027, 5, 16, 12, 0, 0, 0, time.UTC), time.Date(2027, 7, 4, 6, 0, 0, 0, time.UTC),
			time.Date(2027, 9, 29, 18, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC),
		} {
			t.Run(at.Format(time.DateOnly), func(t *testing.T) {
				dd := d
				if i > 0 {
					dd = dbtest.Open(t, d.Engine)
				}
				s := seedAt(t, dd, true, at)
				if breaks, err := s.Ledger.Verify(context.Background()); err != nil || len(breaks) > 0 {
					t.Errorf("the ledger does not verify: %v %v", breaks, err)
				}
			})
		}
	})
}

// TestTheDemoStaffLogInWithThePublishedPasswordAndSecrets seeds the demo bank twice (the second time changes
// nothing) and logs every demo member of staff in with the password and a code of the TOTP secret the README
// lists; each has the role the README gives them.
func TestTheDemoStaffLogInWithThePublishedPasswordAndSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		b, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: make([]byte, 32), Hasher: password.ForTests,
			Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		deps := demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms, Staff: b.Staff}
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatalf("Seed: %v", err)
			}
		}
		for _, l := range demo.Staff {
			step, err := b.Staff.Login(ctx, l.Username, demo.Password)
			if err != nil {
				t.Fatalf("Login %s: %v", l.Username, err)
			}
			code, err := staff.Code(l.TOTPSecret, clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			sess, err := b.Staff.Verify(ctx, step.Token, code)
			if err != nil {
				t.Fatalf("Verify %s: %v", l.Username, err)
			}
			if m := sess.Member; !slices.Equal(m.Roles, []staff.Role{l.Role}) || m.MustChangePassword {
				t.Errorf("demo member %+v", m)
			}
		}
		admin, _ := b.Staff.ByUsername(ctx, "admin")
		list, err := b.Staff.List(ctx, admin)
		if err != nil || len(list) != len(demo.Staff) {
			t.Errorf("%d staff after seeding twice, %v", len(list), err)
		}
	})
}

// TestTheDemoLeavesOneRequestForAManager: seeded with the staff's operations, twice, the demo bank has one request
// in the approvals inbox — the back office's overdraft on Elira Shehu's current account — that a manager may
// approve; seeded without them, none.
func TestTheDemoLeavesOneRequestForAManager(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, err := app.New(ctx, app.Config{DB: d, Clock: clock.NewFake(now), Secret: make([]byte, 32), Hasher: password.ForTests,
			Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		deps := demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms, Staff: b.Staff,
			Operations: b.Operations}
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatalf("Seed: %v", err)
			}
		}
		manager, err := b.Staff.ByUsername(ctx, "manager")
		if err != nil {
			t.Fatal(err)
		}
		list, err := b.Approvals.List(ctx, manager, approval.Filter{Status: approval.Pending})
		if err != nil || len(list) != 1 {
			t.Fatalf("%d requests waiting, %v", len(list), err)
		}
		r := list[0]
		elira, _ := b.Customers.ByClientNumber(ctx, "100000002")
		if r.Kind != "overdraft.set" || r.Maker != "backoffice" || r.CustomerID != elira.ID ||
			!strings.Contains(string(r.Payload), `"limit":"`+demo.RequestedOverdraft+`"`) {
			t.Errorf("request %+v %s", r, r.Payload)
		}
		done, err := b.Operations.Approve(ctx, manager, r.ID, r.Hash)
		if err != nil || done.Status != approval.Executed {
			t.Errorf("approving the demo's request: %+v, %v", done, err)
		}
	})
}

// TestEveryDemoCustomerHasBeneficiariesAtOtherBanks: each demo customer has the IBAN registry's Albanian example
// (bank code 212) and one beneficiary abroad.
func TestEveryDemoCustomerHasBeneficiariesAtOtherBanks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := seed(t, d, false)
		for _, client := range []string{"100000001", "100000002", "100000003", "100000004"} {
			c, err := s.Customers.ByClientNumber(t.Context(), client)
			if err != nil {
				t.Fatal(err)
			}
			list, err := s.Beneficiaries.List(t.Context(), c.ID, "")
			if err != nil || len(list) != 2 {
				t.Fatalf("%s: %d beneficiaries (%v)", client, len(list), err)
			}
			found, _ := s.Beneficiaries.List(t.Context(), c.ID, "AL47 2121")
			if len(found) != 1 || found[0].BankCountry() != "AL" {
				t.Errorf("%s: the registry's Albanian example at bank 212: %v", client, found)
			}
		}
	})
}
