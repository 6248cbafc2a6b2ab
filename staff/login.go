package staff

// Logging in: the password, then a TOTP code, then a session of its own kind (never a customer's). Every attempt,
// password or code, is counted as a failure before it is checked and given back when it was right, so concurrent
// guesses cannot all be checked before the count locks the member out; the LockAfter-th consecutive failure locks
// them until another member with staff.unblock lifts it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/sealed"
	"github.com/kumbara/kumbara/text"
)

// Step is a login whose password was right and whose TOTP code is awaited.
type Step struct {
	Token     string // shown to the client once; kept as its SHA-256
	ExpiresAt time.Time
}

// Session is a staff session just opened.
type Session struct {
	ID        string
	Token     string // the bearer of the session: shown to the client once; kept as its SHA-256
	ExpiresAt time.Time
	Member    Member
}

func newToken() (string, string, error) { return sealed.NewToken() }

func tokenHash(token string) string { return sealed.TokenHash(token) }

// Login checks a member's username and password and returns the step that awaits their TOTP code. A wrong
// username or password is the same staff_login_failed (an unknown username costs a password check too); a wrong
// password counts towards the lockout, and the one that reaches it is staff_locked. A locked or deactivated member
// is refused before their password is looked at (staff_locked, staff_inactive).
func (s *Service) Login(ctx context.Context, username, pw string) (Step, error) {
	var hash string
	m, err := s.ByUsername(ctx, username)
	if err == nil {
		m, hash, err = s.credentials(ctx, m.ID)
	}
	if errors.Is(err, ErrNotFound) || err == nil && !text.Storable(pw) {
		_, _ = s.Hasher.Verify(s.dummy(), pw)
		if err != nil {
			m = Member{}
		}
		return Step{}, s.loginFailed(ctx, m, "password", ErrLoginFailed)
	}
	if err != nil {
		return Step{}, err
	}
	if err := s.checkPassword(ctx, m, hash, pw); err != nil {
		return Step{}, s.loginFailed(ctx, m, "password", err)
	}
	token, th, err := newToken()
	if err != nil {
		return Step{}, err
	}
	now := s.Clock.Now()
	step := Step{Token: token, ExpiresAt: now.Add(s.Config.StepValidity)}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// The member's steps that lapsed are of no use to anyone: they go as a new one comes.
		if _, err := tx.Exec(ctx, "DELETE FROM staff_login_steps WHERE staff_id = ? AND expires_at < ?", m.ID,
			db.Micros(now)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_login_steps (token_hash, staff_id, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, th, m.ID, db.Micros(now), db.Micros(step.ExpiresAt))
		return err
	})
	if err != nil {
		return Step{}, fmt.Errorf("staff login step: %w", err)
	}
	return step, nil
}

// checkPassword checks pw against the member's hash, counting the attempt as a failure until it proves right.
func (s *Service) checkPassword(ctx context.Context, m Member, hash, pw string) error {
	if err := s.reserve(ctx, m.ID); err != nil {
		return err
	}
	ok, err := s.Hasher.Verify(hash, pw)
	if err != nil {
		return err
	}
	if !ok {
		return s.failed(ctx, m.ID, ErrLoginFailed)
	}
	if err := s.settle(ctx, m.ID); err != nil {
		return err
	}
	return s.rehash(ctx, m.ID, hash, pw)
}

// rehash stores a right password's hash again when it was made with other parameters than the hasher's (raised
// since): the only moment the password is known.
func (s *Service) rehash(ctx context.Context, staffID, hash, pw string) error {
	if !s.Hasher.NeedsRehash(hash) {
		return nil
	}
	fresh, err := s.Hasher.Hash(pw)
	if err != nil {
		return err
	}
	_, err = s.DB.Exec(ctx, "UPDATE staff SET password_hash = ? WHERE id = ? AND password_hash = ?", fresh, staffID, hash)
	return err
}

// reserve counts an attempt as a failure before it is checked, locking the member when it is the LockAfter-th in
// a row; a member already locked or deactivated is refused without counting.
func (s *Service) reserve(ctx context.Context, staffID string) error {
	now := s.Clock.Now()
	res, err := s.DB.Exec(ctx, `UPDATE staff SET failures = failures + 1,
		locked_at = CASE WHEN failures + 1 >= ? THEN CAST(? AS BIGINT) ELSE NULL END
		WHERE id = ? AND active = 1 AND locked_at IS NULL`, s.Config.LockAfter, db.Micros(now), staffID)
	if err != nil {
		return fmt.Errorf("staff attempt: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var active int
	if err := s.DB.QueryRow(ctx, "SELECT active FROM staff WHERE id = ?", staffID).Scan(&active); err != nil {
		return err
	}
	if active == 0 {
		return ErrInactive
	}
	return ErrLocked
}

// settle gives back the failure an attempt that proved right was counted as (and the lock, if it was the one
// that set it: no failure can have been counted after it).
func (s *Service) settle(ctx context.Context, staffID string) error {
	_, err := s.DB.Exec(ctx, `UPDATE staff SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
		locked_at = NULL WHERE id = ? AND active = 1`, staffID)
	return err
}

// failed answers a wrong attempt already counted: staff_locked when it locked the member (their sessions end and
// their logins half-way are forgotten), else refusal.
func (s *Service) failed(ctx context.Context, staffID string, refusal error) error {
	var locked sql.NullInt64
	if err := s.DB.QueryRow(ctx, "SELECT locked_at FROM staff WHERE id = ?", staffID).Scan(&locked); err != nil {
		return err
	}
	if !locked.Valid {
		return refusal
	}
	if err := s.DB.InTx(ctx, func(tx *db.Tx) error { return endSessions(ctx, tx, staffID, s.Clock.Now()) }); err != nil {
		return err
	}
	return ErrLocked
}

// Verify completes a login with the TOTP code of the member's authenticator app and opens a session. The step
// must be live (staff_step_invalid: unknown, used or past its five minutes, and the login starts again); a wrong,
// replayed or out-of-time code is staff_code_invalid, counts towards the lockout (staff_locked at it) and leaves
// the step for another try. A right code is used up with its step, clears the member's failures and opens the
// session.
func (s *Service) Verify(ctx context.Context, stepToken, code string) (Session, error) {
	if stepToken == "" || len(stepToken) > 128 {
		return Session{}, ErrStepInvalid
	}
	now := s.Clock.Now()
	sth := tokenHash(stepToken)
	var staffID string
	var expires int64
	var used sql.NullInt64
	err := s.DB.QueryRow(ctx, "SELECT staff_id, expires_at, used_at FROM staff_login_steps WHERE token_hash = ?", sth).
		Scan(&staffID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (used.Valid || now.After(db.FromMicros(expires))) {
		return Session{}, ErrStepInvalid
	}
	if err != nil {
		return Session{}, err
	}
	if err := s.reserve(ctx, staffID); err != nil {
		if m, _, rerr := s.credentials(ctx, staffID); rerr == nil {
			return Session{}, s.loginFailed(ctx, m, "totp", err)
		}
		return Session{}, err
	}
	var sealed string
	var lastStep int64
	m, err := scanMember(prefixed{s.DB.QueryRow(ctx, "SELECT totp_secret, totp_step, "+memberColumns+
		" FROM staff WHERE id = ?", staffID), []any{&sealed, &lastStep}})
	if err != nil {
		return Session{}, err
	}
	raw, err := s.open(m.ID, sealed)
	if err != nil {
		return Session{}, err
	}
	step, ok, err := matchStep(raw, code, now, lastStep)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, s.loginFailed(ctx, m, "totp", s.failed(ctx, m.ID, ErrCodeInvalid))
	}
	var sess Session
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// The step guard makes a code single use even when two requests bring it at once: one of them finds the
		// step already past it.
		res, err := tx.Exec(ctx, `UPDATE staff SET totp_step = ?, failures = 0, locked_at = NULL
			WHERE id = ? AND totp_step < ? AND active = 1`, step, m.ID, step)
		if err != nil {
			return err
		}
		if err := oneRow(res, ErrCodeInvalid); err != nil {
			return err
		}
		if sess, err = s.openSession(ctx, tx, m, sth, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, m.Actor(), ActionLogin, nil, factorState{Factor: "totp",
			Session: sess.ID}))
	})
	if err != nil {
		// Two requests with one code: the one that lost is a wrong code, as any replay.
		return Session{}, s.loginFailed(ctx, m, "totp", err)
	}
	return sess, nil
}

// openSession uses up login step sth and opens m's session in tx, after the second factor's own guard in the same
// transaction: the step guard makes the login single use even when two answers come at once (a code and a
// passkey among them), as one of them finds the step used.
func (s *Service) openSession(ctx context.Context, tx *db.Tx, m Member, sth string, now time.Time) (Session, error) {
	res, err := tx.Exec(ctx, "UPDATE staff_login_steps SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
		db.Micros(now), sth)
	if err != nil {
		return Session{}, err
	}
	if err := oneRow(res, ErrStepInvalid); err != nil {
		return Session{}, err
	}
	token, th, err := newToken()
	if err != nil {
		return Session{}, err
	}
	sess := Session{ID: uuid.Must(uuid.NewV7()).String(), Token: token, ExpiresAt: now.Add(s.Config.Lifetime), Member: m}
	sess.Member.Locked = false
	_, err = tx.Exec(ctx, `INSERT INTO staff_sessions (token_hash, id, staff_id, created_at, last_seen_at,
		expires_at) VALUES (?, ?, ?, ?, ?, ?)`, th, sess.ID, m.ID, db.Micros(now), db.Micros(now),
		db.Micros(sess.ExpiresAt))
	return sess, err
}

// Admit returns the member of a live staff session. No token, or one that names no staff session (a customer's
// among them), is staff_unauthenticated; a session past IdleTimeout since its last request or Lifetime since it
// began, logged out, or ended by the bank (the member locked, deactivated or given a new TOTP secret) is
// staff_session_expired.
func (s *Service) Admit(ctx context.Context, token string) (Member, error) {
	if token == "" || len(token) > 128 {
		return Member{}, ErrUnauthenticated
	}
	now := s.Clock.Now()
	th := tokenHash(token)
	var lastSeen, expires int64
	var ended sql.NullInt64
	m, err := scanMember(prefixed{s.DB.QueryRow(ctx, `SELECT ss.last_seen_at, ss.expires_at, ss.ended_at, m.id,
		m.username, m.full_name, m.branch, m.roles, m.active, m.locked_at, m.must_change, m.created_at
		FROM staff_sessions ss JOIN staff m ON m.id = ss.staff_id WHERE ss.token_hash = ?`, th),
		[]any{&lastSeen, &expires, &ended}})
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, ErrUnauthenticated
	}
	if err != nil {
		return Member{}, fmt.Errorf("staff session: %w", err)
	}
	seen := db.FromMicros(lastSeen)
	switch {
	case ended.Valid || !m.Active || m.Locked:
		return Member{}, ErrSessionExpired
	case now.After(db.FromMicros(expires)) || now.Sub(seen) > s.Config.IdleTimeout:
		if _, err := s.DB.Exec(ctx, "UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
			db.Micros(now), th); err != nil {
			return Member{}, err
		}
		return Member{}, ErrSessionExpired
	}
	if now.Sub(seen) >= s.Config.TouchEvery {
		if _, err := s.DB.Exec(ctx, "UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
			db.Micros(now), th, db.Micros(now)); err != nil {
			return Member{}, fmt.Errorf("touch staff session: %w", err)
		}
	}
	return m, nil
}

// Logout ends the session of token; an unknown or ended one is left as it is.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" || len(token) > 128 {
		return nil
	}
	_, err := s.DB.Exec(ctx, "UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
		db.Micros(s.Clock.Now()), tokenHash(token))
	return err
}

// oneRow is refusal unless res changed exactly one row.
func oneRow(res sql.Result, refusal error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return refusal
	}
	return nil
}
