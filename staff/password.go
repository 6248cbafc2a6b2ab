package staff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/password"
)

// The staff password policy is the customers' (A11, password.Check: every one of its rules, the common-password
// list, no birth date or personal data, at most 16 characters) and stricter in two ways: at least
// MinPasswordLength characters instead of password.MinLength, and the member's username and every part of their
// full name count as personal data. As for customers, none of the last Remembered passwords may come back.
const (
	MinPasswordLength = 10
	Remembered        = 5
)

// checkPolicy refuses pw for every rule it breaks at once, as password.Check does (password_policy with one field
// error per rule), the staff minimum among them. previous are the hashes of the member's last passwords.
func checkPolicy(pw, username, fullName string, previous []string) error {
	err := password.Check(pw, password.Context{Username: username, FirstName: fullName, Previous: previous})
	var fields []kumbara.FieldError
	if e, ok := kumbara.As(err); ok && errors.Is(err, password.ErrPolicy) {
		fields = e.Fields
	} else if err != nil {
		return err
	}
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		fields = append(fields, ErrPasswordTooShort.At(password.Field))
	}
	if len(fields) == 0 {
		return nil
	}
	return password.ErrPolicy.WithFields(fields...).WithParam("min", strconv.Itoa(MinPasswordLength))
}

// passwordAlphabet has no look-alikes (0/O, 1/l/I), so a made-up password read off a terminal is typed right.
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// makePassword makes up a 16-character initial password that the policy accepts.
func (s *Service) makePassword(username, fullName string) (string, error) {
	for {
		var raw [password.MaxLength]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return "", err
		}
		pw := make([]byte, len(raw))
		for i, b := range raw {
			pw[i] = passwordAlphabet[int(b)%len(passwordAlphabet)]
		}
		if checkPolicy(string(pw), username, fullName, nil) == nil {
			return string(pw), nil
		}
	}
}

func addHistory(ctx context.Context, tx *db.Tx, staffID, hash string, now time.Time) error {
	_, err := tx.Exec(ctx, "INSERT INTO staff_password_history (staff_id, password_hash, created_at) VALUES (?, ?, ?)",
		staffID, hash, db.Micros(now))
	return err
}

// ChangePassword replaces a member's password after checking the current one (a wrong one is staff_login_failed
// and counts towards the lockout): the new one must keep the staff policy and differ from the last five.
func (s *Service) ChangePassword(ctx context.Context, staffID, current, next string) error {
	m, hash, err := s.credentials(ctx, staffID)
	if err != nil {
		return err
	}
	if err := s.checkPassword(ctx, m, hash, current); err != nil {
		return s.loginFailed(ctx, m, "current_password", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT password_hash FROM staff_password_history WHERE staff_id = ?
		ORDER BY created_at DESC LIMIT `+strconv.Itoa(Remembered), staffID)
	if err != nil {
		return err
	}
	previous, err := db.Collect(rows, func(r db.Scanner) (string, error) {
		var h string
		return h, r.Scan(&h)
	})
	if err != nil {
		return err
	}
	if err := checkPolicy(next, m.Username, m.FullName, previous); err != nil {
		return err
	}
	newHash, err := s.Hasher.Hash(next)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE staff SET password_hash = ?, must_change = 0 WHERE id = ?", newHash,
			staffID); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, staffID, newHash, now); err != nil {
			return err
		}
		after := stateOf(m)
		after.MustChange = false
		return audit.Append(ctx, tx, now, entry(ctx, m.Actor(), ActionPasswordChanged, stateOf(m), after))
	})
}

// credentials reads a member and their password hash by id.
func (s *Service) credentials(ctx context.Context, staffID string) (Member, string, error) {
	var hash string
	m, err := scanMember(prefixed{s.DB.QueryRow(ctx, "SELECT password_hash, "+memberColumns+" FROM staff WHERE id = ?",
		staffID), []any{&hash}})
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, "", ErrNotFound
	}
	return m, hash, err
}

// prefixed scans columns that come before a member's into extra, then the member's.
type prefixed struct {
	row   db.Scanner
	extra []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.extra, dest...)...) }
