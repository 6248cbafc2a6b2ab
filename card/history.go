package card

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// Event is one line of a card's history: what happened, when, by whom (a customer acting for themselves, a member
// of staff by username, or the bank) and what it needs to be read: a block's reason, an account's id, the id of
// the card a reprint made or replaced, the controls after a change.
type Event struct {
	ID        string
	At        time.Time
	Event     string // issued, blocked, reactivated, reported_lost, lost_reactivated, reprinted, ordered, ready, …
	ActorKind string // customer | staff | system
	Actor     string
	Detail    string
}

// event is the history's name of an audit action.
func event(action string) string { return strings.TrimPrefix(action, "card.") }

// record appends an event to a card's history, in the transaction of its change, by the actor ctx carries.
func (s *Service) record(ctx context.Context, tx *db.Tx, now time.Time, cardID, ev, detail string) error {
	a := audit.Operator(ctx)
	_, err := tx.Exec(ctx, `INSERT INTO card_events (id, card_id, at, event, actor_kind, actor, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), cardID, db.Micros(now), ev, a.Kind, a.ID, detail)
	return err
}

// History returns a card's history, newest first: the holder's own card's (who names them) or any card's for
// staff. Another customer's card is card_not_found.
func (s *Service) History(ctx context.Context, who Who, id string) ([]Event, error) {
	if _, err := s.owned(ctx, who, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT id, at, event, actor_kind, actor, detail FROM card_events WHERE card_id = ?
		ORDER BY at DESC, id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("card history: %w", err)
	}
	out, err := db.Collect(rows, func(sc db.Scanner) (Event, error) {
		var e Event
		var at int64
		err := sc.Scan(&e.ID, &at, &e.Event, &e.ActorKind, &e.Actor, &e.Detail)
		e.At = db.FromMicros(at)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("card history: %w", err)
	}
	return out, nil
}
