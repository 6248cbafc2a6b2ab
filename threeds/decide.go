package threeds

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/sca"
)

// decidable refuses a decision on a, read at now: one already decided is threeds_approval_not_pending, one whose
// time passed threeds_approval_expired (and is written as expired, so the history shows it so).
func (s *Service) decidable(ctx context.Context, a Approval) error {
	switch a.Status {
	case Pending:
		return nil
	case Expired:
		if _, err := s.DB.Exec(ctx, "UPDATE threeds_approvals SET status = ? WHERE id = ? AND status = ?",
			string(Expired), a.ID, string(Pending)); err != nil {
			return fmt.Errorf("3-D Secure approval: %w", err)
		}
		return ErrExpired
	default:
		return ErrNotPending
	}
}

// Challenge answers the live challenge of a pending approval (what a page shows to approve it), or, with resend,
// issues a new one whose SMS carries a new code (the old one stops working).
func (s *Service) Challenge(ctx context.Context, customerID, id string, resend bool) (Approval, error) {
	a, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Approval{}, err
	}
	if err := s.decidable(ctx, a); err != nil {
		return Approval{}, err
	}
	holder, err := s.Customers.Get(ctx, a.CustomerID)
	if err != nil {
		return Approval{}, fmt.Errorf("3-D Secure approval: %w", err)
	}
	if !resend {
		c, err := s.SCA.Live(ctx, scaPayment(a), kyc.MaskPhone(holder.Mobile))
		if err != nil {
			return Approval{}, err
		}
		a.Challenge = &c
		return a, nil
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.SCA.Issue(ctx, tx, scaPayment(a), holder.Mobile)
		a.Challenge = &c
		return err
	})
	if err != nil {
		return Approval{}, err
	}
	s.kick()
	return a, nil
}

// Approve approves the customer's pending approval id with proof, which must answer its live challenge: the SMS
// code, a trusted device's signature or Soft PIN response, or a passkey assertion, each bound to the merchant,
// the amount and the currency (package sca). Approving twice, after a rejection or after expiry is refused with
// nothing changed; another customer's approval is threeds_approval_not_found.
func (s *Service) Approve(ctx context.Context, customerID, id string, proof sca.Proof) (Approval, error) {
	a, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Approval{}, err
	}
	if err := s.decidable(ctx, a); err != nil {
		return Approval{}, err
	}
	now := s.Clock.Now()
	err = s.SCA.Confirm(ctx, scaPayment(a), proof, func(tx *db.Tx) error {
		return s.decide(ctx, tx, &a, Approved, proof.Method, now)
	})
	if err != nil {
		// Decided by another request meanwhile (whose approval used the challenge): that is the answer, not the
		// challenge's state.
		if now, gerr := s.Get(ctx, customerID, id); gerr == nil && now.Status != Pending {
			return Approval{}, s.decidable(ctx, now)
		}
		return Approval{}, err
	}
	s.notify(ctx, a)
	return a, nil
}

// Reject rejects the customer's pending approval id: the purchase is declined. It needs no proof beyond the
// session, since it can only stop money leaving; rejecting twice, after approval or after expiry is refused.
func (s *Service) Reject(ctx context.Context, customerID, id string) (Approval, error) {
	a, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Approval{}, err
	}
	if err := s.decidable(ctx, a); err != nil {
		return Approval{}, err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error { return s.decide(ctx, tx, &a, Rejected, "", now) })
	if err != nil {
		return Approval{}, err
	}
	s.notify(ctx, a)
	return a, nil
}

// decide writes a's decision in tx if a still waits at now; otherwise (decided meanwhile by another request, or
// its time passed since it was read) it refuses, and the transaction, with the proof's use, rolls back.
func (s *Service) decide(ctx context.Context, tx *db.Tx, a *Approval, to Status, method string, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE threeds_approvals SET status = ?, method = ?, decided_at = ?
		WHERE id = ? AND status = ? AND expires_at > ?`, string(to), method, db.Micros(now), a.ID, string(Pending),
		db.Micros(now))
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		if !now.Before(a.ExpiresAt) {
			return ErrExpired
		}
		return ErrNotPending
	}
	a.Status, a.Method, a.DecidedAt, a.Challenge = to, method, now, nil
	action := ActionApproved
	if to == Rejected {
		action = ActionRejected
	}
	return audit.Append(ctx, tx, now, entry(ctx, *a, action, true))
}

func (s *Service) notify(ctx context.Context, a Approval) {
	if s.Notifier != nil {
		s.Notifier.Decided(context.WithoutCancel(ctx), a.NetworkRef, a.Status)
	}
}
