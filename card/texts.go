package card

// TextReady is the SMS that tells the holder their reprinted card is ready at the branch
// (i18n/locales/sms.*.toml): {card} its last four digits, {at} the day.
const TextReady = "sms_card_ready"

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextReady} }
