package operation

import (
	"context"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
)

// Credit cards staff open and supplement (staff.CardIssue). Opening one is a credit decision — the limit and the
// cash limit the bank lends — so it always waits for a second member (kind credit.open), who sees the customer,
// the limits, the cycle and the scheme; the card is opened when they approve, with a PIN no one sees (the holder
// chooses theirs in the app). A supplementary card draws within a limit approved already, so it is issued at once.

// CreditOpening is the payload of a credit card's opening: what the checker approves. It carries no PIN.
type CreditOpening struct {
	CustomerID  string         `json:"customer_id"`
	Currency    money.Currency `json:"currency"`
	Limit       int64          `json:"limit"`
	CashLimit   int64          `json:"cash_limit"`
	Cycle       string         `json:"cycle"`
	Type        string         `json:"type"`
	Contactless bool           `json:"contactless"`
}

func (c CreditOpening) request() creditcard.OpenRequest {
	return creditcard.OpenRequest{CustomerID: c.CustomerID, Currency: c.Currency, Limit: c.Limit,
		CashLimit: c.CashLimit, Cycle: creditcard.Cycle(c.Cycle), Type: card.Type(c.Type), Contactless: c.Contactless}
}

// OpenCreditCard asks for a credit card to be opened: always four-eyes. What the request asks for is checked
// first (creditcard.Service.CheckOpen), so bad input is refused before it waits.
func (s *Service) OpenCreditCard(ctx context.Context, by staff.Member, c CreditOpening) (Outcome, error) {
	if err := by.Require(staff.CardIssue); err != nil {
		return Outcome{}, err
	}
	r := c.request()
	if err := s.Credit.CheckOpen(ctx, &r); err != nil {
		return Outcome{}, err
	}
	c.Currency = r.Currency
	return s.do(ctx, by, KindCreditOpen, c, held{customerID: c.CustomerID})
}

// runCreditOpen opens the card as approved; its Ref is the new card's id. The first cycle starts on the day of the
// approval.
func (s *Service) runCreditOpen(ctx context.Context, payload []byte) (string, error) {
	c, err := decode[CreditOpening](payload)
	if err != nil {
		return "", err
	}
	r := c.request()
	r.OpenedOn = calendar.Date{}
	_, k, err := s.Credit.Open(ctx, r)
	return k.ID, err
}

// IssueSupplementaryCard issues a supplementary card on a credit card for another holder (F13), at once;
// audited as by.
func (s *Service) IssueSupplementaryCard(ctx context.Context, by staff.Member, r creditcard.SupplementaryRequest) (card.Card, error) {
	if err := by.Require(staff.CardIssue); err != nil {
		return card.Card{}, err
	}
	return s.Credit.IssueSupplementary(acting(ctx, by), r)
}
