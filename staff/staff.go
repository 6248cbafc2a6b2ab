package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/text"
)

// Config holds the limits of staff logins and sessions.
type Config struct {
	IdleTimeout  time.Duration // a session ends this long after its last request
	Lifetime     time.Duration // and this long after it began, however busy
	StepValidity time.Duration // the TOTP code is awaited this long after the password
	LockAfter    int           // consecutive failures (password or code) that lock a member out
	// TouchEvery is how often a busy session's last request is written down: the idle limit is kept to within it.
	TouchEvery time.Duration
}

// DefaultConfig is the bank's staff policy: idle 15 minutes, 10 hours at most, locked after 5 failures.
func DefaultConfig() Config {
	return Config{IdleTimeout: 15 * time.Minute, Lifetime: 10 * time.Hour, StepValidity: 5 * time.Minute,
		LockAfter: 5, TouchEvery: 10 * time.Second}
}

// Service is the bank's staff: who they are, what they may do, and their logins and sessions.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Hasher password.Hasher
	Config Config
	// Key encrypts the TOTP secrets: DeriveKey of the bank's secret.
	Key []byte
	// Passkeys is the relying party of staff passkeys (NewPasskeys); nil: the bank has none, and staff passkeys
	// answer staff_passkeys_unavailable.
	Passkeys *Passkeys

	dummyOnce sync.Once
	dummyHash string
}

// Member is one member of staff.
type Member struct {
	ID                 string
	Username           string
	FullName           string
	Branch             string
	Roles              []Role
	Active             bool
	Locked             bool
	MustChangePassword bool // the password was set by the bank (a new member): the back office asks for their own
	CreatedAt          time.Time
}

// Can reports whether the member may do what p permits: active, not locked out, and one of their roles grants it.
func (m Member) Can(p Permission) bool {
	if !m.Active || m.Locked {
		return false
	}
	for _, r := range m.Roles {
		if r.Grants(p) {
			return true
		}
	}
	return false
}

// Require is Can as an error: staff_permission_denied naming the permission, or nil.
func (m Member) Require(p Permission) error {
	if !m.Can(p) {
		return ErrPermissionDenied.WithParam("permission", string(p)).With("%s lacks %s", m.Username, p)
	}
	return nil
}

// NewMember is a member to create.
type NewMember struct {
	Username string // 3 to 32 of a–z, 0–9, '.', '-', '_', beginning with a letter; kept in lower case
	FullName string
	Branch   string
	Roles    []Role
	// Password is the member's password under the staff policy; empty: one is made up, shown once, and must be
	// changed at the first login.
	Password string
	// TOTPSecret is a base32 secret to use instead of a fresh random one: the demo's published secrets only.
	TOTPSecret string
}

// Created is a new member with what is shown once: the TOTP enrolment and, when the bank made it up, the
// initial password.
type Created struct {
	Member    Member
	Enrolment Enrolment
	Password  string // the made-up initial password; empty when NewMember gave one
}

const (
	maxName   = 100
	maxBranch = 64
)

func (s *Service) dummy() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.Hasher.Hash("not-a-password-0") })
	return s.dummyHash
}

// Create adds a member with a fresh TOTP secret. by is the member acting, who needs staff.manage; nil creates the
// bank's first member, which the operator does on the server: allowed only while the bank has no staff
// (staff_bootstrap_closed), and only for an administrator (staff_first_not_admin), who then creates the others.
func (s *Service) Create(ctx context.Context, by *Member, n NewMember) (Created, error) {
	if err := s.mayCreate(ctx, by); err != nil {
		return Created{}, err
	}
	n.Username = normalizeUsername(n.Username)
	n.FullName, n.Branch = text.Clean(n.FullName), text.Clean(n.Branch)
	n.Roles = sortRoles(n.Roles)
	if err := validate(n); err != nil {
		return Created{}, err
	}
	if by == nil && !containsRole(n.Roles, Admin) {
		return Created{}, ErrFirstNotAdmin
	}
	pw, made := n.Password, n.Password == ""
	var err error
	if made {
		pw, err = s.makePassword(n.Username, n.FullName)
	} else {
		err = checkPolicy(pw, n.Username, n.FullName, nil)
	}
	if err != nil {
		return Created{}, err
	}
	now := s.Clock.Now()
	c := Created{Member: Member{ID: uuid.Must(uuid.NewV7()).String(), Username: n.Username, FullName: n.FullName,
		Branch: n.Branch, Roles: n.Roles, Active: true, MustChangePassword: made, CreatedAt: now}}
	if made {
		c.Password = pw
	}
	raw, err := newSecret(n.TOTPSecret)
	if err != nil {
		return Created{}, err
	}
	if c.Enrolment, err = enrolment(n.Username, raw); err != nil {
		return Created{}, err
	}
	if err := s.insert(ctx, by, c.Member, pw, raw); err != nil {
		return Created{}, err
	}
	return c, nil
}

// mayCreate refuses a creation by a member without staff.manage, and one by nobody once the bank has staff (which
// insert checks again, against a race, in its transaction).
func (s *Service) mayCreate(ctx context.Context, by *Member) error {
	if by != nil {
		return by.Require(StaffManage)
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM staff").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrBootstrapClosed
	}
	return nil
}

// insert writes a new member with the hash of their password and their TOTP secret encrypted. The first member
// (by nil) takes the one bootstrap slot, whose unique index refuses a second whatever races.
func (s *Service) insert(ctx context.Context, by *Member, m Member, pw string, raw []byte) error {
	hash, err := s.Hasher.Hash(pw)
	if err != nil {
		return err
	}
	sealed, err := s.seal(m.ID, raw)
	if err != nil {
		return err
	}
	var bootstrap, createdBy any = 1, nil
	if by != nil {
		bootstrap, createdBy = nil, by.ID
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var taken int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM staff WHERE username = ?", m.Username).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return ErrExists
		}
		if _, err := tx.Exec(ctx, `INSERT INTO staff (id, username, full_name, branch, roles, password_hash,
			must_change, totp_secret, bootstrap, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.Username, m.FullName, m.Branch, joinRoles(m.Roles), hash, boolInt(m.MustChangePassword), sealed,
			bootstrap, createdBy, db.Micros(m.CreatedAt)); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, m.ID, hash, m.CreatedAt); err != nil {
			return err
		}
		// The first member has nobody to name but the operator on the server (audit.Operator: whoever the
		// context says, else the bank).
		actor, after := audit.Operator(ctx), stateOf(m)
		if by != nil {
			actor = by.Actor()
		}
		after.Bootstrap = by == nil
		return audit.Append(ctx, tx, m.CreatedAt, entry(ctx, actor, ActionCreated, nil, after))
	})
	switch {
	case db.IsUniqueViolation(err) && by == nil:
		return ErrBootstrapClosed
	case db.IsUniqueViolation(err):
		return ErrExists
	}
	return err
}

func validate(n NewMember) error {
	var fields []kumbara.FieldError
	if !validUsername(n.Username) {
		fields = append(fields, ErrUsernameInvalid.At("username"))
	}
	if n.FullName == "" || !text.Valid(n.FullName, maxName) {
		fields = append(fields, ErrNameInvalid.At("full_name"))
	}
	if n.Branch == "" || !text.Valid(n.Branch, maxBranch) {
		fields = append(fields, ErrBranchInvalid.At("branch"))
	}
	if len(n.Roles) == 0 {
		fields = append(fields, ErrRolesRequired.At("roles"))
	}
	for _, r := range n.Roles {
		if !r.Known() {
			fields = append(fields, ErrRoleUnknown.At("roles"))
			break
		}
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

func normalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 32 || u[0] < 'a' || u[0] > 'z' {
		return false
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func containsRole(roles []Role, r Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const memberColumns = "id, username, full_name, branch, roles, active, locked_at, must_change, created_at"

func scanMember(row db.Scanner) (Member, error) {
	var m Member
	var roles string
	var active, must int
	var locked sql.NullInt64
	var created int64
	if err := row.Scan(&m.ID, &m.Username, &m.FullName, &m.Branch, &roles, &active, &locked, &must, &created); err != nil {
		return Member{}, err
	}
	m.Active, m.Locked, m.MustChangePassword, m.CreatedAt = active != 0, locked.Valid, must != 0, db.FromMicros(created)
	for r := range strings.SplitSeq(roles, ",") {
		if r != "" {
			m.Roles = append(m.Roles, Role(r))
		}
	}
	return m, nil
}

// ByUsername returns the member with that username (any case): staff_not_found when there is none.
func (s *Service) ByUsername(ctx context.Context, username string) (Member, error) {
	u := normalizeUsername(username)
	if !validUsername(u) {
		return Member{}, ErrNotFound
	}
	m, err := scanMember(s.DB.QueryRow(ctx, "SELECT "+memberColumns+" FROM staff WHERE username = ?", u))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	return m, err
}

// Acting returns the member a staff command names, who must be able to act: staff_not_found, staff_inactive or
// staff_locked otherwise. Commands on the server name their member instead of logging in (the operator there
// holds the bank's secret already); what they may do is still that member's permissions.
func (s *Service) Acting(ctx context.Context, username string) (Member, error) {
	m, err := s.ByUsername(ctx, username)
	switch {
	case err != nil:
		return Member{}, err
	case !m.Active:
		return Member{}, ErrInactive
	case m.Locked:
		return Member{}, ErrLocked
	}
	return m, nil
}

// List returns every member, by username; by needs staff.read.
func (s *Service) List(ctx context.Context, by Member) ([]Member, error) {
	if err := by.Require(StaffRead); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+memberColumns+" FROM staff ORDER BY username")
	if err != nil {
		return nil, err
	}
	return db.Collect(rows, scanMember)
}

// other finds the member an operation of by is about, who must be someone else (staff_self_refused).
func (s *Service) other(ctx context.Context, by Member, p Permission, username string) (Member, error) {
	if err := by.Require(p); err != nil {
		return Member{}, err
	}
	m, err := s.ByUsername(ctx, username)
	if err != nil {
		return Member{}, err
	}
	if m.ID == by.ID {
		return Member{}, ErrSelf
	}
	return m, nil
}

// Unblock lifts a member's lockout and clears their failures; by needs staff.unblock and must be someone else.
func (s *Service) Unblock(ctx context.Context, by Member, username string) (Member, error) {
	m, err := s.other(ctx, by, StaffUnblock, username)
	if err != nil {
		return Member{}, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		was, err := lockMember(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE staff SET failures = 0, locked_at = NULL WHERE id = ?", m.ID); err != nil {
			return err
		}
		m = was
		m.Locked = false
		return audit.Append(ctx, tx, s.Clock.Now(), entry(ctx, by.Actor(), ActionUnblocked, stateOf(was), stateOf(m)))
	})
	if err != nil {
		return Member{}, err
	}
	return m, nil
}

// Deactivate stops a member for good: their sessions end and they can no longer log in. by needs staff.manage
// and must be someone else.
func (s *Service) Deactivate(ctx context.Context, by Member, username string) (Member, error) {
	m, err := s.other(ctx, by, StaffManage, username)
	if err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		was, err := lockMember(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE staff SET active = 0, deactivated_at = ? WHERE id = ? AND active = 1",
			db.Micros(now), m.ID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, m.ID, now); err != nil {
			return err
		}
		m = was
		m.Active = false
		return audit.Append(ctx, tx, now, entry(ctx, by.Actor(), ActionDeactivated, stateOf(was), stateOf(m)))
	})
	if err != nil {
		return Member{}, err
	}
	return m, nil
}

// ResetTOTP gives a member a new TOTP secret (a lost or replaced phone), shown once: the old one stops working
// at once and their sessions end. by needs staff.manage and must be someone else.
func (s *Service) ResetTOTP(ctx context.Context, by Member, username string) (Member, Enrolment, error) {
	m, err := s.other(ctx, by, StaffManage, username)
	if err != nil {
		return Member{}, Enrolment{}, err
	}
	raw, err := newSecret("")
	if err != nil {
		return Member{}, Enrolment{}, err
	}
	sealed, err := s.seal(m.ID, raw)
	if err != nil {
		return Member{}, Enrolment{}, err
	}
	enrol, err := enrolment(m.Username, raw)
	if err != nil {
		return Member{}, Enrolment{}, err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		was, err := lockMember(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		// totp_step stays: a code of the new secret at a step already used waits for the next step (30 s at most),
		// which keeps "a step is used once" true across secrets.
		if _, err := tx.Exec(ctx, "UPDATE staff SET totp_secret = ? WHERE id = ?", sealed, m.ID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, m.ID, now); err != nil {
			return err
		}
		after := stateOf(was)
		after.TOTPReset = true
		return audit.Append(ctx, tx, now, entry(ctx, by.Actor(), ActionTOTPReset, stateOf(was), after))
	})
	if err != nil {
		return Member{}, Enrolment{}, err
	}
	return m, enrol, nil
}

// endSessions ends a member's sessions and forgets their logins half-way.
func endSessions(ctx context.Context, tx *db.Tx, staffID string, now time.Time) error {
	if _, err := tx.Exec(ctx, "UPDATE staff_sessions SET ended_at = ? WHERE staff_id = ? AND ended_at IS NULL",
		db.Micros(now), staffID); err != nil {
		return fmt.Errorf("end staff sessions: %w", err)
	}
	_, err := tx.Exec(ctx, "DELETE FROM staff_login_steps WHERE staff_id = ?", staffID)
	return err
}
