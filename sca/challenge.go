package sca

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
)

// Ways to answer a challenge.
const (
	MethodSMS     = "sms"
	MethodDevice  = "device_signature"
	MethodSoftPIN = "soft_pin"
	MethodPasskey = "passkey"
)

// Challenge asks the customer to confirm one payment.
type Challenge struct {
	ID          string
	Methods     []string
	MaskedPhone string
	ExpiresIn   time.Duration
	// Message is what a trusted device signs; Question, the OCRA question its Soft PIN answers; Digest, the
	// WebAuthn challenge of a passkey confirmation. All three are bound to the payment.
	Message  string
	Question string
	Digest   [32]byte
	// TrustPayee says that confirming also makes the payee a trusted beneficiary.
	TrustPayee bool
}

// Proof answers a challenge by one method.
type Proof struct {
	Method     string
	Code       string // sms
	DeviceID   string // device_signature, soft_pin
	Signature  []byte // device_signature
	Response   string // soft_pin
	CeremonyID string // passkey
	Assertion  []byte // passkey
}

// Issue makes a new challenge for p in tx, the transaction that records the payment, and queues the SMS that
// names the amount and the payee. An earlier challenge of the same payment stops working. At most
// ChallengesPerHour payment codes are sent to a customer in an hour.
func (s *Service) Issue(ctx context.Context, tx *db.Tx, p Payment, mobile string) (Challenge, error) {
	if mobile == "" {
		return Challenge{}, auth.ErrMobileMissing
	}
	now := s.Clock.Now()
	// Counted under the customer's row lock, so concurrent payments cannot together send more than the limit.
	if err := customer.Lock(ctx, tx, p.CustomerID); err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	var sent int
	var oldest sql.NullInt64
	if err := tx.QueryRow(ctx, "SELECT COUNT(*), MIN(created_at) FROM payment_challenges WHERE customer_id = ? AND created_at > ?",
		p.CustomerID, db.Micros(now.Add(-time.Hour))).Scan(&sent, &oldest); err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	if sent >= s.Config.ChallengesPerHour && !p.DeviceOnly {
		// The oldest code of the hour leaves the count first: that is when another may be sent.
		wait := db.FromMicros(oldest.Int64).Add(time.Hour).Sub(now)
		return Challenge{}, kumbara.ErrRateLimited.WithParam("retry_after", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	}
	if _, err := tx.Exec(ctx, `UPDATE payment_challenges SET revoked_at = ? WHERE transfer_id = ? AND used_at IS NULL
		AND revoked_at IS NULL`, db.Micros(now), p.TransferID); err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	// A new code for the same payment asks what the one it replaces asked: a request to trust the payee stays.
	var trusted int
	err := tx.QueryRow(ctx, `SELECT trust_payee FROM payment_challenges WHERE transfer_id = ? AND customer_id = ?
		ORDER BY created_at DESC LIMIT 1`, p.TransferID, p.CustomerID).Scan(&trusted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	p.TrustPayee = p.TrustPayee || trusted != 0
	id := uuid.Must(uuid.NewV7()).String()
	binding := Binding(p)
	code := newCode()
	if _, err := tx.Exec(ctx, `INSERT INTO payment_challenges (id, customer_id, transfer_id, binding, otp_hash,
		expires_at, created_at, trust_payee) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, p.CustomerID, p.TransferID,
		hex.EncodeToString(binding[:]), s.mac(id, binding, code), db.Micros(now.Add(s.Config.ChallengeValidity)),
		db.Micros(now), boolInt(p.TrustPayee)); err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	lang, err := customer.LanguageOf(ctx, tx, p.CustomerID)
	if err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	if p.DeviceOnly {
		// No code leaves the bank: the one kept is random and known to no one, so no SMS answer can match it.
		return s.describe(id, binding, "", p.TrustPayee, true), nil
	}
	if err := outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: "sms", Recipient: mobile,
		Body: s.smsText(lang, p, code)}); err != nil {
		return Challenge{}, fmt.Errorf("payment challenge: %w", err)
	}
	return s.describe(id, binding, kyc.MaskPhone(mobile), p.TrustPayee, false), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Service) describe(id string, binding [32]byte, maskedPhone string, trust, deviceOnly bool) Challenge {
	digest := Digest(id, binding)
	methods := []string{MethodSMS}
	if deviceOnly {
		methods = nil
	}
	if s.Devices != nil {
		methods = append(methods, MethodDevice, MethodSoftPIN)
	}
	if s.Passkeys != nil {
		methods = append(methods, MethodPasskey)
	}
	return Challenge{ID: id, Methods: methods, MaskedPhone: maskedPhone, ExpiresIn: s.Config.ChallengeValidity,
		Message: string(Message(id, binding)), Question: hex.EncodeToString(digest[:]), Digest: digest, TrustPayee: trust}
}

// smsText names what the code confirms, in the customer's language with the amount as it writes amounts, so the
// customer sees the amount and the payee before typing it, and a customer who did not make the payment can tell.
func (s *Service) smsText(lang i18n.Lang, p Payment, code string) string {
	if p.Purchase {
		return s.Texts.Message(lang, TextPurchaseCode, map[string]string{"code": code, "merchant": p.PayeeName,
			"amount": i18n.FormatAmount(p.Amount.Minor, string(p.Amount.Currency), lang), "card": p.FromIBAN})
	}
	params := map[string]string{"code": code, "amount": i18n.FormatAmount(p.Amount.Minor, string(p.Amount.Currency), lang),
		"payee": p.PayeeName, "iban": p.ToIBAN}
	if p.TrustPayee {
		params["trust"] = "1"
	}
	return s.Texts.Message(lang, TextPaymentCode, params)
}

func newCode() string {
	v, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		panic(err) // the system's randomness failing is not something to carry on from
	}
	return fmt.Sprintf("%06d", v)
}

type openChallenge struct {
	id      string
	binding string
	hash    string
	trust   bool
	sum     [32]byte // the binding, as verified
}

// current locks the payment's live challenge in tx and refuses one that was used, ran out of tries or expired.
func (s *Service) current(ctx context.Context, tx *db.Tx, p Payment, now time.Time) (openChallenge, error) {
	var c openChallenge
	var attempts int
	var expires int64
	var used sql.NullInt64
	var trust int
	err := tx.QueryRow(ctx, `SELECT id, binding, otp_hash, attempts, expires_at, used_at, trust_payee
		FROM payment_challenges WHERE transfer_id = ? AND customer_id = ? AND revoked_at IS NULL
		ORDER BY created_at DESC LIMIT 1`+tx.DB().ForUpdate(), p.TransferID, p.CustomerID).
		Scan(&c.id, &c.binding, &c.hash, &attempts, &expires, &used, &trust)
	c.trust = trust != 0
	if errors.Is(err, sql.ErrNoRows) {
		// auth's challenge_not_found, answered as not found rather than unauthorised (kumbara.Error.WithKind): the
		// payment's challenge is asked for in a live session, and a 401 would tell the app that the session ended.
		return c, auth.ErrChallengeNotFound.WithKind(kumbara.KindNotFound)
	}
	if err != nil {
		return c, err
	}
	switch {
	case used.Valid:
		return c, auth.ErrOTPUsed
	case attempts >= s.Config.MaxAttempts:
		return c, auth.ErrOTPTooManyAttempts
	case now.After(db.FromMicros(expires)):
		return c, auth.ErrOTPExpired
	}
	p.TrustPayee = c.trust // what the customer was asked to confirm, as the challenge recorded it
	binding := Binding(p)
	if subtle.ConstantTimeCompare([]byte(c.binding), []byte(hex.EncodeToString(binding[:]))) != 1 {
		// The payment is not what the challenge was made for: nothing made for it may confirm this.
		return c, ErrConfirmationMismatch
	}
	c.sum = binding
	return c, nil
}

// Confirm checks proof against the payment's live challenge and, if it holds, marks the challenge used, restarts
// the low-value allowance, trusts the payee if the challenge asked it, and runs apply, all in one transaction: the
// caller records the payment as confirmed there. A wrong SMS code costs one of the challenge's tries; every wrong
// proof counts towards the channel's lockout (RTS Art. 4: at most 5 failed attempts).
func (s *Service) Confirm(ctx context.Context, p Payment, proof Proof, apply func(tx *db.Tx) error) error {
	switch proof.Method {
	case MethodSMS:
		if len(proof.Code) == 0 || len(proof.Code) > 16 {
			return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("code"))
		}
	case MethodDevice, MethodSoftPIN:
		if s.Devices == nil {
			return ErrMethodUnavailable
		}
		if err := s.verifyDevice(ctx, p, proof); err != nil {
			return err
		}
	case MethodPasskey:
		if s.Passkeys == nil {
			return ErrMethodUnavailable
		}
		if err := s.verifyPasskey(ctx, p, proof); err != nil {
			return err
		}
	default:
		return kumbara.ErrValidationFailed.WithFields(ErrMethodInvalid.At("method"))
	}
	if proof.Method == MethodSMS {
		// The code is a guess like a password: counted before it is checked (the device and passkey checks count
		// their own attempts the same way).
		if err := s.Failures.ReserveFactor(ctx, p.CustomerID); err != nil {
			return err
		}
	}
	now := s.Clock.Now()
	wrong, trusted := false, false
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		wrong, trusted = false, false
		c, err := s.current(ctx, tx, p, now)
		if err != nil {
			return err
		}
		if proof.Method == MethodSMS &&
			subtle.ConstantTimeCompare([]byte(s.mac(c.id, c.sum, proof.Code)), []byte(c.hash)) != 1 {
			wrong = true
			_, err := tx.Exec(ctx, "UPDATE payment_challenges SET attempts = attempts + 1 WHERE id = ?", c.id)
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE payment_challenges SET used_at = ? WHERE id = ?", db.Micros(now), c.id); err != nil {
			return err
		}
		if err := s.restart(ctx, tx, p.CustomerID, now); err != nil {
			return err
		}
		trusted = c.trust && !p.Own
		if trusted {
			if err := s.trust(ctx, tx, p.CustomerID, p.ToIBAN, p.PayeeName, now); err != nil {
				return err
			}
		}
		return apply(tx)
	})
	if proof.Method == MethodSMS {
		// Only a wrong code keeps its place: an expired or used challenge, or a changed payment, was no guess.
		if serr := s.Failures.SettleFactor(context.WithoutCancel(ctx), p.CustomerID, !wrong); serr != nil {
			if errors.Is(serr, auth.ErrChannelBlocked) || kumbara.KindOf(serr) == kumbara.KindInternal {
				return serr
			}
			if err == nil {
				return auth.ErrOTPInvalid
			}
		}
	}
	if err != nil {
		return err
	}
	if wrong {
		return auth.ErrOTPInvalid
	}
	if trusted {
		s.forgetTrusted(p.CustomerID)
	}
	return nil
}

// live reads the payment's live challenge without keeping a lock, for the methods whose check is made elsewhere
// before the challenge is used.
func (s *Service) live(ctx context.Context, p Payment) (openChallenge, error) {
	var c openChallenge
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		c, err = s.current(ctx, tx, p, s.Clock.Now())
		return err
	})
	return c, err
}

func (s *Service) verifyDevice(ctx context.Context, p Payment, proof Proof) error {
	if proof.DeviceID == "" || len(proof.DeviceID) > 64 {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("device_id"))
	}
	c, err := s.live(ctx, p)
	if err != nil {
		return err
	}
	binding := c.sum
	if proof.Method == MethodDevice {
		if len(proof.Signature) == 0 || len(proof.Signature) > 256 {
			return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("signature"))
		}
		return s.Devices.VerifySignature(ctx, p.CustomerID, proof.DeviceID, Message(c.id, binding), proof.Signature)
	}
	if len(proof.Response) == 0 || len(proof.Response) > 16 {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("response"))
	}
	digest := Digest(c.id, binding)
	return s.Devices.VerifySoftPINResponse(ctx, p.CustomerID, proof.DeviceID, hex.EncodeToString(digest[:]), proof.Response)
}

func (s *Service) verifyPasskey(ctx context.Context, p Payment, proof Proof) error {
	if proof.CeremonyID == "" || len(proof.Assertion) == 0 {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("assertion"))
	}
	c, err := s.live(ctx, p)
	if err != nil {
		return err
	}
	digest := Digest(c.id, c.sum)
	return s.Passkeys.FinishConfirmation(ctx, p.CustomerID, proof.CeremonyID, digest[:], proof.Assertion)
}

// Live describes the payment's live challenge again (for a page that shows it, or a device that asks), without
// sending anything.
func (s *Service) Live(ctx context.Context, p Payment, maskedPhone string) (Challenge, error) {
	c, err := s.live(ctx, p)
	if err != nil {
		return Challenge{}, err
	}
	if p.DeviceOnly {
		maskedPhone = ""
	}
	return s.describe(c.id, c.sum, maskedPhone, c.trust, p.DeviceOnly), nil
}
