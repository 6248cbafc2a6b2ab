package transfer_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// fixture is the transfer service wired as main wires it, on a fresh database, with the ledger's group commit
// running and a fake clock.
type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	l   *ledger.Ledger
	cs  *customer.Service
	svc *transfer.Service
	tx  *i18n.Catalogue
	n   atomic.Int64 // numbers customers, so national IDs and mobiles differ
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.l = ledger.New(d, f.clk)
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close) // runs before the database closes: cleanups run last-in first-out
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: bank}
	var err error
	if f.tx, err = i18n.New(); err != nil {
		t.Fatal(err)
	}
	f.svc = &transfer.Service{Ledger: f.l, Customers: f.cs, Texts: f.tx}
	return f
}

// person creates an individual customer with a valid national ID and mobile.
func (f *fixture) person(t testing.TB, first, last string) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37)
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(birth, n%2 == 0, n%1000).String(),
		FirstName:  first, LastName: last, Mobile: fmt.Sprintf("+35569%07d", n),
	})
	if err != nil {
		t.Fatalf("create customer %s %s: %v", first, last, err)
	}
	return c
}

// account opens an account for the customer and deposits minor units of cash into it.
func (f *fixture) account(t testing.TB, customerID string, cur money.Currency, minor int64) ledger.Account {
	t.Helper()
	a, err := f.cs.OpenAccount(f.ctx, customerID, cur, ledger.TypeCurrent, "Llogaria")
	if err != nil {
		t.Fatalf("open account: %v", err)
	}
	if minor > 0 {
		if _, err := f.l.CashDeposit(f.ctx, a.ID, money.New(minor, cur), "Depozitë"); err != nil {
			t.Fatalf("deposit: %v", err)
		}
	}
	return a
}

func (f *fixture) setStatus(t testing.TB, accountID string, s ledger.Status) {
	t.Helper()
	if err := f.d.InTx(f.ctx, func(tx *db.Tx) error {
		return ledger.SetStatus(f.ctx, tx, f.clk.Now(), accountID, s)
	}); err != nil {
		t.Fatalf("set status %s: %v", s, err)
	}
}

func (f *fixture) balance(t testing.TB, accountID string) int64 {
	t.Helper()
	a, err := f.l.Get(f.ctx, accountID)
	if err != nil {
		t.Fatalf("get account: %v", err)
	}
	return a.Balance
}

func (f *fixture) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// sound fails the test on any broken ledger invariant or any currency whose balances do not sum to zero.
func (f *fixture) sound(t testing.TB) {
	t.Helper()
	breaks, err := f.l.Verify(f.ctx)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	for _, b := range breaks {
		t.Errorf("ledger invariant broken: %s", b)
	}
	totals, err := f.l.Totals(f.ctx)
	if err != nil {
		t.Fatalf("Totals: %v", err)
	}
	for cur, sum := range totals {
		if sum != 0 {
			t.Errorf("balances in %s sum to %d, want 0", cur, sum)
		}
	}
}

// wantCode fails unless err carries code, either as its own code or as the code of one of its fields, with kind.
func wantCode(t testing.TB, err error, kind kumbara.Kind, code string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok {
		t.Fatalf("error = %v, want domain error %s", err, code)
	}
	if e.Kind != kind {
		t.Fatalf("error %v has kind %d, want %d", err, e.Kind, kind)
	}
	if e.Code == code || slices.ContainsFunc(e.Fields, func(fe kumbara.FieldError) bool { return fe.Code == code }) {
		return
	}
	t.Fatalf("error = %v (fields %+v), want code %s", err, e.Fields, code)
}
