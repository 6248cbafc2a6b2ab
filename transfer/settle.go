package transfer

import (
	"context"
	"errors"
	"fmt"
	"github.com/kumbara/kumbara/audit"
	"log/slog"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
)

// A confirmed transfer is posted under its own idempotency scope, whose key also records a failure: the first of
// "posted" (request hash = the transfer's id) and "failed" (failedHash) to be written wins, so however many requests
// and instances try to finish it, it is posted or failed exactly once.
const failedHash = "failed"

func confirmScope(t Transfer) string { return t.CustomerID + "/confirm/" + t.ID }

func (s *Service) settleAfter() time.Duration {
	if s.SettleAfter > 0 {
		return s.SettleAfter
	}
	return 30 * time.Second
}

func (s *Service) failAfter() time.Duration {
	if s.FailAfter > 0 {
		return s.FailAfter
	}
	return 5 * time.Minute
}

// finish posts a confirmed transfer and returns it completed. A refusal by the ledger (funds, a blocked or closed
// account) fails it for good, with an SMS to the customer when notify is set; a failure of the database leaves it
// confirmed for a repeat or the settlement to finish.
func (s *Service) finish(ctx context.Context, t Transfer, notify bool) (Transfer, error) {
	names, err := s.Customers.Names(ctx, t.CustomerID)
	if err != nil {
		return Transfer{}, err
	}
	scope := confirmScope(t)
	replayID, err := s.post(ctx, &t, scope, t.ID, names[t.CustomerID], ActionPosted)
	switch {
	case err == nil:
		if replayID == "" {
			s.count(Completed)
		}
	case db.MayHaveCommitted(err):
		// The COMMIT's answer was lost: if the posting is there, it is the answer.
		if id, found := s.recoverKey(ctx, scope, t.ID); !found || id != t.ID {
			return Transfer{}, err
		}
	case errors.Is(err, idempotency.ErrReused):
		return Transfer{}, ErrNotPending // failed for good by another attempt
	case refused(err):
		s.count(kumbara.CodeOf(err))
		posted, ferr := s.fail(ctx, t, kumbara.CodeOf(err), notify)
		if ferr != nil {
			return Transfer{}, ferr
		}
		if !posted {
			return Transfer{}, err
		}
	default:
		return Transfer{}, err
	}
	// Posted. The pending row only follows the transfers row (Get reads that first); one left confirmed is put
	// right by the settlement.
	_, _ = s.Ledger.DB.Exec(ctx, "UPDATE pending_transfers SET status = ? WHERE id = ? AND status = ?", Completed, t.ID, Confirmed)
	return s.Get(ctx, t.CustomerID, t.ID)
}

// refused reports whether err is the ledger refusing a posting (funds, a blocked or closed account, an amount out of
// range) rather than failing to make it.
func refused(err error) bool {
	switch kumbara.KindOf(err) {
	case kumbara.KindInternal, kumbara.KindUnavailable, kumbara.KindOutcomeUnknown:
		return false
	}
	return !db.IsFault(err)
}

// fail fails a confirmed transfer for good with code, unless its posting got there first (posted). With notify the
// customer is told by SMS, in the same transaction, so exactly one SMS goes out whoever fails it.
func (s *Service) fail(ctx context.Context, t Transfer, code string, notify bool) (posted bool, err error) {
	var mobile string
	lang := i18n.SQ
	if notify {
		payer, err := s.Customers.Get(ctx, t.CustomerID)
		if err != nil {
			return false, err
		}
		mobile, lang = payer.Mobile, payer.Language
	}
	now := s.Ledger.Clock.Now()
	failedNow := false
	err = s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		posted, failedNow = false, false
		res, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (scope_key, request_hash, resource_id, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (scope_key) DO NOTHING`, confirmScope(t), failedHash, t.ID, db.Micros(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var hash string
			if err := tx.QueryRow(ctx, "SELECT request_hash FROM idempotency_keys WHERE scope_key = ?", confirmScope(t)).
				Scan(&hash); err != nil {
				return err
			}
			posted = hash != failedHash
			return nil
		}
		failedNow = true
		if _, err := tx.Exec(ctx, "UPDATE pending_transfers SET status = ?, failure_code = ? WHERE id = ? AND status = ?",
			Failed, code, t.ID, Confirmed); err != nil {
			return err
		}
		t.Status = Failed
		e := entry(ctx, t, ActionFailed, nil)
		e.Result = code
		if err := audit.Append(ctx, tx, now, e); err != nil {
			return err
		}
		if mobile == "" {
			return nil
		}
		return outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: "sms", Recipient: mobile, Body: s.failedSMS(lang, t)})
	})
	if err != nil {
		return false, fmt.Errorf("fail transfer: %w", err)
	}
	if failedNow && mobile != "" && s.SCA != nil && s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
	return posted, nil
}

// failedSMS tells the payer a payment they confirmed was not made, naming it as the confirmation's SMS did.
func (s *Service) failedSMS(lang i18n.Lang, t Transfer) string {
	return s.Texts.Message(lang, TextPaymentFailed, map[string]string{
		"amount": i18n.FormatAmount(t.Amount.Minor, string(t.Amount.Currency), lang),
		"payee":  kyc.MaskName(t.ToName), "iban": t.ToIBAN})
}

// recoverKey looks an idempotency key up after the database failed with a COMMIT on its way, reconnecting for a
// moment if it has to: found is whether the key is there with this request's hash, and id the resource it names.
// It answers under its own short deadline, since the request's may be what ran out.
func (s *Service) recoverKey(ctx context.Context, scope, hash string) (id string, found bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	for {
		id, found, err := idempotency.Find(ctx, s.Ledger.DB, scope, hash)
		if err == nil || !db.IsFault(err) {
			return id, found && err == nil
		}
		select {
		case <-ctx.Done():
			return "", false
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Settle finishes the transfers left half-way: confirmed at least SettleAfter ago, yet neither posted nor failed,
// because the request that confirmed them lost the database or its instance stopped. Each is posted, or failed for
// good with an SMS to the customer when the ledger refuses it — or when it still cannot be posted FailAfter after its
// confirmation. Any instance may run it at any time: a transfer is posted or failed exactly once (see failedHash).
// It returns how many transfers it finished.
func (s *Service) Settle(ctx context.Context) (int, error) {
	now := s.Ledger.Clock.Now()
	type stuck struct {
		id, customerID string
		confirmedAt    int64
	}
	var list []stuck
	rows, err := s.Ledger.DB.Query(ctx, `SELECT id, customer_id, confirmed_at FROM pending_transfers
		WHERE status = ? AND confirmed_at <= ? ORDER BY confirmed_at LIMIT 100`, Confirmed, db.Micros(now.Add(-s.settleAfter())))
	if err != nil {
		return 0, fmt.Errorf("settle transfers: %w", err)
	}
	list, err = db.Collect(rows, func(r db.Scanner) (stuck, error) {
		var st stuck
		err := r.Scan(&st.id, &st.customerID, &st.confirmedAt)
		return st, err
	})
	if err != nil {
		return 0, fmt.Errorf("settle transfers: %w", err)
	}
	done := 0
	var errs []error
	for _, st := range list {
		finished, err := s.settleOne(ctx, st.customerID, st.id, now.Sub(db.FromMicros(st.confirmedAt)) >= s.failAfter())
		if finished {
			done++
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("settle transfer %s: %w", st.id, err))
		}
	}
	return done, errors.Join(errs...)
}

// settleOne finishes one confirmed transfer; giveUp fails it if it cannot be posted for a fault of ours.
func (s *Service) settleOne(ctx context.Context, customerID, id string, giveUp bool) (bool, error) {
	t, err := s.Get(ctx, customerID, id)
	if err != nil {
		return false, err
	}
	switch t.Status {
	case Completed: // posted, by a request that failed before it could say so here
		_, err := s.Ledger.DB.Exec(ctx, "UPDATE pending_transfers SET status = ? WHERE id = ? AND status = ?", Completed, id, Confirmed)
		return err == nil, err
	case Confirmed:
	default:
		return false, nil
	}
	_, err = s.finish(ctx, t, true)
	switch {
	case err == nil, refused(err), errors.Is(err, ErrNotPending):
		return true, nil
	case !giveUp:
		return false, err
	}
	if _, ferr := s.fail(ctx, t, ErrFailed.Code, true); ferr != nil {
		return false, errors.Join(err, ferr)
	}
	return true, nil
}

// RunSettlement runs Settle every interval until ctx ends; serve starts it on every instance.
func (s *Service) RunSettlement(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.Settle(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("settle transfers", slog.String("error", err.Error()))
		}
		if n > 0 {
			log.Warn("settled transfers left confirmed", slog.Int("transfers", n))
		}
	}
}
