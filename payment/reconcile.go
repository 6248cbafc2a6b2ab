package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Reconciliation (issue #11 item 9): at the end of each business day the clearing side's settlement report — a
// camt.053 statement of the bank's settlement account there — is matched against the bank's own postings to its
// settlement account (settlement:<currency>) of the day. An entry of the report and a posting match when they name
// the same transaction (its tx id, or end-to-end id) the same way (money in or out) with the same amount. What does
// not match is a break, kept with the entries on each side for staff: on the report and not in the books
// (missing_ours), in the books and not on the report (missing_theirs), or both with different amounts
// (amount_differs). Reconciling a day again replaces its results, so a day can be reconciled as often as a report
// comes. Tables reconciliations and reconciliation_breaks (migration 00039).
//
// A business day here is the bank's: from the close of the working day before to its own close (Window), the
// postings value-dated that day (T14), which is also the period the bank asks the clearing side to report on.
//
// One movement has no posting on either side of the bank's books: a payment sent to an account the bank cannot
// credit comes in and goes back at once (a pacs.004 of the bank's, AC01…). The report shows it in and out; when
// both are there with the same amount and the bank's return names it, the two entries match each other.

// SettlementReporter is a clearing side that reports what it settled on the bank's settlement account: the
// camt.053 of the account in currency for the period [from, to). The clearing-house sandbox is one; ReconcileDay
// asks the payment service's Clearing for it.
type SettlementReporter interface {
	SettlementReport(ctx context.Context, currency money.Currency, from, to time.Time) ([]byte, error)
}

// Kinds of break.
const (
	BreakMissingOurs   = "missing_ours"   // on the clearing side's report, not in the bank's books
	BreakMissingTheirs = "missing_theirs" // in the bank's books, not on the report
	BreakAmount        = "amount_differs" // on both, with different amounts
)

// Result is one business day's reconciliation in one currency.
type Result struct {
	Day      calendar.Date
	Currency money.Currency
	From, To time.Time // the period: Window(Day)
	// Statement is the report's message id; Opening and Closing its balances, as the clearing side signs the
	// account (money in is positive).
	Statement        string
	Opening, Closing money.Amount
	// Theirs is how many entries the report booked, Ours how many settlement postings the bank made, Matched how
	// many of the report's entries matched.
	Theirs, Ours, Matched int
	Breaks                []Break // read with Reconciliation; Reconcile answers them too
	BreakCount            int
	At                    time.Time
}

// Break is one difference between the report and the books, with what each side holds.
type Break struct {
	ID         string
	Kind       string
	TxID       string
	EndToEndID string
	PaymentID  string // the bank's payment of that transaction, when it has one
	Theirs     *TheirEntry
	Ours       *OurPosting
}

// TheirEntry is an entry of the clearing side's report.
type TheirEntry struct {
	Reference string
	Amount    money.Amount // positive
	Credit    bool         // money in to the bank's account
	Booked    calendar.Date
	Info      string // its bank transaction code and additional information
}

// OurPosting is a posting of the bank's settlement account, signed as the report signs it.
type OurPosting struct {
	EntryID, PostingID string
	Amount             money.Amount // positive
	Credit             bool         // money in to the bank's account at the clearing side
	PostedAt           time.Time
	Kind               string // the entry's kind: payment_settled, payment_in, payment_returned…
}

// Window is the period business day day covers: from the close of the working day before it to its own close.
func (s *Service) Window(ctx context.Context, day calendar.Date) (from, to time.Time, err error) {
	before := day.AddDays(-1)
	for range 31 {
		working, err := s.Calendar.IsWorkingDay(ctx, before)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if working {
			return s.Calendar.CloseTime(before).UTC(), s.Calendar.CloseTime(day).UTC(), nil
		}
		before = before.AddDays(-1)
	}
	return time.Time{}, time.Time{}, fmt.Errorf("no working day in the month before %s", day)
}

// ReconcileDay asks the clearing side for its report of business day day in every currency and reconciles each
// with the books. A clearing side that sends no reports (or none configured) reconciles nothing; one that does not
// answer is unavailable (503). A currency neither side moved that day is left out of the answer and of the
// records. It is the close of business's step (app's reconcileClearingStep); staff reconcile with ReconcileNow.
func (s *Service) ReconcileDay(ctx context.Context, day calendar.Date) ([]Result, error) {
	return s.reconcileDay(ctx, day, false)
}

// ReconcileNow is ReconcileDay as staff ask for it (the back office, `kumbara admin clearing reconcile`): the audit
// log keeps who reconciled each currency and what matched (ActionReconciled), in the transaction that keeps the
// result, or that nothing was settled that day.
func (s *Service) ReconcileNow(ctx context.Context, day calendar.Date) ([]Result, error) {
	out, err := s.reconcileDay(ctx, day, true)
	if err != nil || len(out) > 0 {
		return out, err
	}
	if _, ok := s.Clearing.(SettlementReporter); !ok {
		return nil, nil
	}
	return nil, s.recordStaff(ctx, staffEntry(ctx, ActionReconciled, reconState{Day: day.String()}, nil))
}

func (s *Service) reconcileDay(ctx context.Context, day calendar.Date, audited bool) ([]Result, error) {
	r, ok := s.Clearing.(SettlementReporter)
	if !ok {
		return nil, nil
	}
	from, to, err := s.Window(ctx, day)
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, c := range money.Currencies() {
		doc, err := r.SettlementReport(ctx, c, from, to)
		if err != nil {
			return out, kumbara.ErrUnavailable.With("settlement report %s %s", day, c).Wrap(err)
		}
		res, err := s.reconcile(ctx, day, doc, audited)
		if err != nil {
			return out, fmt.Errorf("reconcile %s %s: %w", day, c, err)
		}
		if res.Theirs+res.Ours > 0 {
			out = append(out, res)
		}
	}
	return out, nil
}

// Reconcile matches a camt.053 statement of the bank's settlement account in one currency against the bank's
// settlement postings of business day day, and keeps the result and its breaks in place of the day's earlier
// ones in that currency (none are kept when neither side moved). A document that is not such a statement is
// refused with the iso20022 package's codes; one whose period is not the day's (Window) is iso_invalid. Staff
// give the statement (`kumbara admin clearing reconcile --file`): the audit log keeps who reconciled and what
// matched (ActionReconciled), in the transaction that keeps the result, or right after when nothing moved.
func (s *Service) Reconcile(ctx context.Context, day calendar.Date, camt053 []byte) (Result, error) {
	res, err := s.reconcile(ctx, day, camt053, true)
	if err != nil || res.Theirs+res.Ours > 0 {
		return res, err
	}
	return res, s.recordStaff(ctx, staffEntry(ctx, ActionReconciled, reconStateOf(res), nil))
}

// reconcile is Reconcile; audited appends the entry of staff's reconciliation with the result it keeps.
func (s *Service) reconcile(ctx context.Context, day calendar.Date, camt053 []byte, audited bool) (Result, error) {
	st, err := iso20022.ParseStatement(camt053)
	if err != nil {
		return Result{}, err
	}
	from, to, err := s.Window(ctx, day)
	if err != nil {
		return Result{}, err
	}
	if !st.From.IsZero() && (!st.From.Equal(from) || !st.To.Equal(to)) {
		return Result{}, iso20022.ErrInvalid.With("a statement from %s to %s, not of business day %s (%s to %s)",
			st.From, st.To, day, from, to)
	}
	res := Result{Day: day, Currency: st.Currency, From: from, To: to, Statement: st.MessageID, Opening: st.Opening,
		Closing: st.Closing, At: s.Ledger.Clock.Now()}
	ours, err := s.settlementPostings(ctx, st.Currency, from, to)
	if err != nil {
		return Result{}, err
	}
	if err := s.indexMessages(ctx); err != nil {
		return Result{}, err
	}
	res.Ours = len(ours)
	// Every posting waits for the report's entry of its transaction and direction, in the order it was posted.
	waiting := map[string][]ourItem{}
	for _, o := range ours {
		k := matchKey(o.key, o.posting.Credit)
		waiting[k] = append(waiting[k], o)
	}
	var left []theirItem
	for _, e := range st.Entries {
		if e.Status != "" && e.Status != "BOOK" {
			continue // pending or for information: not on the account yet
		}
		res.Theirs++
		t := theirItem{key: firstOf(e.TxID, e.EndToEndID, e.Reference), endToEnd: e.EndToEndID, entry: TheirEntry{
			Reference: e.Reference, Amount: e.Amount, Credit: e.Credit, Booked: e.BookingDate,
			Info: strings.TrimSpace(e.BankTxCode + " " + e.AdditionalInfo)}}
		k := matchKey(t.key, e.Credit)
		queue := waiting[k]
		if len(queue) == 0 {
			left = append(left, t)
			continue
		}
		o := queue[0]
		waiting[k] = queue[1:]
		if o.posting.Amount.Minor == e.Amount.Minor {
			res.Matched++
			continue
		}
		res.Breaks = append(res.Breaks, Break{Kind: BreakAmount, TxID: t.key, EndToEndID: firstOf(t.endToEnd, o.endToEnd),
			PaymentID: o.paymentID, Theirs: &t.entry, Ours: &o.posting})
	}
	left, returned, err := s.returnedOnReceipt(ctx, left)
	if err != nil {
		return Result{}, err
	}
	res.Matched += returned
	for _, t := range left {
		b := Break{Kind: BreakMissingOurs, TxID: t.key, EndToEndID: t.endToEnd, Theirs: &t.entry}
		if b.PaymentID, err = s.paymentOfTx(ctx, t.key, t.entry.Credit); err != nil {
			return Result{}, err
		}
		res.Breaks = append(res.Breaks, b)
	}
	for _, o := range ours {
		k := matchKey(o.key, o.posting.Credit)
		if q := waiting[k]; len(q) > 0 && q[0].posting.PostingID == o.posting.PostingID {
			waiting[k] = q[1:]
			res.Breaks = append(res.Breaks, Break{Kind: BreakMissingTheirs, TxID: o.txID, EndToEndID: o.endToEnd,
				PaymentID: o.paymentID, Ours: &o.posting})
		}
	}
	res.BreakCount = len(res.Breaks)
	if err := s.entryKinds(ctx, res.Breaks); err != nil {
		return Result{}, err
	}
	for i := range res.Breaks {
		res.Breaks[i].ID = newID()
	}
	if err := s.keep(ctx, res, audited); err != nil {
		return Result{}, err
	}
	return res, nil
}

func matchKey(key string, credit bool) string {
	if credit {
		return "C/" + key
	}
	return "D/" + key
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// theirItem is an entry of the report waiting for its match.
type theirItem struct {
	key, endToEnd string
	entry         TheirEntry
}

// ourItem is a settlement posting with the transaction it moved: key is the payment's tx id, or the entry's id for
// a posting of no payment (which no entry of a report names).
type ourItem struct {
	key, txID, endToEnd, paymentID string
	posting                        OurPosting
}

// settlementPostings reads the settlement account's postings in currency in [from, to), each with the payment it
// moved: the one it credited (payment_in), settled or returned, found by the entry the payment keeps; the
// settlement of a payment returned since, whose entry the return took the place of, by its time and amount.
func (s *Service) settlementPostings(ctx context.Context, c money.Currency, from, to time.Time) ([]ourItem, error) {
	gl, err := s.gl(ctx, c)
	if err != nil {
		return nil, err
	}
	lines, err := s.postingsIn(ctx, gl.settlement, from, to)
	if err != nil {
		return nil, err
	}
	if lines, err = s.withoutCardSettlements(ctx, lines); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.EntryID)
	}
	byEntry, err := s.paymentsByEntry(ctx, ids)
	if err != nil {
		return nil, err
	}
	var returned []Payment
	returnedRead := false
	out := make([]ourItem, 0, len(lines))
	for _, l := range lines {
		o := ourItem{key: "entry:" + l.EntryID, posting: OurPosting{EntryID: l.EntryID, PostingID: l.ID,
			Amount: money.New(abs(l.Amount), c), Credit: l.Amount < 0, PostedAt: l.PostedAt}}
		p, ok := byEntry[l.EntryID]
		if !ok && l.Amount > 0 {
			if !returnedRead {
				if returned, err = s.returnedSince(ctx, c, from); err != nil {
					return nil, err
				}
				returnedRead = true
			}
			p, ok = settledAt(returned, l)
		}
		if ok {
			o.key, o.txID, o.endToEnd, o.paymentID = p.TxID, p.TxID, p.EndToEndID, p.ID
		}
		out = append(out, o)
	}
	return out, nil
}

// withoutCardSettlements leaves out the card scheme's settlements (issuing.EntrySchemeSettlement): they move the
// nostro too, but the scheme reports them, not the clearing side, and package issuing reconciles them with the
// scheme's report.
func (s *Service) withoutCardSettlements(ctx context.Context, lines []ledger.Line) ([]ledger.Line, error) {
	ids := make([]string, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.EntryID)
	}
	card := map[string]bool{}
	for chunk := range slices.Chunk(ids, 500) {
		in, args := s.Ledger.DB.In("id", chunk)
		rows, err := s.Ledger.DB.Query(ctx, "SELECT id FROM journal_entries WHERE kind = ? AND "+in,
			append([]any{issuing.EntrySchemeSettlement}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("card settlements: %w", err)
		}
		found, err := db.Collect(rows, func(r db.Scanner) (string, error) {
			var id string
			err := r.Scan(&id)
			return id, err
		})
		if err != nil {
			return nil, fmt.Errorf("card settlements: %w", err)
		}
		for _, id := range found {
			card[id] = true
		}
	}
	if len(card) == 0 {
		return lines, nil
	}
	return slices.DeleteFunc(lines, func(l ledger.Line) bool { return card[l.EntryID] }), nil
}

// postingsIn reads an account's postings in [from, to), halving the period while it holds more than a statement
// may.
func (s *Service) postingsIn(ctx context.Context, accountID string, from, to time.Time) ([]ledger.Line, error) {
	p, err := s.Ledger.Store.Statement(ctx, accountID, from, to)
	if errors.Is(err, ledger.ErrDateRangeTooLong) && to.Sub(from) > time.Second {
		mid := from.Add(to.Sub(from) / 2)
		a, err := s.postingsIn(ctx, accountID, from, mid)
		if err != nil {
			return nil, err
		}
		b, err := s.postingsIn(ctx, accountID, mid, to)
		return append(a, b...), err
	}
	if err != nil {
		return nil, err
	}
	return p.Lines, nil
}

// paymentsByEntry finds the payments whose entries are among ids: the entry that credited an incoming one, and the
// last of an outgoing one (settled, rejected or returned).
func (s *Service) paymentsByEntry(ctx context.Context, ids []string) (map[string]Payment, error) {
	out := map[string]Payment{}
	for chunk := range slices.Chunk(ids, 500) {
		for _, col := range []string{"p.send_entry_id", "p.end_entry_id"} {
			in, args := s.Ledger.DB.In(col, chunk)
			rows, err := s.Ledger.DB.Query(ctx, selectPayment+" WHERE "+in, args...)
			if err != nil {
				return nil, fmt.Errorf("payments by entry: %w", err)
			}
			ps, err := db.Collect(rows, scanPayment)
			if err != nil {
				return nil, fmt.Errorf("payments by entry: %w", err)
			}
			for _, p := range ps {
				if col == "p.send_entry_id" {
					out[p.sendEntryID] = p
				} else {
					out[p.endEntryID] = p
				}
			}
		}
	}
	return out, nil
}

// returnedSince reads the outgoing payments in currency c returned since from, with their events: a settlement
// in the period may be theirs.
func (s *Service) returnedSince(ctx context.Context, c money.Currency, from time.Time) ([]Payment, error) {
	rows, err := s.Ledger.DB.Query(ctx, selectPayment+` WHERE p.status = ? AND p.direction = ? AND p.currency = ?
		AND p.updated_at >= ?`, Returned, Out, string(c), db.Micros(from))
	if err != nil {
		return nil, fmt.Errorf("returned payments: %w", err)
	}
	ps, err := db.Collect(rows, scanPayment)
	if err != nil {
		return nil, fmt.Errorf("returned payments: %w", err)
	}
	for i := range ps {
		if ps[i].Events, err = s.events(ctx, ps[i].ID); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// settledAt is the one returned payment settled by posting l: its settlement happened at the posting's instant,
// for the posting's amount. None when no payment, or more than one, fits.
func settledAt(returned []Payment, l ledger.Line) (Payment, bool) {
	var found []Payment
	for _, p := range returned {
		for _, e := range p.Events {
			if e.Status == Settled && e.At.Equal(l.PostedAt) && p.SentAmount().Minor == l.Amount {
				found = append(found, p)
			}
		}
	}
	if len(found) != 1 {
		return Payment{}, false
	}
	return found[0], true
}

// entryKinds names the entry kind of each break's posting, for staff reading it.
func (s *Service) entryKinds(ctx context.Context, breaks []Break) error {
	kinds := map[string]string{}
	for _, b := range breaks {
		if b.Ours == nil {
			continue
		}
		kind, ok := kinds[b.Ours.EntryID]
		if !ok {
			e, err := s.Ledger.Store.JournalEntry(ctx, b.Ours.EntryID)
			if err != nil {
				return err
			}
			kind, kinds[b.Ours.EntryID] = e.Kind, e.Kind
		}
		b.Ours.Kind = kind
	}
	return nil
}

// returnedOnReceipt takes out of left the report's pairs that moved nothing in the books: a payment to the bank
// that came in and went back at once, which the bank's own return (a pacs.004 it sent) names — in and out, the
// same transaction and amount. It answers the entries left and how many it matched.
func (s *Service) returnedOnReceipt(ctx context.Context, left []theirItem) ([]theirItem, int, error) {
	byKey := map[string][]int{}
	for i, t := range left {
		byKey[t.key] = append(byKey[t.key], i)
	}
	drop := map[int]bool{}
	for key, idx := range byKey {
		if len(idx) != 2 || left[idx[0]].entry.Credit == left[idx[1]].entry.Credit ||
			left[idx[0]].entry.Amount != left[idx[1]].entry.Amount {
			continue
		}
		var n int
		if err := s.Ledger.DB.QueryRow(ctx, `SELECT COUNT(*) FROM clearing_message_items WHERE tx_id = ? AND direction = ?
			AND role = ?`, key, Out, RoleReturn).Scan(&n); err != nil {
			return nil, 0, fmt.Errorf("returned on receipt: %w", err)
		}
		if n > 0 {
			drop[idx[0]], drop[idx[1]] = true, true
		}
	}
	var out []theirItem
	for i, t := range left {
		if !drop[i] {
			out = append(out, t)
		}
	}
	return out, len(drop), nil
}

// paymentOfTx is the bank's payment of transaction tx that a report's entry moved the given way (money out: the
// bank's own payment; money in: one it received, or its own coming back), "" when it has none.
func (s *Service) paymentOfTx(ctx context.Context, tx string, credit bool) (string, error) {
	directions := []string{Out}
	if credit {
		directions = []string{In, Out}
	}
	for _, dir := range directions {
		var id string
		err := s.Ledger.DB.QueryRow(ctx, "SELECT id FROM payments WHERE direction = ? AND tx_id = ?", dir, tx).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("payment of %s: %w", tx, err)
		}
	}
	return "", nil
}

// keep replaces the day's result in the currency and its breaks with res, or removes them when neither side moved;
// audited appends staff's entry of the result kept.
func (s *Service) keep(ctx context.Context, res Result, audited bool) error {
	day, cur := res.Day.String(), string(res.Currency)
	return s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM reconciliation_breaks WHERE day = ? AND currency = ?", day, cur); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM reconciliations WHERE day = ? AND currency = ?", day, cur); err != nil {
			return err
		}
		if res.Theirs+res.Ours == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reconciliations (day, currency, statement_id, period_from, period_to,
			opening, closing, theirs, ours, matched, breaks, reconciled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			day, cur, res.Statement, db.Micros(res.From), db.Micros(res.To), res.Opening.Minor, res.Closing.Minor,
			res.Theirs, res.Ours, res.Matched, len(res.Breaks), db.Micros(res.At)); err != nil {
			return err
		}
		for i, b := range res.Breaks {
			var t TheirEntry
			var o OurPosting
			if b.Theirs != nil {
				t = *b.Theirs
				if !t.Credit {
					t.Amount.Minor = -t.Amount.Minor
				}
			}
			if b.Ours != nil {
				o = *b.Ours
				if !o.Credit {
					o.Amount.Minor = -o.Amount.Minor
				}
			}
			booked := ""
			if !t.Booked.IsZero() {
				booked = t.Booked.String()
			}
			var posted int64
			if !o.PostedAt.IsZero() {
				posted = db.Micros(o.PostedAt)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO reconciliation_breaks (id, day, currency, seq, kind, tx_id,
				end_to_end_id, payment_id, their_reference, their_amount, their_booked, their_info, our_entry_id,
				our_posting_id, our_amount, our_posted_at, our_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				b.ID, day, cur, i, b.Kind, b.TxID, b.EndToEndID, b.PaymentID, t.Reference, t.Amount.Minor, booked,
				clip(t.Info, 500), o.EntryID, o.PostingID, o.Amount.Minor, posted, o.Kind); err != nil {
				return err
			}
		}
		if !audited {
			return nil
		}
		return audit.Append(ctx, tx, s.Ledger.Clock.Now(), staffEntry(ctx, ActionReconciled, reconStateOf(res), nil))
	})
}

// Reconciliation reads business day day's results, each currency's with its breaks; none when the day was not
// reconciled, or nothing moved.
func (s *Service) Reconciliation(ctx context.Context, day calendar.Date) ([]Result, error) {
	results, err := s.results(ctx, "day = ?", []any{day.String()}, len(money.Currencies()))
	if err != nil {
		return nil, err
	}
	for i := range results {
		if results[i].Breaks, err = s.breaks(ctx, results[i].Day, results[i].Currency); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// Reconciled reads the latest reconciled days' results, the latest day first, without their breaks (BreakCount
// says how many): at most limit days' worth.
func (s *Service) Reconciled(ctx context.Context, limit int) ([]Result, error) {
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	return s.results(ctx, "day IN (SELECT day FROM (SELECT DISTINCT day FROM reconciliations ORDER BY day DESC LIMIT ?) d)",
		[]any{limit}, limit*len(money.Currencies()))
}

func (s *Service) results(ctx context.Context, where string, args []any, limit int) ([]Result, error) {
	rows, err := s.Ledger.DB.Query(ctx, `SELECT day, currency, statement_id, period_from, period_to, opening, closing,
		theirs, ours, matched, breaks, reconciled_at FROM reconciliations WHERE `+where+` ORDER BY day DESC, currency
		LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("reconciliations: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Result, error) {
		var x Result
		var day, cur string
		var from, to, opening, closing, at int64
		if err := r.Scan(&day, &cur, &x.Statement, &from, &to, &opening, &closing, &x.Theirs, &x.Ours, &x.Matched,
			&x.BreakCount, &at); err != nil {
			return x, err
		}
		d, err := calendar.ParseDate(day)
		x.Day, x.Currency = d, money.Currency(cur)
		x.From, x.To, x.At = db.FromMicros(from), db.FromMicros(to), db.FromMicros(at)
		x.Opening, x.Closing = money.New(opening, x.Currency), money.New(closing, x.Currency)
		return x, err
	})
}

func (s *Service) breaks(ctx context.Context, day calendar.Date, c money.Currency) ([]Break, error) {
	rows, err := s.Ledger.DB.Query(ctx, `SELECT id, kind, tx_id, end_to_end_id, payment_id, their_reference,
		their_amount, their_booked, their_info, our_entry_id, our_posting_id, our_amount, our_posted_at, our_kind
		FROM reconciliation_breaks WHERE day = ? AND currency = ? ORDER BY seq`, day.String(), string(c))
	if err != nil {
		return nil, fmt.Errorf("reconciliation breaks: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Break, error) {
		var b Break
		var t TheirEntry
		var o OurPosting
		var theirAmount, ourAmount, posted int64
		var booked string
		if err := r.Scan(&b.ID, &b.Kind, &b.TxID, &b.EndToEndID, &b.PaymentID, &t.Reference, &theirAmount, &booked,
			&t.Info, &o.EntryID, &o.PostingID, &ourAmount, &posted, &o.Kind); err != nil {
			return b, err
		}
		if b.Kind != BreakMissingTheirs {
			t.Credit, t.Amount = theirAmount > 0, money.New(abs(theirAmount), c)
			if booked != "" {
				d, err := calendar.ParseDate(booked)
				if err != nil {
					return b, err
				}
				t.Booked = d
			}
			b.Theirs = &t
		}
		if b.Kind != BreakMissingOurs {
			o.Credit, o.Amount, o.PostedAt = ourAmount > 0, money.New(abs(ourAmount), c), db.FromMicros(posted)
			b.Ours = &o
		}
		return b, nil
	})
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
