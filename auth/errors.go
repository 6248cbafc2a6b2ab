package auth

import "github.com/kumbara/kumbara"

// Sessions and the session gate (Admit).
var (
	// ErrUnauthenticated is a request without a session, or with a token that names none.
	ErrUnauthenticated = kumbara.NewError(kumbara.KindUnauthorized, "unauthenticated")
	// ErrSessionExpired is a session that ended: idle too long, past its lifetime, logged out or ended by the bank.
	ErrSessionExpired = kumbara.NewError(kumbara.KindUnauthorized, "session_expired")
	// ErrSessionNotFound is a session to end that is not one of the customer's.
	ErrSessionNotFound = kumbara.NewError(kumbara.KindNotFound, "session_not_found")
	// ErrAssuranceInsufficient is a partial (password-only) session asking for what needs a full one.
	ErrAssuranceInsufficient = kumbara.NewError(kumbara.KindForbidden, "assurance_insufficient")
	// ErrPasswordChangeRequired is a session whose password was set by staff or has expired (A13), asking for
	// anything but changing it.
	ErrPasswordChangeRequired = kumbara.NewError(kumbara.KindForbidden, "password_change_required")
)

// Logging in.
var (
	// ErrLoginFailed says only that the login did not work: a wrong password, an unknown user and a blocked
	// channel all answer it alike (A14).
	ErrLoginFailed = kumbara.NewError(kumbara.KindUnauthorized, "login_failed")
	// ErrLoginThrottled refuses an attempt before anything is checked or counted (throttle.go), with the parameter
	// retry_after (seconds).
	ErrLoginThrottled = kumbara.NewError(kumbara.KindRateLimited, "login_throttled")
	// ErrChannelBlocked is a channel blocked after too many failed factors (A14), named only to whom proved one.
	ErrChannelBlocked = kumbara.NewError(kumbara.KindForbidden, "channel_blocked")
	// ErrChannelClosed is a channel the bank closed (A16).
	ErrChannelClosed = kumbara.NewError(kumbara.KindForbidden, "channel_closed")
	// ErrWebLoginRequired refuses the app after the bank reactivated the channel, until a login in the internet
	// branch (A16).
	ErrWebLoginRequired = kumbara.NewError(kumbara.KindForbidden, "web_login_required")
	// ErrBusinessUserNotAllowed is a business's user asking for what only the business itself, or another role,
	// may do.
	ErrBusinessUserNotAllowed = kumbara.NewError(kumbara.KindForbidden, "business_user_not_allowed")
	// ErrPasswordWrong is the field code of a wrong current password given to change it (Field names the field).
	ErrPasswordWrong = kumbara.NewError(kumbara.KindInvalid, "password_wrong")
)

// One-time codes sent by SMS (login, registration, recovery; package sca's payment codes answer the same).
var (
	ErrMobileMissing      = kumbara.NewError(kumbara.KindUnprocessable, "mobile_missing") // no number to send it to
	ErrChallengeNotFound  = kumbara.NewError(kumbara.KindUnauthorized, "challenge_not_found")
	ErrOTPInvalid         = kumbara.NewError(kumbara.KindUnauthorized, "otp_invalid")
	ErrOTPExpired         = kumbara.NewError(kumbara.KindUnauthorized, "otp_expired")
	ErrOTPUsed            = kumbara.NewError(kumbara.KindUnauthorized, "otp_used")
	ErrOTPTooManyAttempts = kumbara.NewError(kumbara.KindUnauthorized, "otp_too_many_attempts")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{
		ErrUnauthenticated, ErrSessionExpired, ErrSessionNotFound, ErrAssuranceInsufficient, ErrPasswordChangeRequired,
		ErrLoginFailed, ErrLoginThrottled, ErrChannelBlocked, ErrChannelClosed, ErrWebLoginRequired,
		ErrBusinessUserNotAllowed, ErrPasswordWrong,
		ErrMobileMissing, ErrChallengeNotFound, ErrOTPInvalid, ErrOTPExpired, ErrOTPUsed, ErrOTPTooManyAttempts,
	}
}
