package creditcard

import (
	"context"
	"errors"

	"github.com/kumbara/kumbara/issuing"
)

// Allowance is what the card network's authorisations check a credit card against besides its available limit
// (issuing.Credit): the internet limit (F12) and the cash still allowed in the cycle, which began the day after
// the last statement's cut (or when the card was opened). A card that is no credit card is ok == false.
func (s *Service) Allowance(ctx context.Context, cardID string) (issuing.CreditAllowance, bool, error) {
	cr, err := s.ByCard(ctx, cardID)
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
	return issuing.CreditAllowance{Internet: cr.InternetLimit(), Cash: max(0, cr.CashLimit-drawn), Since: since},
		true, nil
}
