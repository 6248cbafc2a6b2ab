package cardnetwork

import "github.com/kumbara/kumbara"

var (
	// ErrDown is the network sandbox told to be down: nothing reaches the issuer.
	ErrDown = kumbara.NewError(kumbara.KindUnavailable, "card_network_down")
	// ErrKindInvalid is a presentment of a kind other than purchase, cash and refund.
	ErrKindInvalid = kumbara.NewError(kumbara.KindInvalid, "card_presentment_kind_invalid").Field("kind")
)

// Errors lists every code of this package.
func Errors() []*kumbara.Error { return []*kumbara.Error{ErrDown, ErrKindInvalid} }
