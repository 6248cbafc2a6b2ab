package payment

import (
	"context"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
)

// Challenge answers the live challenge of a payment waiting for confirmation (what a page shows to confirm it),
// or, with resend, issues a new one whose SMS carries a new code (the old one stops working). A payment that no
// longer waits is payment_not_pending; one whose time passed, payment_expired.
func (s *Service) Challenge(ctx context.Context, customerID, id string, resend bool) (Payment, error) {
	p, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Payment{}, err
	}
	switch p.Status {
	case PendingConfirmation:
	case Expired:
		return Payment{}, ErrExpired
	default:
		return Payment{}, ErrNotPending
	}
	payer, err := s.Customers.Get(ctx, auth.Actor(ctx, customerID))
	if err != nil {
		return Payment{}, err
	}
	if !resend {
		c, err := s.SCA.Live(ctx, s.scaPayment(p), kyc.MaskPhone(payer.Mobile))
		if err != nil {
			return Payment{}, err
		}
		p.Challenge = &c
		return p, nil
	}
	err = s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.SCA.Issue(ctx, tx, s.scaPayment(p), payer.Mobile)
		p.Challenge = &c
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	if s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
	return p, nil
}
