package staff

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// The audit actions of staff (package audit). A change is appended in its own transaction, by the member acting;
// a login's failures, which change nothing but a count, each in a transaction of their own (audit.Record). No
// entry holds a password or a TOTP secret.
const (
	ActionCreated         = "staff.created"          // after: the new member (username, branch, roles…)
	ActionUnblocked       = "staff.unblocked"        // before/after: the member, locked and not
	ActionDeactivated     = "staff.deactivated"      // before/after: the member, active and not
	ActionTOTPReset       = "staff.totp_reset"       // a new TOTP secret; the member's sessions ended
	ActionPasswordChanged = "staff.password_changed" // the member changed their own password
	ActionLogin           = "staff.login"            // a session opened; after: the factor and the session's id
	ActionLoginFailed     = "staff.login.failed"     // a wrong password or code, or a refused member; the result is the code
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionCreated, ActionUnblocked, ActionDeactivated, ActionTOTPReset, ActionPasswordChanged,
		ActionLogin, ActionLoginFailed, ActionPasskeyAdded, ActionPasskeyRemoved}
}

// Actor is the member as the audit log names who acted: their username and their roles.
func (m Member) Actor() audit.Actor { return audit.StaffActor(m.Username, joinRoles(m.Roles)) }

// memberState is what an entry keeps of a member it is about: who they are to the bank, not their secrets.
type memberState struct {
	Username   string `json:"username"`
	Branch     string `json:"branch,omitempty"`
	Roles      string `json:"roles,omitempty"`
	Active     bool   `json:"active"`
	Locked     bool   `json:"locked"`
	MustChange bool   `json:"must_change_password"`
	Bootstrap  bool   `json:"bootstrap,omitempty"` // the bank's first member, created by the operator
	TOTPReset  bool   `json:"totp_reset,omitempty"`
}

func stateOf(m Member) memberState {
	return memberState{Username: m.Username, Branch: m.Branch, Roles: joinRoles(m.Roles), Active: m.Active,
		Locked: m.Locked, MustChange: m.MustChangePassword}
}

// entry is the entry of action by actor, with the state before (nil: none) and after.
func entry(ctx context.Context, actor audit.Actor, action string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: actor, Action: action, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

// factorState is what a login's entry says of the factor.
type factorState struct {
	Factor  string `json:"factor"`            // password, totp, current_password (passkey: passkey.go)
	Session string `json:"session,omitempty"` // the session opened
}

// loginFailed records a refused login step of m (the zero Member for a username that names nobody, which is
// not recorded as typed: it may be a password in the wrong field). Only the bank's refusals are recorded: a
// failure of the database is no answer about the member. A failure to record is not the member's answer either:
// the refusal is, so it is returned as it came.
func (s *Service) loginFailed(ctx context.Context, m Member, factor string, refusal error) error {
	e, ok := kumbara.As(refusal)
	if !ok || db.IsFault(refusal) {
		return refusal
	}
	actor := audit.Actor{Kind: audit.ActorStaff}
	if m.Username != "" {
		actor = m.Actor()
	}
	entry := entry(ctx, actor, ActionLoginFailed, nil, factorState{Factor: factor})
	entry.Result = e.Code
	_ = audit.Record(context.WithoutCancel(ctx), s.DB, s.Clock.Now(), entry)
	return refusal
}

// lockMember reads a member in tx and locks their row, for the state an entry records before a change.
func lockMember(ctx context.Context, tx *db.Tx, id string) (Member, error) {
	m, err := scanMember(tx.QueryRow(ctx, "SELECT "+memberColumns+" FROM staff WHERE id = ?"+tx.DB().ForUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	return m, err
}
