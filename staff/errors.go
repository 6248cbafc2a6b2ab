package staff

import "github.com/kumbara/kumbara"

var (
	// ErrLoginFailed is a wrong username or password: the same answer for both, so a login says nothing about who
	// works at the bank.
	ErrLoginFailed = kumbara.NewError(kumbara.KindUnauthorized, "staff_login_failed")
	// ErrCodeInvalid is a wrong, replayed or out-of-time TOTP code; it counts towards the lockout.
	ErrCodeInvalid = kumbara.NewError(kumbara.KindUnauthorized, "staff_code_invalid")
	// ErrStepInvalid is a login step that is unknown, used or past its five minutes: the login starts again.
	ErrStepInvalid = kumbara.NewError(kumbara.KindUnauthorized, "staff_step_invalid")
	// ErrLocked is a member locked out after LockAfter consecutive failures, until another member unblocks them.
	ErrLocked = kumbara.NewError(kumbara.KindForbidden, "staff_locked")
	// ErrInactive is a deactivated member.
	ErrInactive = kumbara.NewError(kumbara.KindForbidden, "staff_inactive")
	// ErrUnauthenticated is a request without a staff session, or with a token that names none (a customer's
	// session token among them: the two never cross).
	ErrUnauthenticated = kumbara.NewError(kumbara.KindUnauthorized, "staff_unauthenticated")
	// ErrSessionExpired is a staff session that ended: idle too long, past its lifetime, logged out or ended by
	// the bank.
	ErrSessionExpired = kumbara.NewError(kumbara.KindUnauthorized, "staff_session_expired")
	// ErrPermissionDenied is a member whose roles do not grant the permission an operation needs.
	ErrPermissionDenied = kumbara.NewError(kumbara.KindForbidden, "staff_permission_denied")
	// ErrNotFound is an unknown staff username.
	ErrNotFound = kumbara.NewError(kumbara.KindNotFound, "staff_not_found")
	// ErrExists is a username already taken.
	ErrExists = kumbara.NewError(kumbara.KindConflict, "staff_exists")
	// ErrSelf refuses a member acting on themselves where another member must act (unblock, deactivate, a new
	// TOTP secret).
	ErrSelf = kumbara.NewError(kumbara.KindForbidden, "staff_self_refused")
	// ErrBootstrapClosed refuses creating a member without an acting member once the bank has staff.
	ErrBootstrapClosed = kumbara.NewError(kumbara.KindConflict, "staff_bootstrap_closed")

	// ErrPasskeysUnavailable: the bank runs without a WebAuthn relying party (no passkeys configured), so staff
	// passkeys are not offered; the TOTP code remains.
	ErrPasskeysUnavailable = kumbara.NewError(kumbara.KindNotFound, "staff_passkeys_unavailable")
	// ErrPasskeyInvalid is every failed login with a passkey: a refused assertion (another member's credential,
	// no user verification, a cloned authenticator) or an unknown, used or expired ceremony; it counts towards the
	// lockout, like a wrong code.
	ErrPasskeyInvalid = kumbara.NewError(kumbara.KindUnauthorized, "staff_passkey_invalid")
	// ErrPasskeyRegistrationFailed is a passkey not added: a refused attestation or an unknown, used or expired
	// ceremony.
	ErrPasskeyRegistrationFailed = kumbara.NewError(kumbara.KindInvalid, "staff_passkey_registration_failed")
	// ErrPasskeyNotFound is an unknown passkey, or another member's.
	ErrPasskeyNotFound = kumbara.NewError(kumbara.KindNotFound, "staff_passkey_not_found")
	// ErrPasskeyLimit refuses a passkey beyond MaxPasskeys.
	ErrPasskeyLimit = kumbara.NewError(kumbara.KindUnprocessable, "staff_passkey_limit")
	// ErrPasskeyNone is a passkey login of a member who has none: the TOTP code it is.
	ErrPasskeyNone = kumbara.NewError(kumbara.KindUnprocessable, "staff_passkey_none")

	ErrUsernameInvalid  = kumbara.NewError(kumbara.KindInvalid, "staff_username_invalid").Field("username")
	ErrNameInvalid      = kumbara.NewError(kumbara.KindInvalid, "staff_name_invalid").Field("full_name")
	ErrBranchInvalid    = kumbara.NewError(kumbara.KindInvalid, "staff_branch_invalid").Field("branch")
	ErrRoleUnknown      = kumbara.NewError(kumbara.KindInvalid, "staff_role_unknown").Field("roles")
	ErrRolesRequired    = kumbara.NewError(kumbara.KindInvalid, "staff_roles_required").Field("roles")
	ErrFirstNotAdmin    = kumbara.NewError(kumbara.KindInvalid, "staff_first_not_admin").Field("roles")
	ErrPasswordTooShort = kumbara.NewError(kumbara.KindInvalid, "staff_password_length").Field("password")

	ErrPasskeyNameInvalid = kumbara.NewError(kumbara.KindInvalid, "staff_passkey_name_invalid").Field("name")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrLoginFailed, ErrCodeInvalid, ErrStepInvalid, ErrLocked, ErrInactive,
		ErrUnauthenticated, ErrSessionExpired, ErrPermissionDenied, ErrNotFound, ErrExists, ErrSelf,
		ErrBootstrapClosed, ErrUsernameInvalid, ErrNameInvalid, ErrBranchInvalid, ErrRoleUnknown, ErrRolesRequired,
		ErrFirstNotAdmin, ErrPasswordTooShort, ErrPasskeysUnavailable, ErrPasskeyInvalid, ErrPasskeyRegistrationFailed,
		ErrPasskeyNotFound, ErrPasskeyLimit, ErrPasskeyNone, ErrPasskeyNameInvalid}
}
