package card

import (
	"context"
	"database/sql"
	"time"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
)

// Customers is what the cards need of the customers: the holder's name, mobile and language.
type Customers interface {
	Get(ctx context.Context, id string) (customer.Customer, error)
}

// Passwords checks a customer's password again (auth.Service.CheckPassword), a wrong one counting towards the
// channel's lockout like any other.
type Passwords interface {
	CheckPassword(ctx context.Context, customerID, pw string) error
}

type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// Limit is the bank's maximum for a card's daily limits in one currency, in its minor units.
type Limit struct {
	Purchase int64
	ATM      int64
}

// Limits are the bank's maximum daily limits per currency. A card's own limits may be lower, never higher; a card
// that sets none (0) has the maximum.
type Limits map[money.Currency]Limit

// DefaultLimits: 500,000 ALL of purchases and 200,000 ALL of ATM cash a day; 5,000 and 2,000 of any other
// currency.
func DefaultLimits() Limits {
	l := Limits{}
	for _, c := range money.Currencies() {
		l[c] = Limit{Purchase: 5_000_00, ATM: 2_000_00}
	}
	l[money.ALL] = Limit{Purchase: 500_000_00, ATM: 200_000_00}
	return l
}

func (s *Service) limits() Limits {
	if len(s.Limits) == 0 {
		return DefaultLimits()
	}
	return s.Limits
}

// Maximum is the bank's maximum daily limits for a card in currency cur.
func (s *Service) Maximum(cur money.Currency) Limit { return s.limits()[cur] }

// resolve returns c with its limits as they apply: a limit the card does not set is the bank's maximum, and one
// above it (the bank lowered its maximum) is the maximum.
func (s *Service) resolve(c Card) Card {
	m := s.Maximum(c.Currency)
	if c.Controls.DailyPurchaseLimit <= 0 || c.Controls.DailyPurchaseLimit > m.Purchase {
		c.Controls.DailyPurchaseLimit = m.Purchase
	}
	if c.Controls.DailyATMLimit <= 0 || c.Controls.DailyATMLimit > m.ATM {
		c.Controls.DailyATMLimit = m.ATM
	}
	return c
}

// ControlsChange changes the controls it names; nil leaves one as it is. A limit of 0 means the bank's maximum.
type ControlsChange struct {
	Online, Contactless, ATM, Magstripe, Abroad *bool
	DailyPurchaseLimit, DailyATMLimit           *int64
}

// apply returns k with the change over it, checked against the bank's maximum m.
func (ch ControlsChange) apply(k Controls, m Limit, cur money.Currency) (Controls, error) {
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&k.Online, ch.Online)
	set(&k.Contactless, ch.Contactless)
	set(&k.ATM, ch.ATM)
	set(&k.Magstripe, ch.Magstripe)
	set(&k.Abroad, ch.Abroad)
	limit := func(dst *int64, v *int64, max int64, field string) error {
		if v == nil {
			return nil
		}
		switch {
		case *v < 0:
			return ErrLimitInvalid.Field(field)
		case *v > max:
			return ErrLimitTooHigh.Field(field).WithParam("max", money.Amount{Minor: max, Currency: cur}.String())
		}
		*dst = *v
		if *v == 0 {
			*dst = max
		}
		return nil
	}
	if err := limit(&k.DailyPurchaseLimit, ch.DailyPurchaseLimit, m.Purchase, "daily_purchase_limit"); err != nil {
		return k, err
	}
	if err := limit(&k.DailyATMLimit, ch.DailyATMLimit, m.ATM, "daily_atm_limit"); err != nil {
		return k, err
	}
	return k, nil
}

// widens reports whether after lets the card do anything before did not: a switch turned on or a limit raised.
// Such a change asks for the password again; one that only restricts the card never does, so that a worried
// holder can always shut a card down at once.
func widens(before, after Controls) bool {
	on := func(b, a bool) bool { return a && !b }
	return on(before.Online, after.Online) || on(before.Contactless, after.Contactless) || on(before.ATM, after.ATM) ||
		on(before.Magstripe, after.Magstripe) || on(before.Abroad, after.Abroad) ||
		after.DailyPurchaseLimit > before.DailyPurchaseLimit || after.DailyATMLimit > before.DailyATMLimit
}

// SetControls changes a card's controls, effective at the next authorisation. Widening them (a switch on, a limit
// up) asks a customer for their password again; a limit above the bank's maximum is card_limit_too_high and a
// negative one card_limit_invalid, and then nothing changes. A replaced or closed card is card_final.
func (s *Service) SetControls(ctx context.Context, who Who, id string, ch ControlsChange, password string) (Card, error) {
	// Check the change against the card as it is before asking for the password, so bad input costs no try.
	c, err := s.owned(ctx, who, id)
	if err != nil {
		return Card{}, err
	}
	after, err := ch.apply(c.Controls, s.Maximum(c.Currency), c.Currency)
	if err != nil {
		return Card{}, err
	}
	if widens(c.Controls, after) {
		if err := s.reauth(ctx, who, password); err != nil {
			return Card{}, err
		}
	}
	return s.change(ctx, who, id, ActionControlsChanged, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if c.Status.final() {
			return "", ErrFinal
		}
		after, err := ch.apply(c.Controls, s.Maximum(c.Currency), c.Currency)
		if err != nil {
			return "", err
		}
		// A limit at the maximum is stored as 0, so that it follows the bank's maximum.
		m := s.Maximum(c.Currency)
		purchase, atm := after.DailyPurchaseLimit, after.DailyATMLimit
		if purchase >= m.Purchase {
			purchase = 0
		}
		if atm >= m.ATM {
			atm = 0
		}
		if _, err := tx.Exec(ctx, `UPDATE cards SET ctl_online = ?, ctl_contactless = ?, ctl_atm = ?, ctl_magstripe = ?,
			ctl_abroad = ?, daily_purchase_limit = ?, daily_atm_limit = ? WHERE id = ?`, boolInt(after.Online),
			boolInt(after.Contactless), boolInt(after.ATM), boolInt(after.Magstripe), boolInt(after.Abroad), purchase,
			atm, c.ID); err != nil {
			return "", err
		}
		before := c.Controls
		c.Controls = after
		return controlsDetail(before, after), nil
	})
}
