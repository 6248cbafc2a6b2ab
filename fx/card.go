package fx

import (
	"context"

	"github.com/kumbara/kumbara/money"
)

// CardPurchase prices a card spending spent (in the currency the merchant charged) from an account in account:
// the bank sells the card's holder spent at the card network's rate (the Card segment's sell rate), and the
// price's Sell is what the account pays, rounded once (half-up). The same figures for an authorisation's hold and
// its clearing, so a presentment for the amount authorised captures what was held at an unchanged rate.
func (s *Service) CardPurchase(ctx context.Context, account money.Currency, spent money.Amount) (Price, error) {
	return s.Calculate(ctx, Calculation{Sell: account, Buy: spent.Currency, Side: SideBuy, Amount: spent.Decimal(),
		Segment: Card})
}

// CardRefund prices money a merchant gives back to a card (a refund, a chargeback won) in another currency than
// its account's: the bank buys refunded at the Card segment's buy rate, and the price's Buy is what the account
// receives, rounded once (half-up).
func (s *Service) CardRefund(ctx context.Context, refunded money.Amount, account money.Currency) (Price, error) {
	return s.Calculate(ctx, Calculation{Sell: refunded.Currency, Buy: account, Side: SideSell,
		Amount: refunded.Decimal(), Segment: Card})
}
