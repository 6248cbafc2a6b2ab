package transfer

// Keys of the texts this package writes (i18n/locales/texts.*.toml and sms.*.toml), rendered in the reader's
// language.
const (
	// TextDefault is the description of a transfer's postings when the customer typed none ("Transfertë").
	TextDefault = "tx_transfer_default"
	// TextPaymentFailed tells the payer a confirmed payment was not made: {amount}, {payee}, {iban}.
	TextPaymentFailed = "sms_payment_failed"
	// TextPayeeCredited tells the phone a transfer named that money arrived: {payer}, {amount}.
	TextPayeeCredited = "sms_payee_credited"
)

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextDefault, TextPaymentFailed, TextPayeeCredited} }
