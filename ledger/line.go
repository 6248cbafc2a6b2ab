package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/text"
)

// What the holder of an account may see of its lines. The books keep every counterparty's name in full; the
// account holder sees another customer of the bank the way the payee check and the transfer flow show them —
// masked (kyc.MaskName), "D***** Ç***" — except on money that customer sent them: a payment received names its
// payer in full, as the payee's SMS does and as a payer's name travels with a payment. A reversal is no payment
// received: the reversal of one's own payment still names its payee masked. One's own accounts and names from
// outside the bank's customer accounts (a branch's cash desk, another bank's customer) are shown in full.

// maskedFor reports whether the holder of an account sees the counterparty's name on a line masked. holder and
// owner are customer ids, owner "" when the counterparty is no customer account of the bank; amount is the line's
// (credit > 0) and kind its entry's.
func maskedFor(holder, owner string, amount int64, kind string) bool {
	if owner == "" || owner == holder {
		return false
	}
	return amount < 0 || kind == KindReversal
}

// asHolderSees masks, in place, the counterparty names of lines (of any accounts) that the holders of their
// accounts may not see in full. It reads the holders, the counterparties' holders and, for money received from
// another customer, the entries' kinds: three queries at most, however many lines and accounts.
func (s *Store) asHolderSees(ctx context.Context, lines []Line) error {
	var ibans, accounts []string
	for _, l := range lines {
		if l.CounterpartyIBAN == "" || l.Counterparty == "" || !text.Storable(l.CounterpartyIBAN) {
			continue
		}
		if !slices.Contains(ibans, l.CounterpartyIBAN) {
			ibans = append(ibans, l.CounterpartyIBAN)
		}
		if !slices.Contains(accounts, l.AccountID) {
			accounts = append(accounts, l.AccountID)
		}
	}
	if len(ibans) == 0 {
		return nil
	}
	holders, err := s.holders(ctx, "id", accounts)
	if err != nil {
		return err
	}
	owners, err := s.holders(ctx, "iban", ibans)
	if err != nil {
		return err
	}
	kinds, err := s.entryKinds(ctx, lines, func(l Line) bool {
		o := owners[l.CounterpartyIBAN]
		return l.Amount > 0 && o != "" && o != holders[l.AccountID]
	})
	if err != nil {
		return err
	}
	for i, l := range lines {
		if maskedFor(holders[l.AccountID], owners[l.CounterpartyIBAN], l.Amount, kinds[l.EntryID]) {
			lines[i].Counterparty = kyc.MaskName(l.Counterparty)
			lines[i].CounterpartyMasked = true
		}
	}
	return nil
}

// holders maps the accounts whose column key ("id" or "iban") is among keys to their holders' customer ids; a GL
// account's is "".
func (s *Store) holders(ctx context.Context, key string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	for chunk := range slices.Chunk(keys, 500) {
		in, args := s.DB.In(key, chunk)
		rows, err := s.DB.Query(ctx, "SELECT "+key+", customer_id FROM accounts WHERE "+in, args...)
		if err != nil {
			return nil, fmt.Errorf("account holders: %w", err)
		}
		pairs, err := db.Collect(rows, func(r db.Scanner) ([2]string, error) {
			var k string
			var owner sql.NullString
			err := r.Scan(&k, &owner)
			return [2]string{k, owner.String}, err
		})
		if err != nil {
			return nil, fmt.Errorf("account holders: %w", err)
		}
		for _, p := range pairs {
			out[p[0]] = p[1]
		}
	}
	return out, nil
}

// entryKinds returns the kinds of the entries of the lines for which need is true, by entry id.
func (s *Store) entryKinds(ctx context.Context, lines []Line, need func(Line) bool) (map[string]string, error) {
	var ids []string
	for _, l := range lines {
		if need(l) && !slices.Contains(ids, l.EntryID) {
			ids = append(ids, l.EntryID)
		}
	}
	kinds := map[string]string{}
	for chunk := range slices.Chunk(ids, 500) {
		in, args := s.DB.In("id", chunk)
		rows, err := s.DB.Query(ctx, "SELECT id, kind FROM journal_entries WHERE "+in, args...)
		if err != nil {
			return nil, fmt.Errorf("entry kinds: %w", err)
		}
		pairs, err := db.Collect(rows, func(r db.Scanner) ([2]string, error) {
			var p [2]string
			err := r.Scan(&p[0], &p[1])
			return p, err
		})
		if err != nil {
			return nil, fmt.Errorf("entry kinds: %w", err)
		}
		for _, p := range pairs {
			kinds[p[0]] = p[1]
		}
	}
	return kinds, nil
}

// Entry kinds a line can belong to, as the history's detail names them.
const (
	KindTransfer       = "transfer"
	KindCashDeposit    = "cash_deposit"
	KindCashWithdrawal = "cash_withdrawal"
	KindHoldCapture    = "hold_capture"
	KindReversal       = "reversal"
)

// Line statuses: every posting is booked for good; a booked one whose entry was later reversed says so.
const (
	LineBooked   = "booked"
	LineReversed = "reversed"
)

// LineDetail is one history line as its detail page shows it: the line as the holder may see it, the kind of money
// movement, its reference and status.
type LineDetail struct {
	Line
	Kind string
	// Reference is the journal entry's own: the number the bank finds the movement by.
	Reference string
	Status    string
}

// LineOf returns the line lineID of the account accountID as the account's holder may see it. The caller has
// checked that the account is the customer's (GetOwned); a line of any other account, or an id no line can have,
// is ErrTransactionNotFound.
func (s *Store) LineOf(ctx context.Context, accountID, lineID string) (LineDetail, error) {
	if !text.Storable(lineID) || len(lineID) > 64 || lineID == "" {
		return LineDetail{}, ErrTransactionNotFound
	}
	row := s.DB.QueryRow(ctx, `SELECT p.id, p.entry_id, p.account_id, p.seq, p.amount, p.currency, p.balance_after,
		p.posted_at, p.description, p.counterparty, p.counterparty_iban, p.value_date, e.kind,
		(SELECT COUNT(*) FROM journal_entries r WHERE r.reverses_id = e.id)
		FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.id = ? AND p.account_id = ?`,
		lineID, accountID)
	var d LineDetail
	var at, reversals int64
	var vd string
	err := row.Scan(&d.ID, &d.EntryID, &d.AccountID, &d.Seq, &d.Amount, &d.Currency, &d.BalanceAfter, &at,
		&d.Description, &d.Counterparty, &d.CounterpartyIBAN, &vd, &d.Kind, &reversals)
	if errors.Is(err, sql.ErrNoRows) {
		return LineDetail{}, ErrTransactionNotFound
	}
	if err != nil {
		return LineDetail{}, fmt.Errorf("line: %w", err)
	}
	d.PostedAt = db.FromMicros(at)
	d.Reference, d.Status = d.EntryID, LineBooked
	if reversals > 0 {
		d.Status = LineReversed
	}
	d.ValueDate = valueDay(vd, d.PostedAt)
	lines := []Line{d.Line}
	if err := s.asHolderSees(ctx, lines); err != nil {
		return LineDetail{}, err
	}
	d.Line = lines[0]
	return d, nil
}

// MaxRecent bounds Recent.
const MaxRecent = 50

// Recent returns the n latest lines across the given accounts, newest first, as their holders may see them: the
// summary's recent activity. One query takes each account's latest n lines by its (account_id, seq) index and keeps
// the newest n of them.
func (s *Store) Recent(ctx context.Context, accountIDs []string, n int) ([]Line, error) {
	n = min(max(n, 1), MaxRecent)
	if len(accountIDs) == 0 {
		return nil, nil
	}
	parts := make([]string, 0, len(accountIDs))
	args := make([]any, 0, 2*len(accountIDs)+1)
	for i, id := range accountIDs {
		parts = append(parts, fmt.Sprintf("SELECT * FROM (SELECT %s FROM postings WHERE account_id = ? ORDER BY seq DESC LIMIT ?) r%d",
			lineColumns, i))
		args = append(args, id, n)
	}
	q := strings.Join(parts, " UNION ALL ") + " ORDER BY posted_at DESC, seq DESC LIMIT ?"
	rows, err := s.DB.Query(ctx, q, append(args, n)...)
	if err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	lines, err := db.Collect(rows, scanLine)
	if err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	if err := s.asHolderSees(ctx, lines); err != nil {
		return nil, fmt.Errorf("recent: %w", err)
	}
	return lines, nil
}
