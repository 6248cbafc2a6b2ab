package ledger_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// fixture is a ledger on a fresh database with the bank's GL accounts open and a fake clock.
type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	l   *ledger.Ledger
	n   atomic.Int64 // numbers customers and IBANs
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.l = ledger.New(d, f.clk)
	if err := f.l.EnsureGL(f.ctx); err != nil {
		t.Fatalf("EnsureGL: %v", err)
	}
	return f
}

// customer inserts a bare customer row, which a customer account needs.
func (f *fixture) customer(t testing.TB) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	n := f.n.Add(1)
	if _, err := f.d.Exec(f.ctx, "INSERT INTO customers (id, client_number, kind, created_at) VALUES (?, ?, ?, ?)",
		id, fmt.Sprintf("C%08d", n), "individual", db.Micros(f.clk.Now())); err != nil {
		t.Fatalf("insert customer: %v", err)
	}
	return id
}

// open opens an ALL current account for a new customer.
func (f *fixture) open(t testing.TB, overdraft int64) ledger.Account {
	t.Helper()
	return f.openFor(t, f.customer(t), overdraft)
}

// openFor opens another ALL current account for the customer cust.
func (f *fixture) openFor(t testing.TB, cust string, overdraft int64) ledger.Account {
	t.Helper()
	n := f.n.Add(1)
	var a ledger.Account
	err := f.d.InTx(f.ctx, func(tx *db.Tx) error {
		var err error
		a, err = ledger.Open(f.ctx, tx, f.clk.Now(), ledger.NewAccount{CustomerID: cust,
			IBAN: fmt.Sprintf("AL4721211009%016d", n), Currency: money.ALL, Type: ledger.TypeCurrent,
			Name: fmt.Sprintf("Llogaria %d", n), OverdraftLimit: overdraft})
		return err
	})
	if err != nil {
		t.Fatalf("open account: %v", err)
	}
	return a
}

// funded opens an account and deposits minor units of cash into it.
func (f *fixture) funded(t testing.TB, minor int64) ledger.Account {
	t.Helper()
	a := f.open(t, 0)
	f.deposit(t, a.ID, minor)
	return a
}

func (f *fixture) deposit(t testing.TB, id string, minor int64) string {
	t.Helper()
	e, err := f.l.CashDeposit(f.ctx, id, money.New(minor, money.ALL), "")
	if err != nil {
		t.Fatalf("deposit %d: %v", minor, err)
	}
	return e
}

func (f *fixture) gl(t testing.TB, typ string) ledger.Account {
	t.Helper()
	a, err := f.l.GL(f.ctx, ledger.GLCode(typ, money.ALL))
	if err != nil {
		t.Fatalf("gl %s: %v", typ, err)
	}
	return a
}

func (f *fixture) get(t testing.TB, id string) ledger.Account {
	t.Helper()
	a, err := f.l.Get(f.ctx, id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return a
}

func (f *fixture) setStatus(t testing.TB, id string, to ledger.Status) error {
	t.Helper()
	return f.d.InTx(f.ctx, func(tx *db.Tx) error { return ledger.SetStatus(f.ctx, tx, f.clk.Now(), id, to) })
}

func (f *fixture) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// state is what a refused operation must leave untouched.
type state struct {
	Entries, Postings, Holds, Keys int
	Accounts                       []ledger.Account
}

func (f *fixture) state(t testing.TB, ids ...string) state {
	t.Helper()
	s := state{
		Entries:  f.count(t, "SELECT COUNT(*) FROM journal_entries"),
		Postings: f.count(t, "SELECT COUNT(*) FROM postings"),
		Holds:    f.count(t, "SELECT COUNT(*) FROM holds"),
		Keys:     f.count(t, "SELECT COUNT(*) FROM idempotency_keys"),
	}
	for _, id := range ids {
		s.Accounts = append(s.Accounts, f.get(t, id))
	}
	return s
}

func (f *fixture) assertUnchanged(t testing.TB, before state, ids ...string) {
	t.Helper()
	after := f.state(t, ids...)
	if after.Entries != before.Entries || after.Postings != before.Postings || after.Holds != before.Holds ||
		after.Keys != before.Keys {
		t.Errorf("rows changed: before %+v after %+v", before, after)
	}
	for i := range before.Accounts {
		if b, a := before.Accounts[i], after.Accounts[i]; a.Balance != b.Balance || a.Held != b.Held ||
			a.LastSeq != b.LastSeq {
			t.Errorf("account %s changed: balance %d→%d held %d→%d last_seq %d→%d", a.ID, b.Balance, a.Balance,
				b.Held, a.Held, b.LastSeq, a.LastSeq)
		}
	}
}

// assertSound fails the test unless Verify finds nothing and every currency's balances sum to zero.
func (f *fixture) assertSound(t testing.TB) {
	t.Helper()
	breaks, err := f.l.Verify(f.ctx)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	for _, b := range breaks {
		t.Errorf("broken invariant: %s", b)
	}
	totals, err := f.l.Totals(f.ctx)
	if err != nil {
		t.Fatalf("totals: %v", err)
	}
	for c, v := range totals {
		if v != 0 {
			t.Errorf("balances in %s sum to %d, want 0", c, v)
		}
	}
}

func (f *fixture) assertBalance(t testing.TB, id string, balance, held int64) {
	t.Helper()
	a := f.get(t, id)
	if a.Balance != balance || a.Held != held {
		t.Errorf("account %s: balance %d held %d, want %d and %d", a.Name, a.Balance, a.Held, balance, held)
	}
}

// postings returns an account's postings in sequence order.
func (f *fixture) postings(t testing.TB, accountID string) []ledger.Line {
	t.Helper()
	var out []ledger.Line
	filter := ledger.HistoryFilter{Sort: ledger.SortDateAsc, Limit: ledger.MaxPageSize}
	for {
		p, err := f.l.History(f.ctx, accountID, filter)
		if err != nil {
			t.Fatalf("history: %v", err)
		}
		out = append(out, p.Lines...)
		if p.NextCursor == "" {
			return out
		}
		filter.Cursor = p.NextCursor
	}
}

func (f *fixture) entryPostings(t testing.TB, entryID string) map[string]int64 {
	t.Helper()
	rows, err := f.d.Query(f.ctx, "SELECT account_id, amount FROM postings WHERE entry_id = ?", entryID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var amt int64
		if err := rows.Scan(&id, &amt); err != nil {
			t.Fatal(err)
		}
		out[id] += amt
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func transfer(from, to string, amount int64) ledger.Entry {
	return ledger.Entry{Kind: "transfer", Description: "Transfertë", Legs: []ledger.Leg{
		{AccountID: from, Amount: -amount, Description: "Transfertë dalëse"},
		{AccountID: to, Amount: amount, Description: "Transfertë hyrëse"},
	}}
}

func transferOp(from, to string, amount int64) ledger.Op {
	return ledger.Op{Accounts: []string{from, to}, Run: func(b *ledger.Batch) error {
		_, err := b.Post(transfer(from, to, amount))
		return err
	}}
}

// placeHold places a hold through Run and returns it.
func (f *fixture) placeHold(t testing.TB, accountID string, amount int64, expires time.Time) (ledger.Hold, error) {
	t.Helper()
	var h ledger.Hold
	err := f.l.Run(f.ctx, ledger.Op{Accounts: []string{accountID}, Run: func(b *ledger.Batch) error {
		var err error
		h, err = b.PlaceHold(accountID, amount, "card_authorisation", "auth-1", expires)
		return err
	}})
	return h, err
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kumbara.CodeOf(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// postedLog is a ledger.Observer that records what Posted reports, one call per committed batch.
type postedLog struct {
	mu    sync.Mutex
	calls []int
}

func (p *postedLog) Batch(int, time.Duration) {}

func (p *postedLog) Posted(n int) {
	p.mu.Lock()
	p.calls = append(p.calls, n)
	p.mu.Unlock()
}

func (p *postedLog) max() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.calls) == 0 {
		return 0
	}
	return slices.Max(p.calls)
}

// blockWorker submits an op that holds the only group-commit worker until release is called, so the ops submitted
// meanwhile queue up and are committed together in the next batch. release waits for the blocking op to finish.
func (f *fixture) blockWorker(t testing.TB) (release func()) {
	t.Helper()
	started, unblock, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	go func() {
		done <- f.l.Submit(f.ctx, ledger.Op{Run: func(*ledger.Batch) error {
			once.Do(func() { close(started) })
			<-unblock
			return nil
		}})
	}()
	<-started
	return func() {
		close(unblock)
		if err := <-done; err != nil {
			t.Errorf("blocking op: %v", err)
		}
	}
}

// submitAll submits ops concurrently while the worker is blocked so they share one batch, and returns each op's
// error.
func (f *fixture) submitAll(t testing.TB, ops []ledger.Op) []error {
	t.Helper()
	release := f.blockWorker(t)
	errs := make([]error, len(ops))
	var wg sync.WaitGroup
	for i, op := range ops {
		wg.Go(func() { errs[i] = f.l.Submit(f.ctx, op) })
	}
	// Give every goroutine time to enqueue: Submit has no hook to observe it.
	time.Sleep(100 * time.Millisecond)
	release()
	wg.Wait()
	return errs
}
