package device

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
)

// Purposes of a device challenge: a signature proves one thing only.
const (
	purposeLogin          = "login"
	purposePasswordChange = "password_change"
	purposeSoftPIN        = "soft_pin"
)

// PasswordChange is A12's second way to change the password: on a trusted device, the new password twice, with the
// device's signature (ASN.1 ECDSA over SHA-256) of a challenge from PasswordChallenge.
type PasswordChange struct {
	DeviceID    string
	ChallengeID string
	Signature   []byte
	New, Repeat string
}

// trustedCurrent returns the customer's device the request came from, which must be trusted.
func (s *Service) trustedCurrent(ctx context.Context, customerID, deviceID string, seen Seen) (Device, error) {
	d, err := s.Get(ctx, customerID, deviceID)
	if err != nil {
		return Device{}, err
	}
	if seen.DeviceID != d.ID {
		return Device{}, errNotCurrent()
	}
	if !d.Trusted {
		return Device{}, ErrNotTrusted
	}
	return d, nil
}

// PasswordChallenge starts a password change on a trusted device (A12): a fresh random challenge for the device to
// sign, valid ChallengeValidity, usable once and only to change the customer's password from this device. The
// device must be the customer's (device_not_found), trusted (device_not_trusted) and the one the request came from
// (device_not_current).
func (s *Service) PasswordChallenge(ctx context.Context, customerID, deviceID string, seen Seen) (Challenge, error) {
	d, err := s.trustedCurrent(ctx, customerID, deviceID, seen)
	if err != nil {
		return Challenge{}, err
	}
	return s.newChallenge(ctx, customerID, d.ID, purposePasswordChange)
}

// newChallenge stores a fresh random challenge for the customer's device d to sign, valid ChallengeValidity and
// usable once, for purpose only.
func (s *Service) newChallenge(ctx context.Context, customerID, deviceID, purpose string) (Challenge, error) {
	ch := Challenge{ID: uuid.Must(uuid.NewV7()).String(), Challenge: make([]byte, 32), ExpiresIn: s.Config.ChallengeValidity}
	if _, err := rand.Read(ch.Challenge); err != nil {
		return Challenge{}, err
	}
	now := s.Clock.Now()
	if _, err := s.DB.Exec(ctx, `INSERT INTO device_challenges (id, customer_id, device_id, challenge, expires_at,
		created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)`, ch.ID, customerID, deviceID,
		base64.StdEncoding.EncodeToString(ch.Challenge), db.Micros(now.Add(ch.ExpiresIn)), db.Micros(now),
		purpose); err != nil {
		return Challenge{}, fmt.Errorf("%s challenge: %w", purpose, err)
	}
	return ch, nil
}

// spendChallenge uses up the challenge id, which must have been made for purpose, the customer and the device,
// and be unused and in time (else device_challenge_invalid), and returns its bytes for the signature check.
func (s *Service) spendChallenge(ctx context.Context, id, purpose, customerID, deviceID string) ([]byte, error) {
	if !validID(id) {
		return nil, ErrChallengeInvalid
	}
	now := s.Clock.Now()
	var challenge string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var owner, dev, purp string
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT customer_id, device_id, challenge, expires_at, used_at, purpose
			FROM device_challenges WHERE id = ?`+tx.DB().ForUpdate(), id).Scan(&owner, &dev, &challenge, &expires,
			&used, &purp)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || now.After(db.FromMicros(expires)) ||
			purp != purpose || owner != customerID || dev != deviceID)) {
			return ErrChallengeInvalid
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE device_challenges SET used_at = ? WHERE id = ?", db.Micros(now), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	raw, _ := base64.StdEncoding.DecodeString(challenge)
	return raw, nil
}

// ChangePassword changes the password of the session's customer on a trusted device with just the new one twice
// (A12). The request must come from that device (device_not_current), which must be trusted; the two must match
// (password_mismatch) and pass the bank's rules (A11), both checked before the challenge is spent. The challenge
// must be one PasswordChallenge made for this customer and device, unused and in time (device_challenge_invalid);
// the attempt uses it up, right or wrong. A wrong signature counts towards the channel's lockout
// (signature_invalid, channel_blocked at the limit). Then the password changes as ChangePassword does with the old
// one: the customer is told by SMS and every other session ends.
func (s *Service) ChangePassword(ctx context.Context, sess auth.Session, p PasswordChange, seen Seen) error {
	d, err := s.trustedCurrent(ctx, sess.CustomerID, p.DeviceID, seen)
	if err != nil {
		return err
	}
	if p.New != p.Repeat {
		return ErrPasswordMismatch.Field("new_password_repeat")
	}
	if err := s.Auth.CheckNewPassword(ctx, sess.CustomerID, p.New); err != nil {
		return err
	}
	raw, err := s.spendChallenge(ctx, p.ChallengeID, purposePasswordChange, sess.CustomerID, d.ID)
	if err != nil {
		return err
	}
	if err := s.VerifySignature(ctx, sess.CustomerID, d.ID, raw, p.Signature); err != nil {
		return err
	}
	if err := s.Auth.ReplacePassword(ctx, sess, p.New); err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE devices SET last_action_at = ? WHERE id = ?", db.Micros(now), d.ID); err != nil {
			return err
		}
		return addActivity(ctx, tx, sess.CustomerID, d.ID, ActionPasswordChanged, now, seen.Location)
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}
