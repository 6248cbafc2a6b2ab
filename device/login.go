package device

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
)

// Challenge is what a device signs to log in with its biometrics.
type Challenge struct {
	ID        string
	Challenge []byte // random, 32 bytes
	ExpiresIn time.Duration
}

// LoginResult is the answer to a biometric login: a session on a trusted device (A4), or an SMS code step on a
// device that is registered but not trusted (A3: biometrics + OTP).
type LoginResult struct {
	Token   string
	Session auth.Session
	Code    *auth.Challenge
}

// LoginChallenge starts a biometric login: a fresh random challenge for the device to sign, valid ChallengeValidity
// and usable once. An unknown user or device gets a challenge too, which no signature will satisfy, so this step
// says nothing about who or what exists.
func (s *Service) LoginChallenge(ctx context.Context, username, deviceID string) (Challenge, error) {
	customerID, devID := "", ""
	if len(username) <= 64 && utf8.ValidString(username) && !strings.ContainsRune(username, 0) && validID(deviceID) {
		c, err := s.Customers.ByUsername(ctx, username)
		switch {
		case err == nil:
			if d, err := s.Get(ctx, c.ID, deviceID); err == nil {
				customerID, devID = c.ID, d.ID
			} else if !errors.Is(err, ErrNotFound) {
				return Challenge{}, err
			}
		case !errors.Is(err, customer.ErrNotFound):
			return Challenge{}, err
		}
	}
	ch := Challenge{ID: uuid.Must(uuid.NewV7()).String(), Challenge: make([]byte, 32), ExpiresIn: s.Config.ChallengeValidity}
	if _, err := rand.Read(ch.Challenge); err != nil {
		return Challenge{}, err
	}
	now := s.Clock.Now()
	// Challenges are asked for without logging in, so old ones are cleared as new ones come (a used or expired
	// challenge is refused whether its row is there or not).
	if _, err := s.DB.Exec(ctx, "DELETE FROM device_challenges WHERE expires_at < ?",
		db.Micros(now.Add(-time.Hour))); err != nil {
		return Challenge{}, fmt.Errorf("device challenge: %w", err)
	}
	if _, err := s.DB.Exec(ctx, `INSERT INTO device_challenges (id, customer_id, device_id, challenge, expires_at,
		created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)`, ch.ID, customerID, devID,
		base64.StdEncoding.EncodeToString(ch.Challenge), db.Micros(now.Add(ch.ExpiresIn)), db.Micros(now),
		purposeLogin); err != nil {
		return Challenge{}, fmt.Errorf("device challenge: %w", err)
	}
	return ch, nil
}

// Login completes a biometric login with the device's signature over the challenge (ASN.1 ECDSA over SHA-256 of
// the challenge's bytes). The challenge is used up by the attempt, right or wrong; a used, expired or unknown
// challenge, or one made for another purpose than logging in, is device_challenge_invalid. An unknown user or device and a wrong signature answer login_failed
// alike; a wrong signature counts towards the channel's lockout, counted before the signature is checked. A
// blocked or closed channel is channel_blocked or channel_closed, before any signature is checked. A trusted device gets a full session (A4); a
// registered device that is not trusted gets the SMS code step (A3), completed like the password step's.
func (s *Service) Login(ctx context.Context, challengeID string, sig []byte, seen Seen) (LoginResult, error) {
	if !validID(challengeID) {
		return LoginResult{}, ErrChallengeInvalid
	}
	now := s.Clock.Now()
	var customerID, deviceID, challenge string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var expires int64
		var used sql.NullInt64
		var purpose string
		err := tx.QueryRow(ctx, `SELECT customer_id, device_id, challenge, expires_at, used_at, purpose
			FROM device_challenges WHERE id = ?`+tx.DB().ForUpdate(), challengeID).Scan(&customerID, &deviceID,
			&challenge, &expires, &used, &purpose)
		// A challenge made to change the password (A12) never logs in.
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || now.After(db.FromMicros(expires)) ||
			purpose != purposeLogin)) {
			return ErrChallengeInvalid
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE device_challenges SET used_at = ? WHERE id = ?", db.Micros(now), challengeID)
		return err
	})
	if err != nil {
		return LoginResult{}, err
	}
	if customerID == "" {
		return LoginResult{}, auth.ErrLoginFailed
	}
	// The attempt is counted before the signature is checked (a blocked (A14) or closed (A16) channel is refused
	// there, before an SMS code is sent), so concurrent wrong signatures never get past the lockout.
	var d Device
	right, err := s.checkFactor(ctx, customerID, func() (bool, error) {
		var err error
		d, err = s.Get(ctx, customerID, deviceID)
		if errors.Is(err, ErrNotFound) {
			return false, auth.ErrLoginFailed // deactivated since the challenge was made: not counted
		}
		if err != nil {
			return false, err
		}
		raw, _ := base64.StdEncoding.DecodeString(challenge)
		return d.verify(raw, sig), nil
	})
	if err != nil {
		return LoginResult{}, err
	}
	if !right {
		return LoginResult{}, auth.ErrLoginFailed
	}
	if !d.Trusted {
		ch, err := s.Auth.StartCode(ctx, customerID)
		if err != nil {
			return LoginResult{}, err
		}
		return LoginResult{Code: &ch}, nil
	}
	token, sess, err := s.Auth.OpenSession(ctx, customerID, auth.Full)
	if err != nil {
		return LoginResult{}, err
	}
	seen.DeviceID = d.ID
	if _, err := s.RecordLogin(ctx, customerID, ActionBiometricLogin, seen); err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Token: token, Session: sess}, nil
}

// SmartOTP answers the code step of a login (after the password) with the signature of a trusted device that has
// Smart OTP on, over the login challenge's id (A5). A wrong signature, or a device that is not the customer's,
// trusted and Smart OTP-enabled, counts like a wrong code.
func (s *Service) SmartOTP(ctx context.Context, challengeID, deviceID string, sig []byte, seen Seen) (string, auth.Session, error) {
	token, sess, err := s.Auth.CompleteLogin(ctx, challengeID, func(customerID string) error {
		d, err := s.Get(ctx, customerID, deviceID)
		if err != nil {
			return err
		}
		if !d.Trusted || !d.SmartOTP {
			return ErrNotTrusted
		}
		if !d.verify([]byte(challengeID), sig) {
			return ErrSignatureInvalid
		}
		return nil
	})
	if err != nil {
		return "", auth.Session{}, err
	}
	seen.DeviceID = deviceID
	if _, err := s.RecordLogin(ctx, sess.CustomerID, ActionSmartOTPLogin, seen); err != nil {
		return "", auth.Session{}, err
	}
	return token, sess, nil
}
