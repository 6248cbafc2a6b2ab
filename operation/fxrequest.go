package operation

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/staff"
)

// ProposeRate answers a customer's request for a preferential rate with o's rate, valid until o.ValidUntil
// (staff.RatesSet). The offer is checked first (fx.Service.CheckOffer: the request still waits for an answer, the
// rate is a rate near the pair's mid, the validity in the future and within the bank's limit), so a bad one is
// refused before it waits; the payload is the offer in the form fx keeps it, naming its maker (ProposedBy). It
// is done at once unless the request is worth more than fx.RequestConfig.FourEyesAbove: then a second member
// approves it, and fx.Service.Propose confirms the request naming them (ApprovedBy), checking it all again.
func (s *Service) ProposeRate(ctx context.Context, by staff.Member, o fx.Offer) (Outcome, error) {
	if err := by.Require(staff.RatesSet); err != nil {
		return Outcome{}, err
	}
	r, o, err := s.FX.CheckOffer(ctx, o)
	if err != nil {
		return Outcome{}, err
	}
	o.ProposedBy, o.ApprovedBy = by.Username, ""
	return s.do(ctx, by, KindFXOffer, o, held{customerID: r.CustomerID, accountID: r.FromAccountID})
}

// offerNeedsApproval: an offer for a request worth more than the bank's four-eyes amount waits for a second member.
func (s *Service) offerNeedsApproval(ctx context.Context, payload []byte) (bool, error) {
	o, err := decode[fx.Offer](payload)
	if err != nil {
		return true, err
	}
	return s.FX.NeedsApproval(ctx, o.RequestID)
}

func (s *Service) runFXOffer(ctx context.Context, payload []byte) (string, error) {
	o, err := decode[fx.Offer](payload)
	if err != nil {
		return "", err
	}
	if o.ApprovedBy == "" && o.ProposedBy != audit.Operator(ctx).ID {
		o.ApprovedBy = audit.Operator(ctx).ID // approved by a second member: the actor running it
	}
	r, err := s.FX.Propose(ctx, o)
	return r.ID, err
}
