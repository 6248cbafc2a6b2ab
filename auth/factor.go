package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/password"
)

// SoftPINChecker checks a Soft PIN code (A6) of one of the customer's trusted devices in the login code's
// transaction tx, and records its time step as used when it matches (device.SoftPINs). VerifyOTP consults it when
// the SMS code does not match, so a Soft PIN code is accepted instead of the SMS code in the app and on the web.
type SoftPINChecker interface {
	CheckSoftPIN(ctx context.Context, tx *db.Tx, customerID, code string) (bool, error)
}

// CompleteLogin completes a login whose password step passed with another proof than the SMS code: a trusted
// device signing the challenge (Smart OTP, A5). prove runs outside the challenge's transaction with the
// customer's id; a *kumbara.Error from it is a failed proof, counted like a wrong code (the challenge's tries and
// the channel's lockout) and answered otp_invalid (or channel_blocked at the limit); any other error is a fault
// and is returned as is. A right proof uses the challenge and opens a full session as VerifyOTP does.
func (s *Service) CompleteLogin(ctx context.Context, challengeID string, prove func(customerID string) error) (string, Session, error) {
	if !utf8.ValidString(challengeID) || strings.ContainsRune(challengeID, 0) || len(challengeID) > 64 {
		return "", Session{}, ErrOTPInvalid
	}
	now := s.Clock.Now()
	var customerID string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		customerID, _, err = s.lockedChallenge(ctx, tx, challengeID, PurposeLogin, now)
		return err
	})
	if err != nil {
		return "", Session{}, err
	}
	// Counted before the proof is checked, so concurrent wrong proofs never get past the lockout.
	if err := s.reserve(ctx, customerID); err != nil {
		return "", Session{}, err
	}
	if perr := prove(customerID); perr != nil {
		if _, ok := kumbara.As(perr); !ok {
			_ = s.release(ctx, customerID) // a fault, not a failed proof
			return "", Session{}, fmt.Errorf("complete login: %w", perr)
		}
		if _, err := s.DB.Exec(ctx, "UPDATE login_challenges SET attempts = attempts + 1 WHERE id = ?", challengeID); err != nil {
			_ = s.settle(ctx, customerID, ActionFactorFailed)
			return "", Session{}, fmt.Errorf("complete login: %w", err)
		}
		if err := s.settle(ctx, customerID, ActionFactorFailed); errors.Is(err, ErrChannelBlocked) {
			return "", Session{}, err
		}
		return "", Session{}, ErrOTPInvalid
	}
	var token string
	var sess Session
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Opened again under its lock: a completion racing this one, or a code typed meanwhile, used it first.
		cid, _, err := s.lockedChallenge(ctx, tx, challengeID, PurposeLogin, s.Clock.Now())
		if err != nil {
			return err
		}
		if cid != customerID {
			return ErrOTPInvalid
		}
		if _, err := tx.Exec(ctx, "UPDATE login_challenges SET used_at = ? WHERE id = ?", db.Micros(now), challengeID); err != nil {
			return err
		}
		token, sess, err = s.openLoginSession(ctx, tx, challengeID, customerID, now)
		return err
	})
	if err != nil {
		_ = s.release(ctx, customerID) // the proof was right; the login failed for another reason
		return "", Session{}, err
	}
	return token, sess, nil
}

// StartCode sends a login code by SMS to a customer identified by another factor than the password — a device
// not yet trusted that proved its key with biometrics (A3) — and returns the challenge, completed by VerifyOTP (or
// CompleteLogin) like the password step's. A closed (A16) or blocked (A14) channel is refused, and no SMS is sent.
func (s *Service) StartCode(ctx context.Context, customerID string) (Challenge, error) {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Challenge{}, err
	}
	return s.challenge(ctx, c, PurposeLogin, &loginStep{started: s.Clock.Now()})
}

// checkNew checks a new password of the customer against the bank's rules (A11) and the last five passwords.
func (s *Service) checkNew(ctx context.Context, customerID, pw string) (customer.Customer, error) {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return customer.Customer{}, err
	}
	pc, err := s.policyContext(ctx, c)
	if err != nil {
		return customer.Customer{}, fmt.Errorf("check new password: %w", err)
	}
	if err := password.Check(pw, pc); err != nil {
		return customer.Customer{}, err
	}
	return c, nil
}

// CheckNewPassword reports whether pw may become the customer's password (A11, and none of the last five),
// changing nothing: a caller about to spend a single-use proof checks the password first. SetPassword checks again.
func (s *Service) CheckNewPassword(ctx context.Context, customerID, pw string) error {
	_, err := s.checkNew(ctx, customerID, pw)
	return err
}

// ReplacePassword replaces the password of a logged-in customer who has proved it is them: with the old password
// (ChangePassword) or with a trusted device's signature (A12). The new password passes SetPassword's rules and the
// customer is told by SMS (A18); in the transaction that writes the password every other session of the customer
// ends and every login code not yet used is retired, and the current session stays and is no longer restricted to
// changing the password. In a business user's session the password is the person's (Session.Authenticator): the
// person's other sessions end, their own and those acting for any business, and the sessions of the business's
// other users stay.
func (s *Service) ReplacePassword(ctx context.Context, sess Session, newPW string) error {
	return s.setPassword(ctx, sess.Authenticator(), newPW, false, sess.ID, false)
}
