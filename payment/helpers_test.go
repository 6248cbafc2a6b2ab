package payment_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/vop"
)

// t0 is when every test's fake clock starts: Monday 2 March 2026, 09:00 in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// The IBAN registry's Albanian example, at bank 212, which takes instant payments in the fixture's directory; and
// an account at bank 202, which does not.
const (
	credins   = "AL47212110090000000235698741"
	otherBank = "AL35202111090000000001234567"
)

// payees answers every name check with a match, but for names starting with "X" (no match).
type payees struct{ n atomic.Int64 }

func (p *payees) Check(_ context.Context, _ string, _ iban.IBAN, name string) (vop.Outcome, error) {
	p.n.Add(1)
	if name != "" && name[0] == 'X' {
		return vop.Outcome{Result: vop.NoMatch}, nil
	}
	return vop.Outcome{Result: vop.Match}, nil
}

// lockout is the channel's lockout as the payment confirmation sees it.
type lockout struct{}

func (lockout) ReserveFactor(context.Context, string) error      { return nil }
func (lockout) SettleFactor(context.Context, string, bool) error { return nil }

// fixture is the payment service wired as the bank wires it, with the clearing-house sandbox, on a fresh database
// with the ledger's group commit running and a fake clock.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	l     *ledger.Ledger
	cs    *customer.Service
	svc   *payment.Service
	ch    *clearinghouse.Sandbox
	texts *i18n.Catalogue
	vop   *payees
	n     atomic.Int64
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0), vop: &payees{}}
	cal := &calendar.Service{DB: d, Clock: f.clk}
	f.l = ledger.New(d, f.clk)
	f.l.Calendar = cal
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: bank}
	var err error
	if f.texts, err = i18n.New(); err != nil {
		t.Fatal(err)
	}
	s := &sca.Service{Texts: f.texts, DB: d, Clock: f.clk, Config: sca.DefaultConfig(),
		Key: sca.DeriveKey([]byte("0123456789abcdef0123456789abcdef")), Failures: lockout{}}
	banks := &bankdir.Service{DB: d, Clock: f.clk, Own: bank}
	for _, b := range []bankdir.Bank{{Code: "212", BIC: "CDISALTR", Name: "Credins Bank", Instant: true, Active: true},
		{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank", Active: true}} {
		if _, err := banks.Put(f.ctx, b); err != nil {
			t.Fatalf("directory: %v", err)
		}
	}
	f.svc = &payment.Service{Ledger: f.l, Customers: f.cs, Calendar: cal, SCA: s, Banks: banks,
		Tariff: &tariff.Service{DB: d, Clock: f.clk}, Payees: f.vop, Own: bank, Texts: f.texts, Config: payment.DefaultConfig(),
		Beneficiaries: &beneficiary.Service{DB: d, Clock: f.clk}}
	f.ch = &clearinghouse.Sandbox{DB: d, Clock: f.clk, Bank: f.svc.Receive, BankBIC: bank.BIC,
		Sleep: func(context.Context, time.Duration) error { return nil }}
	f.svc.Clearing = f.ch
	return f
}

// at moves the fake clock to the given day and time in Tirana.
func (f *fixture) at(t testing.TB, day string, hour, minute int) {
	t.Helper()
	d, err := calendar.ParseDate(day)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(d.Start().Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute))
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

func (f *fixture) get(t testing.TB, id string) ledger.Account {
	t.Helper()
	a, err := f.l.Get(f.ctx, id)
	if err != nil {
		t.Fatalf("get account: %v", err)
	}
	return a
}

func (f *fixture) gl(t testing.TB, typ string, c money.Currency) ledger.Account {
	t.Helper()
	a, err := f.l.Store.GL(f.ctx, ledger.GLCode(typ, c))
	if err != nil {
		t.Fatalf("GL %s: %v", typ, err)
	}
	return a
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

// domestic is a domestic payment request of amount (a decimal string) from account to iban.
func domestic(from, ib, amount string) payment.Request {
	return payment.Request{Type: payment.Domestic, FromAccountID: from, Amount: amount, Currency: "ALL",
		Description: "Qira mars", Beneficiary: beneficiary.Input{Name: "Arben Hoxha", IBAN: ib,
			Address: beneficiary.Address{City: "Tiranë", Country: "AL"}}}
}

var keys atomic.Int64

func key() string { return fmt.Sprintf("key-%d", keys.Add(1)) }

// pay creates a payment that needs no confirmation (a low value) or confirms it with its SMS code.
func (f *fixture) pay(t testing.TB, customerID string, r payment.Request) payment.Payment {
	t.Helper()
	p, _, err := f.svc.Create(f.ctx, customerID, key(), r)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if p.Status == payment.PendingConfirmation {
		p, err = f.svc.Confirm(f.ctx, customerID, p.ID, sca.Proof{Method: sca.MethodSMS, Code: f.code(t, customerID)})
		if err != nil {
			t.Fatalf("Confirm: %v", err)
		}
	}
	return p
}

var codeInSMS = regexp.MustCompile(`(\d{6})`)

// code is the payment code of the newest SMS sent to the customer.
func (f *fixture) code(t testing.TB, customerID string) string {
	t.Helper()
	c, err := f.cs.Get(f.ctx, customerID)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	if err := f.d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
		c.Mobile).Scan(&body); err != nil {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	m := codeInSMS.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in %q", body)
	}
	return m[1]
}

// status reads a payment's status and the statuses it went through.
func (f *fixture) status(t testing.TB, customerID, id string) (string, []string) {
	t.Helper()
	p, err := f.svc.Get(f.ctx, customerID, id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	var seen []string
	for _, e := range p.Events {
		seen = append(seen, e.Status)
	}
	return p.Status, seen
}

// wantCode fails unless err carries code, as its own code or as one of its fields', with kind.
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
