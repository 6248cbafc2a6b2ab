package fx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// The bank's answer to a preferential request: the rate staff propose and its checks (request.go).

// Offer is a rate staff propose for a request: one Base in Quoted (the request's pair, as Price.Rate reads), valid
// until ValidUntil. It is the payload of operation fx.offer, the form four-eyes hashes.
type Offer struct {
	RequestID  string    `json:"request_id"`
	Rate       string    `json:"rate"`
	ValidUntil time.Time `json:"valid_until"`
	ProposedBy string    `json:"proposed_by"`           // the member who proposed it
	ApprovedBy string    `json:"approved_by,omitempty"` // the member who approved it, when it waited for one
}

// CheckOffer is Propose's validation alone, for an offer that waits for a second member: refused before it waits.
// It answers the request and the offer in the form Propose keeps (its rate normalised, its time in UTC to the
// second). Everything is checked again when it is proposed.
func (s *Service) CheckOffer(ctx context.Context, o Offer) (Request, Offer, error) {
	r, err := s.RequestByID(ctx, o.RequestID)
	if err != nil {
		return Request{}, Offer{}, err
	}
	o, err = s.checkOffer(ctx, r, o)
	return r, o, err
}

func (s *Service) checkOffer(ctx context.Context, r Request, o Offer) (Offer, error) {
	if err := refusal(r.Status); err != nil {
		return Offer{}, err
	}
	if r.Status != Requested {
		return Offer{}, ErrRequestAnswered
	}
	var fields []kumbara.FieldError
	rate, rerr := parseRate(o.Rate)
	if rerr != nil {
		fields = append(fields, ErrRateInvalid.At("rate"))
	}
	now, cfg := s.Clock.Now(), s.requestConfig()
	o.ValidUntil = o.ValidUntil.UTC().Truncate(time.Second)
	if !o.ValidUntil.After(now) || o.ValidUntil.After(now.Add(cfg.MaxOfferValidity)) {
		fields = append(fields, ErrOfferValidUntil.At("valid_until"))
	}
	if len(fields) > 0 {
		return Offer{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	o.Rate = decimalText(rate)
	rates, err := s.Current(ctx)
	if err != nil {
		return Offer{}, err
	}
	if err := s.inPairBand(rates, r, rate); err != nil {
		return Offer{}, err
	}
	return o, nil
}

// inPairBand refuses a rate further than Config.Band from the pair's mid rate now: |rate − mid| × 100 > band × mid,
// exactly, mid being base's mid over quoted's.
func (s *Service) inPairBand(rates []Rate, r Request, rate *apd.Decimal) error {
	base, quoted := pair(r.Sell, r.Buy)
	b, err := rateOf(rates, base, "currency")
	if err != nil {
		return err
	}
	q, err := rateOf(rates, quoted, "currency")
	if err != nil {
		return err
	}
	bm, err := mustRate(b.Mid)
	if err != nil {
		return err
	}
	qm, err := mustRate(q.Mid)
	if err != nil {
		return err
	}
	band, err := parseRate(s.config().Band)
	if err != nil {
		return fmt.Errorf("fx: configured band %q: %w", s.config().Band, err)
	}
	c := wide()
	var m, diff, lhs, rhs apd.Decimal
	if _, err := c.Quo(&m, bm, qm); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if _, err := c.Sub(&diff, rate, &m); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	diff.Abs(&diff)
	if _, err := c.Mul(&lhs, &diff, apd.New(100, 0)); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if _, err := c.Mul(&rhs, band, &m); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if lhs.Cmp(&rhs) > 0 {
		return ErrOfferOutOfBand.WithParam("band", s.config().Band)
	}
	return nil
}

// NeedsApproval reports whether proposing a rate for request id needs a second member: the request is worth more
// than RequestConfig.FourEyesAbove at the mid rates now (every proposal does while a rate is missing).
func (s *Service) NeedsApproval(ctx context.Context, id string) (bool, error) {
	r, err := s.RequestByID(ctx, id)
	if err != nil {
		return true, err
	}
	rates, err := s.Current(ctx)
	if err != nil {
		return true, err
	}
	cmp, err := compareValue(rates, r.Amount, s.requestConfig().FourEyesAbove)
	if err != nil {
		return true, nil
	}
	return cmp > 0, nil
}

// Propose answers request o.RequestID with o's rate: the request is confirmed, and its customer may execute it
// until o.ValidUntil. Validated as CheckOffer does; ProposedBy is the actor the context carries when empty. It is
// audited in its transaction with the actor the context carries (the member who approved it, through four-eyes).
func (s *Service) Propose(ctx context.Context, o Offer) (Request, error) {
	r, err := s.RequestByID(ctx, o.RequestID)
	if err != nil {
		return Request{}, err
	}
	if o, err = s.checkOffer(ctx, r, o); err != nil {
		return Request{}, err
	}
	if o.ProposedBy == "" {
		o.ProposedBy = audit.Operator(ctx).ID
	}
	now := s.Clock.Now()
	base, quoted := pair(r.Sell, r.Buy)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE fx_requests SET status = ?, rate = ?, base = ?, quoted = ?, valid_until = ?,
			proposed_by = ?, approved_by = ?, proposed_at = ? WHERE id = ? AND status = ? AND expires_at > ?`,
			Confirmed, o.Rate, string(base), string(quoted), db.Micros(o.ValidUntil), o.ProposedBy, o.ApprovedBy,
			db.Micros(now), r.ID, Requested, db.Micros(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errChanged
		}
		after := r
		after.Status, after.Rate, after.Base, after.Quoted, after.ValidUntil = Confirmed, o.Rate, base, quoted, o.ValidUntil
		after.ProposedBy, after.ApprovedBy, after.ProposedAt = o.ProposedBy, o.ApprovedBy, now
		return audit.Append(ctx, tx, now, s.requestEntry(ctx, ActionRequestOffered, after, &r, nil))
	})
	if errors.Is(err, errChanged) {
		got, gerr := s.RequestByID(context.WithoutCancel(ctx), r.ID)
		if gerr != nil {
			return Request{}, gerr
		}
		if rerr := refusal(got.Status); rerr != nil {
			return Request{}, rerr
		}
		return Request{}, ErrRequestAnswered
	}
	if err != nil {
		return Request{}, db.Classify(ctx, fmt.Errorf("fx request propose: %w", err))
	}
	return s.RequestByID(ctx, r.ID)
}
