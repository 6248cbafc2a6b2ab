package auth

// Keys of the SMS this package sends (i18n/locales/sms.*.toml), in the customer's language.
const (
	TextLoginCode        = "sms_login_code"        // {code}
	TextRegistrationCode = "sms_registration_code" // {code}
	TextRecoveryCode     = "sms_recovery_code"     // {code}
	TextPasswordChanged  = "sms_password_changed"
	TextBlocked          = "sms_blocked" // {failures}: how many wrong attempts blocked the channel (A14)
)

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string {
	return []string{TextLoginCode, TextRegistrationCode, TextRecoveryCode, TextPasswordChanged, TextBlocked}
}
