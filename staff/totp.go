package staff

// The second factor: TOTP (RFC 6238) with HMAC-SHA1, 6 digits and 30-second steps, what every authenticator app
// reads from an otpauth:// URI. The secret is kept AES-256-GCM encrypted under a key of its own (DeriveKey), bound
// to the member's id; a code is accepted at the current step or one either side, and once: the step it was
// accepted at is kept, and no code of that step or an earlier one is accepted again.

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/sealed"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

const (
	totpPeriod = 30 // seconds a code lives
	totpSkew   = 1  // steps accepted either side of the current one, for a phone's clock a little off
	secretSize = 20 // bytes: RFC 4226's recommended 160 bits for HMAC-SHA1
	issuer     = "Kumbara"
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// labelTOTP is the HKDF label of the key that encrypts staff TOTP secrets; it is part of the stored format.
const labelTOTP = "kumbara staff totp v1"

// DeriveKey derives the key that encrypts staff TOTP secrets from the bank's secret (HKDF-SHA256 with its own
// label, so it is independent of every other key made from the same secret, customers' Soft PINs included).
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, labelTOTP)
}

// Enrolment is a member's TOTP secret as an authenticator app takes it: shown once, when the member is created or
// given a new secret, and never again.
type Enrolment struct {
	Secret string // base32, no padding
	URI    string // otpauth://totp/Kumbara:username?secret=…&issuer=Kumbara&algorithm=SHA1&digits=6&period=30
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newSecret makes a random TOTP secret, or reads the given base32 one (the demo's published secrets).
func newSecret(given string) ([]byte, error) {
	if given != "" {
		raw, err := b32.DecodeString(given)
		if err != nil || len(raw) < 10 {
			return nil, errors.New("staff: a given TOTP secret must be base32 of at least 80 bits")
		}
		return raw, nil
	}
	raw := make([]byte, secretSize)
	_, err := rand.Read(raw)
	return raw, err
}

func enrolment(username string, raw []byte) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: username, Period: totpPeriod,
		Secret: raw, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return Enrolment{}, fmt.Errorf("staff: totp: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URI: key.URL()}, nil
}

// Code computes the TOTP code of a base32 secret at a time, as the member's authenticator app does (tests, the
// demo).
func Code(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: totpPeriod, Digits: totpOpts.Digits,
		Algorithm: totpOpts.Algorithm})
}

// matchStep returns the step, within the skew of now and after the last one used, whose code is code; ok is false
// when there is none.
func matchStep(raw []byte, code string, now time.Time, lastUsed int64) (step int64, ok bool, err error) {
	if len(code) != 6 {
		return 0, false, nil
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return 0, false, nil
		}
	}
	secret := b32.EncodeToString(raw)
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= lastUsed {
			continue // used already, or older than the one used
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(step), totpOpts)
		if err != nil {
			return 0, false, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true, nil
		}
	}
	return 0, false, nil
}

// seal encrypts a TOTP secret bound to the member's id (a ciphertext copied to another member's row does not
// decrypt there).
func (s *Service) seal(staffID string, raw []byte) (string, error) {
	box, err := sealed.NewBox(s.Key)
	if err != nil {
		return "", fmt.Errorf("staff: TOTP key: %w", err)
	}
	return box.Seal(staffID, raw)
}

func (s *Service) open(staffID, value string) ([]byte, error) {
	box, err := sealed.NewBox(s.Key)
	if err != nil {
		return nil, fmt.Errorf("staff: TOTP key: %w", err)
	}
	secret, err := box.Open(staffID, value)
	if err != nil {
		return nil, fmt.Errorf("staff: stored TOTP secret: %w", err)
	}
	return secret, nil
}
