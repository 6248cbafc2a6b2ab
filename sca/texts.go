package sca

// TextPaymentCode is the SMS that carries a payment's code (i18n/locales/sms.*.toml): {code}, {amount}, {payee},
// {iban}, and {trust} when confirming also trusts the payee.
const TextPaymentCode = "sms_payment_code"

// TextPurchaseCode is the SMS that carries the code approving an online card purchase (3-D Secure): {code},
// {amount}, {merchant}, {card} (the masked number).
const TextPurchaseCode = "sms_card_purchase_code"

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextPaymentCode, TextPurchaseCode} }
