package card

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// MaxLinked is how many accounts a debit card links besides its primary (the manual: up to 3 current accounts, in
// any currency). At an ATM of the bank the holder chooses which of them to use.
const MaxLinked = 3

// Linked is an account linked to a debit card besides its primary, with when it was linked.
type Linked struct {
	AccountID string
	LinkedAt  time.Time
}

// Linked returns the accounts linked to a card besides its primary, in the order they were linked.
func (s *Service) Linked(ctx context.Context, who Who, id string) ([]Linked, error) {
	if _, err := s.owned(ctx, who, id); err != nil {
		return nil, err
	}
	return s.linkedIn(ctx, s.DB, id)
}

type rowsQuerier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// linkedIn reads the linked accounts through q: the database, or a transaction that holds the card's lock.
func (s *Service) linkedIn(ctx context.Context, q rowsQuerier, id string) ([]Linked, error) {
	rows, err := q.Query(ctx, "SELECT account_id, linked_at FROM card_accounts WHERE card_id = ? ORDER BY linked_at, account_id", id)
	if err != nil {
		return nil, fmt.Errorf("linked accounts: %w", err)
	}
	out, err := db.Collect(rows, func(sc db.Scanner) (Linked, error) {
		var l Linked
		var at int64
		err := sc.Scan(&l.AccountID, &at)
		l.LinkedAt = db.FromMicros(at)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("linked accounts: %w", err)
	}
	return out, nil
}

// Link links one of the holder's own active current accounts, in any currency, to a debit card, after the
// holder's password: card_account_ineligible for another kind of account or a credit card, account_not_found for
// another customer's account, card_account_already_linked for the primary or a linked one, card_link_limit for a
// fourth; a replaced or closed card is card_final.
func (s *Service) Link(ctx context.Context, who Who, id, accountID, password string) (Card, error) {
	check := func(q rowsQuerier, c Card) error {
		if c.Status.final() {
			return ErrFinal
		}
		if c.Kind != Debit {
			return ErrAccountIneligible
		}
		if !text.Storable(accountID) {
			return ledger.ErrAccountNotFound
		}
		if accountID == c.AccountID {
			return ErrAlreadyLinked
		}
		links, err := s.linkedIn(ctx, q, c.ID)
		if err != nil {
			return err
		}
		for _, l := range links {
			if l.AccountID == accountID {
				return ErrAlreadyLinked
			}
		}
		if len(links) >= MaxLinked {
			return ErrLinkLimit
		}
		return nil
	}
	if err := s.precheck(ctx, who, id, func(c Card) error { return check(s.DB, c) }); err != nil {
		return Card{}, err
	}
	if err := s.reauth(ctx, who, password); err != nil {
		return Card{}, err
	}
	return s.change(ctx, who, id, ActionLinked, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if err := check(tx, *c); err != nil {
			return "", err
		}
		// The holder's own account: another customer's looks like a missing one.
		a, err := ledger.LockOwned(ctx, tx, c.CustomerID, accountID)
		if err != nil {
			return "", err
		}
		if a.Type != ledger.TypeCurrent || a.Usable() != nil {
			return "", ErrAccountIneligible
		}
		_, err = tx.Exec(ctx, "INSERT INTO card_accounts (card_id, account_id, linked_at) VALUES (?, ?, ?)",
			c.ID, accountID, db.Micros(now))
		return accountID, err
	})
}

// Unlink unlinks an account from a card: card_primary_unlink for the primary, which stays for the card's life;
// card_account_not_linked for an account that is not linked. It never asks for the password: it only lets the
// card do less.
func (s *Service) Unlink(ctx context.Context, who Who, id, accountID string) (Card, error) {
	return s.change(ctx, who, id, ActionUnlinked, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		switch {
		case c.Status.final():
			return "", ErrFinal
		case accountID == c.AccountID:
			return "", ErrPrimaryUnlink
		}
		res, err := tx.Exec(ctx, "DELETE FROM card_accounts WHERE card_id = ? AND account_id = ?", c.ID, accountID)
		if err != nil {
			return "", err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return "", ErrNotLinked
		}
		return accountID, nil
	})
}
