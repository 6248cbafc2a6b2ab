package issuing

import (
	"context"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/card"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// chain is an approved authorisation with its incremental ones, the original first.
func (s *Service) chain(ctx context.Context, id string) ([]authorisation, error) {
	if !text.Storable(id) {
		return nil, ErrAuthorisationNotFound
	}
	rows, err := s.DB.Query(ctx, "SELECT "+authColumns+` FROM card_authorisations
		WHERE (id = ? OR parent_id = ?) AND approved = 1 ORDER BY created_at, id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("card authorisation chain: %w", err)
	}
	out, err := db.Collect(rows, scanAuthorisation)
	if err != nil {
		return nil, fmt.Errorf("card authorisation chain: %w", err)
	}
	if len(out) == 0 || out[0].ID != id || out[0].ParentID != "" {
		return nil, ErrAuthorisationNotFound
	}
	return out, nil
}

// Reverse lifts an approved authorisation, with its incremental ones: the merchant cancelled it, or the terminal
// never got the answer. Its holds are released; an authorisation declined, reversed, cleared or whose holds all
// expired is card_authorisation_not_reversible. A reversal repeated after it took effect is that too: the network
// reads it as done.
func (s *Service) Reverse(ctx context.Context, id string) error {
	chain, err := s.chain(ctx, id)
	if err != nil {
		return err
	}
	var holds []string
	for _, a := range chain {
		holds = append(holds, a.HoldID)
	}
	err = s.Ledger.Submit(ctx, ledger.Op{Accounts: []string{chain[0].AccountID}, Holds: holds, Run: func(b *ledger.Batch) error {
		released := 0
		for _, a := range chain {
			if a.Status != StatusApproved {
				continue
			}
			err := b.ReleaseHold(a.HoldID, ledger.HoldReleased)
			if errors.Is(err, ledger.ErrHoldNotActive) {
				continue
			}
			if err != nil {
				return err
			}
			released++
			b.Update(ledger.Record{Table: "card_authorisations", Columns: []string{"id", "status"},
				Values: []any{a.ID, StatusReversed}})
			b.Add(card.DayTotal(a.CardID, a.Day, a.Kind, -a.LimitAmount))
		}
		if released == 0 {
			return ErrNotReversible
		}
		return nil
	}})
	if err != nil {
		if errors.Is(err, ErrNotReversible) {
			return err
		}
		return fmt.Errorf("card reversal: %w", err)
	}
	return nil
}
