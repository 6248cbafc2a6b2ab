package vop_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/vop"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// Other banks' IBANs: an Albanian bank's (212, the registry's example bank) and a German one.
var (
	albanianIBAN = mustIBAN("AL47212110090000000235698741")
	germanIBAN   = mustIBAN("DE89370400440532013000")
)

func mustIBAN(s string) iban.IBAN {
	ib, err := iban.Parse(s)
	if err != nil {
		panic(err)
	}
	return ib
}

// fixture is the name check service as app.New wires it, on a fresh database and a fake clock, with a responder for
// other banks that the test sets.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	store *ledger.Store
	other *stubResponder
	svc   *vop.Service
	n     atomic.Int64 // numbers customers, so national IDs and mobiles differ
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0), other: &stubResponder{}}
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: bank}
	f.store = &ledger.Store{DB: d, Clock: f.clk}
	f.svc = f.instance()
	return f
}

// instance is the service of one instance of the bank on the fixture's database and clock.
func (f *fixture) instance() *vop.Service {
	return &vop.Service{DB: f.d, Clock: f.clk, Own: bank, Accounts: f.store, Customers: f.cs, Other: f.other,
		Timeout: time.Second}
}

// person creates an individual customer.
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

// company creates a business customer represented by rep.
func (f *fixture) company(t testing.TB, name string, rep customer.Customer) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('M', n).String(), CompanyName: name,
		Mobile: fmt.Sprintf("+35569%07d", n), Representatives: []string{rep.ID}})
	if err != nil {
		t.Fatalf("create business %s: %v", name, err)
	}
	return c
}

// account opens an account for the customer and returns its IBAN.
func (f *fixture) account(t testing.TB, customerID string) ledger.Account {
	t.Helper()
	a, err := f.cs.OpenAccount(f.ctx, customerID, money.ALL, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatalf("open account: %v", err)
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

func (f *fixture) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// stubResponder is another bank as a test sets it: an answer, an error, or a delay that ignores its context.
type stubResponder struct {
	outcome vop.Outcome
	err     error
	delay   time.Duration
	asked   atomic.Int64
	lastBIC atomic.Value
}

func (r *stubResponder) Verify(_ context.Context, bic string, _ iban.IBAN, _ string) (vop.Outcome, error) {
	r.asked.Add(1)
	r.lastBIC.Store(bic)
	time.Sleep(r.delay)
	return r.outcome, r.err
}

var errDown = errors.New("the other bank does not answer")

// directory is a bank directory that knows one bank.
type directory map[string]string

func (d directory) BICOf(_ context.Context, ib iban.IBAN) (string, error) {
	if bic, ok := d[ib.BankCode()]; ok {
		return bic, nil
	}
	return "", errors.New("no such bank")
}

// wantOutcome fails unless o says r, with the name only a close match carries, at the clock's time.
func (f *fixture) wantOutcome(t testing.TB, o vop.Outcome, err error, r vop.Result, name string) {
	t.Helper()
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if o.Result != r || o.Name != name {
		t.Fatalf("check = %s %q, want %s %q", o.Result, o.Name, r, name)
	}
	if !o.CheckedAt.Equal(f.clk.Now()) {
		t.Errorf("checked at %v, want the bank's clock %v", o.CheckedAt, f.clk.Now())
	}
}

// wantRefused fails unless err is rate_limited with retry_after.
func wantRefused(t testing.TB, err error, retryAfter string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || e.Kind != kumbara.KindRateLimited || !errors.Is(err, kumbara.ErrRateLimited) {
		t.Fatalf("check past the allowance: %v, want rate_limited", err)
	}
	if got := e.Params["retry_after"]; got != retryAfter {
		t.Errorf("retry_after %q, want %q", got, retryAfter)
	}
}

// fieldCodes lists a validation error's field problems as "field:code", sorted.
func fieldCodes(t testing.TB, err error) []string {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || !errors.Is(err, kumbara.ErrValidationFailed) {
		t.Fatalf("error %v, want validation_failed", err)
	}
	var out []string
	for _, fe := range e.Fields {
		out = append(out, fe.Field+":"+fe.Code)
	}
	slices.Sort(out)
	return out
}

func vopRateLimited(err error) bool { return errors.Is(err, kumbara.ErrRateLimited) }
