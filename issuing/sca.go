package issuing

import (
	"context"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
)

// Authentication is the 3-D Secure result an online purchase's authorisation carries: the network's reference of
// the approval it asked the bank's access control server for, and the authentication value the server gave it
// once the holder approved.
type Authentication struct {
	Reference, Value string
	CardID           string
	Amount           money.Amount
	AuthorisationID  string
}

// Authenticator is the bank's access control server as the issuer asks it (package threeds, wired in app):
// whether the authentication is good for this card, amount and currency, and unused by another authorisation —
// answering true marks it used by this one.
type Authenticator interface {
	Authenticate(ctx context.Context, a Authentication) (bool, error)
}

// authenticate applies strong customer authentication to an online purchase: one carrying a 3-D Secure result is
// authentication_failed unless the access control server vouches for it (Authenticator); one without is
// authentication_required above the low-value exemption (PSD2 RTS art. 16: Config.LowValueLimit, in euro at the
// card network's rate), or when, with it, the card's unauthenticated online approvals since its last
// authenticated one would be more than Config.LowValueCount or total more than Config.LowValueTotal. Card-present
// purchases and incremental authorisations (the merchant adding to one the holder already made) are not asked.
// Called last before the hold is placed, so that an authentication is spent only by a request that could
// otherwise be approved (funds excepted: the ledger decides those as it places the hold).
func (s *Service) authenticate(ctx context.Context, r Request, a *authorisation) (Reason, error) {
	if r.EntryMode != EntryEcommerce || r.OriginalID != "" {
		return "", nil
	}
	if r.ThreeDSRef != "" || r.ThreeDSValue != "" {
		if s.ThreeDS == nil {
			return AuthenticationFailed, nil
		}
		ok, err := s.ThreeDS.Authenticate(ctx, Authentication{Reference: r.ThreeDSRef, Value: r.ThreeDSValue,
			CardID: r.CardID, Amount: r.Amount, AuthorisationID: r.ID})
		if err != nil {
			return "", fmt.Errorf("card authentication: %w", err)
		}
		if !ok {
			return AuthenticationFailed, nil
		}
		a.Authenticated = true
		return "", nil
	}
	cfg := s.config()
	eur, err := s.inCurrency(ctx, r.Amount, money.EUR)
	if errors.Is(err, fx.ErrNoRate) {
		// Without a rate the amount cannot be counted in euro: the exemption is the issuer's to grant, so none is.
		return AuthenticationRequired, nil
	}
	if err != nil {
		return "", err
	}
	a.SCAAmount = eur.Minor
	if eur.Minor > cfg.LowValueLimit {
		return AuthenticationRequired, nil
	}
	n, total, err := s.sinceAuthenticated(ctx, r.CardID)
	if err != nil {
		return "", err
	}
	if n+1 > int64(cfg.LowValueCount) || total+eur.Minor > cfg.LowValueTotal {
		return AuthenticationRequired, nil
	}
	return "", nil
}

// sinceAuthenticated is the count and the total (euro cents) of the card's unauthenticated online purchases
// approved since its last authenticated one (reversed ones included: the holder did not authenticate them either).
func (s *Service) sinceAuthenticated(ctx context.Context, cardID string) (n, total int64, err error) {
	err = s.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(sca_amount), 0) FROM card_authorisations
		WHERE card_id = ? AND entry_mode = ? AND approved = 1 AND authenticated = 0 AND parent_id = ''
		AND created_at > (SELECT COALESCE(MAX(created_at), -1) FROM card_authorisations
			WHERE card_id = ? AND entry_mode = ? AND approved = 1 AND authenticated = 1)`,
		cardID, EntryEcommerce, cardID, EntryEcommerce).Scan(&n, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("card low-value exemption: %w", err)
	}
	return n, total, nil
}
