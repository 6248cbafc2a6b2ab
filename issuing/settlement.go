package issuing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The scheme's settlement (issue #13 items 3 and 8). With each clearing file the network sends its settlement
// report: per currency, the net the issuer owes for the file — its purchases and cash withdrawals less its refunds
// and less the chargebacks the network accepted from the issuer before it built the file. The issuer reconciles
// each currency against its own total — the file's presentments as it posted them (exceptions included: the bank
// owes those too) less the chargebacks it won before it received the file and no earlier file settled — and:
//
//   - equal: posts the net as one entry card_settlement:<currency> → settlement:<currency> (the nostro),
//     kind card_scheme_settlement, once per file and currency (the ledger's idempotency key), which brings
//     card_settlement back to zero for the file; the chargebacks are marked settled by the file.
//   - different: posts nothing, and keeps a break (status break, both figures) for staff. A later report of the
//     same file (the network's correction) is reconciled again.
//
// Each currency settles as is, in that currency's card_settlement and nostro: the sandbox network settles every
// currency it cleared in itself, and a presentment in another currency than the card's account was converted
// into the account's currency at posting (clearing.go), never the settlement. A scheme that settles everything
// in one currency would need the conversion here, at its rate; none does yet.
//
// Table card_settlements; card_disputes.settlement_file (migration 00054).

// Statuses of a file's settlement in one currency.
const (
	SettlementSettled = "settled"
	SettlementBreak   = "break"
)

// EntrySchemeSettlement is the ledger's entry kind of a file's settlement: card_settlement against the nostro.
const EntrySchemeSettlement = "card_scheme_settlement"

// Settlement is the network's settlement report of one clearing file.
type Settlement struct {
	FileID string
	// Nets is, per currency, what the issuer owes for the file (negative: what it receives).
	Nets []money.Amount
}

// CurrencySettlement is a file's settlement in one currency as the issuer reconciled it.
type CurrencySettlement struct {
	FileID, BusinessDate string
	Currency             money.Currency
	Theirs, Ours         int64 // the network's net and the issuer's own total, minor units
	Status               string
	EntryID              string // the settlement's entry; "" for a break or a net of zero
	At                   time.Time
}

// SettlementResult is what a report did.
type SettlementResult struct {
	FileID                    string
	Settled, Breaks, Repeated int // currencies: posted now, found different, settled before
}

// Chargebacks is the network as the issuer tells it of a chargeback won: the network credits it in the
// settlement of the next file it builds. nil: no network is told (the figures then differ: a break staff see).
type Chargebacks interface {
	Chargeback(ctx context.Context, disputeID, presentmentID string, amount money.Amount) error
}

// Settle reconciles and posts the network's settlement report of a file the issuer posted, currency by currency,
// each once: a currency settled before is Repeated, whatever the report says now. A file the issuer never
// received is card_clearing_not_found.
func (s *Service) Settle(ctx context.Context, r Settlement) (SettlementResult, error) {
	res := SettlementResult{FileID: r.FileID}
	var day string
	var received int64
	err := s.DB.QueryRow(ctx, "SELECT business_date, received_at FROM card_clearing_files WHERE id = ?",
		r.FileID).Scan(&day, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return res, ErrClearingNotFound
	}
	if err != nil {
		return res, fmt.Errorf("card settlement: %w", err)
	}
	ours, err := s.fileTotals(ctx, r.FileID)
	if err != nil {
		return res, err
	}
	credited, err := s.chargebacksOf(ctx, r.FileID, received)
	if err != nil {
		return res, err
	}
	theirs := map[money.Currency]int64{}
	for _, n := range r.Nets {
		theirs[n.Currency] += n.Minor
	}
	for cur, cbs := range credited {
		for _, cb := range cbs {
			ours[cur] -= cb.amount
		}
	}
	for _, cur := range currenciesOf(theirs, ours, credited) {
		cs := CurrencySettlement{FileID: r.FileID, BusinessDate: day, Currency: cur, Theirs: theirs[cur],
			Ours: ours[cur], Status: SettlementSettled}
		done, err := s.settleCurrency(ctx, cs, credited[cur])
		switch {
		case err != nil:
			return res, err
		case !done:
			res.Repeated++
		case cs.Theirs != cs.Ours:
			res.Breaks++
		default:
			res.Settled++
		}
	}
	return res, nil
}

func currenciesOf(theirs, ours map[money.Currency]int64, credited map[money.Currency][]chargeback) []money.Currency {
	var out []money.Currency
	for _, m := range []map[money.Currency]int64{theirs, ours} {
		for c := range m {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for c := range credited {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// fileTotals is the issuer's own total of a file per currency: purchases and cash withdrawals less refunds, as
// posted (to the card settlement account, whether the account or suspense paid).
func (s *Service) fileTotals(ctx context.Context, fileID string) (map[money.Currency]int64, error) {
	rows, err := s.DB.Query(ctx, `SELECT currency, kind, SUM(amount) FROM card_clearings WHERE file_id = ?
		GROUP BY currency, kind`, fileID)
	if err != nil {
		return nil, fmt.Errorf("card settlement: %w", err)
	}
	type sum struct {
		cur, kind string
		n         int64
	}
	all, err := db.Collect(rows, func(r db.Scanner) (sum, error) {
		var x sum
		err := r.Scan(&x.cur, &x.kind, &x.n)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("card settlement: %w", err)
	}
	out := map[money.Currency]int64{}
	for _, x := range all {
		if x.kind == KindRefund {
			x.n = -x.n
		}
		out[money.Currency(x.cur)] += x.n
	}
	return out, nil
}

// chargeback is a won dispute a report credits, with its presentment's amount.
type chargeback struct {
	id     string
	amount int64
}

// chargebacksOf is, per currency, the disputes the issuer won before it received the file (received, micros) that
// no other file settled: the chargebacks the file's settlement credits.
func (s *Service) chargebacksOf(ctx context.Context, fileID string, received int64) (map[money.Currency][]chargeback, error) {
	rows, err := s.DB.Query(ctx, `SELECT d.id, c.amount, c.currency FROM card_disputes d
		JOIN card_clearings c ON c.id = d.clearing_id
		WHERE d.status = ? AND d.settlement_file IN ('', ?) AND d.decided_at < ?`, DisputeWon, fileID, received)
	if err != nil {
		return nil, fmt.Errorf("card settlement chargebacks: %w", err)
	}
	type row struct {
		cb  chargeback
		cur string
	}
	all, err := db.Collect(rows, func(r db.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.cb.id, &x.cb.amount, &x.cur)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("card settlement chargebacks: %w", err)
	}
	out := map[money.Currency][]chargeback{}
	for _, x := range all {
		out[money.Currency(x.cur)] = append(out[money.Currency(x.cur)], x.cb)
	}
	return out, nil
}

// settleCurrency keeps cs: a break as it is now, or the settlement posted with its chargebacks marked. done is
// false when the currency was settled before.
func (s *Service) settleCurrency(ctx context.Context, cs CurrencySettlement, cbs []chargeback) (bool, error) {
	var status string
	err := s.DB.QueryRow(ctx, "SELECT status FROM card_settlements WHERE file_id = ? AND currency = ?", cs.FileID,
		string(cs.Currency)).Scan(&status)
	switch {
	case err == nil && status == SettlementSettled:
		return false, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("card settlement: %w", err)
	}
	if err == nil {
		// A break kept before: this report replaces it, settled or a break again.
		if _, err := s.DB.Exec(ctx, "DELETE FROM card_settlements WHERE file_id = ? AND currency = ? AND status = ?",
			cs.FileID, string(cs.Currency), SettlementBreak); err != nil {
			return false, fmt.Errorf("card settlement: %w", err)
		}
	}
	if cs.Theirs != cs.Ours {
		cs.Status = SettlementBreak
		_, err := s.DB.Exec(ctx, `INSERT INTO card_settlements (file_id, currency, business_date, theirs, ours, status,
			entry_id, settled_at) VALUES (?, ?, ?, ?, ?, ?, '', ?)`, cs.FileID, string(cs.Currency), cs.BusinessDate,
			cs.Theirs, cs.Ours, cs.Status, db.Micros(s.Clock.Now()))
		if err != nil {
			return false, fmt.Errorf("card settlement break: %w", err)
		}
		return true, nil
	}
	return true, s.postSettlement(ctx, cs, cbs)
}

// postSettlement posts a reconciled net card_settlement → the nostro, once per file and currency.
func (s *Service) postSettlement(ctx context.Context, cs CurrencySettlement, cbs []chargeback) error {
	settle, err := s.glAccount(ctx, ledger.TypeCardSettlement, cs.Currency)
	if err != nil {
		return err
	}
	nostro, err := s.glAccount(ctx, ledger.TypeSettlement, cs.Currency)
	if err != nil {
		return err
	}
	key := "card_scheme_settlement:" + cs.FileID + ":" + string(cs.Currency)
	return s.Ledger.Submit(ctx, ledger.Op{Accounts: []string{settle, nostro}, IdempotencyKey: key,
		Run: func(b *ledger.Batch) error {
			if _, again, err := b.Idempotency(key, "settle"); err != nil || again {
				return err
			}
			entryID := ""
			if cs.Ours != 0 {
				desc := "Card scheme settlement " + cs.FileID
				var err error
				if entryID, err = b.Post(ledger.Entry{Kind: EntrySchemeSettlement, Description: desc,
					Reference: cs.FileID, Legs: []ledger.Leg{{AccountID: settle, Amount: -cs.Ours, Description: desc},
						{AccountID: nostro, Amount: cs.Ours, Description: desc}}}); err != nil {
					return err
				}
			}
			for _, cb := range cbs {
				b.Update(ledger.Record{Table: "card_disputes", Columns: []string{"id", "settlement_file"},
					Values: []any{cb.id, cs.FileID}})
			}
			b.Insert(ledger.Record{Table: "card_settlements", Columns: []string{"file_id", "currency", "business_date",
				"theirs", "ours", "status", "entry_id", "settled_at"}, Values: []any{cs.FileID, string(cs.Currency),
				cs.BusinessDate, cs.Theirs, cs.Ours, SettlementSettled, entryID, db.Micros(b.Now())}})
			b.RememberIdempotency(key, "settle", cs.FileID)
			return nil
		}})
}

// Settlements lists the files' settlements of a status ("" every one), newest first: breaks are what staff look at.
func (s *Service) Settlements(ctx context.Context, status string, limit int) ([]CurrencySettlement, error) {
	q, args := `SELECT file_id, business_date, currency, theirs, ours, status, entry_id, settled_at
		FROM card_settlements`, []any{}
	if status != "" {
		q, args = q+" WHERE status = ?", append(args, status)
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY settled_at DESC, file_id, currency LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("card settlements: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (CurrencySettlement, error) {
		var c CurrencySettlement
		var cur string
		var at int64
		err := r.Scan(&c.FileID, &c.BusinessDate, &cur, &c.Theirs, &c.Ours, &c.Status, &c.EntryID, &at)
		c.Currency, c.At = money.Currency(cur), db.FromMicros(at)
		return c, err
	})
}
