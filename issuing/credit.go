package issuing

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
)

// CreditAllowance is what a credit card allows besides its account's available limit (which the ledger checks
// under lock): the share of the limit its internet purchases may use in the cycle (F12), and the cash it may still
// draw in the cycle — the cash limit less the cash already cleared or advanced — both in the card's currency.
type CreditAllowance struct {
	Internet int64
	Cash     int64
	Since    time.Time // the start of the cycle: the day after the last statement's cut, or the card's opening
	// Supplementary says the card is a supplementary card (F13): its own purchases and cash in the cycle
	// (approved or cleared) may not pass Own, its share of the limit. The main card has no such share.
	Supplementary bool
	Own           int64
}

// Credit tells a credit card's allowance (package creditcard); ok is false for a card that is no credit card.
type Credit interface {
	Allowance(ctx context.Context, cardID string) (a CreditAllowance, ok bool, err error)
}

// withinCredit checks a credit card's allowance: an internet purchase within the internet limit with the cycle's
// other internet purchases (approved or cleared), a cash withdrawal within the cash still allowed with the
// withdrawals approved and not cleared yet (the cleared ones are in the allowance already), and a supplementary
// card's purchase or withdrawal within its own share of the limit with what it spent in the cycle (approved or
// cleared). Beyond any of them it is limit_reached. Like the daily limits, these are controls of the holder's
// spending: two requests at the same instant may both pass, while the bank's money is guarded by the ledger's lock.
func (s *Service) withinCredit(ctx context.Context, c card.Spendable, a authorisation) (Reason, error) {
	if s.Credit == nil || c.Kind != card.Credit {
		return "", nil
	}
	online := a.Kind == KindPurchase && a.EntryMode == EntryEcommerce
	if !online && a.Kind != KindCash && !c.Supplementary {
		return "", nil
	}
	allow, ok, err := s.Credit.Allowance(ctx, c.ID)
	if err != nil || !ok {
		return "", err
	}
	if allow.Supplementary && (a.Kind == KindPurchase || a.Kind == KindCash) {
		used, err := s.used(ctx, `SELECT COALESCE(SUM(account_amount), 0) FROM card_authorisations WHERE card_id = ?
			AND kind IN (?, ?) AND status IN ('approved', 'cleared') AND created_at >= ?`,
			c.ID, KindPurchase, KindCash, db.Micros(allow.Since))
		if err != nil {
			return "", err
		}
		if used+a.AccountAmount.Minor > allow.Own {
			return LimitReached, nil
		}
	}
	if !online && a.Kind != KindCash {
		return "", nil
	}
	q := `SELECT COALESCE(SUM(account_amount), 0) FROM card_authorisations WHERE card_id = ? AND kind = ? AND
		status = 'approved'`
	args := []any{c.ID, KindCash}
	limit := allow.Cash
	if online {
		q = `SELECT COALESCE(SUM(account_amount), 0) FROM card_authorisations WHERE card_id = ? AND kind = ? AND
			entry_mode = ? AND status IN ('approved', 'cleared') AND created_at >= ?`
		args = []any{c.ID, KindPurchase, EntryEcommerce, db.Micros(allow.Since)}
		limit = allow.Internet
	}
	used, err := s.used(ctx, q, args...)
	if err != nil {
		return "", err
	}
	if used+a.AccountAmount.Minor > limit {
		return LimitReached, nil
	}
	return "", nil
}

// used sums what a card's authorisations took, by q.
func (s *Service) used(ctx context.Context, q string, args ...any) (int64, error) {
	var used int64
	if err := s.DB.QueryRow(ctx, q, args...).Scan(&used); err != nil {
		return 0, fmt.Errorf("credit allowance: %w", err)
	}
	return used, nil
}
