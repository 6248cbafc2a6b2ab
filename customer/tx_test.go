package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

func TestWhatOtherPackagesAskOfACustomerInTheirTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		person, other := f.individual(t, 1), f.individual(t, 2)
		nipt := kyc.NewNIPT('M', 7).String()
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: nipt, CompanyName: "Ëmbëlsira Tirana Shpk",
			Mobile: "+355694000004", Representatives: []string{person.ID}})
		if err != nil {
			t.Fatal(err)
		}
		err = d.InTx(f.ctx, func(tx *db.Tx) error {
			if err := customer.Lock(f.ctx, tx, person.ID); err != nil {
				t.Errorf("Lock: %v", err)
			}
			wantCode(t, customer.Lock(f.ctx, tx, "no-such-customer"), kumbara.KindNotFound, "customer_not_found")
			for id, want := range map[string]string{person.ID: customer.Individual, biz.ID: customer.Business} {
				if kind, err := customer.KindOf(f.ctx, tx, id); kind != want || err != nil {
					t.Errorf("KindOf(%s) = %q, %v; want %q", id, kind, err, want)
				}
			}
			_, err := customer.KindOf(f.ctx, tx, "no-such-customer")
			wantCode(t, err, kumbara.KindNotFound, "customer_not_found")
			for who, want := range map[string]bool{person.ID: true, other.ID: false, "nobody": false} {
				if got, err := customer.Represents(f.ctx, tx, biz.ID, who); got != want || err != nil {
					t.Errorf("Represents(%s) = %v, %v; want %v", who, got, err, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			nipt, person, want string
		}{{nipt, person.ID, biz.ID}, {nipt, other.ID, ""}, {kyc.NewNIPT('M', 8).String(), person.ID, ""}} {
			id, found, err := f.cs.RepresentedBusiness(f.ctx, tc.nipt, tc.person)
			if id != tc.want || found != (tc.want != "") || err != nil {
				t.Errorf("RepresentedBusiness(%s, %s) = %q %v %v, want %q", tc.nipt, tc.person, id, found, err, tc.want)
			}
		}
	})
}

// The customer's row lock excludes other lockers of the customer until it commits, but not a transaction that
// only writes a row referring to the customer (a key-share lock on PostgreSQL): such writes must not queue
// behind whatever is counted under the lock.
func TestTheCustomerLockExcludesOtherLockersButNotWritesThatReferToTheCustomer(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	f := newFixture(d)
	c := f.individual(t, 1)
	locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 2)
	go func() {
		done <- d.InTx(f.ctx, func(tx *db.Tx) error {
			if err := customer.Lock(f.ctx, tx, c.ID); err != nil {
				return err
			}
			close(locked)
			<-release
			return nil
		})
	}()
	<-locked
	// A row referring to the customer is written while the lock is held.
	ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
	defer cancel()
	if _, err := d.Exec(ctx, `INSERT INTO terms_acceptances (customer_id, version, document, accepted_at)
		VALUES (?, '2026-01', 'individual', 0)`, c.ID); err != nil {
		t.Fatalf("a write referring to the locked customer: %v", err)
	}
	second := make(chan time.Time, 1)
	go func() {
		done <- d.InTx(f.ctx, func(tx *db.Tx) error {
			err := customer.Lock(f.ctx, tx, c.ID)
			second <- time.Now()
			return err
		})
	}()
	select {
	case <-second:
		t.Fatal("a second locker got the lock while the first held it")
	case <-time.After(300 * time.Millisecond):
	}
	released := time.Now()
	close(release)
	if got := <-second; got.Before(released) {
		t.Fatal("the second locker went ahead before the first let go")
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
