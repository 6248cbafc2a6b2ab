package operation

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/staff"
)

// PublishRate asks for r to become its currency's exchange rate (always four-eyes: what every customer converts
// at; staff.RatesSet). The rate is checked first (fx.Service.Check: its figures, and a reason when it moves
// beyond the band), so a bad one is refused before it waits; the payload is the rate in the form fx keeps it,
// naming its maker (PublishedBy). When a second member approves it, fx.Service.Publish makes it current from
// then, naming them (ApprovedBy), and checks the band again against the rate then in force.
func (s *Service) PublishRate(ctx context.Context, by staff.Member, r fx.Rate) (Outcome, error) {
	if err := by.Require(staff.RatesSet); err != nil {
		return Outcome{}, err
	}
	if err := s.FX.Check(ctx, r); err != nil {
		return Outcome{}, err
	}
	r, err := fx.Normalize(r)
	if err != nil {
		return Outcome{}, err
	}
	r.ID, r.Mid, r.ValidFrom, r.ValidUntil = "", "", time.Time{}, time.Time{}
	r.PublishedBy, r.ApprovedBy = by.Username, ""
	return s.do(ctx, by, KindFXPublish, r, held{})
}

func (s *Service) runFXPublish(ctx context.Context, payload []byte) (string, error) {
	r, err := decode[fx.Rate](payload)
	if err != nil {
		return "", err
	}
	r.ApprovedBy = audit.Operator(ctx).ID
	saved, err := s.FX.Publish(ctx, r)
	return saved.ID, err
}
