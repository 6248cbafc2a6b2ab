package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/text"
)

// Channels a session is opened through.
const (
	ChannelAPI = "api"
	ChannelWeb = "web"
)

// Client describes who is opening a session: the channel (api or web), a label the customer will recognise in
// the list of sessions (the app's device name or the browser's user agent), for the mobile app its device id,
// and the address it comes from. Transports put it in the request's context with WithClient; the login steps
// read it from there.
type Client struct {
	Channel  string
	Label    string
	DeviceID string
	// Address is the client's network address as the transport keys its rate limits (an IPv4 address, an IPv6
	// /64): password guesses are throttled by it and a full login remembers it (throttle.go). Without one (staff
	// tools, tests of other rules) nothing is throttled or remembered.
	Address string
}

type clientKey struct{}

// WithClient returns ctx carrying the client that is logging in.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

func clientOf(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

func (c Client) channel() string {
	if c.Channel == ChannelWeb {
		return ChannelWeb
	}
	return ChannelAPI
}

// maxLabel bounds what a client can make the bank store about itself, in characters: enough for a browser's whole
// User-Agent (a phone's runs to some 150), whose end names the browser (DeviceOf).
const maxLabel = 256

// label is the client's label as the bank keeps it: free text from outside (text.Sanitize), at most maxLabel
// characters.
func (c Client) label() string { return text.Sanitize(c.Label, maxLabel) }

// SessionInfo is one live session as its customer sees it.
type SessionInfo struct {
	ID         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Assurance  string
	Channel    string
	Label      string
	// Device is what the label says about the browser or app, for the list a person reads (DeviceOf).
	Device Device
}

// Sessions returns the customer's live sessions (not ended, not idle past the timeout, within their lifetime),
// newest first. A business user (ctx from WithSession) gets only their own sessions for the business.
func (s *Service) Sessions(ctx context.Context, customerID string) ([]SessionInfo, error) {
	now := s.Clock.Now()
	user, args := userFilter(ctx, customerID)
	rows, err := s.DB.Query(ctx, `SELECT id, created_at, last_seen_at, assurance, channel, label FROM sessions
		WHERE customer_id = ?`+user+` AND ended_at IS NULL AND expires_at > ? AND last_seen_at >= ?
		ORDER BY created_at DESC, id DESC`, append(args, db.Micros(now), db.Micros(now.Add(-s.Config.IdleTimeout)))...)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (SessionInfo, error) {
		var si SessionInfo
		var created, seen int64
		err := r.Scan(&si.ID, &created, &seen, &si.Assurance, &si.Channel, &si.Label)
		si.CreatedAt, si.LastSeenAt = db.FromMicros(created), db.FromMicros(seen)
		si.Device = DeviceOf(si.Label)
		return si, err
	})
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	return out, nil
}

// EndSession ends one of the sessions of the customer that caller (the session asking) acts for. Another
// customer's session, an ended one and an unknown id are all session_not_found. It takes effect at once on this
// instance (the session cache forgets it) and within SessionCacheFor on the others. A business user ends only
// their own sessions for the business. A partial (password-only, SmartPay) session may end only itself: ending the
// others needs a full one (assurance_insufficient), else a stolen password alone would shut the customer out of
// the sessions they are using.
func (s *Service) EndSession(ctx context.Context, caller Session, sessionID string) error {
	if caller.Assurance != Full && sessionID != caller.ID {
		return ErrAssuranceInsufficient
	}
	if !utf8.ValidString(sessionID) || strings.ContainsRune(sessionID, 0) || len(sessionID) > 64 {
		return ErrSessionNotFound
	}
	user, args := userFilter(WithSession(ctx, caller), caller.CustomerID)
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE sessions SET ended_at = ? WHERE id = ? AND customer_id = ?"+user+" AND ended_at IS NULL",
			append([]any{db.Micros(now), sessionID}, args...)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrSessionNotFound
		}
		return record(WithSession(ctx, caller), tx, now, caller.CustomerID, ActionSessionEnded, audit.ResultOK,
			map[string]string{"session_id": sessionID})
	})
	s.forgetSession(sessionID)
	if err != nil && !errors.Is(err, ErrSessionNotFound) {
		return fmt.Errorf("end session: %w", err)
	}
	return err
}

// EndOtherSessions ends every session of the customer that caller acts for except caller itself ("end all other
// sessions", A19) and reports how many it ended. The rules are EndSession's: a partial (password-only) session may
// not (assurance_insufficient), and a business user ends only their own other sessions for the business. Like
// EndSession it takes effect at once on this instance and within SessionCacheFor on the others.
func (s *Service) EndOtherSessions(ctx context.Context, caller Session) (int, error) {
	if caller.Assurance != Full {
		return 0, ErrAssuranceInsufficient
	}
	user, args := userFilter(WithSession(ctx, caller), caller.CustomerID)
	now := s.Clock.Now()
	var n int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE sessions SET ended_at = ? WHERE customer_id = ?"+user+
			" AND id <> ? AND ended_at IS NULL", append(append([]any{db.Micros(now)}, args...), caller.ID)...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return record(WithSession(ctx, caller), tx, now, caller.CustomerID, ActionSessionsEnded, audit.ResultOK,
			map[string]int64{"ended": n})
	})
	if err != nil {
		return 0, fmt.Errorf("end other sessions: %w", err)
	}
	// Forgetting the customer's remembered sessions forgets the caller's too, which costs it one read.
	s.forgetCustomer(caller.CustomerID)
	return int(n), nil
}

// forgetSession drops a remembered session by its id.
func (s *Service) forgetSession(sessionID string) {
	s.sessMu.Lock()
	for th, c := range s.sessions {
		if c.sess.ID == sessionID {
			delete(s.sessions, th)
		}
	}
	s.sessMu.Unlock()
}

// DeviceHash is the HMAC under which a device or browser id is kept (partial login here, known devices in
// package device): the app's id is an opaque string, but still an identifier of the customer's phone, so it does not
// rest in clear. The label stays "partial-login-device" so the ids kept before keep matching.
func (s *Service) DeviceHash(deviceID string) string { return s.deviceHash(deviceID) }

func (s *Service) deviceHash(deviceID string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("partial-login-device:" + deviceID))
	return hex.EncodeToString(m.Sum(nil))
}

// MaxDeviceID bounds the X-Device-ID an app may send.
const MaxDeviceID = 128

// rememberDevice records a full login on a device, which (again) allows partial login there.
func (s *Service) rememberDevice(ctx context.Context, tx *db.Tx, customerID, deviceID string, now time.Time) error {
	if len(deviceID) > MaxDeviceID {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO partial_login_devices (customer_id, device_hash, last_full_login_at, forgotten)
		VALUES (?, ?, ?, 0) ON CONFLICT (customer_id, device_hash)
		DO UPDATE SET last_full_login_at = excluded.last_full_login_at, forgotten = 0`,
		customerID, s.deviceHash(deviceID), db.Micros(now))
	if err != nil {
		return fmt.Errorf("remember device: %w", err)
	}
	return nil
}

// LoginPartial is SmartPay's partial login (A19): client number (or national ID) and password only, giving a
// session of Partial assurance. It is allowed only on a device where the customer completed a full login before
// and has not since chosen "forget me"; anywhere else it answers login_failed, as a wrong password does. The
// device is the one in the context's Client (WithClient). A refusal after the right password stays a failed
// attempt for the throttle (throttle.go), so the throttle does not tell a right password from a wrong one either.
func (s *Service) LoginPartial(ctx context.Context, username, pw string) (string, Session, error) {
	deviceID := clientOf(ctx).DeviceID
	c, _, _, g, err := s.checkPassword(ctx, username, "", pw)
	if err != nil {
		return "", Session{}, err
	}
	if deviceID == "" || len(deviceID) > MaxDeviceID {
		return "", Session{}, ErrLoginFailed
	}
	now := s.Clock.Now()
	var token string
	var sess Session
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.refusal(ctx, tx, c.ID); errors.Is(err, ErrChannelBlocked) {
			return ErrLoginFailed // blocked since the password was checked: as anonymous as before it
		} else if err != nil {
			return err
		}
		var forgotten int
		err := tx.QueryRow(ctx, `SELECT forgotten FROM partial_login_devices WHERE customer_id = ? AND device_hash = ?`,
			c.ID, s.deviceHash(deviceID)).Scan(&forgotten)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && forgotten != 0) {
			return ErrLoginFailed
		}
		if err != nil {
			return err
		}
		token, sess, err = s.openSession(ctx, tx, c.ID, Partial, now)
		return err
	})
	if err == nil || !errors.Is(err, ErrLoginFailed) {
		s.forgive(ctx, g)
	}
	return token, sess, err
}

// ForgetMe withdraws partial login on a device (A19 "Më harro") until the customer's next full login there.
// Forgetting a device that never had a full login changes nothing.
func (s *Service) ForgetMe(ctx context.Context, customerID, deviceID string) error {
	if deviceID == "" || len(deviceID) > MaxDeviceID {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("X-Device-ID"))
	}
	_, err := s.DB.Exec(ctx, "UPDATE partial_login_devices SET forgotten = 1 WHERE customer_id = ? AND device_hash = ?",
		customerID, s.deviceHash(deviceID))
	if err != nil {
		return fmt.Errorf("forget me: %w", err)
	}
	return nil
}

// CloseChannel is the bank closing a customer's digital channel (A16): every session ends at once, every login
// waiting for its code is retired, and every login is refused with channel_closed until ReactivateChannel. It is
// audited with the channel's state before and after (ActionChannelClosed).
func (s *Service) CloseChannel(ctx context.Context, customerID string) error {
	now := db.Micros(s.Clock.Now())
	defer s.forgetCustomer(customerID)
	return s.changeChannel(ctx, customerID, ActionChannelClosed, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE credentials SET channel_closed = 1, channel_closed_at = COALESCE(channel_closed_at, ?)
			WHERE customer_id = ?`, now, customerID); err != nil {
			return fmt.Errorf("close channel: %w", err)
		}
		if err := s.endAccess(ctx, tx, customerID, ""); err != nil {
			return err
		}
		// A business's channel closed shuts out its users too: every session acting for it ends.
		_, err := tx.Exec(ctx, "UPDATE sessions SET ended_at = ? WHERE customer_id = ? AND ended_at IS NULL", now, customerID)
		return err
	})
}

// ReactivateChannel reopens a closed channel (A16): the customer logs in again with the same password (and its
// SMS code), first in the internet branch — until a full web login, the app's logins answer web_login_required —
// and the count of failed factors starts again from zero. Reactivating an open channel changes nothing. It is
// audited with the channel's state before and after (ActionChannelReactivated).
func (s *Service) ReactivateChannel(ctx context.Context, customerID string) error {
	return s.changeChannel(ctx, customerID, ActionChannelReactivated, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE credentials SET web_login_required = CASE WHEN channel_closed = 1 THEN 1
			ELSE web_login_required END, channel_closed = 0, channel_closed_at = NULL, failed_attempts = 0
			WHERE customer_id = ?`, customerID); err != nil {
			return fmt.Errorf("reactivate channel: %w", err)
		}
		return nil
	})
}

// ChannelClosed reports whether the bank has closed the customer's channel.
func (s *Service) ChannelClosed(ctx context.Context, customerID string) (bool, error) {
	cred, err := s.credential(ctx, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return cred.closed, err
}
