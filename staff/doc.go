// Package staff is the bank's staff: members (username, full name, branch, roles, active), what each role may do
// (one table, roles.go: a member is asked for a Permission, never for a role name), their passwords (argon2id
// under a policy stricter than the customers' A11, password.go), their second factor (TOTP, RFC 6238, totp.go),
// the lockout after five consecutive failures that another member lifts, and staff sessions, which are apart from
// customers' (own table, idle 15 minutes, 10 hours at most; login.go). A passkey (WebAuthn) may stand in for the
// TOTP code (passkey.go, passkey_login.go).
//
// The entry points the back office and the staff commands call: Login (username and password → a Step), Verify
// (the step and a TOTP code → a Session) or BeginPasskeyLogin and FinishPasskeyLogin (the step and a passkey's
// answer → a Session), Admit (a session's token → the Member), Logout; Create (the first member by the operator,
// the others by a member with staff.manage), List, Unblock, Deactivate, ResetTOTP and ChangePassword; a member's
// own passkeys: BeginPasskeyRegistration, FinishPasskeyRegistration, ListPasskeys, RemovePasskey.
//
// Tables: staff, staff_password_history, staff_login_steps, staff_sessions, staff_passkeys,
// staff_passkey_ceremonies.
package staff
