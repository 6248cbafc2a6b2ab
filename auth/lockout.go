package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/outbox"
)

// The lockout (A14) counts an attempt at a factor before the factor is checked, so concurrent guesses cannot all
// pass the "fewer than five failures" test first and be counted after: an attempt reserves one of the five places
// (reserve), and keeps it if the factor was wrong (settle) or gives it back if it was right (release). A factor
// checked in one short transaction (a login code) is counted in that transaction instead (countFailure).

// errNoRoom is reserve's answer while as many attempts as the lockout allows are being checked.
var errNoRoom = errors.New("no room for another attempt")

// reserve waits reserveWait at most, polling every reservePoll, for an attempt in flight to finish.
const (
	reserveWait = 5 * time.Second
	reservePoll = 10 * time.Millisecond
)

// reserve counts an attempt at a factor of the customer before it is checked. It refuses a closed or blocked
// channel (channel_closed, channel_blocked) and returns sql.ErrNoRows for a customer without credentials. While
// as many attempts as the lockout still allows are being checked, it waits for them: each either fails (and at
// the limit blocks the channel, which refuses this one) or gives its place back. Still no place after reserveWait
// (attempts that never finished, or a flood of them) means the count stands at the limit: the channel is blocked.
func (s *Service) reserve(ctx context.Context, customerID string) error {
	deadline := time.Now().Add(reserveWait)
	for {
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE credentials SET failed_attempts = failed_attempts + 1 WHERE customer_id = ?
				AND blocked = 0 AND channel_closed = 0 AND failed_attempts < ?`, customerID, s.Config.MaxFailures)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return nil
			}
			if err := s.refusal(ctx, tx, customerID); err != nil {
				return err
			}
			return errNoRoom
		})
		if !errors.Is(err, errNoRoom) {
			return err
		}
		if time.Now().After(deadline) {
			if err := s.blockFull(ctx, customerID); err != nil {
				return err
			}
			continue // a place came free meanwhile
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(reservePoll):
		}
	}
}

// blockFull blocks the channel if its count of failures stands at the limit and answers channel_blocked; nil if
// the count is below the limit after all.
func (s *Service) blockFull(ctx context.Context, customerID string) error {
	blocked := false
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var failures, already int
		if err := tx.QueryRow(ctx, "SELECT failed_attempts, blocked FROM credentials WHERE customer_id = ?"+tx.DB().ForUpdate(),
			customerID).Scan(&failures, &already); err != nil {
			return err
		}
		blocked = already != 0 || failures >= s.Config.MaxFailures
		if already != 0 || !blocked {
			return nil
		}
		return s.block(ctx, tx, customerID)
	})
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	if !blocked {
		return nil
	}
	s.forgetCustomer(customerID)
	s.notify()
	return ErrChannelBlocked
}

// release gives back the place an attempt reserved when its factor proved right: a right password is not a
// failure, but it does not wipe the failures before it either (only a full login does).
func (s *Service) release(ctx context.Context, customerID string) error {
	_, err := s.DB.Exec(ctx, "UPDATE credentials SET failed_attempts = failed_attempts - 1 WHERE customer_id = ? AND failed_attempts > 0",
		customerID)
	if err != nil {
		return fmt.Errorf("release attempt: %w", err)
	}
	return nil
}

// settle keeps a reserved attempt whose factor was wrong as a failure and blocks the channel when the failures
// reach the limit. It returns channel_blocked if the channel is blocked, login_failed otherwise.
// The failure is recorded in the audit log as action, in the same transaction.
func (s *Service) settle(ctx context.Context, customerID, action string) error {
	blocked := false
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var failures, already int
		if err := tx.QueryRow(ctx, "SELECT failed_attempts, blocked FROM credentials WHERE customer_id = ?"+tx.DB().ForUpdate(),
			customerID).Scan(&failures, &already); err != nil {
			return err
		}
		blocked = already != 0 || failures >= s.Config.MaxFailures
		result := ErrLoginFailed.Code
		if blocked {
			result = ErrChannelBlocked.Code
		}
		if already == 0 && blocked {
			if err := s.block(ctx, tx, customerID); err != nil {
				return err
			}
		}
		// Last: the audit head stays locked from here to the commit.
		return record(ctx, tx, s.Clock.Now(), customerID, action, result, map[string]int{"failures": failures})
	})
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	if blocked {
		s.forgetCustomer(customerID)
		s.notify()
		return ErrChannelBlocked
	}
	return ErrLoginFailed
}

// countFailure counts a failed factor in tx and blocks the channel when the failures reach the limit, reporting
// whether this failure blocked it. The caller holds the credentials row's lock (lockCredential).
// The failure is recorded in the audit log as action, with result, in tx.
func (s *Service) countFailure(ctx context.Context, tx *db.Tx, customerID, action, result string) (bool, error) {
	if _, err := tx.Exec(ctx, "UPDATE credentials SET failed_attempts = failed_attempts + 1 WHERE customer_id = ?",
		customerID); err != nil {
		return false, err
	}
	var failures, blocked int
	if err := tx.QueryRow(ctx, "SELECT failed_attempts, blocked FROM credentials WHERE customer_id = ?", customerID).
		Scan(&failures, &blocked); err != nil {
		return false, err
	}
	blocks := blocked == 0 && failures >= s.Config.MaxFailures
	if blocks {
		if err := s.block(ctx, tx, customerID); err != nil {
			return false, err
		}
	}
	// Last: the audit head stays locked from here to the commit.
	return blocks, record(ctx, tx, s.Clock.Now(), customerID, action, result, map[string]int{"failures": failures})
}

// block blocks the customer's channel in tx (A14). A blocked channel admits nobody: a session already open (say,
// one guessing at payment codes) ends, and a login waiting for its code can no longer be completed or resent. The
// customer is told at once by SMS, in the same transaction, what happened and what to do: the login answers an
// outsider the same whether or not the channel is blocked, so the customer would not learn it there. The caller
// wakes the dispatcher (notify) once tx commits.
func (s *Service) block(ctx context.Context, tx *db.Tx, customerID string) error {
	at := s.Clock.Now()
	if _, err := tx.Exec(ctx, "UPDATE credentials SET blocked = 1, blocked_at = COALESCE(blocked_at, ?) WHERE customer_id = ?",
		db.Micros(at), customerID); err != nil {
		return err
	}
	var mobile string
	if err := tx.QueryRow(ctx, "SELECT mobile FROM customers WHERE id = ?", customerID).Scan(&mobile); err != nil {
		return err
	}
	if mobile != "" {
		lang, err := customer.LanguageOf(ctx, tx, customerID)
		if err != nil {
			return err
		}
		// The customer can unblock it with a strong recovery (a card and its PIN, or the branch's code, then the
		// SMS code: A8, A10) or call the bank, and someone else may be trying the password.
		body := s.Texts.Message(lang, TextBlocked, map[string]string{"failures": strconv.Itoa(s.Config.MaxFailures)})
		if err := outbox.Enqueue(ctx, tx, at, outbox.Message{Channel: "sms", Recipient: mobile, Body: body}); err != nil {
			return err
		}
	}
	if err := s.endAccess(ctx, tx, customerID, ""); err != nil {
		return err
	}
	return record(ctx, tx, at, customerID, ActionChannelBlocked, audit.ResultOK, nil)
}

// endAccess ends every session of the customer but keep (none if empty) and retires the customer's login codes
// not yet used, in tx: what a block, a closed channel and every password replacement do, in the transaction that
// makes the change, so no session or login started before it outlives it.
//
// The customer's sessions are those it acts in for itself and those in which it acts for a business as one of its
// users (business.go); a business's users' sessions are theirs, not the business's.
func (s *Service) endAccess(ctx context.Context, tx *db.Tx, customerID, keep string) error {
	now := db.Micros(s.Clock.Now())
	if _, err := tx.Exec(ctx, `UPDATE sessions SET ended_at = ? WHERE ((customer_id = ? AND user_id IS NULL) OR user_id = ?)
		AND id <> ? AND ended_at IS NULL`, now, customerID, customerID, keep); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE login_challenges SET used_at = ? WHERE customer_id = ? AND purpose = ? AND used_at IS NULL",
		now, customerID, PurposeLogin)
	return err
}

// lockCredential locks the customer's credentials row in tx and returns refusal's answer for it.
func (s *Service) lockCredential(ctx context.Context, tx *db.Tx, customerID string) error {
	var blocked, closed int
	err := tx.QueryRow(ctx, "SELECT blocked, channel_closed FROM credentials WHERE customer_id = ?"+tx.DB().ForUpdate(),
		customerID).Scan(&blocked, &closed)
	switch {
	case err != nil:
		return err
	case closed != 0:
		return ErrChannelClosed
	case blocked != 0:
		return ErrChannelBlocked
	}
	return nil
}

// ReserveFactor counts an attempt at a factor of the customer (a device signature, a Soft PIN code, a payment
// code) before the caller checks it, so concurrent wrong attempts never get past the lockout as FailFactor after
// the check lets them. It answers channel_closed or channel_blocked for a refused channel and login_failed for a
// customer without credentials. Every reservation that succeeded must be ended by SettleFactor.
//
// In a business user's session (WithSession) acting for customerID, the attempt is the person's.
func (s *Service) ReserveFactor(ctx context.Context, customerID string) error {
	err := s.reserve(ctx, Actor(ctx, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return ErrLoginFailed
	}
	return err
}

// SettleFactor ends an attempt ReserveFactor counted. A right factor gives its place back (nil); a wrong one stays
// counted and answers login_failed, or channel_blocked when it reached the limit (the channel is then blocked, its
// sessions ended and its login codes retired).
func (s *Service) SettleFactor(ctx context.Context, customerID string, right bool) error {
	customerID = Actor(ctx, customerID)
	if right {
		return s.release(ctx, customerID)
	}
	return s.settle(ctx, customerID, ActionFactorFailed)
}
