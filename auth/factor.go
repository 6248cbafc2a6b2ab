package auth

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/password"
)

// SoftPINFunc checks a Soft PIN code (A6) of one of the customer's trusted devices in the login code's
// transaction tx, and records its time step as used when it matches. VerifyOTP consults it when the SMS code does
// not match, so a Soft PIN code is accepted instead of the SMS code in the app and on the web.
type SoftPINFunc func(ctx context.Context, tx *db.Tx, customerID, code string) (bool, error)

// CompleteLogin completes a login whose password step passed with another proof than the SMS code: a trusted
// device signing the challenge (Smart OTP, A5). prove runs outside the challenge's transaction with the
// customer's id; a *kumbara.Error from it is a failed proof, counted like a wrong code (the challenge's tries and
// the channel's lockout) and answered otp_invalid (or channel_blocked at the limit); any other error is a fault
// and is returned as is. A right proof uses the challenge and opens a full session as VerifyOTP does.
func (s *Service) CompleteLogin(ctx context.Context, challengeID string, prove func(customerID string) error) (string, Session, error) {
	if !utf8.ValidString(challengeID) || strings.ContainsRune(challengeID, 0) || len(challengeID) > 64 {
		return "", Session{}, &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "otp_invalid"}
	}
	now := s.Clock.Now()
	var customerID string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if customerID, _, err = s.openChallenge(ctx, tx, challengeID, PurposeLogin, now); err != nil {
			return err
		}
		if err := s.refusal(ctx, tx, customerID); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return "", Session{}, err
	}
	if perr := prove(customerID); perr != nil {
		if _, ok := kumbara.As(perr); !ok {
			return "", Session{}, fmt.Errorf("complete login: %w", perr)
		}
		if _, err := s.DB.Exec(ctx, "UPDATE login_challenges SET attempts = attempts + 1 WHERE id = ?", challengeID); err != nil {
			return "", Session{}, fmt.Errorf("complete login: %w", err)
		}
		if err := s.fail(ctx, customerID); kumbara.CodeOf(err) == "channel_blocked" {
			return "", Session{}, err
		}
		return "", Session{}, &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "otp_invalid"}
	}
	var token string
	var sess Session
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Opened again under its lock: a completion racing this one, or a code typed meanwhile, used it first.
		cid, _, err := s.openChallenge(ctx, tx, challengeID, PurposeLogin, s.Clock.Now())
		if err != nil {
			return err
		}
		if cid != customerID {
			return &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "otp_invalid"}
		}
		if err := s.refusal(ctx, tx, customerID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE login_challenges SET used_at = ? WHERE id = ?", ledger.Micros(now), challengeID); err != nil {
			return err
		}
		token, sess, err = s.openLoginSession(ctx, tx, challengeID, customerID, now)
		return err
	})
	if err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// StartCode sends a login code by SMS to a customer identified by another factor than the password — a device
// not yet trusted that proved its key with biometrics (A3) — and returns the challenge, completed by VerifyOTP (or
// CompleteLogin) like the password step's. A blocked channel is refused.
func (s *Service) StartCode(ctx context.Context, customerID string) (Challenge, error) {
	if blocked, err := s.Blocked(ctx, customerID); err != nil {
		return Challenge{}, err
	} else if blocked {
		return Challenge{}, errBlocked()
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Challenge{}, err
	}
	return s.challenge(ctx, c, PurposeLogin)
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
// customer is told by SMS (A18); every other session of the customer ends, and the current one stays and is no
// longer restricted to changing the password.
//
// In a business user's session the password is the person's (Session.Authenticator): the person's other sessions
// end, their own and those acting for any business, and the sessions of the business's other users stay.
func (s *Service) ReplacePassword(ctx context.Context, sess Session, newPW string) error {
	who := sess.Authenticator()
	if err := s.SetPassword(ctx, who, newPW, false); err != nil {
		return err
	}
	now := ledger.Micros(s.Clock.Now())
	defer s.forgetCustomer(who)
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sessions SET ended_at = ? WHERE ((customer_id = ? AND user_id IS NULL)
			OR user_id = ?) AND id <> ? AND ended_at IS NULL`, now, who, who, sess.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE sessions SET must_change = 0 WHERE id = ?", sess.ID)
		return err
	})
}
