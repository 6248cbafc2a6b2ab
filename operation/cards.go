package operation

import (
	"context"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/staff"
)

// What staff do to cards (staff.CardBlock): block and reactivate, reprint, mark a reprinted card ready at the
// branch and hand it over, at once; reactivating a card its holder reported lost always waits for a second member
// (kind card.reactivate_lost), since the card was out of the holder's hands and whoever asks may not be them.

// BlockCard blocks a card for a while or as lost (card.Service.Block), at once.
func (s *Service) BlockCard(ctx context.Context, by staff.Member, id string, reason card.BlockReason) (card.Card, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return card.Card{}, err
	}
	return s.Cards.Block(acting(ctx, by), card.Staff(), id, reason)
}

// UnblockCard reactivates a card blocked for a while, at once; a lost one is card_lost_reactivation (ReactivateLostCard).
func (s *Service) UnblockCard(ctx context.Context, by staff.Member, id string) (card.Card, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return card.Card{}, err
	}
	return s.Cards.Unblock(acting(ctx, by), card.Staff(), id, "")
}

// ReprintCard replaces a card by a new one with a new number, ordered for the branch (card.Service.Reprint).
func (s *Service) ReprintCard(ctx context.Context, by staff.Member, id string) (card.Card, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return card.Card{}, err
	}
	return s.Cards.Reprint(acting(ctx, by), card.Staff(), id, "")
}

// MarkCardReady records that a reprinted card is at the branch; its holder is told by SMS.
func (s *Service) MarkCardReady(ctx context.Context, by staff.Member, id string) (card.Card, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return card.Card{}, err
	}
	return s.Cards.MarkReady(acting(ctx, by), id)
}

// HandOverCard records that the holder collected a reprinted card: it works from now.
func (s *Service) HandOverCard(ctx context.Context, by staff.Member, id string) (card.Card, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return card.Card{}, err
	}
	return s.Cards.HandOver(acting(ctx, by), id)
}

// CardReactivation is the payload of a lost card's reactivation.
type CardReactivation struct {
	CardID string `json:"card_id"`
}

// ReactivateLostCard asks for a card reported lost to be reactivated: always four-eyes. The card is checked first,
// so a card that is not lost is refused before it waits.
func (s *Service) ReactivateLostCard(ctx context.Context, by staff.Member, id string) (Outcome, error) {
	if err := by.Require(staff.CardBlock); err != nil {
		return Outcome{}, err
	}
	c, err := s.Cards.Find(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if c.Status != card.Lost {
		return Outcome{}, card.ErrStatus
	}
	return s.do(ctx, by, KindCardReactivateLost, CardReactivation{CardID: c.ID}, held{customerID: c.CustomerID,
		accountID: c.AccountID})
}

func (s *Service) runCardReactivateLost(ctx context.Context, payload []byte) (string, error) {
	r, err := decode[CardReactivation](payload)
	if err != nil {
		return "", err
	}
	c, err := s.Cards.ReactivateLost(ctx, r.CardID)
	return c.ID, err
}
