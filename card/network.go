package card

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
)

// Kind says what a card spends: a debit card its accounts' money, a credit card its own credit account's limit.
type Kind string

const (
	Debit  Kind = "debit"
	Credit Kind = "credit"
)

// The states a card goes through besides Active, Blocked and Closed: Lost is a block the holder asked for because
// the card is out of their hands (reactivating it is four-eyes for staff); Replaced is a card reprinted under a
// new number, blocked for good.
const (
	Lost     Status = "lost"
	Replaced Status = "replaced"
)

// Controls are what the holder allows the card to do, effective at the next authorisation. The daily limits are
// in minor units of the card's currency (its primary account's); 0 means the bank's default applies.
type Controls struct {
	Online             bool
	Contactless        bool
	ATM                bool
	Magstripe          bool
	Abroad             bool
	DailyPurchaseLimit int64
	DailyATMLimit      int64
}

// DefaultControls is what a new card allows.
func DefaultControls() Controls {
	return Controls{Online: true, Contactless: true, ATM: true, Magstripe: false, Abroad: true}
}

// Spendable is a card as the card network's authorisations need it, whoever holds it: its state, its accounts
// (the primary first, then the linked ones) and its controls.
type Spendable struct {
	Card
	Kind     Kind
	Accounts []string // the primary account first; a credit card has only its credit account
	Controls Controls
}

// ExpiredAt reports whether the card is past its expiry month at t (valid to the end of that month, in the bank's
// time zone).
func (c Card) ExpiredAt(t time.Time) bool {
	end, err := time.ParseInLocation("2006-01", c.Expires, clock.Tirane)
	if err != nil {
		return true
	}
	return !t.Before(end.AddDate(0, 1, 0))
}

// ForNetwork returns the card an authorisation names, with what deciding it needs: its kind, its accounts (the
// primary first, then the linked ones in the order they were linked) and its controls, the daily limits as they
// apply (never 0: a card without its own limit has the bank's maximum). It does not check the state: the
// issuer's answer (declined as blocked, expired…) is the caller's to give.
func (s *Service) ForNetwork(ctx context.Context, id string) (Spendable, error) {
	c, err := s.byID(ctx, s.DB, id)
	if err != nil {
		return Spendable{}, err
	}
	links, err := s.linkedIn(ctx, s.DB, id)
	if err != nil {
		return Spendable{}, fmt.Errorf("card for network: %w", err)
	}
	accounts := make([]string, 0, 1+len(links))
	accounts = append(accounts, c.AccountID)
	for _, l := range links {
		accounts = append(accounts, l.AccountID)
	}
	return Spendable{Card: c, Kind: c.Kind, Accounts: accounts, Controls: c.Controls}, nil
}

// CheckTerminalPIN checks a PIN typed at a terminal (a shop's or an ATM). It counts towards the same three tries
// as every PIN check. At an ATM, a new PIN the holder chose that has not taken effect yet is the one checked and,
// when right, takes effect (the manual: a new PIN works after a first ATM operation); until then the old PIN
// works everywhere, at an ATM too.
func (s *Service) CheckTerminalPIN(ctx context.Context, cardID, pin string, atATM bool) error {
	return s.verify(ctx, cardID, pin, atATM)
}
