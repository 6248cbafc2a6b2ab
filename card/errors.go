package card

import "github.com/kumbara/kumbara"

var (
	ErrNotFound    = kumbara.NewError(kumbara.KindNotFound, "card_not_found")
	ErrPINInvalid  = kumbara.NewError(kumbara.KindUnauthorized, "card_pin_invalid")
	ErrPINBlocked  = kumbara.NewError(kumbara.KindForbidden, "card_pin_blocked") // the third wrong PIN, until a branch unblocks it
	ErrTypeInvalid = kumbara.NewError(kumbara.KindInvalid, "card_type_invalid").Field("type")
	// ErrPINWeak covers a malformed PIN too: to a customer choosing one, "not 4 digits" and "too easy" are the same
	// instruction — pick another.
	ErrPINWeak = kumbara.NewError(kumbara.KindInvalid, "card_pin_weak").Field("pin")

	// ErrFinal: the card was replaced by a reprint or closed; nothing can be done to it any more.
	ErrFinal = kumbara.NewError(kumbara.KindConflict, "card_final")
	// ErrStatus: the action does not fit the card's status (reactivating an active card, blocking a card that is
	// still at the branch…).
	ErrStatus = kumbara.NewError(kumbara.KindConflict, "card_status_conflict")
	// ErrLostReactivation: a card reported lost or stolen is reactivated only by the bank, with a second member's
	// approval (operation card.reactivate_lost), never by its holder.
	ErrLostReactivation = kumbara.NewError(kumbara.KindForbidden, "card_lost_reactivation")
	// ErrNotWaiting: marking ready or handing over a card that is not waiting for it.
	ErrNotWaiting = kumbara.NewError(kumbara.KindConflict, "card_not_waiting")
	// ErrLinkLimit: a debit card already has MaxLinked accounts besides its primary.
	ErrLinkLimit = kumbara.NewError(kumbara.KindConflict, "card_link_limit")
	// ErrAccountIneligible: only the holder's own active current accounts can be linked, and only to a debit card.
	ErrAccountIneligible = kumbara.NewError(kumbara.KindInvalid, "card_account_ineligible").Field("account_id")
	ErrAlreadyLinked     = kumbara.NewError(kumbara.KindConflict, "card_account_already_linked").Field("account_id")
	ErrNotLinked         = kumbara.NewError(kumbara.KindNotFound, "card_account_not_linked").Field("account_id")
	// ErrPrimaryUnlink: the primary account stays linked for the card's life.
	ErrPrimaryUnlink = kumbara.NewError(kumbara.KindConflict, "card_primary_unlink").Field("account_id")
	// ErrLimitTooHigh: a daily limit above the bank's maximum (param max); ErrLimitInvalid: a negative one.
	ErrLimitTooHigh = kumbara.NewError(kumbara.KindInvalid, "card_limit_too_high")
	ErrLimitInvalid = kumbara.NewError(kumbara.KindInvalid, "card_limit_invalid")
	// ErrBlockReason: a block's reason is temporary or lost.
	ErrBlockReason = kumbara.NewError(kumbara.KindInvalid, "card_block_reason_invalid").Field("reason")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotFound, ErrPINInvalid, ErrPINBlocked, ErrTypeInvalid, ErrPINWeak, ErrFinal, ErrStatus,
		ErrLostReactivation, ErrNotWaiting, ErrLinkLimit, ErrAccountIneligible, ErrAlreadyLinked, ErrNotLinked,
		ErrPrimaryUnlink, ErrLimitTooHigh, ErrLimitInvalid, ErrBlockReason}
}
