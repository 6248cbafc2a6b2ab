package creditcard

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
)

// The entry kinds a credit account sees.
const (
	KindPurchase       = "card_purchase"
	KindCashWithdrawal = "card_cash_withdrawal"
	KindRefund         = "card_refund"
	KindChargeback     = "card_chargeback"
	KindCashAdvance    = "card_cash_advance"
	KindInterest       = "card_interest"
	KindLateFee        = "card_late_fee"
	KindFee            = "card_fee"
	KindPayment        = "card_payment"
	KindInstalment     = "card_instalment"
)

// move is one posting of a credit account with its entry's kind and reference.
type move struct {
	Seq         int64
	EntryID     string
	Amount      int64 // credit > 0 (a payment), debit < 0 (a purchase)
	PostedAt    time.Time
	Kind        string
	Reference   string
	Description string
}

func (m move) day() calendar.Date { return calendar.DateOf(m.PostedAt) }

func isCash(kind string) bool { return kind == KindCashAdvance || kind == KindCashWithdrawal }

// moves returns the credit account's postings after seq, in order.
func (s *Service) moves(ctx context.Context, accountID string, after int64) ([]move, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.seq, p.entry_id, p.amount, p.posted_at, e.kind, e.reference, p.description
		FROM postings p JOIN journal_entries e ON e.id = p.entry_id
		WHERE p.account_id = ? AND p.seq > ? ORDER BY p.seq`, accountID, after)
	if err != nil {
		return nil, fmt.Errorf("credit moves: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (move, error) {
		var m move
		var at int64
		err := r.Scan(&m.Seq, &m.EntryID, &m.Amount, &at, &m.Kind, &m.Reference, &m.Description)
		m.PostedAt = db.FromMicros(at)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("credit moves: %w", err)
	}
	return out, nil
}

// paidSince is what was paid into the credit account (card_payment) after seq and before the instant until.
func paidSince(ms []move, until time.Time) int64 {
	var paid int64
	for _, m := range ms {
		if m.Kind == KindPayment && m.PostedAt.Before(until) {
			paid += m.Amount
		}
	}
	return paid
}
