package app

import (
	"context"

	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/threeds"
)

// threedsIssuer lets the issuer ask the bank's access control server whether a purchase is authenticated.
type threedsIssuer struct{ s *threeds.Service }

func (t threedsIssuer) Authenticate(ctx context.Context, a issuing.Authentication) (bool, error) {
	return t.s.Redeem(ctx, threeds.Use{NetworkRef: a.Reference, Value: a.Value, CardID: a.CardID, Amount: a.Amount,
		AuthorisationID: a.AuthorisationID})
}
