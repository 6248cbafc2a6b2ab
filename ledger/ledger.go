package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
)

// Ledger executes ops. Submit groups the ops of concurrent requests into one database transaction (group commit):
// one commit per batch instead of per transfer is what lets a single SQLite writer, or a PostgreSQL server with
// its fsync per commit, carry thousands of transfers a second. An op that fails — insufficient funds, a blocked
// account — is undone inside the batch without failing its neighbours; if the transaction itself fails, each op is
// replayed alone so only the culprit fails.
type Ledger struct {
	Store
	Clock clock.Clock
	// Texts, if set, gives the postings the bank describes (Text) an English search text beside the Albanian
	// description, so a reader finds "deposit" as well as "depozitë". Set it before Start.
	Texts *i18n.Catalogue
	// Calendar, if set, gives every entry its value date (T14: after the close of business, the next working
	// day's); without it an entry's value date is the day it is posted. Set it before Start.
	Calendar *calendar.Service

	observers []Observer
	maxBatch  int
	queue     chan *pending
	wg        sync.WaitGroup
	mu        sync.RWMutex
	closed    bool
}

type pending struct {
	op   *Op
	err  error
	done chan struct{}
}

// Observer is told of the ledger's work, for metrics.
type Observer interface {
	// Posted is told how many postings each committed batch wrote.
	Posted(postings int)
	// Batch is told the size and duration of every batch transaction.
	Batch(ops int, took time.Duration)
}

// New returns a ledger on d whose work each of observers is told of (nil ones are skipped). Call Start to enable
// group commit; until then Submit runs each op alone.
func New(d *db.DB, c clock.Clock, observers ...Observer) *Ledger {
	l := &Ledger{Store: Store{DB: d, Clock: c}, Clock: c, maxBatch: 256}
	for _, o := range observers {
		if o != nil {
			l.observers = append(l.observers, o)
		}
	}
	return l
}

// Start runs workers that commit queued ops in batches; workers ≤ 0 means one. SQLite has one writer anyway. On
// PostgreSQL more workers overlap round trips but split the queue into smaller batches that then wait on each
// other's row locks whenever they share an account (a hot account makes that nearly always): measured with 32
// clients, one worker did better than two or four.
func (l *Ledger) Start(workers int) {
	if workers <= 0 {
		workers = 1
	}
	l.queue = make(chan *pending, 4096)
	for i := 0; i < workers; i++ {
		l.wg.Add(1)
		go l.work()
	}
}

// Close stops taking ops, finishes every queued one and waits for the workers: in-flight transfers complete
// during a graceful shutdown.
func (l *Ledger) Close() {
	l.mu.Lock()
	if l.closed || l.queue == nil {
		l.closed = true
		l.mu.Unlock()
		return
	}
	l.closed = true
	close(l.queue)
	l.mu.Unlock()
	l.wg.Wait()
}

func (l *Ledger) work() {
	defer l.wg.Done()
	for p := range l.queue {
		batch := []*pending{p}
	drain:
		for len(batch) < l.maxBatch {
			select {
			case q, ok := <-l.queue:
				if !ok {
					break drain
				}
				batch = append(batch, q)
			default:
				break drain
			}
		}
		// A batch is bounded like a request: on a stalled database its ops fail (with the fault) rather than
		// hold every request that waits in Submit.
		ctx, cancel := l.DB.Scope(context.Background())
		l.execute(ctx, batch)
		cancel()
	}
}

// Submit runs op in the next group commit and returns its own error. It waits for the batch to commit even if ctx
// ends first, so the caller always learns what happened to the money.
func (l *Ledger) Submit(ctx context.Context, op Op) error {
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return kumbara.ErrUnavailable.With("the ledger is closed")
	}
	if l.queue == nil {
		l.mu.RUnlock()
		return l.Run(ctx, op)
	}
	p := &pending{op: &op, done: make(chan struct{})}
	l.queue <- p
	l.mu.RUnlock()
	<-p.done
	if p.err == nil {
		db.NoteWrite(ctx) // committed on the request's behalf, under the worker's context
	}
	return p.err
}

// Run executes op alone in its own transaction, bypassing the queue (staff operations, jobs, tests).
func (l *Ledger) Run(ctx context.Context, op Op) error {
	p := &pending{op: &op, done: make(chan struct{})}
	l.execute(ctx, []*pending{p})
	return p.err
}

func (l *Ledger) execute(ctx context.Context, batch []*pending) {
	ops := make([]*Op, len(batch))
	for i, p := range batch {
		ops[i] = p.op
	}
	start := time.Now()
	errs, posted, err := runBatch(ctx, l.DB, l.Clock, l.Calendar, l.Texts, ops)
	took := time.Since(start)
	for _, o := range l.observers {
		o.Batch(len(ops), took)
	}
	if err != nil && len(batch) > 1 && !db.IsFault(err) {
		// Something in the batch broke the transaction (say, a unique key raced by another instance): replay
		// each op alone so the others still go through. Not when the database itself failed: each op would wait
		// for it in turn, and each caller learns from the fault whether its op may have committed.
		for _, p := range batch {
			l.execute(ctx, []*pending{p})
		}
		return
	}
	if err == nil && posted > 0 {
		for _, o := range l.observers {
			o.Posted(posted)
		}
	}
	for i, p := range batch {
		if err != nil {
			p.err = err
		} else {
			p.err = errs[i]
		}
		close(p.done)
	}
}

// Post runs a single entry as its own op and returns the entry id.
func (l *Ledger) Post(ctx context.Context, e Entry) (string, error) {
	return l.post(ctx, e, nil)
}

// post is Post with the audit entries of a staff operation: audited, if not nil, gives them from the batch once
// the entry is posted as id, and the batch appends them in its transaction (Op.Audit, the path transfers take);
// an entry refused gives none.
func (l *Ledger) post(ctx context.Context, e Entry, audited func(b *Batch, id string) []audit.Entry) (string, error) {
	var id string
	var entries []audit.Entry
	accounts := make([]string, 0, len(e.Legs))
	for _, leg := range e.Legs {
		accounts = append(accounts, leg.AccountID)
	}
	op := Op{Accounts: accounts, Run: func(b *Batch) error {
		entries = nil // Run may run again (a retried transaction)
		var err error
		if id, err = b.Post(e); err != nil {
			return err
		}
		if audited != nil {
			entries = audited(b, id)
		}
		return nil
	}}
	if audited != nil {
		op.Audit = func(err error) []audit.Entry {
			if err != nil {
				return nil
			}
			return entries
		}
	}
	err := l.Run(ctx, op)
	return id, err
}

// auditPosted gives the audit entries of a staff posting of e as id: one per customer account it posts to, each
// with the account's balance before and after (reason, if any, is recorded clipped); an entry on the bank's own
// accounts alone gives one entry about no account.
func auditPosted(ctx context.Context, action string, e Entry, reason string) func(b *Batch, id string) []audit.Entry {
	return func(b *Batch, id string) []audit.Entry {
		var order []string
		sums := map[string]int64{}
		for _, leg := range e.Legs {
			if _, ok := sums[leg.AccountID]; !ok {
				order = append(order, leg.AccountID)
			}
			sums[leg.AccountID] += leg.Amount
		}
		var out []audit.Entry
		for _, accID := range order {
			a, err := b.Account(accID)
			if err != nil || a.CustomerID == "" {
				continue
			}
			out = append(out, staffEntry(ctx, action, a, balanceState{a.Balance - sums[accID]}, posted{Entry: id,
				Reverses: e.ReversesID, Amount: sums[accID], Currency: string(a.Currency), Balance: a.Balance,
				Reason: audit.Clip(reason)}))
		}
		if len(out) == 0 {
			out = append(out, staffEntry(ctx, action, Account{}, nil, posted{Entry: id, Reverses: e.ReversesID,
				Reason: audit.Clip(reason)}))
		}
		return out
	}
}

// Reverse posts the mirror image of an entry. An entry can be reversed once, and a reversal cannot be reversed.
func (l *Ledger) Reverse(ctx context.Context, entryID, reason string) (string, error) {
	var kind string
	var reverses sql.NullString
	err := l.DB.QueryRow(ctx, "SELECT kind, reverses_id FROM journal_entries WHERE id = ?", entryID).Scan(&kind, &reverses)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrTransactionNotFound
	}
	if err != nil {
		return "", fmt.Errorf("reverse: %w", err)
	}
	if reverses.Valid {
		return "", ErrAlreadyReversed.With("a reversal cannot be reversed")
	}
	var n int
	if err := l.DB.QueryRow(ctx, "SELECT COUNT(*) FROM journal_entries WHERE reverses_id = ?", entryID).Scan(&n); err != nil {
		return "", fmt.Errorf("reverse: %w", err)
	}
	if n > 0 {
		return "", ErrAlreadyReversed
	}
	rows, err := l.DB.Query(ctx, `SELECT account_id, amount, description, counterparty, counterparty_iban, text_key,
		text_params FROM postings WHERE entry_id = ? ORDER BY seq`, entryID)
	if err != nil {
		return "", fmt.Errorf("reverse: %w", err)
	}
	// Every leg or none: a reversal of part of an entry would not balance, and one built from a failed read of
	// the postings would not either.
	legs, err := db.Collect(rows, func(r db.Scanner) (Leg, error) {
		var leg Leg
		var params string
		err := r.Scan(&leg.AccountID, &leg.Amount, &leg.Description, &leg.Counterparty, &leg.CounterpartyIBAN,
			&leg.Text.Key, &params)
		leg.Amount = -leg.Amount
		if p, ok := decodeParams(params); ok {
			leg.Text.Params = p
		} else {
			leg.Text = Text{}
		}
		leg.Text = reversalText(leg.Description, leg.Text)
		leg.Description = albanian(leg.Text)
		return leg, err
	})
	if err != nil {
		return "", fmt.Errorf("reverse: %w", err)
	}
	e := Entry{Kind: "reversal", Description: reason, Reference: entryID, ReversesID: entryID, Legs: legs}
	id, err := l.post(ctx, e, auditPosted(ctx, ActionReversed, e, reason))
	if db.IsUniqueViolation(err) {
		return "", ErrAlreadyReversed
	}
	if err != nil {
		// A concurrent reversal of the same entry may have committed first and made this one fail on its
		// consequences (insufficient_funds): report what really happened.
		if l.DB.QueryRow(ctx, "SELECT COUNT(*) FROM journal_entries WHERE reverses_id = ?", entryID).Scan(&n) == nil && n > 0 {
			return "", ErrAlreadyReversed
		}
	}
	return id, err
}

// GLCode names the bank's GL account of a type in a currency, e.g. "vault:ALL".
func GLCode(typ string, c money.Currency) string { return typ + ":" + string(c) }

// CashDeposit credits a customer account with cash taken at a branch: the vault (an asset) is debited.
func (l *Ledger) CashDeposit(ctx context.Context, accountID string, amount money.Amount, note string) (string, error) {
	return l.cash(ctx, accountID, amount, note, 1)
}

// CashWithdrawal pays cash out of a customer account at a branch.
func (l *Ledger) CashWithdrawal(ctx context.Context, accountID string, amount money.Amount, note string) (string, error) {
	return l.cash(ctx, accountID, amount, note, -1)
}

func (l *Ledger) cash(ctx context.Context, accountID string, amount money.Amount, note string, sign int64) (string, error) {
	if amount.Minor <= 0 {
		return "", money.ErrAmountNotPositive
	}
	a, err := l.Get(ctx, accountID)
	if err != nil || a.IsGL() {
		return "", ErrAccountNotFound
	}
	if a.Currency != amount.Currency {
		return "", ErrCurrencyMismatch
	}
	vault, err := l.GL(ctx, GLCode(TypeVault, a.Currency))
	if err != nil {
		return "", fmt.Errorf("cash: no vault for %s: %w", a.Currency, err)
	}
	kind, t, action := "cash_deposit", Text{Key: TextCashDeposit}, ActionCashDeposited
	if sign < 0 {
		kind, t, action = "cash_withdrawal", Text{Key: TextCashWithdrawal}, ActionCashWithdrawn
	}
	if note != "" {
		t.Params = map[string]string{"note": note}
	}
	desc := albanian(t)
	e := Entry{Kind: kind, Description: desc, Legs: []Leg{
		{AccountID: a.ID, Amount: sign * amount.Minor, Description: desc, Text: t},
		{AccountID: vault.ID, Amount: -sign * amount.Minor, Description: desc, Text: t, Counterparty: a.IBAN},
	}}
	return l.post(ctx, e, auditPosted(ctx, action, e, ""))
}

// EnsureGL opens the bank's GL accounts (vault, clearing, fees, FX position, suspense, settlement, card settlement) in every
// currency that lacks them, and the FX results' (income, rounding, revaluation) in ALL. It is idempotent and runs
// at start.
func (l *Ledger) EnsureGL(ctx context.Context) error {
	types := []string{TypeVault, TypeClearing, TypeFees, TypeFXPosition, TypeSuspense, TypeSettlement,
		TypeCardSettlement}
	lekOnly := []string{TypeFXIncome, TypeFXRounding, TypeFXRevaluation}
	return l.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, c := range money.Currencies() {
			of := types
			if c == money.ALL {
				of = append(slices.Clone(types), lekOnly...)
			}
			for _, t := range of {
				code := GLCode(t, c)
				var n int
				if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM accounts WHERE gl_code = ?", code).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					continue
				}
				if _, err := Open(ctx, tx, l.Clock.Now(), NewAccount{GLCode: code, Number: "GL-" + code,
					Currency: c, Type: t, Name: code}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
