package sca

// TextPaymentCode is the SMS that carries a payment's code (i18n/locales/sms.*.toml): {code}, {amount}, {payee},
// {iban}, and {trust} when confirming also trusts the payee.
const TextPaymentCode = "sms_payment_code"

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextPaymentCode} }
