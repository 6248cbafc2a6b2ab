package creditcard

import (
	"context"
	"errors"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/issuing"
)

// Allowance is what the card network's authorisations check a credit card against besides its available limit
// (issuing.Credit): the internet limit (F12) and the cash still allowed in the cycle, which began the day after
// the last statement's cut (or when the card was opened), and for a supplementary card (F13) its own share of
// the limit in the cycle, SupplementaryPercent of it; the main card has no such share. Any card of the credit
// account counts (the main card, its reprint, a supplementary card). A card that is no credit card is
// ok == false.
func (s *Service) Allowance(ctx context.Context, cardID string) (issuing.CreditAllowance, bool, error) {
	c, cr, err := s.cardCredit(ctx, cardID)
	if errors.Is(err, ErrNotCredit) {
		return issuing.CreditAllowance{}, false, nil
	}
	if err != nil {
		return issuing.CreditAllowance{}, false, err
	}
	last, err := s.lastStatement(ctx, cr.ID)
	if err != nil {
		return issuing.CreditAllowance{}, false, err
	}
	since, after := cr.OpenedOn.Start(), int64(0)
	if last != nil {
		since, after = last.CutDate.AddDays(1).Start(), last.ToSeq
	}
	drawn, err := s.cashDrawn(ctx, cr.AccountID, after)
	if err != nil {
		return issuing.CreditAllowance{}, false, err
	}
	a := issuing.CreditAllowance{Internet: cr.InternetLimit(), Cash: max(0, cr.CashLimit-drawn), Since: since}
	if c.Supplementary {
		a.Supplementary, a.Own = true, cr.SupplementaryLimit()
	}
	return a, true, nil
}

// cardCredit is a card of a credit account and the account's credit card; credit_card_not_found for a card that
// is none, or is no credit card.
func (s *Service) cardCredit(ctx context.Context, cardID string) (card.Card, Credit, error) {
	c, err := s.Cards.Find(ctx, cardID)
	if errors.Is(err, card.ErrNotFound) || (err == nil && c.Kind != card.Credit) {
		return card.Card{}, Credit{}, ErrNotCredit
	}
	if err != nil {
		return card.Card{}, Credit{}, err
	}
	cr, err := s.one(ctx, "account_id = ?", c.AccountID)
	return c, cr, err
}

// SupplementaryLimit is how much a supplementary card may spend in a cycle, in minor units (F13).
func (cr Credit) SupplementaryLimit() int64 { return cr.Limit * int64(cr.SupplementaryPercent) / 100 }
