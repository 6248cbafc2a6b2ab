package device

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ocra"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/sealed"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// Soft PIN codes (A6) are TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps, one step either side accepted.
const (
	softPINPeriod = 30
	softPINSkew   = 1
	secretSize    = 32 // bytes: also the HMAC-SHA256 key of payment responses (OCRA)
)

// softPINOpts are the TOTP parameters, for pquerna/otp.
var softPINOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// labelSoftPIN is the HKDF label of the Soft PIN secrets' key; it is part of the stored format (see card/keys.go).
const labelSoftPIN = "kumbara device soft pin v1"

// DeriveKey derives the key that encrypts Soft PIN secrets from the bank's secret (HKDF-SHA256 with its own label,
// so it is independent of every other key made from the same secret).
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, labelSoftPIN)
}

// SoftPINs checks login codes against the Soft PINs of a customer's trusted devices (A6). It needs only the clock
// and the key of the stored secrets, not authentication, so auth.Service is given one (as its SoftPIN) before the
// device Service, which needs auth.Service, exists.
type SoftPINs struct {
	Clock clock.Clock
	// Key decrypts the Soft PIN secrets: DeriveKey of the bank's secret, the device Service's Key.
	Key []byte
}

func (s *Service) softPINs() SoftPINs { return SoftPINs{Clock: s.Clock, Key: s.Key} }

// seal encrypts a secret with AES-256-GCM, bound to the device id (a ciphertext copied to another device's row
// does not decrypt there).
func (p SoftPINs) seal(deviceID string, secret []byte) (string, error) {
	box, err := sealed.NewBox(p.Key)
	if err != nil {
		return "", fmt.Errorf("device: Soft PIN key: %w", err)
	}
	return box.Seal(deviceID, secret)
}

func (p SoftPINs) open(deviceID, value string) ([]byte, error) {
	box, err := sealed.NewBox(p.Key)
	if err != nil {
		return nil, fmt.Errorf("device: Soft PIN key: %w", err)
	}
	secret, err := box.Open(deviceID, value)
	if err != nil {
		return nil, fmt.Errorf("device: stored Soft PIN secret: %w", err)
	}
	return secret, nil
}

// SoftPIN is a freshly provisioned Soft PIN secret, shown once.
type SoftPIN struct {
	Secret    string // base32, no padding
	URI       string // otpauth://totp/…
	Digits    int
	Period    int
	Algorithm string
}

// SoftPINProof is what setting up a Soft PIN on a trusted device takes besides being asked from that device: the
// device's signature (ASN.1 ECDSA over SHA-256) of a challenge from SoftPINChallenge, and the customer's password.
type SoftPINProof struct {
	ChallengeID string
	Signature   []byte
	Password    string
}

// SoftPINChallenge starts setting up a Soft PIN (A6): a fresh random challenge for the device to sign, valid
// ChallengeValidity, usable once and only to set up a Soft PIN on this device. The device must be the customer's
// (device_not_found), the one the request came from (device_not_current) and trusted with Soft PIN on
// (device_not_trusted).
func (s *Service) SoftPINChallenge(ctx context.Context, customerID, deviceID string, seen Seen) (Challenge, error) {
	d, err := s.softPINDevice(ctx, customerID, deviceID, seen)
	if err != nil {
		return Challenge{}, err
	}
	return s.newChallenge(ctx, customerID, d.ID, purposeSoftPIN)
}

func (s *Service) softPINDevice(ctx context.Context, customerID, deviceID string, seen Seen) (Device, error) {
	d, err := s.trustedCurrent(ctx, customerID, deviceID, seen)
	if err != nil {
		return Device{}, err
	}
	if !d.SoftPIN {
		return Device{}, ErrNotTrusted
	}
	return d, nil
}

// ProvisionSoftPIN gives a trusted device a fresh Soft PIN secret (A6). Only the device itself may ask: the request
// must come from it (seen.DeviceID, else device_not_current), carry its key's signature of a challenge from
// SoftPINChallenge for this customer and device (unused and in time, else device_challenge_invalid; the attempt
// uses it up, right or wrong) and the customer's password. A wrong signature or password counts towards the
// channel's lockout (signature_invalid, password_wrong; channel_blocked at the limit). The secret is returned once;
// the server keeps it encrypted. Provisioning again replaces it, and codes of the old secret stop working at once.
// The customer is told by SMS (A18) in the same transaction.
func (s *Service) ProvisionSoftPIN(ctx context.Context, customerID, deviceID string, p SoftPINProof, seen Seen) (SoftPIN, error) {
	d, err := s.softPINDevice(ctx, customerID, deviceID, seen)
	if err != nil {
		return SoftPIN{}, err
	}
	challenge, err := s.spendChallenge(ctx, p.ChallengeID, purposeSoftPIN, customerID, d.ID)
	if err != nil {
		return SoftPIN{}, err
	}
	if err := s.VerifySignature(ctx, customerID, d.ID, challenge, p.Signature); err != nil {
		return SoftPIN{}, err
	}
	if err := s.Auth.CheckPassword(ctx, customerID, p.Password); err != nil {
		return SoftPIN{}, err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return SoftPIN{}, err
	}
	raw := make([]byte, secretSize)
	if _, err := rand.Read(raw); err != nil {
		return SoftPIN{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Kumbara", AccountName: c.ClientNumber, Period: softPINPeriod,
		Secret: raw, Digits: softPINOpts.Digits, Algorithm: softPINOpts.Algorithm})
	if err != nil {
		return SoftPIN{}, fmt.Errorf("soft pin: %w", err)
	}
	sealed, err := s.softPINs().seal(deviceID, raw)
	if err != nil {
		return SoftPIN{}, fmt.Errorf("soft pin: %w", err)
	}
	now := s.Clock.Now()
	queued := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		queued = false
		d, err := s.get(ctx, tx, customerID, deviceID)
		if err != nil {
			return err
		}
		if !d.Trusted || !d.SoftPIN {
			return ErrNotTrusted
		}
		// soft_pin_step stays: a new secret's codes for steps already used are refused too, which costs a customer
		// at most 30 seconds and keeps "a step is used once" simple.
		if _, err := tx.Exec(ctx, "UPDATE devices SET soft_pin_secret = ?, last_action_at = ? WHERE id = ?",
			sealed, db.Micros(now), deviceID); err != nil {
			return err
		}
		if err := addActivity(ctx, tx, customerID, deviceID, ActionSoftPIN, now, seen.Location); err != nil {
			return err
		}
		if c.Mobile == "" {
			return nil
		}
		queued = true
		return outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile,
			Body: s.Auth.Texts.Message(c.Language, TextSoftPIN, map[string]string{"device": noCodes(d.Name),
				"at": i18n.FormatDateTime(now, c.Language)})})
	})
	if err != nil {
		return SoftPIN{}, err
	}
	if queued {
		s.notify()
	}
	return SoftPIN{Secret: key.Secret(), URI: key.URL(), Digits: 6, Period: softPINPeriod, Algorithm: "SHA1"}, nil
}

// SoftPINCode computes the Soft PIN code of a base32 secret at a time, as the device does.
func SoftPINCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: softPINPeriod, Digits: softPINOpts.Digits,
		Algorithm: softPINOpts.Algorithm})
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// CheckSoftPIN is auth.Service's SoftPIN: it accepts a 6-digit code of any of the customer's trusted devices
// with a Soft PIN, at the current time step or one either side, once per step and device (a replayed code, or an
// older step after a newer one was used, is refused). It runs in the login code's transaction tx and records the
// step and the device's activity there.
func (p SoftPINs) CheckSoftPIN(ctx context.Context, tx *db.Tx, customerID, code string) (bool, error) {
	if len(code) != 6 {
		return false, nil
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false, nil
		}
	}
	rows, err := tx.Query(ctx, "SELECT "+deviceColumns+` FROM devices WHERE customer_id = ? AND trusted = 1
		AND soft_pin = 1 AND soft_pin_secret IS NOT NULL AND deactivated_at IS NULL ORDER BY id`+tx.DB().ForUpdate(), customerID)
	if err != nil {
		return false, err
	}
	devices, err := db.Collect(rows, scanDevice)
	if err != nil {
		return false, err
	}
	now := p.Clock.Now()
	current := now.Unix() / softPINPeriod
	for _, d := range devices {
		raw, err := p.open(d.ID, d.secret.String)
		if err != nil {
			return false, err
		}
		secret := b32.EncodeToString(raw)
		for step := current - softPINSkew; step <= current+softPINSkew; step++ {
			if step <= d.softPINStep {
				continue // used already
			}
			want, err := hotp.GenerateCodeCustom(secret, uint64(step), softPINOpts)
			if err != nil {
				return false, err
			}
			if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
				if _, err := tx.Exec(ctx, "UPDATE devices SET soft_pin_step = ?, last_action_at = ? WHERE id = ?",
					step, db.Micros(now), d.ID); err != nil {
					return false, err
				}
				return true, addActivity(ctx, tx, d.CustomerID, d.ID, ActionSoftPINLogin, now, "")
			}
		}
	}
	return false, nil
}

// VerifySoftPINResponse checks a payment confirmation computed with a trusted device's Soft PIN: the OCRA
// response (RFC 6287, suite ocra.PaymentSuite) to the hexadecimal question with the device's secret. The device
// must be the customer's, active and trusted with a Soft PIN (device_not_found, device_not_trusted,
// soft_pin_not_active); a wrong response counts towards the channel's lockout and is soft_pin_invalid
// (channel_blocked at the limit), counted before the response is compared, so a blocked or closed channel refuses
// even a right one (channel_blocked, channel_closed). The caller makes each question single use.
func (s *Service) VerifySoftPINResponse(ctx context.Context, customerID, deviceID, question, response string) error {
	d, err := s.Get(ctx, customerID, deviceID)
	if err != nil {
		return err
	}
	if !d.Trusted {
		return ErrNotTrusted
	}
	if !d.SoftPINReady {
		return ErrSoftPINNotActive
	}
	suite, err := ocra.Parse(ocra.PaymentSuite)
	if err != nil {
		return err
	}
	raw, err := s.softPINs().open(d.ID, d.secret.String)
	if err != nil {
		return err
	}
	want, err := suite.Compute(raw, ocra.Input{Question: question})
	if errors.Is(err, ocra.ErrQuestion) {
		return kumbara.ErrValidationFailed.WithFields(ErrSoftPINQuestionInvalid.At("question"))
	}
	if err != nil {
		return err
	}
	right, err := s.checkFactor(ctx, customerID, func() (bool, error) {
		return len(response) == len(want) && subtle.ConstantTimeCompare([]byte(want), []byte(response)) == 1, nil
	})
	if !right && (err == nil || errors.Is(err, auth.ErrLoginFailed)) {
		return ErrSoftPINInvalid
	}
	return err
}

// SoftPINResponse computes the OCRA response a device gives to a payment question with its base32 Soft PIN
// secret (for the app's reference and for tests).
func SoftPINResponse(secret, question string) (string, error) {
	raw, err := b32.DecodeString(secret)
	if err != nil {
		return "", err
	}
	suite, err := ocra.Parse(ocra.PaymentSuite)
	if err != nil {
		return "", err
	}
	return suite.Compute(raw, ocra.Input{Question: question})
}
