// Package sca is the strong customer authentication of payments (PSD2 RTS): which payments need the customer's
// confirmation (the exemption policy, in one place) and the confirmation itself, bound to the payment's amount
// and payee (dynamic linking, RTS Art. 5). It owns the challenges, the trusted beneficiaries and the count of
// low-value payments made without confirmation.
//
// A challenge can be answered four ways: the SMS code it sent, a signature by the customer's trusted device, a
// Soft PIN response (RFC 6287 OCRA) from that device, or a passkey assertion in the web. Each proves the same
// message, which names the challenge and the payment's binding; so a code, signature or assertion confirms that
// one payment, as it was when the challenge was made, once.
package sca

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sealed"
)

// Payment is what a customer confirms: one transfer, named by its id, with its amount and both parties.
type Payment struct {
	TransferID string
	CustomerID string
	Own        bool // between the customer's own accounts
	FromIBAN   string
	ToIBAN     string
	PayeeName  string // as shown to the payer (masked)
	Amount     money.Amount
	// TrustPayee asks that the payee become a trusted beneficiary once this payment is confirmed. It is part of
	// the binding, so a confirmation made without it cannot add the payee.
	TrustPayee bool
	// DeviceOnly is a payment only a trusted device or a passkey may confirm (an international payment, T6): its
	// challenge sends no SMS code and offers none.
	DeviceOnly bool
	// Purchase is an online card purchase the holder approves (3-D Secure) rather than a transfer: PayeeName is
	// the merchant, FromIBAN the card's masked number, ToIBAN empty. Its binding names the merchant too, and its
	// SMS speaks of a purchase.
	Purchase bool
}

// Binding is the SHA-256 of everything that identifies the payment: changing the amount, the currency, either
// account, the transfer or the request to trust the payee makes a different binding, and a proof made for one
// binding proves nothing else.
func Binding(p Payment) [32]byte {
	var b strings.Builder
	if p.Purchase {
		// Another domain, so no purchase's binding can equal a transfer's; the merchant is what the holder approves.
		b.WriteString("kumbara-card-purchase-v1")
		b.WriteByte(0)
		b.WriteString(p.PayeeName)
	} else {
		b.WriteString("kumbara-payment-v1")
	}
	trust := "pay"
	if p.TrustPayee {
		trust = "pay+trust"
	}
	for _, f := range []string{p.TransferID, p.CustomerID, p.FromIBAN, p.ToIBAN,
		strconv.FormatInt(p.Amount.Minor, 10), string(p.Amount.Currency), trust} {
		b.WriteByte(0)
		b.WriteString(f)
	}
	return sha256.Sum256([]byte(b.String()))
}

// Message is what a device signs, and what the Soft PIN question and the passkey challenge are digests of: the
// challenge id (so a proof is good for one challenge) and the payment's binding.
func Message(challengeID string, binding [32]byte) []byte {
	return []byte("kumbara-payment-v1:" + challengeID + ":" + hex.EncodeToString(binding[:]))
}

// Digest is the SHA-256 of Message: the WebAuthn challenge of a passkey confirmation, and, in hex, the OCRA
// question (suite OCRA-1:HOTP-SHA256-8:QH64) a Soft PIN answers.
func Digest(challengeID string, binding [32]byte) [32]byte {
	return sha256.Sum256(Message(challengeID, binding))
}

// Rate is how many units of a currency one euro is worth, as the fraction Num/Den (97.50 ALL is 9750/100). Every
// currency the bank keeps has two minor units, so the same fraction converts minor units to euro cents.
type Rate struct{ Num, Den int64 }

// ParseRate reads a rate like "97.50" (units of the currency per euro).
func ParseRate(s string) (Rate, error) {
	a, err := money.ParsePositive(s, money.EUR) // two decimals: the rate in hundredths
	if err != nil {
		return Rate{}, err
	}
	return Rate{Num: a.Minor, Den: 100}, nil
}

// Config is the policy's numbers. Defaults are RTS Art. 16's and the bank's.
type Config struct {
	ChallengeValidity time.Duration // an SMS code, 2 minutes
	MaxAttempts       int           // wrong codes per challenge, 5
	ChallengesPerHour int           // payment SMS per customer per hour
	LowValueEURCents  int64         // a payment of at most 30 EUR may be exempt
	CumulativeCents   int64         // ... while the exempt ones since the last confirmation stay within 100 EUR
	CumulativeCount   int           // ... and 5 payments
	// EURRates gives, per currency other than EUR, how many units one euro is worth; a currency without a rate
	// is never exempt by value. They are reference rates for the threshold only: no money is converted with them.
	EURRates map[money.Currency]Rate
	// TrustedCacheFor is how long a customer's trusted beneficiaries are remembered without a read; removing
	// one takes effect at once on the instance that removes it and within this on others.
	TrustedCacheFor time.Duration
}

// DefaultConfig is the bank's policy. The reference rates are close to the Bank of Albania's of late 2026 and
// are meant to be replaced by configuration (--eur-rates).
func DefaultConfig() Config {
	return Config{ChallengeValidity: 2 * time.Minute, MaxAttempts: 5, ChallengesPerHour: 30,
		LowValueEURCents: 3000, CumulativeCents: 10000, CumulativeCount: 5, TrustedCacheFor: time.Second,
		EURRates: map[money.Currency]Rate{
			money.ALL: {9750, 100}, money.USD: {108, 100}, money.GBP: {84, 100}, money.CHF: {94, 100},
			money.AUD: {165, 100}, money.CAD: {150, 100},
		}}
}

// DeviceVerifier checks proofs made by a customer's trusted device (package device).
type DeviceVerifier interface {
	// VerifySignature checks an ECDSA P-256 signature (ASN.1) over SHA-256(msg) by the customer's active
	// trusted device deviceID. A wrong signature counts towards the channel's lockout.
	VerifySignature(ctx context.Context, customerID, deviceID string, msg, sig []byte) error
	// VerifySoftPINResponse checks an OCRA-1:HOTP-SHA256-8:QH64 response to question (hex) computed with the
	// device's Soft PIN secret. A wrong response counts towards the channel's lockout.
	VerifySoftPINResponse(ctx context.Context, customerID, deviceID, question, response string) error
}

// PasskeyVerifier checks a passkey assertion (package passkey).
type PasskeyVerifier interface {
	// FinishConfirmation verifies a WebAuthn assertion made in the ceremony ceremonyID over exactly challenge.
	FinishConfirmation(ctx context.Context, customerID, ceremonyID string, challenge []byte, responseJSON []byte) error
}

// Notifier is told that a committed transaction queued messages, so they go out now rather than at the
// dispatcher's next poll (outbox.Dispatcher is one).
type Notifier interface{ Kick() }

// Counter is the channel's lockout (auth.Service): an attempt at a payment code is counted before the code is
// checked (ReserveFactor), so concurrent guesses cannot all be checked before the block lands, and settled after
// (SettleFactor: a right code gives its place back, a wrong one keeps it and may block the channel).
type Counter interface {
	ReserveFactor(ctx context.Context, customerID string) error
	SettleFactor(ctx context.Context, customerID string, right bool) error
}

// Service decides and confirms payments.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Config Config
	// Key keys the HMAC of the SMS codes; derive it with DeriveKey from the bank's secret.
	Key      []byte
	Failures Counter
	Devices  DeviceVerifier  // nil: device methods are not offered
	Passkeys PasskeyVerifier // nil: passkeys are not offered
	// Outbox, if set, is told after a transaction that queued an SMS commits, to wake the dispatcher.
	Outbox Notifier
	// Texts is the catalogue the payment code's SMS comes from, in the customer's language.
	Texts *i18n.Catalogue

	trustMu sync.Mutex
	trusted map[string]trustedSet // by customer
}

// DeriveKey derives the payment-code key from the bank's secret, independent of the other keys made from it.
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, "kumbara payment confirmation v1")
}

func (s *Service) mac(challengeID string, binding [32]byte, code string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write(Message(challengeID, binding))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}
