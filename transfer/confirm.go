package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/kumbara/kumbara/audit"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/text"
)

// payment is what the customer confirms of t: the amount and both parties, named by t's id.
func (s *Service) payment(t Transfer) sca.Payment {
	return sca.Payment{TransferID: t.ID, CustomerID: t.CustomerID, Own: t.Type == Own, FromIBAN: t.FromIBAN,
		ToIBAN: t.ToIBAN, PayeeName: kyc.MaskName(t.ToName), Amount: t.Amount, TrustPayee: t.TrustPayee}
}

func (s *Service) confirmWithin() time.Duration {
	if s.ConfirmWithin > 0 {
		return s.ConfirmWithin
	}
	return 10 * time.Minute
}

// createPending records t as waiting for confirmation, with its idempotency key and a challenge whose SMS names
// the amount and the payee, in one transaction. Nothing is held: the funds are checked when it posts.
func (s *Service) createPending(ctx context.Context, t Transfer, scope, hash string) (Transfer, bool, error) {
	// The payment's code goes to whoever authenticated: a business's user's own mobile (auth.Actor).
	payer, err := s.Customers.Get(ctx, auth.Actor(ctx, t.CustomerID))
	if err != nil {
		return Transfer{}, false, err
	}
	now := s.Ledger.Clock.Now()
	t.Status, t.CreatedAt, t.ExpiresAt = PendingConfirmation, now, now.Add(s.confirmWithin())
	var replayID string
	err = s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		replayID = ""
		// The customer's row first: the challenge counts SMS under this lock. Taken before the inserts below
		// (whose foreign keys key-share it) so two payments never both hold a share and wait to upgrade.
		if err := customer.Lock(ctx, tx, t.CustomerID); err != nil {
			return err
		}
		var err error
		if replayID, err = idempotency.Claim(ctx, tx, scope, hash, t.ID, now); err != nil || replayID != "" {
			return err
		}
		v := t.Verification
		if _, err := tx.Exec(ctx, `INSERT INTO pending_transfers (id, customer_id, type, from_account_id, to_account_id,
			amount, currency, description, status, created_at, expires_at, payee_phone, vop_result, vop_name,
			vop_checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.CustomerID, t.Type, t.FromAccountID, t.ToAccountID, t.Amount.Minor, string(t.Amount.Currency),
			t.Description, t.Status, db.Micros(now), db.Micros(t.ExpiresAt), t.PayeePhone, string(v.Result), v.Name,
			checkedAt(v)); err != nil {
			return err
		}
		c, err := s.SCA.Issue(ctx, tx, s.payment(t), payer.Mobile)
		if err != nil {
			return err
		}
		t.Challenge = &c
		return audit.Append(ctx, tx, now, entry(ctx, t, ActionPending, nil))
	})
	if err != nil && db.MayHaveCommitted(err) {
		// The COMMIT's answer was lost: if the transfer is there, it is the answer (its SMS is on its way).
		if id, found := s.recoverKey(ctx, scope, hash); found {
			if got, gerr := s.Get(context.WithoutCancel(ctx), t.CustomerID, id); gerr == nil {
				if id == t.ID && s.SCA.Outbox != nil {
					s.SCA.Outbox.Kick()
				}
				return got, id != t.ID, nil
			}
		}
	}
	if err != nil {
		// The same key raced in by a concurrent repeat: that one's transfer is this request's answer.
		if kumbara.KindOf(err) == kumbara.KindInternal && !db.IsFault(err) {
			if id, found, kerr := idempotency.Find(ctx, s.Ledger.DB, scope, hash); kerr == nil && found {
				got, gerr := s.Get(ctx, t.CustomerID, id)
				return got, true, gerr
			}
		}
		s.count(kumbara.CodeOf(err))
		return Transfer{}, false, err
	}
	if replayID != "" {
		got, err := s.Get(ctx, t.CustomerID, replayID)
		return got, true, err
	}
	if s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
	s.count(PendingConfirmation)
	return t, false, nil
}

// getPending reads a transfer that waits, or waited, for confirmation. A lapsed one reads as expired.
func (s *Service) getPending(ctx context.Context, customerID, id string) (Transfer, error) {
	var t Transfer
	var amount, created, expires, checked int64
	var cur, payeeID, result string
	err := s.Ledger.DB.QueryRow(ctx, `SELECT t.id, t.customer_id, t.type, t.from_account_id, t.to_account_id, t.amount,
		t.currency, t.description, t.status, t.created_at, t.expires_at, COALESCE(f.iban, ''), COALESCE(a.iban, ''),
		a.customer_id, t.payee_phone, t.vop_result, t.vop_name, COALESCE(t.vop_checked_at, 0)
		FROM pending_transfers t JOIN accounts f ON f.id = t.from_account_id JOIN accounts a ON a.id = t.to_account_id
		WHERE t.id = ? AND t.customer_id = ?`, id, customerID).
		Scan(&t.ID, &t.CustomerID, &t.Type, &t.FromAccountID, &t.ToAccountID, &amount, &cur, &t.Description,
			&t.Status, &created, &expires, &t.FromIBAN, &t.ToIBAN, &payeeID, &t.PayeePhone, &result,
			&t.Verification.Name, &checked)
	if errors.Is(err, sql.ErrNoRows) {
		return Transfer{}, ErrNotFound
	}
	if err != nil {
		return Transfer{}, fmt.Errorf("get pending transfer: %w", err)
	}
	t.Amount = money.New(amount, money.Currency(cur))
	t.CreatedAt, t.ExpiresAt = db.FromMicros(created), db.FromMicros(expires)
	t.Verification = verification(result, t.Verification.Name, checked)
	payee, err := s.Customers.Get(ctx, payeeID)
	if err != nil {
		return Transfer{}, fmt.Errorf("get pending transfer: %w", err)
	}
	t.setPayee(payee.Name())
	if t.Status == PendingConfirmation && s.Ledger.Clock.Now().After(t.ExpiresAt) {
		t.Status = Expired
	}
	return t, nil
}

// Confirm completes a transfer that waits for confirmation: proof must answer its live challenge, which is bound
// to the transfer's amount and payee, and then the ledger posts it. Confirming a transfer that was already confirmed
// returns its result (replayed) without checking proof again: a completed one as it is, a confirmed one that an
// earlier request could not post is posted now. A lapsed, failed or unknown one is refused. If the posting is
// refused (funds, a blocked account), the transfer fails with that error and cannot be confirmed again.
func (s *Service) Confirm(ctx context.Context, customerID, id string, proof sca.Proof) (Transfer, bool, error) {
	t, replayed, err := s.confirm(ctx, customerID, id, proof)
	return t, replayed, db.Classify(ctx, err)
}

func (s *Service) confirm(ctx context.Context, customerID, id string, proof sca.Proof) (Transfer, bool, error) {
	if s.SCA == nil {
		return Transfer{}, false, ErrNotFound
	}
	if !text.Storable(id) {
		return Transfer{}, false, ErrNotFound
	}
	t, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Transfer{}, false, err
	}
	switch t.Status {
	case Completed:
		return t, true, nil
	case Expired:
		return Transfer{}, false, ErrExpired
	case Failed:
		return Transfer{}, false, ErrNotPending
	case Confirmed:
		// Confirmed by an earlier request that did not get to post it: its result is the answer to this one.
		got, err := s.finish(ctx, t, false)
		return got, true, err
	case PendingConfirmation:
		// Confirming is what moves the money: a business's payment asked for before 21:00 waits for the morning.
		if err := s.checkBusinessHours(ctx, customerID); err != nil {
			return Transfer{}, false, err
		}
		now := s.Ledger.Clock.Now()
		err := s.SCA.Confirm(ctx, s.payment(t), proof, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, "UPDATE pending_transfers SET status = ?, confirmed_at = ? WHERE id = ? AND status = ?",
				Confirmed, db.Micros(now), t.ID, PendingConfirmation)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrNotPending
			}
			t.Status = Confirmed
			return audit.Append(ctx, tx, now, entry(ctx, t, ActionConfirmed, nil))
		})
		if err != nil {
			if refused(err) {
				e := entry(ctx, t, ActionConfirmed, err)
				_ = audit.Record(context.WithoutCancel(ctx), s.Ledger.DB, now, e)
			}
			return Transfer{}, false, err
		}
	default:
		return Transfer{}, false, ErrNotPending
	}
	got, err := s.finish(ctx, t, false)
	return got, false, err
}

// Challenge describes the live challenge of a transfer waiting for confirmation, or, with resend, replaces it
// with a new one and sends a new SMS (the old code stops working). The SMS per-hour limit applies.
func (s *Service) Challenge(ctx context.Context, customerID, id string, resend bool) (Transfer, error) {
	if s.SCA == nil || !text.Storable(id) {
		return Transfer{}, ErrNotFound
	}
	t, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Transfer{}, err
	}
	switch t.Status {
	case PendingConfirmation:
	case Expired:
		return Transfer{}, ErrExpired
	default:
		return Transfer{}, ErrNotPending
	}
	payer, err := s.Customers.Get(ctx, auth.Actor(ctx, customerID))
	if err != nil {
		return Transfer{}, err
	}
	if !resend {
		c, err := s.SCA.Live(ctx, s.payment(t), kyc.MaskPhone(payer.Mobile))
		if err != nil {
			return Transfer{}, err
		}
		t.Challenge = &c
		return t, nil
	}
	err = s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.SCA.Issue(ctx, tx, s.payment(t), payer.Mobile)
		t.Challenge = &c
		return err
	})
	if err != nil {
		return Transfer{}, err
	}
	if s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
	return t, nil
}
