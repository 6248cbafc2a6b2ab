package issuing

import "github.com/kumbara/kumbara"

// The codes of the issuer's side of card payments. A decline is not one of them: it is an answer (Reason), given
// to the network with a 200; these are requests the issuer cannot take at all.
var (
	// ErrAuthorisationNotFound is an authorisation the issuer never answered, or a card's that is not the
	// customer's.
	ErrAuthorisationNotFound = kumbara.NewError(kumbara.KindNotFound, "card_authorisation_not_found")
	// ErrAuthorisationReused is a network id the issuer answered for another request.
	ErrAuthorisationReused = kumbara.NewError(kumbara.KindConflict, "card_authorisation_reused").Field("id")
	// ErrNotReversible is a reversal of an authorisation that was declined, cleared or reversed already, or whose
	// hold expired.
	ErrNotReversible = kumbara.NewError(kumbara.KindConflict, "card_authorisation_not_reversible")
	// ErrMCCInvalid is a merchant category code that is not four digits.
	ErrMCCInvalid = kumbara.NewError(kumbara.KindInvalid, "card_mcc_invalid").Field("mcc")
	// ErrCountryInvalid is a merchant country that is not two capital letters (ISO 3166-1 alpha-2).
	ErrCountryInvalid = kumbara.NewError(kumbara.KindInvalid, "card_country_invalid").Field("country")
	// ErrEntryModeInvalid is an entry mode other than chip, contactless, magstripe and ecommerce.
	ErrEntryModeInvalid = kumbara.NewError(kumbara.KindInvalid, "card_entry_mode_invalid").Field("entry_mode")
	// ErrClearingFileInvalid is a clearing file that does not follow the format (parameter line: the first line
	// at fault); nothing of it is posted.
	ErrClearingFileInvalid = kumbara.NewError(kumbara.KindInvalid, "card_clearing_file_invalid")
	// ErrClearingNotFound is a presentment the issuer never posted.
	ErrClearingNotFound = kumbara.NewError(kumbara.KindNotFound, "card_clearing_not_found")
	// ErrNotDisputable is a dispute on a presentment that is not a posted purchase or cash withdrawal, or one
	// disputed already.
	ErrNotDisputable = kumbara.NewError(kumbara.KindConflict, "card_clearing_not_disputable")
	// ErrDisputeNotFound is a dispute that does not exist.
	ErrDisputeNotFound = kumbara.NewError(kumbara.KindNotFound, "card_dispute_not_found")
	// ErrDisputeDecided is a decision on a dispute that was decided already.
	ErrDisputeDecided = kumbara.NewError(kumbara.KindConflict, "card_dispute_decided")
	// ErrStatusInvalid is a transaction list asked for by a status other than pending, completed and declined.
	ErrStatusInvalid = kumbara.NewError(kumbara.KindInvalid, "card_transaction_status_invalid").Field("status")
)

// Errors lists every code of this package, for the registry (errcodes) and the catalogue's tests.
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrAuthorisationNotFound, ErrAuthorisationReused, ErrNotReversible, ErrMCCInvalid,
		ErrCountryInvalid, ErrEntryModeInvalid, ErrClearingFileInvalid, ErrClearingNotFound, ErrNotDisputable,
		ErrDisputeNotFound, ErrDisputeDecided, ErrStatusInvalid}
}
