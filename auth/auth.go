// Package auth logs customers in (password, then a one-time code by SMS), keeps their sessions, and enforces the
// bank's password rules and lockout. Secrets never rest in clear: passwords are argon2id hashes, one-time codes
// HMACs, session tokens SHA-256 hashes.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
)

// Config holds the time and count rules of authentication. Defaults are the bank's (FEATURES A1, A13, A14) and
// PSD2 RTS Art. 4's.
type Config struct {
	OTPValidity       time.Duration // 2 minutes
	OTPMaxAttempts    int           // 5 tries of one code
	MaxFailures       int           // 5 consecutive failures block the channel
	IdleTimeout       time.Duration // 5 minutes
	SessionLifetime   time.Duration // absolute bound
	TouchEvery        time.Duration // how stale last_seen_at may get before it is written again
	ChallengesPerHour int           // SMS codes one customer may be sent per hour
	PasswordMaxAge    time.Duration // individuals: 60 days
	BusinessMaxAge    time.Duration // business users: 90 days
	SessionCacheFor   time.Duration // how long a session read is trusted without asking the database again
	Throttle          Throttle      // password guesses throttled before they count (throttle.go)
}

// DefaultConfig is the bank's policy.
func DefaultConfig() Config {
	return Config{OTPValidity: 2 * time.Minute, OTPMaxAttempts: 5, MaxFailures: 5, IdleTimeout: 5 * time.Minute,
		SessionLifetime: 12 * time.Hour, TouchEvery: 15 * time.Second, ChallengesPerHour: 10,
		PasswordMaxAge: 60 * 24 * time.Hour, BusinessMaxAge: 90 * 24 * time.Hour, SessionCacheFor: time.Second,
		Throttle: DefaultThrottle()}
}

// Hasher hashes and checks passwords: password.Default in production (password.Hasher with any parameters). Every
// refusal of a password step costs one Verify, whatever was wrong, and tests hold the login to that.
type Hasher interface {
	Hash(pw string) (string, error)
	Verify(encoded, pw string) (bool, error)
}

// Service is authentication.
type Service struct {
	DB        *db.DB
	Clock     clock.Clock
	Customers *customer.Service
	Hasher    Hasher
	Config    Config
	// Key is the secret the one-time codes are HMAC'd with (from configuration, at least 32 bytes).
	Key []byte
	// Outbox, if set, is told after a transaction that queued a message commits, to wake the dispatcher.
	Outbox Notifier
	// SoftPIN, if set, is asked about a login code that is not the SMS code: a trusted device's Soft PIN (A6).
	SoftPIN SoftPINChecker
	// Terms says who accepted the terms in force, for the session gate (Admit); it should remember a yes, which
	// every banking request asks.
	Terms TermsChecker
	// Texts is the catalogue every SMS comes from, in the customer's language.
	Texts *i18n.Catalogue

	dummyOnce sync.Once
	dummyHash string

	sessMu   sync.Mutex
	sessions map[string]cachedSession // by token hash
}

// Assurance levels of a session.
const (
	Partial = "partial"
	Full    = "full"
)

// Challenge is a login waiting for its one-time code.
type Challenge struct {
	ID          string
	Channel     string
	MaskedPhone string
	ExpiresIn   time.Duration
}

// Session is an authenticated customer.
type Session struct {
	ID         string
	CustomerID string
	Assurance  string
	MustChange bool
	ExpiresAt  time.Time
	// UserID is the person who authenticated when a business's user acts for the business (CustomerID); "" when
	// the customer acts for itself (business.go).
	UserID string
}

// Notifier is told that a committed transaction queued messages, so they go out now rather than at the
// dispatcher's next poll (outbox.Dispatcher is one).
type Notifier interface{ Kick() }

// firstLoginOnWeb is A16's "after reactivation, log in to the internet branch first": with the credential's
// web_login_required set, only the web may go on (the client in ctx, WithClient); anything else — the app, an
// integration, a step that did not say — is web_login_required. It runs once a factor is proved, so only someone
// who knows it hears of the reactivation.
func firstLoginOnWeb(ctx context.Context, required bool) error {
	if required && clientOf(ctx).channel() != ChannelWeb {
		return ErrWebLoginRequired
	}
	return nil
}

func (s *Service) notify() {
	if s.Outbox != nil {
		s.Outbox.Kick()
	}
}

// Login checks a client number or national ID with its password and, if right, sends a one-time code by SMS. A
// wrong password, an unknown user, a customer without credentials and a blocked channel all answer login_failed
// after the same work, so the answer never says which part was wrong, whether the user exists or whether their
// channel is blocked (A14; the customer hears of a block by SMS). A business logs in with LoginBusiness: here a
// business's client number fails like a wrong password. Attempts the throttle refuses answer login_throttled before
// anything is checked or counted (throttle.go).
func (s *Service) Login(ctx context.Context, username, pw string) (Challenge, error) {
	return s.LoginBusiness(ctx, username, "", pw)
}

// LoginBusiness is Login with the company's NIPT (A20, Z5): with a business's client number, its NIPT and the
// business's own password the business logs in for itself; with a representative's own client number (or national
// ID), the NIPT of the business they represent and their own password, the person logs in to act for the business
// (business.go), the code going to the person's mobile. A NIPT that fits neither answers login_failed like a wrong
// password, but it is no guess at the password: it does not count towards anyone's lockout.
func (s *Service) LoginBusiness(ctx context.Context, username, nipt, pw string) (Challenge, error) {
	c, hash, biz, g, err := s.checkPassword(ctx, username, nipt, pw)
	if err != nil {
		return Challenge{}, err
	}
	s.forgive(ctx, g)
	return s.challenge(ctx, c, PurposeLogin, &loginStep{hash: hash, started: s.Clock.Now(), business: biz})
}

// checkPassword is the first factor of every login: the customer named by username (and nipt, for a business),
// with a live credential whose channel is neither closed nor blocked, and the right password. It returns the
// password hash it checked, so the code's step can tell if the password changed meanwhile, the business a
// representative logs in to ("" for a customer logging in for itself), and the throttle's record of the attempt,
// which the caller forgives once the login goes on (a refusal after the password, such as partial login's, keeps
// it as a failure). The throttle comes first, so a refused attempt counts nowhere; then the attempt is counted
// before the password is checked (reserve), so concurrent guesses never get past the lockout.
func (s *Service) checkPassword(ctx context.Context, username, nipt, pw string) (customer.Customer, string, string, guess, error) {
	// Computed once: Login runs concurrently, and a plain lazy write would be a data race.
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.Hasher.Hash("not-a-password-0") })
	if len(username) > 64 || len(pw) > 128 || len(nipt) > 32 {
		return customer.Customer{}, "", "", guess{}, ErrLoginFailed
	}
	c, err := s.Customers.ByUsername(ctx, username)
	known := err == nil
	if !known && !errors.Is(err, customer.ErrNotFound) {
		return customer.Customer{}, "", "", guess{}, err
	}
	g, err := s.admit(ctx, c.ID, username)
	if err != nil {
		return customer.Customer{}, "", "", guess{}, err
	}
	hash, biz, err := s.passwordStep(ctx, c, known, nipt, pw)
	if err != nil {
		if !errors.Is(err, ErrLoginFailed) {
			s.forgive(ctx, g) // a closed channel or a fault is no failed guess
		}
		return customer.Customer{}, "", "", guess{}, err
	}
	return c, hash, biz, g, nil
}

// passwordStep is checkPassword's check of a customer known (or not) by the username. Every refusal an outsider
// could get is the same login_failed after one argon2 verification: an unknown user, no credentials, a NIPT that
// does not fit, a blocked channel, a wrong password — and the wrong password that blocks the channel, whose
// customer is told by SMS instead (block). Only a channel the bank closed (A16) is named.
func (s *Service) passwordStep(ctx context.Context, c customer.Customer, known bool, nipt, pw string) (string, string, error) {
	refuse := func() (string, string, error) {
		_, _ = s.Hasher.Verify(s.dummyHash, pw)
		return "", "", ErrLoginFailed
	}
	if !known {
		return refuse()
	}
	// The NIPT before the password: a NIPT that does not fit is no guess at the password, so it is not counted
	// against the person whose client number was typed (a representative's slip, or anyone's, would otherwise
	// bring their block nearer).
	biz, fits, err := s.businessFor(ctx, c, nipt)
	if err != nil {
		return "", "", err
	}
	if !fits {
		return refuse()
	}
	if err := s.reserve(ctx, c.ID); errors.Is(err, sql.ErrNoRows) || errors.Is(err, ErrChannelBlocked) {
		return refuse() // nothing is counted on a blocked channel, and nothing tells it from a wrong password
	} else if err != nil {
		return "", "", err // channel_closed
	}
	cred, err := s.credential(ctx, c.ID)
	ok := false
	if err == nil {
		ok, err = s.Hasher.Verify(cred.hash, pw)
	}
	if err == nil && ok && biz != "" {
		err = s.businessClosed(ctx, biz) // channel_closed for a business the bank closed
	}
	if err != nil {
		_ = s.release(ctx, c.ID)
		if _, domain := kumbara.As(err); domain {
			return "", "", err
		}
		return "", "", fmt.Errorf("login: %w", err)
	}
	if !ok {
		if err := s.settle(ctx, c.ID, ActionPasswordFailed); !errors.Is(err, ErrLoginFailed) && !errors.Is(err, ErrChannelBlocked) {
			return "", "", err
		}
		return "", "", ErrLoginFailed
	}
	if err := s.release(ctx, c.ID); err != nil {
		return "", "", err
	}
	return cred.hash, biz, nil
}

// niptMatches reports whether the NIPT given at login fits the customer: none for an individual, the company's
// own (any letter case, spaces around ignored) for a business.
func niptMatches(c customer.Customer, nipt string) bool {
	nipt = strings.TrimSpace(nipt)
	if c.Kind != customer.Business {
		return nipt == ""
	}
	n, err := kyc.ParseNIPT(nipt)
	return err == nil && c.NIPT != "" && subtle.ConstantTimeCompare([]byte(n.String()), []byte(c.NIPT)) == 1
}

type credential struct {
	hash       string
	mustChange bool
	changedAt  time.Time
	failures   int
	blocked    bool
	closed     bool
}

func (s *Service) credential(ctx context.Context, customerID string) (credential, error) {
	var cr credential
	var must, blocked, closed int
	var changed int64
	err := s.DB.QueryRow(ctx, `SELECT password_hash, must_change, password_changed_at, failed_attempts, blocked,
		channel_closed FROM credentials WHERE customer_id = ?`, customerID).Scan(&cr.hash, &must, &changed,
		&cr.failures, &blocked, &closed)
	cr.mustChange, cr.blocked, cr.closed, cr.changedAt = must != 0, blocked != 0, closed != 0, db.FromMicros(changed)
	return cr, err
}

// fail counts a failed login factor checked before it was counted (a device signature, a payment code) and
// blocks the channel at the limit.
func (s *Service) fail(ctx context.Context, customerID string) error {
	var blocked bool
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.lockCredential(ctx, tx, customerID); err != nil && kumbara.CodeOf(err) == "" {
			return err
		}
		var err error
		blocked, err = s.countFailure(ctx, tx, customerID, ActionFactorFailed, ErrLoginFailed.Code)
		return err
	})
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	if blocked {
		s.forgetCustomer(customerID)
		s.notify()
		return ErrChannelBlocked
	}
	return ErrLoginFailed
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Purposes of a one-time code. A code proves one thing only: a registration code cannot open a session, and a
// login code cannot set a password.
const (
	PurposeLogin        = "login"
	PurposeRegistration = "registration"
	PurposeRecovery     = "recovery"
)

// smsText is the message that carries a code, in the customer's language, naming what it is for so a customer who
// did not ask can tell, and telling that customer what to do (A18): someone who asked for a code knows the
// password, so change it.
func (s *Service) smsText(lang i18n.Lang, purpose, code string) string {
	key := TextLoginCode
	switch purpose {
	case PurposeRecovery:
		key = TextRecoveryCode
	case PurposeRegistration:
		key = TextRegistrationCode
	}
	return s.Texts.Message(lang, key, map[string]string{"code": code})
}

// SendCode sends a customer a one-time code by SMS for a purpose other than login (registration R1, password
// recovery A8–A10), with the same validity, tries and per-hour limit as login codes. The caller must have
// identified the customer first.
func (s *Service) SendCode(ctx context.Context, c customer.Customer, purpose string) (Challenge, error) {
	if purpose != PurposeRegistration && purpose != PurposeRecovery {
		return Challenge{}, fmt.Errorf("send code: unknown purpose %q", purpose)
	}
	return s.challenge(ctx, c, purpose, nil)
}

// loginStep is what a login code's challenge is sent after: the password hash the password step checked (empty
// when another factor identified the customer), the challenge a resend replaces (empty for the first), and when
// the chain's password step was taken.
type loginStep struct {
	hash    string
	from    string
	started time.Time
	// business is the business a representative's login acts for (business.go), "" for one's own.
	business string
}

// challenge sends a code for purpose. A login code (step non-nil) is sent only while the channel is open and not
// blocked, the password the step checked is still the customer's, and, for a resend, the challenge it replaces is
// unused and its chain less than ten minutes old — all checked under the credentials row's lock, which every
// password replacement and block takes before it retires the customer's login codes.
func (s *Service) challenge(ctx context.Context, c customer.Customer, purpose string, step *loginStep) (Challenge, error) {
	return s.sendChallenge(ctx, c, purpose, step, false)
}

// sendChallenge is challenge, marking a strong recovery's code if liftsBlock (SendRecoveryCode).
func (s *Service) sendChallenge(ctx context.Context, c customer.Customer, purpose string, step *loginStep, liftsBlock bool) (Challenge, error) {
	if c.Mobile == "" {
		return Challenge{}, ErrMobileMissing
	}
	now := s.Clock.Now()
	id := uuid.Must(uuid.NewV7()).String()
	code := newCode(6)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Count under the customer's row lock, in the transaction that adds the challenge: counted outside it,
		// concurrent logins all saw room and together sent more codes than the limit allows. The customers row,
		// not credentials, because a customer who registers has no credentials yet.
		if err := customer.Lock(ctx, tx, c.ID); err != nil {
			return err
		}
		var started, biz any
		if step != nil && step.business != "" {
			biz = step.business
		}
		if step != nil {
			if err := s.checkStep(ctx, tx, c.ID, step, now); err != nil {
				return err
			}
			started = db.Micros(step.started)
		}
		var sent int
		var oldest sql.NullInt64
		if err := tx.QueryRow(ctx, "SELECT COUNT(*), MIN(created_at) FROM login_challenges WHERE customer_id = ? AND created_at > ?",
			c.ID, db.Micros(now.Add(-time.Hour))).Scan(&sent, &oldest); err != nil {
			return err
		}
		if sent >= s.Config.ChallengesPerHour {
			// The oldest code of the hour leaves the count first: that is when another may be sent.
			return kumbara.ErrRateLimited.WithParam("retry_after", retryAfter(db.FromMicros(oldest.Int64).Add(time.Hour).Sub(now)))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_challenges (id, customer_id, otp_hash, expires_at, created_at,
			purpose, started_at, business_id, lifts_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.ID, s.mac(id, code),
			db.Micros(now.Add(s.Config.OTPValidity)), db.Micros(now), purpose, started, biz,
			boolInt(liftsBlock)); err != nil {
			return err
		}
		if err := record(ctx, tx, now, c.ID, codeAction(purpose), audit.ResultOK, nil); err != nil {
			return err
		}
		return outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: "sms", Recipient: c.Mobile,
			Body: s.smsText(c.Language, purpose, code)})
	})
	if err != nil {
		return Challenge{}, fmt.Errorf("login challenge: %w", err)
	}
	s.notify()
	return Challenge{ID: id, Channel: "sms", MaskedPhone: kyc.MaskPhone(c.Mobile), ExpiresIn: s.Config.OTPValidity}, nil
}

// resendWithin is how long after the password step a login's code may be sent again (A1).
const resendWithin = 10 * time.Minute

// checkStep is challenge's check of a login step, in tx.
func (s *Service) checkStep(ctx context.Context, tx *db.Tx, customerID string, step *loginStep, now time.Time) error {
	var hash string
	var blocked, closed, webFirst int
	err := tx.QueryRow(ctx, `SELECT password_hash, blocked, channel_closed, web_login_required FROM credentials
		WHERE customer_id = ?`+tx.DB().ForUpdate(), customerID).Scan(&hash, &blocked, &closed, &webFirst)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrLoginFailed
	case err != nil:
		return err
	case closed != 0:
		return ErrChannelClosed
	case blocked != 0:
		return ErrChannelBlocked
	case step.hash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(step.hash)) != 1:
		return ErrLoginFailed // the password changed while this one was being checked
	}
	if step.from == "" {
		// No code is sent to a login the session step would refuse.
		return firstLoginOnWeb(ctx, webFirst != 0)
	}
	var used sql.NullInt64
	var started int64
	err = tx.QueryRow(ctx, `SELECT used_at, COALESCE(started_at, created_at) FROM login_challenges WHERE id = ?
		AND customer_id = ? AND purpose = ?`+tx.DB().ForUpdate(), step.from, customerID, PurposeLogin).Scan(&used, &started)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || now.Sub(db.FromMicros(started)) > resendWithin)) {
		return ErrChallengeNotFound
	}
	if err != nil {
		return err
	}
	step.started = db.FromMicros(started)
	return firstLoginOnWeb(ctx, webFirst != 0)
}

// newCode draws an n-digit one-time code uniformly.
func newCode(n int) string {
	max := big.NewInt(1)
	for i := 0; i < n; i++ {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(err) // the system's randomness failing is not something to carry on from
	}
	return fmt.Sprintf("%0*d", n, v)
}

func (s *Service) mac(challengeID, code string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(challengeID + ":" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyOTP completes a login: the code must be the challenge's, unused, in time, and within its tries. It
// returns the bearer token of a new full-assurance session.
func (s *Service) VerifyOTP(ctx context.Context, challengeID, code string) (string, Session, error) {
	if !utf8.ValidString(challengeID) || strings.ContainsRune(challengeID, 0) {
		// No challenge has such an id, and PostgreSQL refuses to compare NUL bytes or invalid UTF-8 at all.
		return "", Session{}, ErrOTPInvalid
	}
	now := s.Clock.Now()
	var sess Session
	var token string
	wrong, blocked := false, false
	var customerID string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		wrong, blocked = false, false
		var hash string
		var err error
		// The wrong code is counted towards the channel's lockout in this transaction, under the credentials row's
		// lock taken before the code is checked: counted afterwards, concurrent wrong codes on several challenges
		// all found the channel open and together made more than five guesses.
		customerID, hash, err = s.lockedChallenge(ctx, tx, challengeID, PurposeLogin, now)
		if err != nil {
			return err
		}
		if len(code) > 16 || subtle.ConstantTimeCompare([]byte(s.mac(challengeID, code)), []byte(hash)) != 1 {
			softPIN := false
			if s.SoftPIN != nil && len(code) <= 16 {
				if softPIN, err = s.SoftPIN.CheckSoftPIN(ctx, tx, customerID, code); err != nil {
					return err
				}
			}
			if !softPIN {
				if _, err := tx.Exec(ctx, "UPDATE login_challenges SET attempts = attempts + 1 WHERE id = ?", challengeID); err != nil {
					return err
				}
				wrong = true
				blocked, err = s.countFailure(ctx, tx, customerID, ActionCodeFailed, ErrOTPInvalid.Code)
				return err
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE login_challenges SET used_at = ? WHERE id = ?", db.Micros(now), challengeID); err != nil {
			return err
		}
		token, sess, err = s.openLoginSession(ctx, tx, challengeID, customerID, now)
		return err
	})
	switch {
	case err != nil:
		return "", Session{}, err
	case blocked:
		s.forgetCustomer(customerID)
		s.notify()
		return "", Session{}, ErrChannelBlocked
	case wrong:
		return "", Session{}, ErrOTPInvalid
	}
	return token, sess, nil
}

// lockedChallenge opens a login challenge as openChallenge does, having first locked its customer's credentials
// row (credentials before challenges, the order password replacements and blocks take them in) and refused a
// closed or blocked channel.
func (s *Service) lockedChallenge(ctx context.Context, tx *db.Tx, challengeID, purpose string, now time.Time) (customerID, hash string, err error) {
	err = tx.QueryRow(ctx, "SELECT customer_id FROM login_challenges WHERE id = ? AND purpose = ?", challengeID, purpose).
		Scan(&customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrOTPInvalid
	}
	if err != nil {
		return "", "", err
	}
	if err := s.lockCredential(ctx, tx, customerID); err != nil {
		return "", "", err
	}
	return s.openChallenge(ctx, tx, challengeID, purpose, now)
}

// openChallenge locks a challenge of the purpose and refuses it if used, out of tries or expired. A challenge of
// another purpose is otp_invalid, as if it did not exist.
func (s *Service) openChallenge(ctx context.Context, tx *db.Tx, challengeID, purpose string, now time.Time) (customerID, hash string, err error) {
	var attempts int
	var expires int64
	var used sql.NullInt64
	err = tx.QueryRow(ctx, `SELECT customer_id, otp_hash, attempts, expires_at, used_at FROM login_challenges
		WHERE id = ? AND purpose = ?`+tx.DB().ForUpdate(), challengeID, purpose).
		Scan(&customerID, &hash, &attempts, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrOTPInvalid
	}
	if err != nil {
		return "", "", err
	}
	switch {
	case attempts >= s.Config.OTPMaxAttempts: // first: a block also retires the code its fifth wrong try exhausted
		return "", "", ErrOTPTooManyAttempts
	case used.Valid:
		return "", "", ErrOTPUsed
	case now.After(db.FromMicros(expires)):
		return "", "", ErrOTPExpired
	}
	return customerID, hash, nil
}

// RedeemCode checks a one-time code sent by SendCode (in time, unused, within its tries; a wrong one counts a
// try) and, if right, marks it used and runs apply with the customer's id. apply runs outside the code's
// transaction (it may need its own), and an error from it gives the code back: a registration whose password the
// policy refuses can be completed with a better one while the code is still valid.
func (s *Service) RedeemCode(ctx context.Context, challengeID, purpose, code string, apply func(customerID string) error) error {
	return s.redeem(ctx, challengeID, purpose, code, func(customerID string, _ bool) error { return apply(customerID) })
}

// redeem is RedeemCode telling apply whether the code was sent after a strong recovery's proof
// (SendRecoveryCode), which alone is accepted on a blocked channel.
func (s *Service) redeem(ctx context.Context, challengeID, purpose, code string, apply func(customerID string, liftsBlock bool) error) error {
	if !utf8.ValidString(challengeID) || strings.ContainsRune(challengeID, 0) || len(challengeID) > 64 {
		return ErrOTPInvalid
	}
	now := s.Clock.Now()
	var customerID string
	wrong, lifts := false, false
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var hash string
		var err error
		wrong = false
		customerID, hash, err = s.openChallenge(ctx, tx, challengeID, purpose, now)
		if err != nil {
			return err
		}
		var liftsBlock int
		if err := tx.QueryRow(ctx, "SELECT lifts_block FROM login_challenges WHERE id = ?", challengeID).
			Scan(&liftsBlock); err != nil {
			return err
		}
		lifts = liftsBlock != 0
		// Only staff reopen a closed channel (A16), and only a strong recovery lifts a block (A14). A customer
		// registering for the first time has no credentials row.
		err = s.refusal(ctx, tx, customerID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) && (!lifts || !errors.Is(err, ErrChannelBlocked)) {
			return err
		}
		if len(code) > 16 || subtle.ConstantTimeCompare([]byte(s.mac(challengeID, code)), []byte(hash)) != 1 {
			wrong = true
			_, err := tx.Exec(ctx, "UPDATE login_challenges SET attempts = attempts + 1 WHERE id = ?", challengeID)
			return err
		}
		// Used before apply runs, so a second completion racing this one finds it used.
		_, err = tx.Exec(ctx, "UPDATE login_challenges SET used_at = ? WHERE id = ?", db.Micros(now), challengeID)
		return err
	})
	if err != nil {
		return err
	}
	if wrong {
		return ErrOTPInvalid
	}
	if err := apply(customerID, lifts); err != nil {
		if _, uerr := s.DB.Exec(ctx, "UPDATE login_challenges SET used_at = NULL WHERE id = ? AND used_at = ?",
			challengeID, db.Micros(now)); uerr != nil {
			return fmt.Errorf("redeem code: %w (after %w)", uerr, err)
		}
		return err
	}
	return nil
}

// refusal returns channel_closed or channel_blocked if the customer's channel is closed by the bank (A16) or
// blocked after failed factors (A14), reading the credentials row in tx; sql.ErrNoRows if there is none.
func (s *Service) refusal(ctx context.Context, tx *db.Tx, customerID string) error {
	var blocked, closed int
	err := tx.QueryRow(ctx, "SELECT blocked, channel_closed FROM credentials WHERE customer_id = ?", customerID).
		Scan(&blocked, &closed)
	switch {
	case err != nil:
		return err
	case closed != 0:
		return ErrChannelClosed
	case blocked != 0:
		return ErrChannelBlocked
	}
	return nil
}

// openSession starts a session for a customer whose factors were just proved in tx: a full session puts the
// failure count back to zero (a partial one, password only, does not: else a partial login between wrong codes
// would allow unlimited guessing) and makes the client's address one of the customer's own (throttle.go), and a
// staff-set or expired password (A13) restricts the session to changing it.
func (s *Service) openSession(ctx context.Context, tx *db.Tx, customerID, assurance string, now time.Time) (string, Session, error) {
	var must, webFirst int
	var changed int64
	var kind string
	if err := tx.QueryRow(ctx, `SELECT c.must_change, c.password_changed_at, u.kind, c.web_login_required
		FROM credentials c JOIN customers u ON u.id = c.customer_id WHERE c.customer_id = ?`, customerID).
		Scan(&must, &changed, &kind, &webFirst); err != nil {
		return "", Session{}, err
	}
	if err := firstLoginOnWeb(ctx, webFirst != 0); err != nil {
		return "", Session{}, err
	}
	if assurance == Full {
		// A full web login is the one A16 asks for after a reactivation: the app may log in again.
		if _, err := tx.Exec(ctx, "UPDATE credentials SET failed_attempts = 0, web_login_required = 0 WHERE customer_id = ?",
			customerID); err != nil {
			return "", Session{}, err
		}
		if err := s.rememberAddress(ctx, tx, customerID, now); err != nil {
			return "", Session{}, err
		}
	}
	maxAge := s.Config.PasswordMaxAge
	if kind == customer.Business {
		maxAge = s.Config.BusinessMaxAge
	}
	expired := maxAge > 0 && now.Sub(db.FromMicros(changed)) > maxAge
	token, sess, err := s.newSession(ctx, tx, customerID, assurance, must != 0 || expired)
	if err != nil {
		return "", Session{}, err
	}
	if err := record(ctx, tx, now, customerID, ActionLogin, audit.ResultOK,
		map[string]any{"assurance": assurance, "session_id": sess.ID}); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// OpenSession starts a session for a customer who has just proved their factors some other way than a password
// and SMS code: a trusted device's signature (A4), a passkey, a Soft PIN code. The caller has verified those
// factors; a blocked channel is still refused (A14).
func (s *Service) OpenSession(ctx context.Context, customerID, assurance string) (string, Session, error) {
	if assurance != Full && assurance != Partial {
		return "", Session{}, fmt.Errorf("open session: unknown assurance %q", assurance)
	}
	now := s.Clock.Now()
	var token string
	var sess Session
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Under the credentials row lock: a block landing at the same moment either comes first (and refuses this)
		// or waits for this session and then ends it with the others.
		err := s.lockCredential(ctx, tx, customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLoginFailed
		}
		if err != nil {
			return err
		}
		token, sess, err = s.openSession(ctx, tx, customerID, assurance, now)
		return err
	})
	return token, sess, err
}

// FailFactor counts a failed authentication factor (a wrong device signature, Soft PIN code or payment code)
// towards the channel's lockout, as a wrong password or login code counts. It returns login_failed, or
// channel_blocked when this failure reached the limit.
// In a business user's session (WithSession) a failure on the business counts on the person.
func (s *Service) FailFactor(ctx context.Context, customerID string) error {
	return s.fail(ctx, Actor(ctx, customerID))
}

// Unblock lifts a blocked channel (staff only, A14/A16): the customer logs in again with the same password. It
// is audited with the channel's state before and after (ActionChannelUnblocked).
func (s *Service) Unblock(ctx context.Context, customerID string) error {
	return s.changeChannel(ctx, customerID, ActionChannelUnblocked, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE credentials SET blocked = 0, failed_attempts = 0, blocked_at = NULL
			WHERE customer_id = ?`, customerID)
		return err
	})
}

// Blocked reports whether the customer's channel is blocked; in a business user's session (WithSession) acting
// for customerID, the person's.
func (s *Service) Blocked(ctx context.Context, customerID string) (bool, error) {
	cred, err := s.credential(ctx, Actor(ctx, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return cred.blocked, err
}

// Resend sends a fresh code for a login whose password step passed, so the customer need not type the password
// again (A1). It refuses a challenge that was used (or retired by a password change, a block or a closed channel)
// and any resend more than ten minutes after the password step that started the chain — a resend of a resend
// counts from that step too; the per-hour limit on codes applies as for any login.
func (s *Service) Resend(ctx context.Context, challengeID string) (Challenge, error) {
	if !utf8.ValidString(challengeID) || strings.ContainsRune(challengeID, 0) || len(challengeID) > 64 {
		return Challenge{}, ErrChallengeNotFound
	}
	var customerID string
	var biz sql.NullString
	// Only a login challenge: resending a registration one as a login code would skip the password.
	err := s.DB.QueryRow(ctx, "SELECT customer_id, business_id FROM login_challenges WHERE id = ? AND purpose = ?",
		challengeID, PurposeLogin).Scan(&customerID, &biz)
	if errors.Is(err, sql.ErrNoRows) {
		return Challenge{}, ErrChallengeNotFound
	}
	if err != nil {
		return Challenge{}, fmt.Errorf("resend: %w", err)
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Challenge{}, err
	}
	return s.challenge(ctx, c, PurposeLogin, &loginStep{from: challengeID, business: biz.String})
}
