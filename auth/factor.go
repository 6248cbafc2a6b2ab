package auth

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
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
		token, sess, err = s.openSession(ctx, tx, customerID, Full, now)
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
