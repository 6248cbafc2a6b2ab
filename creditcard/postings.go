package creditcard

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/ledger"
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
type move = ledger.Move

func day(m move) calendar.Date { return calendar.DateOf(m.PostedAt) }

func isCash(kind string) bool { return kind == KindCashAdvance || kind == KindCashWithdrawal }

// moves returns the credit account's postings after seq, in order.
func (s *Service) moves(ctx context.Context, accountID string, after int64) ([]move, error) {
	return s.Ledger.Moves(ctx, accountID, after)
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
