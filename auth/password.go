package auth

// Passwords: the A11 policy with the last five, setting and replacing a password (which ends the other sessions and
// retires logins in progress in the same transaction), the old-password check of a change.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
)

// policyContext is what the password rules need to know about the customer.
func (s *Service) policyContext(ctx context.Context, c customer.Customer) (password.Context, error) {
	pc := password.Context{BirthDate: c.BirthDate, Username: c.ClientNumber, FirstName: c.FirstName, LastName: c.LastName}
	rows, err := s.DB.Query(ctx, `SELECT password_hash FROM password_history WHERE customer_id = ?
		ORDER BY created_at DESC LIMIT 5`, c.ID)
	if err != nil {
		return pc, err
	}
	pc.Previous, err = db.Collect(rows, db.ScanString)
	return pc, err
}

// SetPassword sets a customer's password after checking the bank's rules (A11) and the last five passwords.
// mustChange marks a password staff set, which the customer must replace at first login. Replacing an existing
// password (registering again, staff setting one) ends every session of the customer and retires the login codes
// not yet used, in the same transaction.
func (s *Service) SetPassword(ctx context.Context, customerID, pw string, mustChange bool) error {
	return s.setPassword(ctx, customerID, pw, mustChange, "", false)
}

// setPassword is SetPassword keeping the session keep (if not empty) alive and no longer restricted to changing
// the password, and, if resetFailures, starting the count of failed factors again on a channel not blocked.
func (s *Service) setPassword(ctx context.Context, customerID, pw string, mustChange bool, keep string, resetFailures bool) error {
	return s.writePassword(ctx, customerID, pw, replacement{mustChange: mustChange, keep: keep, resetFailures: resetFailures})
}

// replacement is how a password is set besides the password itself (writePassword).
type replacement struct {
	mustChange    bool   // set by staff: to be changed at the next login
	keep          string // the session that stays (and is no longer restricted to changing the password), if any
	resetFailures bool   // the count of failed factors starts again on a channel not blocked
	// unblock lifts a blocked channel (not one the bank closed) and makes the client's address one of the
	// customer's own: a strong recovery (CompleteRecovery).
	unblock bool
}

// writePassword sets a customer's password as r says, in one transaction with everything that goes with it.
func (s *Service) writePassword(ctx context.Context, customerID, pw string, r replacement) error {
	mustChange, keep, resetFailures := r.mustChange, r.keep, r.resetFailures
	c, err := s.checkNew(ctx, customerID, pw)
	if err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(pw)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	at := s.Clock.Now()
	now := db.Micros(at)
	alerted, replaced := false, false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		alerted, replaced = false, false
		res, err := tx.Exec(ctx, `UPDATE credentials SET password_hash = ?, must_change = ?, password_changed_at = ?
			WHERE customer_id = ?`, hash, boolInt(mustChange), now, customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO credentials (customer_id, password_hash, must_change,
				password_changed_at) VALUES (?, ?, ?, ?)`, customerID, hash, boolInt(mustChange), now); err != nil {
				return err
			}
		} else {
			// An existing password was replaced (by the customer or by staff): whoever held a session or a login
			// started with the old one is out, and the customer hears of it (A18).
			replaced = true
			if err := s.endAccess(ctx, tx, customerID, keep); err != nil {
				return err
			}
			if keep != "" {
				if _, err := tx.Exec(ctx, "UPDATE sessions SET must_change = 0 WHERE id = ? AND (customer_id = ? OR user_id = ?)",
					keep, customerID, customerID); err != nil {
					return err
				}
			}
			if r.unblock {
				if _, err := tx.Exec(ctx, `UPDATE credentials SET blocked = 0, blocked_at = NULL, failed_attempts = 0
					WHERE customer_id = ? AND channel_closed = 0`, customerID); err != nil {
					return err
				}
				if err := s.rememberAddress(ctx, tx, customerID, at); err != nil {
					return err
				}
			}
			if resetFailures {
				if _, err := tx.Exec(ctx, "UPDATE credentials SET failed_attempts = 0 WHERE customer_id = ? AND blocked = 0",
					customerID); err != nil {
					return err
				}
			}
			if c.Mobile != "" {
				if err := outbox.Enqueue(ctx, tx, at, outbox.Message{Channel: "sms", Recipient: c.Mobile,
					Body: s.Texts.Message(c.Language, TextPasswordChanged, nil)}); err != nil {
					return err
				}
				alerted = true
			}
		}
		if _, err := tx.Exec(ctx, "INSERT INTO password_history (customer_id, password_hash, created_at) VALUES (?, ?, ?)",
			customerID, hash, now); err != nil {
			return err
		}
		action := ActionPasswordSet
		if replaced {
			action = ActionPasswordChanged
		}
		e := auditEntry(ctx, customerID, action, audit.ResultOK, map[string]bool{"must_change": mustChange, "unblocked": r.unblock})
		if mustChange {
			// Set by the bank's staff, not by the customer: the member of staff the context names, or the bank's
			// command line without one. Recorded once, under the customer's own password actions, so their
			// activity shows the change whoever made it.
			e.Actor = audit.Acting(ctx, audit.System(ActorAdmin))
		}
		return audit.Append(ctx, tx, at, e)
	})
	if err == nil && replaced {
		s.forgetCustomer(customerID)
	}
	if err == nil && alerted {
		s.notify()
	}
	return err
}

// ChangePassword replaces the password of a logged-in customer, who proves it with the old one. Every other
// session of the customer ends; the current one stays and is no longer restricted to changing the password. The
// old password is counted towards the lockout before it is checked, as at login. In a business user's session it
// is the person's password.
func (s *Service) ChangePassword(ctx context.Context, sess Session, oldPW, newPW string) error {
	if err := s.checkOwnPassword(ctx, sess.Authenticator(), oldPW, "old_password"); err != nil {
		return err
	}
	return s.ReplacePassword(ctx, sess, newPW)
}

// checkOwnPassword checks the password of a customer who is logged in, counting the attempt before the check
// (reserve): a wrong one answers password_wrong on field, or channel_blocked when it reached the limit.
func (s *Service) checkOwnPassword(ctx context.Context, customerID, pw, field string) error {
	if err := s.reserve(ctx, customerID); errors.Is(err, sql.ErrNoRows) {
		return ErrLoginFailed
	} else if err != nil {
		return err
	}
	cred, err := s.credential(ctx, customerID)
	ok := false
	if err == nil && len(pw) <= 128 {
		ok, err = s.Hasher.Verify(cred.hash, pw)
	}
	if err != nil {
		_ = s.release(ctx, customerID)
		return fmt.Errorf("check password: %w", err)
	}
	if !ok {
		if err := s.settle(ctx, customerID, ActionPasswordWrong); !errors.Is(err, ErrLoginFailed) {
			return err // channel_blocked at the limit, or a fault counting the failure
		}
		return ErrPasswordWrong.Field(field)
	}
	return s.release(ctx, customerID)
}
