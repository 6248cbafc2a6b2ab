package device

import "github.com/kumbara/kumbara"

// Devices and their trust (A2–A7).
var (
	ErrNotFound    = kumbara.NewError(kumbara.KindNotFound, "device_not_found")    // unknown, or another customer's
	ErrNotTrusted  = kumbara.NewError(kumbara.KindForbidden, "device_not_trusted") // not trusted (A5) for this step
	ErrNotCurrent  = kumbara.NewError(kumbara.KindForbidden, "device_not_current") // not the device the request comes from
	ErrNameInvalid = kumbara.NewError(kumbara.KindInvalid, "device_name_invalid")  // field code
	ErrTypeInvalid = kumbara.NewError(kumbara.KindInvalid, "device_type_invalid")  // field code
	ErrKeyInvalid  = kumbara.NewError(kumbara.KindInvalid, "device_key_invalid")   // field code: no P-256 public key
	// ErrTooManyDevices is one device more than a customer may have active.
	ErrTooManyDevices = kumbara.NewError(kumbara.KindConflict, "too_many_devices")
	// ErrTrustedDeviceLimit is one trusted device more than a customer may have.
	ErrTrustedDeviceLimit = kumbara.NewError(kumbara.KindConflict, "trusted_device_limit")
	// ErrTrustNotOffered is asking to trust a device the bank did not offer to trust.
	ErrTrustNotOffered = kumbara.NewError(kumbara.KindForbidden, "trust_not_offered")
	// ErrScreenLockRequired is trusting a device without a screen lock.
	ErrScreenLockRequired = kumbara.NewError(kumbara.KindConflict, "screen_lock_required")
	// ErrPasswordMismatch is the field code of a new password whose repetition differs.
	ErrPasswordMismatch = kumbara.NewError(kumbara.KindInvalid, "password_mismatch")
)

// Factors a device proves: its signature (biometric login, A4) and its Soft PIN (A6).
var (
	ErrSignatureInvalid = kumbara.NewError(kumbara.KindUnauthorized, "signature_invalid")
	// ErrChallengeInvalid is a biometric login's challenge that is unknown, used or expired.
	ErrChallengeInvalid       = kumbara.NewError(kumbara.KindUnauthorized, "device_challenge_invalid")
	ErrSoftPINInvalid         = kumbara.NewError(kumbara.KindUnauthorized, "soft_pin_invalid")
	ErrSoftPINNotActive       = kumbara.NewError(kumbara.KindConflict, "soft_pin_not_active")
	ErrSoftPINQuestionInvalid = kumbara.NewError(kumbara.KindInvalid, "soft_pin_question_invalid") // field code
)

// The mobile app's version and platform (P2).
var (
	// ErrAppUpdateRequired is an app older than the bank's minimum for its platform.
	ErrAppUpdateRequired  = kumbara.NewError(kumbara.KindUpgradeRequired, "app_update_required")
	ErrAppVersionInvalid  = kumbara.NewError(kumbara.KindInvalid, "app_version_invalid").Field("X-App-Version")
	ErrAppPlatformInvalid = kumbara.NewError(kumbara.KindInvalid, "app_platform_invalid").Field("X-App-Platform")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{
		ErrNotFound, ErrNotTrusted, ErrNotCurrent, ErrNameInvalid, ErrTypeInvalid, ErrKeyInvalid, ErrTooManyDevices,
		ErrTrustedDeviceLimit, ErrTrustNotOffered, ErrScreenLockRequired, ErrPasswordMismatch,
		ErrSignatureInvalid, ErrChallengeInvalid, ErrSoftPINInvalid, ErrSoftPINNotActive, ErrSoftPINQuestionInvalid,
		ErrAppUpdateRequired, ErrAppVersionInvalid, ErrAppPlatformInvalid,
	}
}
