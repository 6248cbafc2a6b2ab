package creditcard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// Statement is one cycle's statement of a credit card (F18). Amounts are minor units, debts positive.
type Statement struct {
	ID              string
	CreditID        string
	CutDate         calendar.Date
	PeriodFrom      calendar.Date
	DueDate         calendar.Date
	FromSeq, ToSeq  int64
	PreviousBalance int64
	Purchases       int64
	Cash            int64
	Payments        int64
	Credits         int64
	Interest        int64
	Fees            int64
	Instalments     int64
	ClosingBalance  int64
	Unbilled        int64
	TotalDue        int64
	MinimumDue      int64
	Grace           bool
	Points          int64
	DueDone         bool
	AutoPaid        int64
	LateFee         int64
	CreatedAt       time.Time
}

// isCut reports whether d is a cut day of the cycle.
func isCut(c Cycle, d calendar.Date) bool {
	if c == CycleStart {
		return d.Day == 1
	}
	return d.AddDays(1).Day == 1
}

// errStale: the credit account moved between reading it and posting; the work is done again on what is now.
var errStale = errors.New("creditcard: the credit account moved meanwhile")

const attempts = 5

// RunStatements draws every statement whose cut is on or before day and is not drawn yet, in cut order: the end
// of day's step (idempotent per cut: a replay finds the statements drawn, a missed day is caught up).
func (s *Service) RunStatements(ctx context.Context, day calendar.Date) (int, error) {
	all, err := s.list(ctx, "1 = 1")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, cr := range all {
		k, err := s.statementsThrough(ctx, cr, day)
		n += k
		if err != nil {
			return n, fmt.Errorf("statements of credit card %s: %w", cr.ID, err)
		}
	}
	return n, nil
}

func (s *Service) statementsThrough(ctx context.Context, cr Credit, day calendar.Date) (int, error) {
	prev, err := s.lastStatement(ctx, cr.ID)
	if err != nil {
		return 0, err
	}
	from := cr.OpenedOn
	if prev != nil {
		from = prev.CutDate
	}
	n := 0
	for d := from.AddDays(1); !d.After(day); d = d.AddDays(1) {
		if !isCut(cr.Cycle, d) {
			continue
		}
		st, err := s.draw(ctx, cr, prev, d)
		if err != nil {
			return n, err
		}
		prev = &st
		n++
	}
	return n, nil
}

// bill is what a statement bills of one instalment plan.
type bill struct {
	plan            Plan
	principal, fee  int64
	billed          int
	billedPrincipal int64
	status          string
}

// draw draws the statement of cut, after prev (nil for the first), and posts its charges with it in one ledger
// transaction.
func (s *Service) draw(ctx context.Context, cr Credit, prev *Statement, cut calendar.Date) (Statement, error) {
	interestGL, err := s.gl(ctx, TypeCardInterest, cr.Currency)
	if err != nil {
		return Statement{}, err
	}
	feesGL, err := s.Ledger.GL(ctx, ledger.GLCode(ledger.TypeFees, cr.Currency))
	if err != nil {
		return Statement{}, err
	}
	for range attempts {
		acc, err := s.Ledger.Get(ctx, cr.AccountID)
		if err != nil {
			return Statement{}, err
		}
		var after int64
		if prev != nil {
			after = prev.ToSeq
		}
		ms, err := s.moves(ctx, cr.AccountID, after)
		if err != nil {
			return Statement{}, err
		}
		plans, err := s.plans(ctx, cr.ID, true)
		if err != nil {
			return Statement{}, err
		}
		st, bills := s.compute(cr, prev, cut, ms, plans)
		if st.DueDate, err = s.dueDate(ctx, cut); err != nil {
			return Statement{}, err
		}
		err = s.post(ctx, cr, &st, bills, acc.LastSeq, interestGL.ID, feesGL.ID)
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return Statement{}, err
		}
		return st, nil
	}
	return Statement{}, errStale
}

// compute is the statement of cut from the credit account's moves since the previous statement and the open
// instalment plans: the figures of the package's documentation, and what it bills of each plan.
func (s *Service) compute(cr Credit, prev *Statement, cut calendar.Date, ms []move, plans []Plan) (Statement, []bill) {
	st := Statement{ID: uuid.Must(uuid.NewV7()).String(), CreditID: cr.ID, CutDate: cut, PeriodFrom: cr.OpenedOn,
		Grace: true}
	cutEnd := cut.AddDays(1).Start()
	if prev != nil {
		st.PeriodFrom, st.FromSeq, st.PreviousBalance = prev.CutDate.AddDays(1), prev.ToSeq, prev.ClosingBalance
		st.Grace = paidSince(ms, prev.DueDate.AddDays(1).Start()) >= prev.TotalDue
	}
	st.ToSeq = st.FromSeq
	var in []move
	for _, m := range ms {
		if !m.PostedAt.Before(cutEnd) {
			break
		}
		st.ToSeq = m.Seq
		if prev != nil && m.Reference == prev.ID {
			continue // the previous statement's own charges: in its closing balance already
		}
		in = append(in, m)
		st.add(m)
	}
	// The daily balances, actual/365 (see the package documentation).
	revSum, cashSum := new(big.Int), new(big.Int)
	debt, cash, i := st.PreviousBalance, int64(0), 0
	for d := st.PeriodFrom; !d.After(cut); d = d.AddDays(1) {
		for ; i < len(in) && !day(in[i]).After(d); i++ {
			debt -= in[i].Amount
			if isCash(in[i].Kind) && in[i].Amount < 0 {
				cash -= in[i].Amount
			}
		}
		rest := max(0, debt-unbilledOn(plans, d))
		c := min(cash, rest)
		revSum.Add(revSum, big.NewInt(rest-c))
		cashSum.Add(cashSum, big.NewInt(c))
	}
	y := new(big.Rat).Mul(new(big.Rat).SetInt(cashSum), rat(s.Config.CashRate))
	if !st.Grace {
		y.Add(y, new(big.Rat).Mul(new(big.Rat).SetInt(revSum), rat(s.Config.PurchaseRate)))
	}
	st.Interest = roundHalfUp(y.Quo(y, big.NewRat(365, 1)))

	bills := billPlans(plans, cutEnd)
	var instFees, unbilled int64
	for _, b := range bills {
		st.Instalments += b.principal
		instFees += b.fee
	}
	for _, p := range plans {
		if p.CreatedAt.Before(cutEnd) {
			unbilled += p.Principal - p.BilledPrincipal
		}
	}
	for _, b := range bills {
		unbilled -= b.principal
	}
	st.Fees += instFees
	st.ClosingBalance = debt + st.Interest + instFees
	st.Unbilled = unbilled
	st.TotalDue = max(0, st.ClosingBalance-unbilled)
	if st.TotalDue > 0 {
		st.MinimumDue = min(st.TotalDue, max(s.Config.MinimumFloor, percentOf(st.TotalDue, s.Config.MinimumPercent)))
	}
	unit := int64(100)
	for range cr.Currency.MinorUnits() {
		unit *= 10
	}
	st.Points = max(0, st.Purchases-st.Credits) / unit * s.Config.PointsPer100
	return st, bills
}

// add counts one move of the period into the statement's figures.
func (st *Statement) add(m move) {
	switch {
	case m.Kind == KindPayment:
		st.Payments += m.Amount
	case isCash(m.Kind):
		st.Cash -= m.Amount
	case m.Kind == KindInterest:
		st.Interest -= m.Amount
	case m.Kind == KindLateFee || m.Kind == KindFee || m.Kind == KindInstalment:
		st.Fees -= m.Amount
	case m.Amount < 0:
		st.Purchases -= m.Amount
	default:
		st.Credits += m.Amount
	}
}

// unbilledOn is the instalment principal not billed yet on day d, of the plans made by then.
func unbilledOn(plans []Plan, d calendar.Date) int64 {
	var n int64
	for _, p := range plans {
		if !calendar.DateOf(p.CreatedAt).After(d) {
			n += p.Principal - p.BilledPrincipal
		}
	}
	return n
}

// billPlans bills each plan made before the cut one instalment: the principal and the fee in equal parts of
// whole minor units, the last one taking what the division left; a plan closed early bills its whole remaining
// principal and no more fee.
func billPlans(plans []Plan, cutEnd time.Time) []bill {
	var out []bill
	for _, p := range plans {
		if !p.CreatedAt.Before(cutEnd) {
			continue
		}
		b := bill{plan: p, billed: p.Billed + 1, status: PlanActive}
		switch {
		case p.Status == PlanClosing:
			b.principal, b.status = p.Principal-p.BilledPrincipal, PlanDone
		case b.billed >= p.Months:
			b.principal = p.Principal - p.BilledPrincipal
			b.fee = p.Fee - p.Fee/int64(p.Months)*int64(p.Months-1)
			b.status = PlanDone
		default:
			b.principal, b.fee = p.Principal/int64(p.Months), p.Fee/int64(p.Months)
		}
		b.billedPrincipal = p.BilledPrincipal + b.principal
		out = append(out, b)
	}
	return out
}

// dueDate is the cut plus the configured days, on a working day.
func (s *Service) dueDate(ctx context.Context, cut calendar.Date) (calendar.Date, error) {
	d := cut.AddDays(s.Config.DueDays)
	if s.Calendar == nil {
		return d, nil
	}
	ok, err := s.Calendar.IsWorkingDay(ctx, d)
	if err != nil || ok {
		return d, err
	}
	return s.Calendar.NextWorkingDay(ctx, d)
}

// post writes the statement, its charges and its plans' billing in one ledger transaction, once per cut: a replay
// under the cut's key writes nothing. The credit account must not have moved since it was read at seq.
func (s *Service) post(ctx context.Context, cr Credit, st *Statement, bills []bill, seq int64, interestGL, feesGL string) error {
	key := "creditcard:statement:" + cr.ID + ":" + st.CutDate.String()
	return s.Ledger.Run(ctx, ledger.Op{Accounts: []string{cr.AccountID, interestGL, feesGL}, IdempotencyKey: key,
		Run: func(b *ledger.Batch) error {
			if _, again, err := b.Idempotency(key, st.CutDate.String()); err != nil || again {
				return err
			}
			a, err := b.Account(cr.AccountID)
			if err != nil {
				return err
			}
			if a.LastSeq != seq {
				return errStale
			}
			st.CreatedAt = b.Now()
			if err := charge(b, cr.AccountID, interestGL, KindInterest, st.ID, st.Interest,
				"Interesi i kartës së kreditit"); err != nil {
				return err
			}
			var fees int64
			for _, bl := range bills {
				fees += bl.fee
				b.Update(ledger.Record{Table: "credit_instalments", Columns: []string{"id", "billed",
					"billed_principal", "status"}, Values: []any{bl.plan.ID, bl.billed, bl.billedPrincipal, bl.status}})
			}
			if err := charge(b, cr.AccountID, feesGL, KindInstalment, st.ID, fees,
				"Tarifa e kësteve të kartës"); err != nil {
				return err
			}
			b.Insert(st.record())
			b.Update(ledger.Record{Table: "credit_cards", Columns: []string{"id", "points"},
				Values: []any{cr.ID, cr.Points + st.Points}})
			b.RememberIdempotency(key, st.CutDate.String(), st.ID)
			return nil
		}})
}

// charge posts what the bank charges the credit account (interest, a fee) to its GL account; nothing for 0.
func charge(b *ledger.Batch, accountID, glID, kind, reference string, amount int64, desc string) error {
	if amount <= 0 {
		return nil
	}
	_, err := b.Post(ledger.Entry{Kind: kind, Description: desc, Reference: reference, Charge: true, Legs: []ledger.Leg{
		{AccountID: accountID, Amount: -amount, Description: desc},
		{AccountID: glID, Amount: amount, Description: desc},
	}})
	return err
}

const statementColumns = `id, credit_id, cut_date, period_from, from_seq, to_seq, previous_balance, purchases,
	cash, payments, credits, interest, fees, instalments, closing_balance, unbilled, total_due, minimum_due,
	due_date, grace, points, due_done, auto_paid, late_fee, created_at`

func (st Statement) record() ledger.Record {
	return ledger.Record{Table: "credit_statements", Columns: []string{"id", "credit_id", "cut_date",
		"period_from", "from_seq", "to_seq", "previous_balance", "purchases", "cash", "payments", "credits",
		"interest", "fees", "instalments", "closing_balance", "unbilled", "total_due", "minimum_due", "due_date",
		"grace", "points", "due_done", "auto_paid", "late_fee", "created_at"},
		Values: []any{st.ID, st.CreditID, st.CutDate.String(), st.PeriodFrom.String(), st.FromSeq, st.ToSeq,
			st.PreviousBalance, st.Purchases, st.Cash, st.Payments, st.Credits, st.Interest, st.Fees,
			st.Instalments, st.ClosingBalance, st.Unbilled, st.TotalDue, st.MinimumDue, st.DueDate.String(),
			boolInt(st.Grace), st.Points, boolInt(st.DueDone), st.AutoPaid, st.LateFee, db.Micros(st.CreatedAt)}}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func scanStatement(sc db.Scanner) (Statement, error) {
	var st Statement
	var cut, from, due string
	var grace, done int
	var created int64
	err := sc.Scan(&st.ID, &st.CreditID, &cut, &from, &st.FromSeq, &st.ToSeq, &st.PreviousBalance, &st.Purchases,
		&st.Cash, &st.Payments, &st.Credits, &st.Interest, &st.Fees, &st.Instalments, &st.ClosingBalance,
		&st.Unbilled, &st.TotalDue, &st.MinimumDue, &due, &grace, &st.Points, &done, &st.AutoPaid, &st.LateFee,
		&created)
	if err != nil {
		return st, err
	}
	st.Grace, st.DueDone, st.CreatedAt = grace != 0, done != 0, db.FromMicros(created)
	for _, x := range []struct {
		s string
		d *calendar.Date
	}{{cut, &st.CutDate}, {from, &st.PeriodFrom}, {due, &st.DueDate}} {
		if *x.d, err = calendar.ParseDate(x.s); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (s *Service) lastStatement(ctx context.Context, creditID string) (*Statement, error) {
	st, err := scanStatement(s.DB.QueryRow(ctx, "SELECT "+statementColumns+
		" FROM credit_statements WHERE credit_id = ? ORDER BY cut_date DESC LIMIT 1", creditID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("last statement: %w", err)
	}
	return &st, nil
}

// Statements returns the customer's credit card's statements, the newest first (F18).
func (s *Service) Statements(ctx context.Context, customerID, cardID string) ([]Statement, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+statementColumns+
		" FROM credit_statements WHERE credit_id = ? ORDER BY cut_date DESC", cr.ID)
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	out, err := db.Collect(rows, scanStatement)
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	return out, nil
}

// Line is one transaction of a statement.
type Line struct {
	EntryID     string
	Kind        string
	Amount      int64 // credit > 0 (a payment), debit < 0
	PostedAt    time.Time
	Description string
}

// StatementLines returns one of the customer's card's statements with its transactions, in the order they were
// posted: the period's postings and the statement's own charges (F18).
func (s *Service) StatementLines(ctx context.Context, customerID, cardID, statementID string) (Statement, []Line, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return Statement{}, nil, err
	}
	if !text.Storable(statementID) {
		return Statement{}, nil, ErrStatementNotFound
	}
	st, err := scanStatement(s.DB.QueryRow(ctx, "SELECT "+statementColumns+
		" FROM credit_statements WHERE id = ? AND credit_id = ?", statementID, cr.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return Statement{}, nil, ErrStatementNotFound
	}
	if err != nil {
		return Statement{}, nil, fmt.Errorf("statement: %w", err)
	}
	var prevID string
	_ = s.DB.QueryRow(ctx, "SELECT id FROM credit_statements WHERE credit_id = ? AND cut_date < ? ORDER BY cut_date DESC LIMIT 1",
		cr.ID, st.CutDate.String()).Scan(&prevID)
	ms, err := s.moves(ctx, cr.AccountID, st.FromSeq)
	if err != nil {
		return Statement{}, nil, err
	}
	var lines []Line
	for _, m := range ms {
		own := m.Reference == st.ID
		if (m.Seq > st.ToSeq && !own) || (prevID != "" && m.Reference == prevID) {
			continue
		}
		lines = append(lines, Line{EntryID: m.EntryID, Kind: m.Kind, Amount: m.Amount, PostedAt: m.PostedAt,
			Description: m.Description})
	}
	return st, lines, nil
}
