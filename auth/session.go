package auth

// Sessions: bearer tokens stored as SHA-256, the idle and absolute limits, the one-second read cache, logout.

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
)

func (s *Service) newSession(ctx context.Context, tx *db.Tx, customerID, assurance string, mustChange bool) (string, Session, error) {
	now := s.Clock.Now()
	token, hash, err := sealed.NewToken()
	if err != nil {
		return "", Session{}, err
	}
	sess := Session{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Assurance: assurance,
		MustChange: mustChange, ExpiresAt: now.Add(s.Config.SessionLifetime)}
	cl := clientOf(ctx)
	_, err = tx.Exec(ctx, `INSERT INTO sessions (token_hash, id, customer_id, assurance, must_change, created_at,
		last_seen_at, expires_at, channel, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, hash, sess.ID,
		customerID, assurance, boolInt(mustChange), db.Micros(now), db.Micros(now), db.Micros(sess.ExpiresAt),
		cl.channel(), cl.label())
	if err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	if assurance == Full && cl.DeviceID != "" {
		if err := s.rememberDevice(ctx, tx, customerID, cl.DeviceID, now); err != nil {
			return "", Session{}, err
		}
	}
	return token, sess, nil
}

func tokenHash(token string) string { return sealed.TokenHash(token) }

// Authenticate returns the live session of a bearer token. A session ends after IdleTimeout without a request,
// after its absolute lifetime, and at logout.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	if token == "" || len(token) > 128 {
		return Session{}, ErrUnauthenticated
	}
	now := s.Clock.Now()
	th := tokenHash(token)
	sess, seen, ok := s.cachedSession(th, now)
	if !ok {
		var must int
		var lastSeen, expires int64
		var ended sql.NullInt64
		var user sql.NullString
		err := s.DB.QueryRow(ctx, `SELECT id, customer_id, assurance, must_change, last_seen_at, expires_at, ended_at,
			user_id FROM sessions WHERE token_hash = ?`, th).Scan(&sess.ID, &sess.CustomerID, &sess.Assurance, &must,
			&lastSeen, &expires, &ended, &user)
		sess.UserID = user.String
		if errors.Is(err, sql.ErrNoRows) {
			return Session{}, ErrUnauthenticated
		}
		if err != nil {
			return Session{}, fmt.Errorf("authenticate: %w", err)
		}
		sess.MustChange, sess.ExpiresAt = must != 0, db.FromMicros(expires)
		seen = db.FromMicros(lastSeen)
		if ended.Valid {
			return Session{}, ErrSessionExpired
		}
	}
	if now.After(sess.ExpiresAt) || now.Sub(seen) > s.Config.IdleTimeout {
		s.forget(th)
		return Session{}, ErrSessionExpired
	}
	if now.Sub(seen) >= s.Config.TouchEvery {
		if _, err := s.DB.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
			db.Micros(now), th, db.Micros(now)); err != nil {
			return Session{}, fmt.Errorf("touch session: %w", err)
		}
		seen = now
	}
	if !ok || seen == now {
		s.remember(th, sess, seen, now)
	}
	return sess, nil
}

// A live session is remembered for SessionCacheFor, so most requests need no database read to authenticate. This
// instance forgets a session at once when it logs out or its password changes; another instance may accept it for
// at most SessionCacheFor more.
type cachedSession struct {
	sess     Session
	lastSeen time.Time
	fetched  time.Time
}

const maxCachedSessions = 100000

func (s *Service) cachedSession(th string, now time.Time) (Session, time.Time, bool) {
	if s.Config.SessionCacheFor <= 0 {
		return Session{}, time.Time{}, false
	}
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	c, ok := s.sessions[th]
	if !ok || now.Sub(c.fetched) >= s.Config.SessionCacheFor || now.Before(c.fetched) {
		return Session{}, time.Time{}, false
	}
	return c.sess, c.lastSeen, true
}

func (s *Service) remember(th string, sess Session, seen, now time.Time) {
	if s.Config.SessionCacheFor <= 0 {
		return
	}
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	if s.sessions == nil || len(s.sessions) >= maxCachedSessions {
		s.sessions = map[string]cachedSession{}
	}
	fetched := now
	if c, ok := s.sessions[th]; ok && c.fetched.After(now.Add(-s.Config.SessionCacheFor)) {
		fetched = c.fetched // a touch does not extend how long a read stays trusted
	}
	s.sessions[th] = cachedSession{sess: sess, lastSeen: seen, fetched: fetched}
}

func (s *Service) forget(th string) {
	s.sessMu.Lock()
	delete(s.sessions, th)
	s.sessMu.Unlock()
}

// forgetCustomer drops every remembered session of a customer.
func (s *Service) forgetCustomer(customerID string) {
	s.sessMu.Lock()
	for th, c := range s.sessions {
		if c.sess.CustomerID == customerID || c.sess.UserID == customerID {
			delete(s.sessions, th)
		}
	}
	s.sessMu.Unlock()
}

// Logout ends the session of the token.
func (s *Service) Logout(ctx context.Context, token string) error {
	s.forget(tokenHash(token))
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id, customerID string
		var user sql.NullString
		err := tx.QueryRow(ctx, "SELECT id, customer_id, user_id FROM sessions WHERE token_hash = ? AND ended_at IS NULL",
			tokenHash(token)).Scan(&id, &customerID, &user)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // ended already, or never was: nothing happened to record
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE sessions SET ended_at = ? WHERE id = ?", db.Micros(now), id); err != nil {
			return err
		}
		sess := Session{ID: id, CustomerID: customerID, UserID: user.String}
		return record(WithSession(ctx, sess), tx, now, customerID, ActionLogout, audit.ResultOK,
			map[string]string{"session_id": id})
	})
}
