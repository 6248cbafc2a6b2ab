package ledger

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/money"
)

// Leg is one side of a journal entry: a signed amount on one account (credit > 0, debit < 0), with the text the
// account holder sees on their history for it.
type Leg struct {
	AccountID        string
	Amount           int64
	Description      string
	Text             Text // the description as a catalogue key, when the bank wrote it; see Line.Describe
	Counterparty     string
	CounterpartyIBAN string
}

// Entry is one balanced money movement.
type Entry struct {
	Kind        string // transfer, cash_deposit, cash_withdrawal, hold_capture, reversal…
	Description string
	Reference   string // the business object it belongs to, e.g. a transfer id
	ReversesID  string // set only on a reversal
	Legs        []Leg
	// Charge marks what the bank charges an account under its own contract — a credit card's interest and
	// fees —, which may take it past its limit: the bank's claim exists whether or not the limit has room.
	Charge bool
}

// Record is a row another package writes in the same transaction as its postings, e.g. the transfer itself or an
// SMS in the outbox. Records with the same table and columns are inserted together.
type Record struct {
	Table   string
	Columns []string
	Values  []any
	// IgnoreExisting leaves a row whose key is there already as it is, for a record written again on a repeat.
	IgnoreExisting bool
}

// Op is one unit of work in a batch. Run sees the locked state of the accounts and holds it declared and stages
// changes through the Batch; if it returns an error everything it staged is undone and the other ops of the batch
// go on. Run must have no effect outside the Batch: it may run more than once (a retried transaction, or a failed
// batch replayed one op at a time).
type Op struct {
	Accounts       []string // every account Run may touch
	Holds          []string // every existing hold Run may capture or release
	IdempotencyKey string   // scope key Run may look up with Batch.Idempotency
	Run            func(b *Batch) error
	// Audit, if set, gives the audit entries of the op once Run has returned err (nil, or why it was refused);
	// they are appended to the audit chain in the batch's transaction, a refusal's too (what a refused op staged
	// is undone, its entry is not). The batch locks the chain's head only when one of its ops has Audit.
	Audit func(err error) []audit.Entry
}

type posting struct {
	id, entryID, accountID, currency       string
	seq, amount, balanceAfter              int64
	description, counterparty, counterIBAN string
	masked                                 bool // the holder sees the counterparty masked: not searchable by it
	textKey, textParams                    string
	searchAlso                             string // the bank's text in English, so search finds it in either language
}

type entryRow struct {
	id, kind, description, reference, reversesID string
}

// Batch is the in-memory view of one database transaction shared by the ops of a group commit.
type Batch struct {
	texts *i18n.Catalogue // nil: postings are searchable in Albanian only
	now   time.Time
	// valueDate is the value date of every entry of the batch: the calendar's for now (T14).
	valueDate calendar.Date
	accounts  map[string]*Account
	holds     map[string]*Hold
	idem      map[string]idempotency.Key
	touched   map[string]bool

	entries     []entryRow
	postings    []posting
	newHolds    []*Hold
	holdChanges map[string]bool
	records     []Record
	updates     []Record
	adds        []Record
	newIdem     []idempotency.Key
	audit       []audit.Entry
	auditHead   audit.Head

	// op is the op running. It reaches only the accounts and holds it declared, and the holds it placed itself
	// (newHolds from opHolds on): the others of the batch are loaded too, but a failed op is undone from a
	// snapshot of what it declared, so a change it made elsewhere would survive it.
	op      *Op
	opHolds int
}

func (b *Batch) account(id string) *Account {
	if b.op != nil && !slices.Contains(b.op.Accounts, id) {
		return nil
	}
	return b.accounts[id]
}

func (b *Batch) hold(id string) *Hold {
	h := b.holds[id]
	if h == nil || b.op == nil || slices.Contains(b.op.Holds, id) {
		return h
	}
	for _, n := range b.newHolds[b.opHolds:] {
		if n.ID == id {
			return h
		}
	}
	return nil
}

// Now is the time every change in the batch is stamped with.
func (b *Batch) Now() time.Time { return b.now }

// ValueDate is the value date of every entry the batch posts (T14): the day of Now, or the next working day when
// Now is after the close of business or on a day the bank is closed.
func (b *Batch) ValueDate() calendar.Date { return b.valueDate }

// Account returns the locked state of an account the op declared.
func (b *Batch) Account(id string) (Account, error) {
	a := b.account(id)
	if a == nil {
		return Account{}, ErrAccountNotFound
	}
	return *a, nil
}

// Insert stages a row to be written with the batch.
func (b *Batch) Insert(r Record) { b.records = append(b.records, r) }

// Update stages a change of one row another package owns, written with the batch: r.Columns[0] is the row's key
// column and r.Values[0] its value, the rest the columns set. Changes with the same table and columns are written
// together, after the inserts. The batch does not lock the row: the op's own guard (a hold it captures, its
// idempotency key) is what makes the change happen once.
func (b *Batch) Update(r Record) { b.updates = append(b.updates, r) }

// Add stages an addition to a counter row another package owns, written with the batch: r.Columns are the row's
// key columns then the counted one, r.Values the key and the amount (an int64) to add; a missing row is created
// with the amount. The additions to one row in a batch are summed first, so the row is written once. Like Update,
// it does not lock the row: the op's own guard makes the addition happen once.
func (b *Batch) Add(r Record) { b.adds = append(b.adds, r) }

// Idempotency looks up a scope key: replay is true with the first request's resource id when the same request was
// made before; a different request under the same key is a conflict.
func (b *Batch) Idempotency(key, requestHash string) (resourceID string, replay bool, err error) {
	k, ok := b.idem[key]
	if !ok {
		return "", false, nil
	}
	id, err := k.Replay(requestHash)
	return id, err == nil, err
}

// RememberIdempotency stages the key so repeats of the request find resourceID.
func (b *Batch) RememberIdempotency(key, requestHash, resourceID string) {
	k := idempotency.Key{Scope: key, Hash: requestHash, ResourceID: resourceID}
	b.idem[key] = k
	b.newIdem = append(b.newIdem, k)
}

func statusError(s Status) error {
	if s == Closed {
		return ErrAccountClosed
	}
	return ErrAccountBlocked
}

// Post stages a balanced entry: every account active, legs balanced per currency, and no customer account's
// available balance taken below zero by it. It returns the new entry's id.
func (b *Batch) Post(e Entry) (string, error) {
	if len(e.Legs) < 2 {
		return "", errors.New("post: an entry needs at least two legs")
	}
	sums := map[string]int64{}
	delta := map[string]int64{}
	for _, l := range e.Legs {
		a := b.account(l.AccountID)
		if a == nil {
			return "", ErrAccountNotFound
		}
		if l.Amount == 0 {
			return "", errors.New("post: zero leg")
		}
		if a.Status != Active {
			return "", statusError(a.Status)
		}
		if a.Type == TypeCredit && !strings.HasPrefix(e.Kind, "card_") && e.Kind != "reversal" {
			return "", ErrCardOnly
		}
		s, ok := addInt64(sums[string(a.Currency)], l.Amount)
		if !ok {
			return "", money.ErrAmountOutOfRange
		}
		sums[string(a.Currency)] = s
		d, ok := addInt64(delta[l.AccountID], l.Amount)
		if !ok {
			return "", money.ErrAmountOutOfRange
		}
		delta[l.AccountID] = d
	}
	for cur, s := range sums {
		if s != 0 {
			return "", fmt.Errorf("post: entry unbalanced in %s by %d", cur, s)
		}
	}
	for id, d := range delta {
		a := b.accounts[id]
		nb, ok := addInt64(a.Balance, d)
		if !ok {
			return "", money.ErrAmountOutOfRange
		}
		if d < 0 && !a.AllowNegative && !e.Charge && nb-a.Held+a.OverdraftLimit < 0 {
			return "", ErrInsufficientFunds
		}
	}
	entryID := uuid.Must(uuid.NewV7()).String()
	b.entries = append(b.entries, entryRow{id: entryID, kind: e.Kind, description: e.Description,
		reference: e.Reference, reversesID: e.ReversesID})
	// The legs of an entry usually share one text: its parameters and English are worked out once.
	var text Text
	var params, english string
	for i, l := range e.Legs {
		if i == 0 || l.Text.Key != text.Key || !maps.Equal(l.Text.Params, text.Params) {
			text, params, english = l.Text, encodeParams(l.Text.Params), b.english(l.Text)
		}
		a := b.accounts[l.AccountID]
		masked := false
		for _, o := range e.Legs {
			if c := b.accounts[o.AccountID]; l.CounterpartyIBAN != "" && c.IBAN == l.CounterpartyIBAN {
				masked = maskedFor(a.CustomerID, c.CustomerID, l.Amount, e.Kind)
			}
		}
		a.Balance += l.Amount
		a.LastSeq++
		b.touched[a.ID] = true
		b.postings = append(b.postings, posting{
			id: uuid.Must(uuid.NewV7()).String(), entryID: entryID, accountID: a.ID, currency: string(a.Currency),
			seq: a.LastSeq, amount: l.Amount, balanceAfter: a.Balance, description: l.Description,
			counterparty: l.Counterparty, counterIBAN: l.CounterpartyIBAN, masked: masked,
			textKey: l.Text.Key, textParams: params, searchAlso: english,
		})
	}
	return entryID, nil
}

func addInt64(a, b int64) (int64, bool) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, false
	}
	return c, true
}

// snapshot is what an op may change, saved so a failed op can be undone.
type snapshot struct {
	accounts                                                     map[string]Account
	holds                                                        map[string]Hold
	entries, postings, newHolds, records, updates, adds, newIdem int
	idemKey                                                      string
	idemHad                                                      bool
	idemKeyWas                                                   idempotency.Key
}

func (b *Batch) save(op *Op) snapshot {
	s := snapshot{accounts: map[string]Account{}, holds: map[string]Hold{}, entries: len(b.entries),
		postings: len(b.postings), newHolds: len(b.newHolds), records: len(b.records), updates: len(b.updates),
		adds:    len(b.adds),
		newIdem: len(b.newIdem)}
	for _, id := range op.Accounts {
		if a, ok := b.accounts[id]; ok {
			s.accounts[id] = *a
		}
	}
	for _, id := range op.Holds {
		if h, ok := b.holds[id]; ok {
			s.holds[id] = *h
		}
	}
	if op.IdempotencyKey != "" {
		s.idemKey = op.IdempotencyKey
		s.idemKeyWas, s.idemHad = b.idem[op.IdempotencyKey]
	}
	return s
}

func (b *Batch) restore(s snapshot) {
	for id, a := range s.accounts {
		*b.accounts[id] = a
	}
	for id, h := range s.holds {
		*b.holds[id] = h
	}
	for _, h := range b.newHolds[s.newHolds:] {
		delete(b.holds, h.ID)
	}
	b.entries, b.postings, b.newHolds = b.entries[:s.entries], b.postings[:s.postings], b.newHolds[:s.newHolds]
	b.records, b.updates, b.newIdem = b.records[:s.records], b.updates[:s.updates], b.newIdem[:s.newIdem]
	b.adds = b.adds[:s.adds]
	if s.idemKey != "" {
		if s.idemHad {
			b.idem[s.idemKey] = s.idemKeyWas
		} else {
			delete(b.idem, s.idemKey)
		}
	}
}

// runBatch executes ops in one transaction and returns each op's own error. A non-nil third result means the
// transaction itself failed and nothing was written.
func runBatch(ctx context.Context, d *db.DB, clk clock.Clock, cal *calendar.Service, texts *i18n.Catalogue, ops []*Op) ([]error, int, error) {
	errs := make([]error, len(ops))
	posted := 0
	var b *Batch
	// The value date comes from the calendar's cached year: asking it once here, before the transaction, makes
	// sure the year is read (once a minute at most) outside the transaction, so the ask inside it reads nothing.
	if _, err := valueDate(ctx, cal, clk.Now()); err != nil {
		return errs, 0, err
	}
	err := d.PipelinedTx(ctx, func() []db.Read {
		b = newBatch()
		b.texts = texts
		return b.reads(d, ops)
	}, func() ([]db.Stmt, error) {
		// The batch's time is read only once its accounts are locked: a batch that waited for another's locks is
		// stamped after it, so posting times grow with posting numbers on every account (history and statements
		// turn time ranges into number ranges on that promise).
		b.now = clk.Now()
		vd, err := valueDate(ctx, cal, b.now)
		if err != nil {
			return nil, err
		}
		b.valueDate = vd
		for i, op := range ops {
			errs[i] = nil
			s := b.save(op)
			b.op, b.opHolds = op, len(b.newHolds)
			if err := op.Run(b); err != nil {
				b.restore(s)
				errs[i] = err
			}
			if op.Audit != nil {
				b.audit = append(b.audit, op.Audit(errs[i])...)
			}
		}
		posted = len(b.postings)
		return b.statements(d)
	})
	return errs, posted, err
}

// valueDate is the value date of an entry posted at t: the calendar's, or without one (tools and tests of the
// ledger alone) the day of t in Tirane.
func valueDate(ctx context.Context, cal *calendar.Service, t time.Time) (calendar.Date, error) {
	if cal == nil {
		return calendar.DateOf(t), nil
	}
	d, err := cal.ValueDate(ctx, t)
	if err != nil {
		return calendar.Date{}, fmt.Errorf("value date: %w", err)
	}
	return d, nil
}

func newBatch() *Batch {
	return &Batch{accounts: map[string]*Account{}, holds: map[string]*Hold{}, idem: map[string]idempotency.Key{},
		touched: map[string]bool{}, holdChanges: map[string]bool{}}
}

// reads are the batch's queries: lock every account and hold the ops declared — in id order, so two batches
// touching the same accounts never deadlock — and fetch their idempotency keys.
func (b *Batch) reads(d *db.DB, ops []*Op) []db.Read {
	ids, holdIDs, keys := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, op := range ops {
		for _, id := range op.Accounts {
			ids[id] = true
		}
		for _, id := range op.Holds {
			holdIDs[id] = true
		}
		if op.IdempotencyKey != "" {
			keys[op.IdempotencyKey] = true
		}
	}
	var out []db.Read
	if len(ids) > 0 {
		in, args := d.In("id", sortedKeys(ids))
		out = append(out, db.Read{SQL: "SELECT " + accountColumns + " FROM accounts WHERE " + in + " ORDER BY id" + d.ForUpdate(),
			Args: args, Each: func(r db.Scanner) error {
				a, err := scanAccount(r)
				if err != nil {
					return fmt.Errorf("lock accounts: %w", err)
				}
				b.accounts[a.ID] = &a
				return nil
			}})
	}
	if len(holdIDs) > 0 {
		in, args := d.In("id", sortedKeys(holdIDs))
		out = append(out, db.Read{SQL: "SELECT " + holdColumns + " FROM holds WHERE " + in + " ORDER BY id" + d.ForUpdate(),
			Args: args, Each: func(r db.Scanner) error {
				h, err := scanHold(r)
				if err != nil {
					return fmt.Errorf("lock holds: %w", err)
				}
				b.holds[h.ID] = &h
				return nil
			}})
	}
	if len(keys) > 0 {
		out = append(out, idempotency.Read(d, sortedKeys(keys), func(k idempotency.Key) { b.idem[k.Scope] = k }))
	}
	// The audit head last: it is the one lock every audited batch takes, so it is held for the shortest time.
	if slices.ContainsFunc(ops, func(op *Op) bool { return op.Audit != nil }) {
		out = append(out, audit.LockHead(d, func(h audit.Head) { b.auditHead = h }))
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// statements are the batch's writes: entries, postings, holds, records and idempotency keys as bulk inserts,
// the batch's audit entries as one insert, then each touched account's balance once.
func (b *Batch) statements(d *db.DB) ([]db.Stmt, error) {
	now, vd := db.Micros(b.now), b.valueDate.String()
	var stmts []db.Stmt
	var rows [][]any
	for _, e := range b.entries {
		rows = append(rows, []any{e.id, e.kind, e.description, e.reference, nullable(e.reversesID), now, vd})
	}
	stmts = append(stmts, d.InsertRows("journal_entries",
		[]string{"id", "kind", "description", "reference", "reverses_id", "posted_at", "value_date"}, rows)...)
	rows = nil
	// An entry's postings mostly share their texts (a conversion's six legs, one description): each distinct text
	// is folded once per batch.
	type texts struct {
		description, counterparty, iban, also string
		masked                                bool
	}
	folded := map[texts]string{}
	for _, p := range b.postings {
		k := texts{p.description, p.counterparty, p.counterIBAN, p.searchAlso, p.masked}
		search, ok := folded[k]
		if !ok {
			search = searchText(p.description, p.counterparty, p.counterIBAN, p.masked) + Fold(p.searchAlso)
			folded[k] = search
		}
		rows = append(rows, []any{p.id, p.entryID, p.accountID, p.seq, p.amount, p.currency, p.balanceAfter, now,
			p.description, p.counterparty, p.counterIBAN, search, p.textKey, p.textParams, vd})
	}
	stmts = append(stmts, d.InsertRows("postings", []string{"id", "entry_id", "account_id", "seq", "amount", "currency",
		"balance_after", "posted_at", "description", "counterparty", "counterparty_iban", "search", "text_key",
		"text_params", "value_date"}, rows)...)
	stmts = append(stmts, b.holdStmts(d)...)
	// Records go in first-staged order per table.
	groups := map[string][][]any{}
	var order []string
	cols := map[string][]string{}
	ignore := map[string]bool{}
	for _, r := range b.records {
		k := r.Table + "(" + strings.Join(r.Columns, ",") + ")"
		if r.IgnoreExisting {
			k += "?"
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			cols[k], ignore[k] = r.Columns, r.IgnoreExisting
		}
		groups[k] = append(groups[k], r.Values)
	}
	for _, k := range order {
		ins := d.InsertRows(k[:strings.IndexByte(k, '(')], cols[k], groups[k])
		if ignore[k] {
			for i := range ins {
				ins[i].SQL += " ON CONFLICT DO NOTHING"
			}
		}
		stmts = append(stmts, ins...)
	}
	stmts = append(stmts, updateStmts(d, b.updates)...)
	stmts = append(stmts, addStmts(d, b.adds)...)
	stmts = append(stmts, idempotency.Insert(d, b.newIdem, b.now)...)
	chained, err := audit.Staged(d, b.auditHead, b.now, b.audit)
	if err != nil {
		return nil, err
	}
	stmts = append(stmts, chained...)
	ids := sortedKeys(b.touched)
	upd := make([][]any, len(ids))
	for i, id := range ids {
		a := b.accounts[id]
		upd[i] = []any{a.ID, a.Balance, a.Held, a.LastSeq}
	}
	return append(stmts, d.UpdateRows("accounts", "id", []string{"balance", "held", "last_seq"}, upd)...), nil
}

// addStmts writes staged additions grouped by table and columns, summed per row, in first-staged order: an insert
// of each row that adds to the row already there.
func addStmts(d *db.DB, adds []Record) []db.Stmt {
	type group struct {
		table string
		cols  []string
		keys  []string // the rows' keys, in first-staged order
		rows  map[string][]any
	}
	var groups []*group
	byName := map[string]*group{}
	for _, r := range adds {
		name := r.Table + "(" + strings.Join(r.Columns, ",") + ")"
		g := byName[name]
		if g == nil {
			g = &group{table: r.Table, cols: r.Columns, rows: map[string][]any{}}
			byName[name] = g
			groups = append(groups, g)
		}
		last := len(r.Values) - 1
		var kb strings.Builder
		for _, v := range r.Values[:last] {
			fmt.Fprintf(&kb, "%v\x00", v)
		}
		key := kb.String()
		if row, ok := g.rows[key]; ok {
			row[last] = row[last].(int64) + r.Values[last].(int64)
			continue
		}
		g.keys = append(g.keys, key)
		g.rows[key] = slices.Clone(r.Values)
	}
	var stmts []db.Stmt
	for _, g := range groups {
		rows := make([][]any, len(g.keys))
		for i, k := range g.keys {
			rows[i] = g.rows[k]
		}
		last := len(g.cols) - 1
		counted := g.cols[last]
		conflict := " ON CONFLICT (" + strings.Join(g.cols[:last], ", ") + ") DO UPDATE SET " + counted + " = " +
			g.table + "." + counted + " + excluded." + counted
		for _, st := range d.InsertRows(g.table, g.cols, rows) {
			st.SQL += conflict
			stmts = append(stmts, st)
		}
	}
	return stmts
}

// updateStmts writes staged updates grouped by table and columns, in first-staged order.
func updateStmts(d *db.DB, updates []Record) []db.Stmt {
	groups := map[string][][]any{}
	var order []string
	cols := map[string][]string{}
	for _, r := range updates {
		k := r.Table + "(" + strings.Join(r.Columns, ",") + ")"
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			cols[k] = r.Columns
		}
		groups[k] = append(groups[k], r.Values)
	}
	var stmts []db.Stmt
	for _, k := range order {
		c := cols[k]
		stmts = append(stmts, d.UpdateRows(k[:strings.IndexByte(k, '(')], c[0], c[1:], groups[k])...)
	}
	return stmts
}
