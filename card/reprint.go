package card

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
)

// Reprint blocks a card for good (Replaced) and orders a new one with a new number, for the same holder, kind,
// scheme, accounts and controls, valid DefaultValidYears from today, which keeps the old card's PIN (the PIN
// hashes are bound to the first card's id, pin_ref). The new card is Ordered: it cannot be used until staff mark
// it ready at the branch (MarkReady, which tells the holder by SMS) and hand it over (HandOver). A customer
// confirms with their password. A card that is ordered or ready is card_status_conflict (the reprint is under
// way); a replaced or closed one card_final. It returns the new card.
func (s *Service) Reprint(ctx context.Context, who Who, id, password string) (Card, error) {
	if err := s.precheck(ctx, who, id, reprintable); err != nil {
		return Card{}, err
	}
	if err := s.reauth(ctx, who, password); err != nil {
		return Card{}, err
	}
	ctx = who.acting(ctx)
	now := s.Clock.Now().UTC()
	old, err := s.owned(ctx, who, id)
	if err != nil {
		return Card{}, err
	}
	fresh := Card{CustomerID: old.CustomerID, AccountID: old.AccountID, Kind: old.Kind, Type: old.Type,
		Holder: old.Holder, Currency: old.Currency, Contactless: old.Contactless, Expires: expiry(now, DefaultValidYears),
		Status: Ordered, Controls: old.Controls, Replaces: old.ID, CreatedAt: now, StatusAt: now,
		Supplementary: old.Supplementary}
	// The resolved limits are stored as the card set them: 0 where they were the bank's maximum.
	m := s.Maximum(old.Currency)
	if fresh.Controls.DailyPurchaseLimit >= m.Purchase {
		fresh.Controls.DailyPurchaseLimit = 0
	}
	if fresh.Controls.DailyATMLimit >= m.ATM {
		fresh.Controls.DailyATMLimit = 0
	}
	var o Card
	check := func(tx *db.Tx, _ *Card) error {
		var err error
		if o, err = s.lock(ctx, tx, old.ID); err != nil {
			return err
		}
		return reprintable(o)
	}
	made, err := s.create(ctx, fresh, check, func(tx *db.Tx, c *Card) error {
		if _, err := tx.Exec(ctx, `UPDATE cards SET pin_hash = (SELECT o.pin_hash FROM cards o WHERE o.id = ?),
			pin_pending = (SELECT o.pin_pending FROM cards o WHERE o.id = ?),
			pin_ref = (SELECT CASE WHEN o.pin_ref = '' THEN o.id ELSE o.pin_ref END FROM cards o WHERE o.id = ?)
			WHERE id = ?`, o.ID, o.ID, o.ID, c.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO card_accounts (card_id, account_id, linked_at)
			SELECT ?, account_id, linked_at FROM card_accounts WHERE card_id = ?`, c.ID, o.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE cards SET replaced_by = ? WHERE id = ?", c.ID, o.ID); err != nil {
			return err
		}
		if err := s.changed(ctx, tx, now, &o, ActionReprinted, c.ID, func(o *Card) error {
			return setStatus(ctx, tx, o, Replaced, now)
		}); err != nil {
			return err
		}
		return s.changed(ctx, tx, now, c, ActionOrdered, o.ID, func(*Card) error { return nil })
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return Card{}, err
		}
		return Card{}, fmt.Errorf("reprint card: %w", err)
	}
	return s.resolve(made), nil
}

func reprintable(c Card) error {
	switch {
	case c.Status.final():
		return ErrFinal
	case c.Status == Ordered || c.Status == Ready:
		return ErrStatus
	}
	return nil
}

// changed applies fn to c in tx and records the action in c's history and the audit log, as change does for a
// card already locked.
func (s *Service) changed(ctx context.Context, tx *db.Tx, now time.Time, c *Card, action, detail string,
	fn func(*Card) error) error {
	before := changeState{Card: c.ID, Status: c.Status}
	if err := fn(c); err != nil {
		return err
	}
	if err := s.record(ctx, tx, now, c.ID, event(action), detail); err != nil {
		return err
	}
	return appendEntry(ctx, tx, now, action, *c, before, changeState{Card: c.ID, Status: c.Status, Detail: detail})
}
