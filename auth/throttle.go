package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
)

// Throttling password guesses before they count. Five consecutive failures block the channel (A14), so whoever
// knows a client number could block its customer at will. The manual's five stay; two rules keep an outsider from
// spending them over and over:
//   - an address that failed against AddressTargets different users within AddressWindow is refused, whoever it
//     tries, until that many are no longer in the window (one password sprayed over many client numbers);
//   - a user who had StrangerFailures failures from addresses it never logged in from within StrangerWindow is
//     refused to every such address until they are no longer in the window; the addresses of its last
//     KnownAddresses full logins (and of a strong recovery) are its own and are not refused by this rule. With the
//     defaults the manual's five still block, and an outsider who blocked a customer gets no new five that day once
//     the customer has unblocked the channel with a strong recovery.
//
// A refused attempt answers login_throttled (429) with Retry-After before the password is checked or counted: it
// adds nothing to the failure count. Every failed password step with an address is recorded (login_failures: a
// wrong password, an unknown user, a blocked channel, a NIPT that does not fit), in the database, so both faces and
// all instances share the counts; an unknown user is recorded and refused exactly as a customer is, so the
// throttle tells nobody who exists. A step without an address (staff tools, tests of other rules) is not
// throttled.

// Throttle is the throttling of password guesses (Config.Throttle). A count of zero turns its rule off.
type Throttle struct {
	AddressTargets   int           // different users one address may fail against within AddressWindow: 20
	AddressWindow    time.Duration // 1 hour
	StrangerFailures int           // failures on one user from addresses it never logged in from, within StrangerWindow: 5
	StrangerWindow   time.Duration // 24 hours
	KnownAddresses   int           // addresses of a customer's last full logins that are its own: 10
}

// DefaultThrottle is the bank's throttling of password guesses.
func DefaultThrottle() Throttle {
	return Throttle{AddressTargets: 20, AddressWindow: time.Hour, StrangerFailures: 5, StrangerWindow: 24 * time.Hour,
		KnownAddresses: 10}
}

// guess is a password attempt the throttle admitted: the login_failures row that stands for it, which stays if the
// attempt fails and goes (forgive) if it proves right or a fault interrupts it. Empty when nothing is throttled.
type guess struct{ row string }

// keyed is an HMAC of v under the service's key: addresses and unknown usernames are identifiers of people, so
// they do not rest in clear.
func (s *Service) keyed(label, v string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(label + v))
	return hex.EncodeToString(m.Sum(nil))
}

// userTarget is the throttle's name for a username no customer has, read as customer.ByUsername reads one, so that
// its spellings count together as a customer's do: otherwise " 100000001" after "100000001" would be throttled
// for a customer and not for nobody, and say which exists.
func (s *Service) userTarget(username string) string {
	u := strings.TrimSpace(username)
	if n, err := kyc.ParseClientNumber(u); err == nil {
		u = string(n)
	} else if id, err := kyc.ParseNationalID(u); err == nil {
		u = id.String()
	}
	return "user:" + s.keyed("login-user:", u)
}

// admit throttles a password attempt on the customer (customerID, or "" for a username no customer has) from the
// client's address (WithClient). The attempt is recorded before the counts are read, as the lockout reserves a
// place before a factor is checked: of concurrent attempts each sees those recorded before it, so together they
// never get past a rule. A refused attempt's record is taken back and it answers login_throttled.
func (s *Service) admit(ctx context.Context, customerID, username string) (guess, error) {
	addr := clientOf(ctx).Address
	if addr == "" {
		return guess{}, nil
	}
	t := s.Config.Throttle
	now := s.Clock.Now()
	address := s.keyed("login-address:", addr)
	target := customerID
	if target == "" {
		target = s.userTarget(username)
	}
	stranger := true
	if customerID != "" {
		var one int
		err := s.DB.QueryRow(ctx, "SELECT 1 FROM login_addresses WHERE customer_id = ? AND address = ?",
			customerID, address).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return guess{}, fmt.Errorf("throttle: %w", err)
		}
		stranger = err != nil
	}
	g := guess{row: uuid.Must(uuid.NewV7()).String()}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Records older than both windows count for nothing any more.
		if _, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE at <= ?",
			db.Micros(now.Add(-max(t.AddressWindow, t.StrangerWindow)))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO login_failures (id, target, address, stranger, at) VALUES (?, ?, ?, ?, ?)",
			g.row, target, address, boolInt(stranger), db.Micros(now))
		return err
	})
	if err != nil {
		return guess{}, fmt.Errorf("throttle: %w", err)
	}
	wait, err := s.throttled(ctx, g.row, target, address, stranger, now)
	if err != nil || wait > 0 {
		s.forgive(ctx, g)
	}
	if err != nil {
		return guess{}, err
	}
	if wait > 0 {
		return guess{}, ErrLoginThrottled.WithParam("retry_after", retryAfter(wait))
	}
	return g, nil
}

// throttled reports how long the attempt recorded as row must wait under the rules (0: not at all). For each rule
// it finds the record whose leaving the window brings the count below the limit: the AddressTargets-th most
// recently failed user of the address, the StrangerFailures-th most recent stranger's failure on the user.
func (s *Service) throttled(ctx context.Context, row, target, address string, stranger bool, now time.Time) (time.Duration, error) {
	t := s.Config.Throttle
	var wait time.Duration
	free := func(window time.Duration, q string, args ...any) error {
		var at int64
		err := s.DB.QueryRow(ctx, q, args...).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("throttle: %w", err)
		}
		wait = max(wait, db.FromMicros(at).Add(window).Sub(now))
		return nil
	}
	if t.AddressTargets > 0 {
		if err := free(t.AddressWindow, `SELECT MAX(at) AS newest FROM login_failures WHERE address = ? AND at > ?
			AND id <> ? GROUP BY target ORDER BY newest DESC LIMIT 1 OFFSET ?`, address,
			db.Micros(now.Add(-t.AddressWindow)), row, t.AddressTargets-1); err != nil {
			return 0, err
		}
	}
	if stranger && t.StrangerFailures > 0 {
		if err := free(t.StrangerWindow, `SELECT at FROM login_failures WHERE target = ? AND stranger = 1 AND at > ?
			AND id <> ? ORDER BY at DESC LIMIT 1 OFFSET ?`, target, db.Micros(now.Add(-t.StrangerWindow)), row,
			t.StrangerFailures-1); err != nil {
			return 0, err
		}
	}
	return wait, nil
}

// forgive takes back the record of an attempt that was no failure (the password was right, or a fault interrupted
// the check). It runs even if ctx has ended, so a right password never stays counted.
func (s *Service) forgive(ctx context.Context, g guess) {
	if g.row == "" {
		return
	}
	_, _ = s.DB.Exec(context.WithoutCancel(ctx), "DELETE FROM login_failures WHERE id = ?", g.row)
}

// rememberAddress records the client's address (WithClient) as one of the customer's own, in tx: a full login or a
// strong recovery from there. Only the last KnownAddresses are kept.
func (s *Service) rememberAddress(ctx context.Context, tx *db.Tx, customerID string, now time.Time) error {
	addr, keep := clientOf(ctx).Address, s.Config.Throttle.KnownAddresses
	if addr == "" || keep <= 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO login_addresses (customer_id, address, last_login_at) VALUES (?, ?, ?)
		ON CONFLICT (customer_id, address) DO UPDATE SET last_login_at = excluded.last_login_at`,
		customerID, s.keyed("login-address:", addr), db.Micros(now)); err != nil {
		return fmt.Errorf("remember address: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM login_addresses WHERE customer_id = ? AND address NOT IN (SELECT address
		FROM login_addresses WHERE customer_id = ? ORDER BY last_login_at DESC, address LIMIT ?)`,
		customerID, customerID, keep); err != nil {
		return fmt.Errorf("remember address: %w", err)
	}
	return nil
}

// retryAfter is a wait as a refusal's retry_after parameter: whole seconds, rounded up so a client that comes back
// at the advertised second is let in, and at least one.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}
