package transfer_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// secondInstance is the transfer service of another instance of the bank on the same database and clock.
func (f *fixture) secondInstance(t *testing.T) *transfer.Service {
	l := ledger.New(f.d, f.clk)
	l.Start(0)
	t.Cleanup(l.Close)
	return &transfer.Service{Ledger: l, Customers: f.cs, Texts: f.tx}
}

// The payee check answers whether someone banks here, so each customer has an allowance of checks: 20 at once,
// then one every 6 seconds, counted in the database, so two instances of the bank (and a restart) share it.
func TestPayeeChecksAreLimitedPerCustomerAcrossInstances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payee := f.person(t, "Elira", "Shehu")
		f.account(t, payee.ID, money.ALL, 0)
		me := f.person(t, "Arben", "Hoxha")
		someoneElse := f.person(t, "Dritan", "Çela")
		instances := []*transfer.Service{f.svc, f.secondInstance(t)}
		check := func(svc *transfer.Service, customerID string) error {
			_, err := svc.FindPayee(f.ctx, customerID, transfer.ByClientNumber, payee.ClientNumber)
			return err
		}
		refused := func(t *testing.T, err error, retryAfter string) {
			t.Helper()
			e, ok := kumbara.As(err)
			if !ok || e.Kind != kumbara.KindRateLimited || e.Code != kumbara.ErrRateLimited.Code {
				t.Fatalf("check past the allowance: %v, want rate_limited", err)
			}
			if got := e.Params["retry_after"]; got != retryAfter {
				t.Errorf("retry_after %q, want %q", got, retryAfter)
			}
		}

		// 20 at once, alternating between the instances; the 21st is refused by either.
		for i := range transfer.PayeeCheckBurst {
			if err := check(instances[i%2], me.ID); err != nil {
				t.Fatalf("check %d: %v", i+1, err)
			}
		}
		for _, svc := range instances {
			refused(t, check(svc, me.ID), "6")
		}
		// A refused check spends nothing, and another customer has an allowance of their own.
		if err := check(f.svc, someoneElse.ID); err != nil {
			t.Errorf("another customer's first check: %v", err)
		}
		f.clk.Advance(3 * time.Second)
		refused(t, check(instances[1], me.ID), "3")
		f.clk.Advance(3 * time.Second)
		if err := check(instances[1], me.ID); err != nil {
			t.Fatalf("a check 6 s later: %v", err)
		}
		refused(t, check(f.svc, me.ID), "6")
		// A check that finds no one counts like any other.
		f.clk.Advance(transfer.PayeeCheckEvery)
		if _, err := f.svc.FindPayee(f.ctx, me.ID, transfer.ByClientNumber, "999999999"); kumbara.CodeOf(err) != "payee_not_found" {
			t.Fatalf("an unknown payee: %v", err)
		}
		refused(t, check(f.svc, me.ID), "6")

		// After two minutes the allowance is whole again, and the rows that say nothing more are gone.
		f.clk.Advance(transfer.PayeeCheckBurst * transfer.PayeeCheckEvery)
		for i := range transfer.PayeeCheckBurst {
			if err := check(instances[i%2], me.ID); err != nil {
				t.Fatalf("check %d of the new allowance: %v", i+1, err)
			}
		}
		refused(t, check(f.svc, me.ID), "6")
		if n := f.count(t, "SELECT COUNT(*) FROM payee_checks"); n != 1 {
			t.Errorf("%d payee_checks rows, want only the customer's whose allowance is not whole", n)
		}
	})
}

func TestThePayeeCheckSaysWhenThePayeeIsTheCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		me := f.person(t, "Arben", "Hoxha")
		mine := f.account(t, me.ID, money.ALL, 0)
		other := f.person(t, "Elira", "Shehu")
		f.account(t, other.ID, money.ALL, 0)
		for _, tc := range []struct {
			name, by, value string
			own             bool
		}{
			{"my client number", transfer.ByClientNumber, me.ClientNumber, true},
			{"my IBAN", transfer.ByIBAN, mine.IBAN, true},
			{"another customer", transfer.ByClientNumber, other.ClientNumber, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := f.svc.FindPayee(f.ctx, me.ID, tc.by, tc.value)
				if err != nil {
					t.Fatalf("FindPayee: %v", err)
				}
				if p.Own != tc.own {
					t.Errorf("Own = %v, want %v", p.Own, tc.own)
				}
			})
		}
	})
}
