package bulk_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/jobs"
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

// Accounts at other banks: the IBAN registry's Albanian example at bank 212, one at bank 202 (both in the fixture's
// directory), one at bank 205 (not in it), a German and a Turkish one.
const (
	credins    = "AL47212110090000000235698741"
	raiffeisen = "AL35202111090000000001234567"
	german     = "DE89370400440532013000"
	turkish    = "TR330006100519786457841326"
)

// nameChecks counts the name checks asked for: a bulk file makes none.
type nameChecks struct{ n atomic.Int64 }

func (p *nameChecks) Check(context.Context, string, iban.IBAN, string) (vop.Outcome, error) {
	p.n.Add(1)
	return vop.Outcome{Result: vop.Match}, nil
}

type lockout struct{}

func (lockout) ReserveFactor(context.Context, string) error      { return nil }
func (lockout) SettleFactor(context.Context, string, bool) error { return nil }

// queue records the jobs a confirmation enqueues.
type queue struct {
	mu   sync.Mutex
	args []jobs.Args
}

func (q *queue) Enqueue(_ context.Context, _ *db.Tx, a jobs.Args) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.args = append(q.args, a)
	return nil
}

// fixture is the bulk service on the payment service as the bank wires it, with the clearing-house sandbox, on a
// fresh database with the ledger's group commit running and a fake clock.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	l     *ledger.Ledger
	cs    *customer.Service
	pay   *payment.Service
	svc   *bulk.Service
	jobs  *queue
	names *nameChecks
	n     atomic.Int64
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0), jobs: &queue{}, names: &nameChecks{}}
	cal := &calendar.Service{DB: d, Clock: f.clk}
	f.l = ledger.New(d, f.clk)
	f.l.Calendar = cal
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: bank}
	texts, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &sca.Service{Texts: texts, DB: d, Clock: f.clk, Config: sca.DefaultConfig(),
		Key: sca.DeriveKey([]byte("0123456789abcdef0123456789abcdef")), Failures: lockout{}}
	banks := &bankdir.Service{DB: d, Clock: f.clk, Own: bank}
	for _, b := range []bankdir.Bank{{Code: "212", BIC: "CDISALTR", Name: "Credins Bank", Instant: true, Active: true},
		{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank", Active: true}} {
		if _, err := banks.Put(f.ctx, b); err != nil {
			t.Fatalf("directory: %v", err)
		}
	}
	f.pay = &payment.Service{Ledger: f.l, Customers: f.cs, Calendar: cal, SCA: s, Banks: banks,
		Tariff: &tariff.Service{DB: d, Clock: f.clk}, Payees: f.names, Own: bank, Texts: texts,
		Config: payment.DefaultConfig(), Beneficiaries: &beneficiary.Service{DB: d, Clock: f.clk}}
	f.pay.Clearing = &clearinghouse.Sandbox{DB: d, Clock: f.clk, Bank: f.pay.Receive, BankBIC: bank.BIC,
		Sleep: func(context.Context, time.Duration) error { return nil }}
	f.svc = &bulk.Service{Payments: f.pay, Jobs: f.jobs, Config: bulk.DefaultConfig()}
	return f
}

// business creates a business customer with a mobile of its own.
func (f *fixture) business(t testing.TB, name string) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: string(kyc.NewNIPT('L', 10000000+n)),
		CompanyName: name, Mobile: fmt.Sprintf("+35569%07d", n), Address: "Rruga e Kavajës 1, Tiranë"})
	if err != nil {
		t.Fatalf("create business %s: %v", name, err)
	}
	return c
}

// person creates an individual customer.
func (f *fixture) person(t testing.TB, first, last string) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37), n%2 == 0, n%1000).String(),
		FirstName:  first, LastName: last, Mobile: fmt.Sprintf("+35568%07d", n)})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return c
}

// account opens an account for the customer with minor units of cash in it.
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
		t.Fatal(err)
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

// sound fails the test on any broken ledger invariant.
func (f *fixture) sound(t testing.TB) {
	t.Helper()
	breaks, err := f.l.Verify(f.ctx)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	for _, b := range breaks {
		t.Errorf("ledger invariant broken: %s", b)
	}
}

var codeInSMS = regexp.MustCompile(`\b(\d{6})\b`)

// sms is the newest SMS sent to the customer, and the code in it.
func (f *fixture) sms(t testing.TB, customerID string) (body, code string) {
	t.Helper()
	c, err := f.cs.Get(f.ctx, customerID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
		c.Mobile).Scan(&body); err != nil {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	m := codeInSMS.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in %q", body)
	}
	return body, m[1]
}

// tx is a line of a file: amount (a decimal in cur) to the account ib of name, in Tirana.
func tx(e2e, name, ib, amount string, cur money.Currency) iso20022.InitiationTx {
	a, err := money.ParsePositive(amount, cur)
	if err != nil {
		panic(err)
	}
	return iso20022.InitiationTx{EndToEndID: e2e, InstructionID: "I-" + e2e, Amount: a,
		Creditor:        iso20022.Party{Name: name, Address: iso20022.Address{City: "Tiranë", Country: "AL"}},
		CreditorAccount: iso20022.Account{IBAN: ib}, Remittance: "Paga e marsit " + e2e}
}

// file is a pain.001 of one PmtInf paying the lines from debtor today, its control sum computed.
func file(t testing.TB, msgID, debtor string, lines ...iso20022.InitiationTx) []byte {
	t.Helper()
	for i := range lines {
		lines[i].Line = i + 1
	}
	m := iso20022.Initiation{MessageID: msgID, CreatedAt: t0, InitiatingParty: iso20022.Party{Name: "Ëmbëlsira Tirana"},
		Batches: []iso20022.PaymentInfo{{ID: "PMT-" + msgID, Method: "TRF", RequestedDate: calendar.DateOf(t0),
			DebtorAccount: iso20022.Account{IBAN: debtor}, ChargeBearer: "SLEV", Transactions: lines}}}
	doc, err := m.Marshal()
	if err != nil {
		t.Fatalf("marshal the file: %v", err)
	}
	return doc
}

// broken is an IBAN like ib whose check digits do not hold.
func broken(ib string) string {
	last := ib[len(ib)-1]
	return ib[:len(ib)-1] + string('0'+(last-'0'+1)%10)
}

// wantCode fails unless err carries code (its own or one of its fields') with kind.
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

// statuses lists the lines' statuses in file order.
func statuses(b bulk.Batch) string {
	var out []string
	for _, l := range b.Items {
		out = append(out, l.Status)
	}
	return strings.Join(out, " ")
}
