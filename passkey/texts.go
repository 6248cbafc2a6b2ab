package passkey

// TextAdded is the SMS that tells the customer a passkey was added (i18n/locales/sms.*.toml): {name}, {at}.
const TextAdded = "sms_passkey_added"

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextAdded} }
