package staff

// Logging in with a passkey instead of the TOTP code: after Login's password, BeginPasskeyLogin asks the browser
// for an assertion by one of the step's member's passkeys, and FinishPasskeyLogin opens the session as Verify
// does: the step must be live and is used once (staff_step_invalid), the attempt is counted as a failure before it
// is checked and given back when it proves right (staff_locked at LockAfter, the TOTP's and the passkey's failures
// counted together), and the session is a staff session like any other.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/passkey/credential"
)

// passkeyFactor is the After of a passkey login's audit entries.
var passkeyFactor = map[string]string{"factor": "passkey"}

// BeginPasskeyLogin returns the assertion options of a login step (Login's Step.Token) for the browser
// (PublicKeyCredentialRequestOptionsJSON, what navigator.credentials.get takes as publicKey once its base64url
// fields are bytes): the challenge, the step's member's passkeys only (allowCredentials) and user verification
// required. A step unknown, used or past its time is staff_step_invalid; a member without passkeys
// staff_passkey_none, a locked or deactivated one staff_locked or staff_inactive. Beginning again for the same
// step replaces its ceremony: only the latest options' answer finishes the login.
func (s *Service) BeginPasskeyLogin(ctx context.Context, stepToken string) (optionsJSON []byte, err error) {
	p, err := s.passkeys()
	if err != nil {
		return nil, err
	}
	sth, staffID, err := s.liveStep(ctx, stepToken)
	if err != nil {
		return nil, err
	}
	m, _, err := s.credentials(ctx, staffID)
	switch {
	case err != nil:
		return nil, err
	case !m.Active:
		return nil, ErrInactive
	case m.Locked:
		return nil, ErrLocked
	}
	u, err := s.passkeyUser(ctx, p, m)
	if err != nil {
		return nil, err
	}
	if len(u.Creds) == 0 {
		return nil, ErrPasskeyNone
	}
	assertion, sd, err := p.wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, fmt.Errorf("staff passkey login: %w", err)
	}
	if err := s.beginCeremony(ctx, sth, ceremonyLogin, m.ID, sd); err != nil {
		return nil, err
	}
	return credential.Options(assertion.Response)
}

// FinishPasskeyLogin completes a login step with the browser's answer (AuthenticationResponseJSON) to the step's
// latest BeginPasskeyLogin and opens a session, as Verify does with a TOTP code. The step must be live
// (staff_step_invalid, and the login starts again). An answer that does not verify — another member's passkey,
// one removed, no user verification, a cloned authenticator, a used or expired ceremony — is
// staff_passkey_invalid, counts towards the lockout (staff_locked at it) and leaves the step for another begin. A
// right answer is used up with its step, clears the member's failures and opens the session. Each outcome is in
// the audit log: staff.login with {"factor":"passkey"}, or staff.login.failed with the refusal's code.
func (s *Service) FinishPasskeyLogin(ctx context.Context, stepToken string, responseJSON []byte) (Session, error) {
	p, err := s.passkeys()
	if err != nil {
		return Session{}, err
	}
	sth, staffID, err := s.liveStep(ctx, stepToken)
	if err != nil {
		return Session{}, err
	}
	m, _, err := s.credentials(ctx, staffID)
	if err != nil {
		return Session{}, err
	}
	if err := s.reserve(ctx, m.ID); err != nil {
		return Session{}, s.passkeyRefused(ctx, m, actionPasskeyRefused, passkeyFactor, err)
	}
	sess, err := s.passkeySession(ctx, p, m, sth, responseJSON)
	switch {
	case err == nil:
		return sess, nil
	case errors.Is(err, ErrPasskeyInvalid):
		return Session{}, s.passkeyRefused(ctx, m, actionPasskeyRefused, passkeyFactor,
			s.failed(ctx, m.ID, ErrPasskeyInvalid))
	}
	if _, refused := kumbara.As(err); !refused {
		// A fault, not a failed answer: the attempt's place is given back, even if ctx ended meanwhile.
		if serr := s.settle(context.WithoutCancel(ctx), m.ID); serr != nil {
			return Session{}, errors.Join(err, serr)
		}
		return Session{}, err
	}
	return Session{}, s.passkeyRefused(ctx, m, actionPasskeyRefused, passkeyFactor, err)
}

// liveStep returns the token hash and the member of a login step that is live: one unknown, used or past its
// time is staff_step_invalid.
func (s *Service) liveStep(ctx context.Context, stepToken string) (sth, staffID string, err error) {
	if stepToken == "" || len(stepToken) > 128 {
		return "", "", ErrStepInvalid
	}
	sth = tokenHash(stepToken)
	var expires int64
	var used sql.NullInt64
	err = s.DB.QueryRow(ctx, "SELECT staff_id, expires_at, used_at FROM staff_login_steps WHERE token_hash = ?", sth).
		Scan(&staffID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (used.Valid || s.Clock.Now().After(db.FromMicros(expires))) {
		return "", "", ErrStepInvalid
	}
	if err != nil {
		return "", "", err
	}
	return sth, staffID, nil
}

// passkeySession verifies the answer to the step's ceremony and, when it holds, opens the session.
func (s *Service) passkeySession(ctx context.Context, p *Passkeys, m Member, sth string, responseJSON []byte) (Session, error) {
	sd, err := s.consumeCeremony(ctx, sth, ceremonyLogin, m.ID)
	if err != nil {
		return Session{}, err
	}
	if len(responseJSON) > MaxPasskeyResponse {
		return Session{}, ErrPasskeyInvalid
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(responseJSON)
	if err != nil {
		return Session{}, ErrPasskeyInvalid
	}
	u, err := s.passkeyUser(ctx, p, m)
	if err != nil {
		return Session{}, err
	}
	// The ceremony allowed only this member's passkeys, and the user handle must be theirs: another member's
	// credential, or one removed since the begin, fails here.
	cred, err := p.wa.ValidateLogin(u, sd, parsed)
	if err != nil || cred.Authenticator.CloneWarning {
		return Session{}, ErrPasskeyInvalid
	}
	i := -1
	for j, c := range u.Creds {
		if bytes.Equal(c.ID, cred.ID) {
			i = j
		}
	}
	if i < 0 {
		return Session{}, ErrPasskeyInvalid
	}
	return s.openPasskeySession(ctx, m, sth, u.IDs[i], u.Counts[i], cred)
}

// openPasskeySession uses the step up, records the passkey's use, clears the member's failures and opens the
// session, with its audit entry, in one transaction; rows are taken in Verify's order (the member, the step),
// then the passkey.
func (s *Service) openPasskeySession(ctx context.Context, m Member, sth, passkeyID string, count uint32,
	cred *webauthn.Credential) (Session, error) {
	now := s.Clock.Now()
	var sess Session
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE staff SET failures = 0, locked_at = NULL WHERE id = ? AND active = 1", m.ID)
		if err != nil {
			return err
		}
		if err := oneRow(res, ErrInactive); err != nil {
			return err
		}
		if sess, err = s.openSession(ctx, tx, m, sth, now); err != nil {
			return err
		}
		// The counter moves only if nobody used the passkey since it was read (two answers with one count cannot
		// both pass), and a passkey removed meanwhile logs nobody in.
		res, err = tx.Exec(ctx, `UPDATE staff_passkeys SET sign_count = ?, flags = ?, last_used_at = ?
			WHERE id = ? AND sign_count = ?`, int64(cred.Authenticator.SignCount), int(cred.Flags.MsgpByte()),
			db.Micros(now), passkeyID, int64(count))
		if err != nil {
			return err
		}
		if err := oneRow(res, ErrPasskeyInvalid); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, passkeyEntry(ctx, m, actionPasskeyLogin,
			map[string]string{"factor": "passkey", "passkey_id": passkeyID}))
	})
	if err != nil {
		return Session{}, err
	}
	return sess, nil
}
