package issuing_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// t0 is when every test's fake clock starts: Monday 2 March 2026, 09:00 in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// cards is the card service as the issuer asks it, with what the contract's storage does not keep yet set by the
// test: a card's status, kind, extra accounts and controls.
type cards struct {
	*card.Service
	mu   sync.Mutex
	edit map[string]func(*card.Spendable)
}

func (c *cards) ForNetwork(ctx context.Context, id string) (card.Spendable, error) {
	sp, err := c.Service.ForNetwork(ctx, id)
	return c.edited(id, sp, err)
}

func (c *cards) ForAuthorisation(ctx context.Context, id, day string) (card.Spendable, error) {
	sp, err := c.Service.ForAuthorisation(ctx, id, day)
	return c.edited(id, sp, err)
}

func (c *cards) edited(id string, sp card.Spendable, err error) (card.Spendable, error) {
	if err != nil {
		return sp, err
	}
	c.mu.Lock()
	fn := c.edit[id]
	c.mu.Unlock()
	if fn != nil {
		fn(&sp)
	}
	return sp, nil
}

func (c *cards) set(id string, fn func(*card.Spendable)) {
	c.mu.Lock()
	c.edit[id] = fn
	c.mu.Unlock()
}

type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	l     *ledger.Ledger
	cs    *customer.Service
	cards *cards
	fx    *fx.Service
	svc   *issuing.Service
	n     atomic.Int64
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.l = ledger.New(d, f.clk)
	f.l.Calendar = &calendar.Service{DB: d, Clock: f.clk}
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	f.l.Start(0)
	t.Cleanup(f.l.Close)
	f.cs = &customer.Service{DB: d, Clock: f.clk, Bank: bank}
	f.cards = &cards{Service: &card.Service{DB: d, Clock: f.clk, Keys: card.DeriveKeys([]byte("0123456789abcdef0123456789abcdef")),
		BIN: "400000"}, edit: map[string]func(*card.Spendable){}}
	f.fx = &fx.Service{DB: d, Clock: f.clk, Config: fx.DefaultConfig(), Ledger: f.l, Customers: f.cs}
	for _, r := range []fx.Rate{{Currency: money.EUR, Buy: "97.50", Sell: "99.55"}, {Currency: money.USD, Buy: "90.00", Sell: "92.00"}} {
		r.PublishedBy, r.ApprovedBy = "backoffice", "manager"
		if _, err := f.fx.Publish(f.ctx, r); err != nil {
			t.Fatalf("publish %s: %v", r.Currency, err)
		}
	}
	f.svc = &issuing.Service{DB: d, Clock: f.clk, Ledger: f.l, Cards: f.cards, FX: f.fx}
	return f
}

// holder is a customer with an ALL account holding minor units and an active debit card on it (PIN 4826).
func (f *fixture) holder(t testing.TB, minor int64) (card.Card, ledger.Account) {
	t.Helper()
	n := int(f.n.Add(1))
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37)
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{NationalID: kyc.NewNationalID(birth, n%2 == 0, n%1000).String(),
		FirstName: "Arta", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", n)})
	if err != nil {
		t.Fatalf("customer: %v", err)
	}
	a := f.account(t, c.ID, money.ALL, minor)
	k, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa, Contactless: true,
		PIN: "4826"})
	if err != nil {
		t.Fatalf("issue card: %v", err)
	}
	return k, a
}

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
	a, err := f.l.GL(f.ctx, ledger.GLCode(typ, c))
	if err != nil {
		t.Fatalf("GL %s: %v", typ, err)
	}
	return a
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

var ids atomic.Int64

// req is a chip purchase in Albania of amount (minor units, ALL) at a shop.
func req(cardID string, minor int64) issuing.Request {
	return issuing.Request{ID: fmt.Sprintf("net-%d", ids.Add(1)), CardID: cardID, Amount: money.New(minor, money.ALL),
		Merchant: "Supermarket Conad", MCC: "5411", Country: "AL", CardPresent: true, EntryMode: issuing.EntryChip}
}

func (f *fixture) authorise(t testing.TB, r issuing.Request) issuing.Answer {
	t.Helper()
	a, err := f.svc.Authorise(f.ctx, r)
	if err != nil {
		t.Fatalf("Authorise(%+v): %v", r, err)
	}
	return a
}

// clear posts a clearing file of the presentments, and fails the test on an error.
func (f *fixture) clear(t testing.TB, id string, ps ...issuing.Presentment) issuing.FileResult {
	t.Helper()
	res, err := f.svc.Clear(f.ctx, issuing.Format(issuing.File{ID: id, BusinessDate: calendar.DateOf(f.clk.Now()), Presentments: ps}))
	if err != nil {
		t.Fatalf("Clear: %v", err)
	}
	return res
}

func presentment(id, authID, cardID, kind string, amount money.Amount) issuing.Presentment {
	return issuing.Presentment{ID: id, AuthorisationID: authID, CardID: cardID, Kind: kind, Amount: amount, MCC: "5411",
		Merchant: "Supermarket Conad"}
}
