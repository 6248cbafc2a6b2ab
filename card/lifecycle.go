package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/text"
)

// Who is whose request a change to a card is: its holder's own (Holder), who may act only on their own cards, or
// the bank's staff (Staff), the member the context names (audit.WithActor), on any card. Staff faces check the
// member's permission before (package operation).
type Who struct {
	customerID string
	staff      bool
}

// Holder is the customer with the id acting on their own cards.
func Holder(customerID string) Who { return Who{customerID: customerID} }

// Staff is the bank's staff acting on any card.
func Staff() Who { return Who{staff: true} }

// BlockReason is why a card is blocked: for a while (Temporary: the holder may reactivate it) or because it is
// out of the holder's hands (LostOrStolen: only the bank reactivates it, four-eyes).
type BlockReason string

const (
	Temporary    BlockReason = "temporary"
	LostOrStolen BlockReason = "lost"
)

// owned reads the card with the id if who may see it: another customer's card is card_not_found.
func (s *Service) owned(ctx context.Context, who Who, id string) (Card, error) {
	c, err := s.byID(ctx, s.DB, id)
	if err != nil {
		return Card{}, err
	}
	if !who.staff && (who.customerID == "" || c.CustomerID != who.customerID) {
		return Card{}, ErrNotFound
	}
	return c, nil
}

// reauth checks a customer's password again before an action that lets a card do more (reactivating it,
// reprinting it, a new PIN, a linked account, wider controls). Staff act on the branch's own checks.
func (s *Service) reauth(ctx context.Context, who Who, password string) error {
	if who.staff {
		return nil
	}
	if password == "" {
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("password"))
	}
	if s.Passwords == nil {
		return fmt.Errorf("card: no password checker")
	}
	return s.Passwords.CheckPassword(ctx, who.customerID, password)
}

// acting is ctx naming who as the actor of what the change records.
func (who Who) acting(ctx context.Context) context.Context {
	if who.staff {
		return ctx
	}
	return audit.WithActor(ctx, audit.Customer(who.customerID))
}

// change runs fn on the card with the id, locked, in one transaction with its history event and audit entry for
// action (fn returns the event's detail, and changes c to what it made it). Another customer's card is
// card_not_found; fn's refusal changes nothing.
func (s *Service) change(ctx context.Context, who Who, id, action string,
	fn func(tx *db.Tx, c *Card, now time.Time) (string, error)) (Card, error) {
	if !text.Storable(id) {
		return Card{}, ErrNotFound
	}
	ctx = who.acting(ctx)
	var out Card
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if !who.staff && c.CustomerID != who.customerID {
			return ErrNotFound
		}
		now := s.Clock.Now().UTC()
		before := changeState{Card: c.ID, Status: c.Status}
		if action == ActionControlsChanged {
			k := controlsJSON(c.Controls)
			before.Controls = &k
		}
		detail, err := fn(tx, &c, now)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, now, c.ID, event(action), detail); err != nil {
			return err
		}
		after := changeState{Card: c.ID, Status: c.Status, Detail: detail}
		if action == ActionControlsChanged {
			k := controlsJSON(c.Controls)
			after.Controls = &k
		}
		out = c
		return appendEntry(ctx, tx, now, action, c, before, after)
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return Card{}, err
		}
		return Card{}, fmt.Errorf("card %s: %w", event(action), err)
	}
	return out, nil
}

// lock reads a card under its row lock.
func (s *Service) lock(ctx context.Context, tx *db.Tx, id string) (Card, error) {
	// The row is locked on its own first: PostgreSQL's FOR UPDATE does not mix well with the columns' subquery.
	var got string
	err := tx.QueryRow(ctx, "SELECT id FROM cards WHERE id = ?"+tx.DB().ForUpdate(), id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNotFound
	}
	if err != nil {
		return Card{}, err
	}
	return s.byID(ctx, tx, id)
}

// setStatus stores c's new status st, from now.
func setStatus(ctx context.Context, tx *db.Tx, c *Card, st Status, now time.Time) error {
	if _, err := tx.Exec(ctx, "UPDATE cards SET status = ?, status_at = ? WHERE id = ?", string(st), db.Micros(now),
		c.ID); err != nil {
		return err
	}
	c.Status, c.StatusAt = st, now
	return nil
}

// Block blocks a card at once — the next authorisation is declined: for a while (Temporary, from active), or
// because it was lost or stolen (LostOrStolen, from active or blocked), after which only the bank reactivates it.
// A card already so blocked, or one not yet handed over, is card_status_conflict; a replaced or closed one
// card_final. Blocking never asks for the password: a holder must be able to stop a card in seconds.
func (s *Service) Block(ctx context.Context, who Who, id string, reason BlockReason) (Card, error) {
	action := ActionBlocked
	switch reason {
	case Temporary:
	case LostOrStolen:
		action = ActionReportedLost
	default:
		return Card{}, ErrBlockReason
	}
	return s.change(ctx, who, id, action, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		switch {
		case c.Status.final():
			return "", ErrFinal
		case c.Status == Active, c.Status == Blocked && reason == LostOrStolen:
		default:
			return "", ErrStatus
		}
		st := Blocked
		if reason == LostOrStolen {
			st = Lost
		}
		return string(reason), setStatus(ctx, tx, c, st, now)
	})
}

// Unblock reactivates a card blocked for a while, at once, after the holder's password. A card reported lost is
// card_lost_reactivation, for its holder and staff alike: staff reactivate it with ReactivateLost, which waits
// for a second member (operation). A card that is not blocked is card_status_conflict.
func (s *Service) Unblock(ctx context.Context, who Who, id, password string) (Card, error) {
	if err := s.precheck(ctx, who, id, func(c Card) error { return unblockable(c) }); err != nil {
		return Card{}, err
	}
	if err := s.reauth(ctx, who, password); err != nil {
		return Card{}, err
	}
	return s.change(ctx, who, id, ActionReactivated, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if err := unblockable(*c); err != nil {
			return "", err
		}
		return "", setStatus(ctx, tx, c, Active, now)
	})
}

func unblockable(c Card) error {
	switch {
	case c.Status.final():
		return ErrFinal
	case c.Status == Lost:
		return ErrLostReactivation
	case c.Status != Blocked:
		return ErrStatus
	}
	return nil
}

// precheck reads the card and runs check on it before a password is asked for, so that an action refused anyway
// costs no password try; the change checks again under the lock.
func (s *Service) precheck(ctx context.Context, who Who, id string, check func(Card) error) error {
	c, err := s.owned(ctx, who, id)
	if err != nil {
		return err
	}
	return check(c)
}

// ReactivateLost reactivates a card reported lost. Staff only, and only through operation's four-eyes
// (card.reactivate_lost): the second member's approval runs it.
func (s *Service) ReactivateLost(ctx context.Context, id string) (Card, error) {
	return s.change(ctx, Staff(), id, ActionLostReactivated, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		switch {
		case c.Status.final():
			return "", ErrFinal
		case c.Status != Lost:
			return "", ErrStatus
		}
		return "", setStatus(ctx, tx, c, Active, now)
	})
}

// MarkReady records that a reprinted card has arrived at the branch and tells its holder by SMS, in their
// language. It still cannot be used: HandOver makes it active. Staff only.
func (s *Service) MarkReady(ctx context.Context, id string) (Card, error) {
	var sms outbox.Message
	c, err := s.Find(ctx, id)
	if err != nil {
		return Card{}, err
	}
	if s.Customers != nil && s.Texts != nil {
		holder, err := s.Customers.Get(ctx, c.CustomerID)
		if err != nil {
			return Card{}, err
		}
		if holder.Mobile != "" {
			sms = outbox.Message{Channel: outbox.ChannelSMS, Recipient: holder.Mobile,
				Body: s.Texts.Message(holder.Language, TextReady, map[string]string{"card": lastFour(c.Masked),
					"at": i18n.FormatDate(s.Clock.Now(), holder.Language)})}
		}
	}
	return s.change(ctx, Staff(), id, ActionReady, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if c.Status != Ordered {
			return "", ErrNotWaiting
		}
		if err := setStatus(ctx, tx, c, Ready, now); err != nil {
			return "", err
		}
		if sms.Recipient == "" {
			return "", nil
		}
		return "", outbox.Enqueue(ctx, tx, now, sms)
	})
}

// HandOver records that the holder collected a reprinted card at the branch: it is active from now. Staff only.
func (s *Service) HandOver(ctx context.Context, id string) (Card, error) {
	return s.change(ctx, Staff(), id, ActionHandedOver, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if c.Status != Ready && c.Status != Ordered {
			return "", ErrNotWaiting
		}
		return "", setStatus(ctx, tx, c, Active, now)
	})
}

// lastFour is the last four digits of a masked number.
func lastFour(masked string) string {
	if len(masked) < 4 {
		return ""
	}
	return masked[len(masked)-4:]
}
