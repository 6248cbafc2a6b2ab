// Package uniquecode keeps the unique codes branch staff issue (FEATURES R1, R2, A10): a customer who cannot prove
// who they are with a card proves it with a code handed over at the branch, to register for digital banking or to
// recover a forgotten password. A code is random, single use and short-lived; it is shown to staff once, stored
// only as a keyed hash, and never becomes a password — the flows that redeem it go on to an SMS code and let the
// customer choose their own password.
//
// The flows use Redeem: find the customer (client number or national ID), then Redeem(ctx, customer.ID, purpose,
// typed). A nil error proves the customer holds the newest code staff issued them for that purpose, and the code
// is spent; any error is a *kumbara.Error (this package's are in errors.go) whose code the API returns as it is.
package uniquecode

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/sealed"
	"github.com/kumbara/kumbara/text"
)

// Purpose is what a code may be used for. A code of one purpose never serves the other: a code given for
// registration must not reset the password of an already registered customer.
type Purpose string

const (
	Registration Purpose = "registration"
	Recovery     Purpose = "recovery"
)

// Valid reports whether p is a purpose codes are issued for.
func (p Purpose) Valid() bool { return p == Registration || p == Recovery }

const (
	// Alphabet is what codes are drawn from: upper-case letters and digits less those easily confused in print or
	// handwriting (0 O Q, 1 I L, 2 Z, 5 S, 6 G, 8 B), so a code copied from paper or read aloud is typed right.
	Alphabet = "ACDEFHJKMNPRTUVWXY3479"
	// Length is the number of characters in a code: 22^10 ≈ 2.7·10^13 (44 bits). With MaxAttempts guesses per
	// code before it is revoked, the chance of guessing a live code is about 2·10^-13.
	Length = 10
	// DefaultValidity and DefaultMaxAttempts apply when the Service leaves them zero.
	DefaultValidity    = 24 * time.Hour
	DefaultMaxAttempts = 5
	// keyLabel is the HKDF label of the code key. It is part of the stored hashes' format: changing it makes every
	// outstanding code wrong (harmless — they live a day — but staff would have to issue them again).
	keyLabel = "kumbara unique code v1"
)

// Service issues and redeems unique codes. Key is the HMAC key of the stored codes (use DeriveKey on the bank's
// secret); Validity is how long a code lives (DefaultValidity if zero); MaxAttempts is how many wrong codes revoke
// the customer's live code (DefaultMaxAttempts if zero).
type Service struct {
	DB          *db.DB
	Clock       clock.Clock
	Key         []byte
	Validity    time.Duration
	MaxAttempts int
}

// DeriveKey derives the unique-code key from the bank's secret with HKDF-SHA256 under a label of its own, like the
// card keys: the same secret keys one-time codes and cards, and a distinct label keeps this key independent of them.
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, keyLabel)
}

func (s *Service) validity() time.Duration {
	if s.Validity > 0 {
		return s.Validity
	}
	return DefaultValidity
}

func (s *Service) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (s *Service) checkKey() error {
	if len(s.Key) < 32 {
		return errors.New("uniquecode: key missing or too short (use DeriveKey)")
	}
	return nil
}

// mac is the stored form of a code. The row id works as a per-row salt that needs no column of its own (it is a
// fresh UUIDv7): the same code on two rows has two hashes, and a precomputed table over all 2.7·10^13 codes would
// be needed per row even by someone holding the key. Customer and purpose are mixed in too, so a hash copied onto
// another customer's row, or from a recovery row to a registration row, matches nothing there. A fast keyed hash
// rather than argon2 because what protects a code is the key (outside the database) and the try counter; the
// code space is too small for a slow hash to matter to someone who also has the key.
func (s *Service) mac(id, customerID string, p Purpose, code string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(id + "\x00" + customerID + "\x00" + string(p) + "\x00" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// Normalize turns what a customer typed into the canonical form of a code: upper case, with spaces and dashes
// (codes are printed in two groups of five) left out. It reports false if the result cannot be a code, which
// tells a typo from a wrong code without looking anything up.
func Normalize(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		switch r {
		case ' ', '\t', '-', '\u00a0', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			continue // spaces and every dash a phone keyboard or a copy from a document may produce
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	code := b.String()
	if len(code) != Length {
		return "", false
	}
	for i := range len(code) {
		if strings.IndexByte(Alphabet, code[i]) < 0 {
			return "", false
		}
	}
	return code, true
}

// Format groups a code in two halves ("ACDEF-HJKMN") for reading aloud and typing; Normalize ignores the dash.
func Format(code string) string {
	if len(code) != Length {
		return code
	}
	return code[:Length/2] + "-" + code[Length/2:]
}

// newCode draws a code uniformly from Alphabet. Bytes at or above the largest multiple of len(Alphabet) are
// rejected, or the first few characters would come up more often than the rest.
func newCode(r io.Reader) (string, error) {
	const limit = 256 - 256%len(Alphabet)
	out := make([]byte, 0, Length)
	buf := make([]byte, 2*Length)
	for len(out) < Length {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < Length {
				out = append(out, Alphabet[int(b)%len(Alphabet)])
			}
		}
	}
	return string(out), nil
}

// Issue issues a code for the customer and purpose and returns it with its expiry (UTC). The code is returned
// this once — it is stored only as a keyed hash — so the caller shows it to staff and must never log it. Any
// older unused code of the customer for the same purpose is revoked: only the newest code staff handed over works.
// issuedBy is the staff member's id, or "cli" for the command line.
func (s *Service) Issue(ctx context.Context, customerID string, purpose Purpose, issuedBy string) (string, time.Time, error) {
	if err := s.checkKey(); err != nil {
		return "", time.Time{}, err
	}
	var fields []kumbara.FieldError
	if strings.TrimSpace(customerID) == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("customer_id"))
	}
	if !purpose.Valid() {
		fields = append(fields, kumbara.ErrInvalid.At("purpose"))
	}
	if strings.TrimSpace(issuedBy) == "" || !text.Storable(issuedBy) {
		fields = append(fields, kumbara.ErrFieldRequired.At("issued_by"))
	}
	if len(fields) > 0 {
		return "", time.Time{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if !text.Storable(customerID) {
		return "", time.Time{}, customer.ErrNotFound
	}
	code, err := newCode(rand.Reader)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("issue unique code: %w", err)
	}
	now := s.Clock.Now().UTC()
	expires := now.Add(s.validity())
	id := uuid.Must(uuid.NewV7()).String()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// The customer's row lock serialises issues for one customer, so two staff issuing at once cannot both
		// leave a live code behind; it also answers an unknown customer before the insert's foreign key would.
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		// Lock the codes being revoked in id order, the order Redeem locks them in, so the two cannot deadlock.
		rows, err := tx.Query(ctx, `SELECT id FROM unique_codes WHERE customer_id = ? AND purpose = ?
			AND used_at IS NULL AND revoked_at IS NULL ORDER BY id`+tx.DB().ForUpdate(), customerID, string(purpose))
		if err != nil {
			return err
		}
		live, err := db.Collect(rows, db.ScanString)
		if err != nil {
			return err
		}
		for _, old := range live {
			if _, err := tx.Exec(ctx, "UPDATE unique_codes SET revoked_at = ? WHERE id = ?", db.Micros(now), old); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO unique_codes (id, customer_id, purpose, code_hash, attempts, expires_at,
			used_at, revoked_at, issued_by, created_at) VALUES (?, ?, ?, ?, 0, ?, NULL, NULL, ?, ?)`,
			id, customerID, string(purpose), s.mac(id, customerID, purpose, code), db.Micros(expires), issuedBy,
			db.Micros(now))
		if err != nil {
			return err
		}
		// The code itself never: the entry names the row, whose hash is all the bank keeps of it.
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: ActionIssued, CustomerID: customerID, After: audit.State(issuedState{ID: id, Purpose: purpose,
				ExpiresAt: expires, Revoked: len(live)}), Result: audit.ResultOK}))
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return "", time.Time{}, err
		}
		return "", time.Time{}, fmt.Errorf("issue unique code: %w", err)
	}
	return code, expires, nil
}

// stored is one row of unique_codes as Redeem needs it.
type stored struct {
	id        string
	hash      string
	attempts  int
	expiresAt int64
	used      bool
	revoked   bool
}

func scanStored(r db.Scanner) (stored, error) {
	var c stored
	err := r.Scan(&c.id, &c.hash, &c.attempts, &c.expiresAt, &c.used, &c.revoked)
	return c, err
}

// Redeem spends a code the customer typed for the purpose. Typing is forgiving: case, spaces and dashes do not
// matter; something that cannot be a code at all is validation_failed and costs no try. Otherwise:
//   - the customer's code, live: it is marked used and Redeem returns nil — only once, however many redeem at once;
//   - a code already used: unique_code_used; expired (later than its validity): unique_code_expired; revoked
//     after too many wrong tries: unique_code_blocked; replaced by a newer code: unique_code_invalid;
//   - anything else (a wrong code, another customer's, another purpose's): unique_code_invalid, and a wrong try is
//     counted on the customer's newest live code for the purpose; the MaxAttempts-th revokes it and answers
//     unique_code_blocked, so guessing stops there and staff must issue a new code.
//
// All of it is one transaction with the customer's code rows locked, so parallel tries cannot slip past the
// counter or spend a code twice.
func (s *Service) Redeem(ctx context.Context, customerID string, purpose Purpose, typed string) error {
	if err := s.checkKey(); err != nil {
		return err
	}
	if !purpose.Valid() {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("purpose"))
	}
	if strings.TrimSpace(typed) == "" {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("code"))
	}
	code, ok := Normalize(typed)
	if !ok {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("code"))
	}
	if strings.TrimSpace(customerID) == "" || !text.Storable(customerID) {
		// The flows look the customer up first; an id that cannot exist has no code.
		return ErrInvalid
	}
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		outcome = nil // InTx may run fn again after a serialization failure
		now := s.Clock.Now().UTC()
		// Every code of the customer for the purpose, not only live ones, so a used or expired code is told apart
		// from a wrong one. A customer is issued a handful of codes in their lifetime, so there are few rows.
		rows, err := tx.Query(ctx, `SELECT id, code_hash, attempts, expires_at, used_at IS NOT NULL,
			revoked_at IS NOT NULL FROM unique_codes WHERE customer_id = ? AND purpose = ? ORDER BY id`+
			tx.DB().ForUpdate(), customerID, string(purpose))
		if err != nil {
			return err
		}
		codes, err := db.Collect(rows, scanStored)
		if err != nil {
			return err
		}

		var match *stored
		newestLive := -1
		for i := range codes {
			c := &codes[i]
			// Constant-time comparison, and every row compared: the time taken says nothing about how much of a
			// hash matched.
			if subtle.ConstantTimeCompare([]byte(s.mac(c.id, customerID, purpose, code)), []byte(c.hash)) == 1 {
				match = c
			}
			if !c.used && !c.revoked && db.Micros(now) <= c.expiresAt {
				newestLive = i // ids are UUIDv7 in ascending order: the last live one is the newest
			}
		}

		if match != nil {
			switch {
			case match.used:
				outcome = ErrUsed
			case match.revoked && match.attempts >= s.maxAttempts():
				outcome = ErrBlocked
			case match.revoked:
				outcome = ErrInvalid // replaced by a newer code
			case db.Micros(now) > match.expiresAt:
				outcome = ErrExpired
			case match.attempts >= s.maxAttempts():
				outcome = ErrBlocked // the limit was lowered since the tries were counted
			default:
				_, err := tx.Exec(ctx, "UPDATE unique_codes SET used_at = ? WHERE id = ?", db.Micros(now), match.id)
				return err
			}
			return nil
		}

		outcome = ErrInvalid
		if newestLive < 0 {
			return nil
		}
		live := codes[newestLive]
		attempts := live.attempts + 1
		var revokedAt any // NULL until the limit
		if attempts >= s.maxAttempts() {
			revokedAt = db.Micros(now)
			outcome = ErrBlocked
		}
		// The wrong try is an answer, not a failure of the transaction: the count must be committed.
		_, err = tx.Exec(ctx, "UPDATE unique_codes SET attempts = ?, revoked_at = ? WHERE id = ?",
			attempts, revokedAt, live.id)
		return err
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return err
		}
		return fmt.Errorf("redeem unique code: %w", err)
	}
	return outcome
}
