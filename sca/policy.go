package sca

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
)

// Reasons a payment needs no confirmation (RTS Art. 13, 15 and 16).
const (
	ExemptOwn      = "own_accounts"
	ExemptTrusted  = "trusted_beneficiary"
	ExemptLowValue = "low_value"
)

// Exemption is the policy's answer for one payment. Reason is "" when the payment must be confirmed.
type Exemption struct {
	Reason   string
	eurCents int64 // counted against the low-value allowance
}

// Exempt reports whether p may go without confirmation: between the customer's own accounts; to a trusted
// beneficiary; or of low value (at most 30 EUR, and with it the low-value payments since the customer's last
// confirmation stay within 100 EUR and 5 payments). A low-value exemption is counted at once, under the
// customer's row lock, so concurrent payments cannot together exceed the allowance; Release gives it back when
// the payment is then not made.
func (s *Service) Exempt(ctx context.Context, p Payment) (Exemption, error) {
	if p.Own {
		return Exemption{Reason: ExemptOwn}, nil
	}
	trusted, err := s.isTrusted(ctx, p.CustomerID, p.ToIBAN)
	if err != nil {
		return Exemption{}, err
	}
	if trusted {
		return Exemption{Reason: ExemptTrusted}, nil
	}
	if p.TrustPayee {
		// Trusting a payee needs strong authentication of its own (RTS Art. 13): this payment is confirmed.
		return Exemption{}, nil
	}
	cents, ok := s.eurCents(p.Amount)
	if !ok || cents > s.Config.LowValueEURCents {
		return Exemption{}, nil
	}
	if 1 > s.Config.CumulativeCount || cents > s.Config.CumulativeCents {
		return Exemption{}, nil
	}
	// One statement counts the payment if it stays within the allowance: it makes the row on the customer's
	// first low-value payment, and otherwise adds to it only while the sums allow, under the row's lock, so
	// payments at once on any instance cannot together pass the allowance. No row changed: not granted.
	res, err := s.DB.Exec(ctx, `INSERT INTO sca_exemptions (customer_id, payments, eur_cents, since) VALUES (?, 1, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET payments = sca_exemptions.payments + 1,
			eur_cents = sca_exemptions.eur_cents + excluded.eur_cents
		WHERE sca_exemptions.payments + 1 <= ? AND sca_exemptions.eur_cents + excluded.eur_cents <= ?`,
		p.CustomerID, cents, db.Micros(s.Clock.Now()), s.Config.CumulativeCount, s.Config.CumulativeCents)
	if err != nil {
		return Exemption{}, fmt.Errorf("low-value exemption: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Exemption{}, fmt.Errorf("low-value exemption: %w", err)
	}
	granted := n > 0
	if !granted {
		return Exemption{}, nil
	}
	return Exemption{Reason: ExemptLowValue, eurCents: cents}, nil
}

// Release returns a low-value exemption's share of the allowance when its payment was refused or was a repeat.
func (s *Service) Release(ctx context.Context, customerID string, e Exemption) error {
	if e.Reason != ExemptLowValue {
		return nil
	}
	_, err := s.DB.Exec(ctx, `UPDATE sca_exemptions SET payments = payments - 1, eur_cents = eur_cents - ?
		WHERE customer_id = ? AND payments > 0 AND eur_cents >= ?`, e.eurCents, customerID, e.eurCents)
	if err != nil {
		return fmt.Errorf("release exemption: %w", err)
	}
	return nil
}

// restart begins a new low-value allowance: the customer has just confirmed a payment.
func (s *Service) restart(ctx context.Context, tx *db.Tx, customerID string, now time.Time) error {
	_, err := tx.Exec(ctx, "UPDATE sca_exemptions SET payments = 0, eur_cents = 0, since = ? WHERE customer_id = ?",
		db.Micros(now), customerID)
	return err
}

// eurCents is the amount's value in euro cents at the reference rate, rounded up so a payment never counts for
// less than it is worth. ok is false for a currency without a reference rate.
func (s *Service) eurCents(a money.Amount) (int64, bool) {
	if a.Currency == money.EUR {
		return a.Minor, true
	}
	r, ok := s.Config.EURRates[a.Currency]
	if !ok || r.Num <= 0 || r.Den <= 0 {
		return 0, false
	}
	v := new(big.Int).Mul(big.NewInt(a.Minor), big.NewInt(r.Den))
	num := big.NewInt(r.Num)
	q, m := new(big.Int).QuoRem(v, num, new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// Beneficiary is a payee the customer trusts.
type Beneficiary struct {
	IBAN      string
	Name      string
	CreatedAt time.Time
}

type trustedSet struct {
	ibans   map[string]bool
	fetched time.Time
}

func (s *Service) isTrusted(ctx context.Context, customerID, iban string) (bool, error) {
	now := s.Clock.Now()
	s.trustMu.Lock()
	c, ok := s.trusted[customerID]
	s.trustMu.Unlock()
	if ok && now.Sub(c.fetched) < s.Config.TrustedCacheFor && !now.Before(c.fetched) {
		return c.ibans[iban], nil
	}
	list, err := s.Trusted(ctx, customerID)
	if err != nil {
		return false, err
	}
	set := trustedSet{ibans: map[string]bool{}, fetched: now}
	for _, b := range list {
		set.ibans[b.IBAN] = true
	}
	if s.Config.TrustedCacheFor > 0 {
		s.trustMu.Lock()
		if s.trusted == nil || len(s.trusted) >= 100000 {
			s.trusted = map[string]trustedSet{}
		}
		s.trusted[customerID] = set
		s.trustMu.Unlock()
	}
	return set.ibans[iban], nil
}

func (s *Service) forgetTrusted(customerID string) {
	s.trustMu.Lock()
	delete(s.trusted, customerID)
	s.trustMu.Unlock()
}

// Trusted lists the customer's trusted beneficiaries, oldest first.
func (s *Service) Trusted(ctx context.Context, customerID string) ([]Beneficiary, error) {
	rows, err := s.DB.Query(ctx, `SELECT iban, name, created_at FROM trusted_beneficiaries WHERE customer_id = ?
		ORDER BY created_at, iban`, customerID)
	if err != nil {
		return nil, fmt.Errorf("trusted beneficiaries: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (Beneficiary, error) {
		var b Beneficiary
		var created int64
		err := r.Scan(&b.IBAN, &b.Name, &created)
		b.CreatedAt = db.FromMicros(created)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("trusted beneficiaries: %w", err)
	}
	return out, nil
}

// MaxTrusted is how many beneficiaries one customer may trust.
const MaxTrusted = 50

// trust adds a beneficiary inside the transaction that confirms a payment to it: only a confirmed payment makes
// a beneficiary trusted (RTS Art. 13 asks for strong authentication to create or change the list).
func (s *Service) trust(ctx context.Context, tx *db.Tx, customerID, iban, name string, now time.Time) error {
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM trusted_beneficiaries WHERE customer_id = ?", customerID).Scan(&n); err != nil {
		return err
	}
	if n >= MaxTrusted {
		return ErrTrustedBeneficiaryLimit
	}
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM trusted_beneficiaries WHERE customer_id = ? AND iban = ?", customerID, iban).Scan(&one)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO trusted_beneficiaries (customer_id, iban, name, created_at) VALUES (?, ?, ?, ?)",
		customerID, iban, name, db.Micros(now))
	return err
}

// Untrust removes a trusted beneficiary; payments to it need confirmation again, at once on this instance.
func (s *Service) Untrust(ctx context.Context, customerID, iban string) error {
	defer s.forgetTrusted(customerID)
	res, err := s.DB.Exec(ctx, "DELETE FROM trusted_beneficiaries WHERE customer_id = ? AND iban = ?", customerID, iban)
	if err != nil {
		return fmt.Errorf("untrust beneficiary: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrBeneficiaryNotFound
	}
	return nil
}
