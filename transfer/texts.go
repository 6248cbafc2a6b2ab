package transfer

import "github.com/kumbara/kumbara/vop"

// Keys of the texts this package writes (i18n/locales/texts.*.toml and sms.*.toml), rendered in the reader's
// language.
const (
	// TextDefault is the description of a transfer's postings when the customer typed none ("Transfertë").
	TextDefault = "tx_transfer_default"
	// TextPaymentFailed tells the payer a confirmed payment was not made: {amount}, {payee}, {iban}.
	TextPaymentFailed = "sms_payment_failed"
	// TextPayeeCredited tells the phone a transfer named that money arrived: {payer}, {amount}.
	TextPayeeCredited = "sms_payee_credited"
	// TextVerification labels the receipt's name check; TextVerification + "_" + a vop.Result says its result,
	// and TextVerificationName gives the name on the account of a close match: {name}. The words of the payment
	// receipt's (and web pages') name check, so a payer reads one check in one way wherever they paid.
	TextVerification     = "web_pay_vop"
	TextVerificationName = "web_pay_vop_name"
)

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string {
	texts := []string{TextDefault, TextPaymentFailed, TextPayeeCredited, TextVerification, TextVerificationName}
	for _, r := range []vop.Result{vop.Match, vop.CloseMatch, vop.NoMatch, vop.NotPossible} {
		texts = append(texts, TextVerification+"_"+string(r))
	}
	return texts
}
