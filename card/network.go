package card

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
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
// in minor units of the card's currency (its primary account's). Stored, a limit of 0 means the bank's maximum
// (Limits); read (Card.Controls, ForNetwork) it is resolved, so a card's limits are never 0.
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
	// SpentPurchases and SpentCash are the day's totals against the daily limits (ForAuthorisation's day), in
	// the primary account's currency.
	SpentPurchases, SpentCash int64
}

// What a card's day totals count: its purchases and its cash, each against its own daily limit.
const (
	SpendPurchase = "purchase"
	SpendCash     = "cash"
)

// DayTotal is an addition to the card's total of kind on day (negative: a reversal), for the ledger batch that
// places or releases the hold it counts (ledger.Batch.Add on card_day_totals, migration 00055): the total moves
// with the money, once.
func DayTotal(cardID, day, kind string, amount int64) ledger.Record {
	return ledger.Record{Table: "card_day_totals", Columns: []string{"card_id", "day", "kind", "total"},
		Values: []any{cardID, day, kind, amount}}
}

// SpentOn is the card's totals of purchases and of cash on day.
func (s *Service) SpentOn(ctx context.Context, cardID, day string) (purchases, cash int64, err error) {
	rows, err := s.DB.Query(ctx, "SELECT kind, total FROM card_day_totals WHERE card_id = ? AND day = ?", cardID, day)
	if err != nil {
		return 0, 0, fmt.Errorf("card day totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var total int64
		if err := rows.Scan(&kind, &total); err != nil {
			return 0, 0, fmt.Errorf("card day totals: %w", err)
		}
		switch kind {
		case SpendPurchase:
			purchases = total
		case SpendCash:
			cash = total
		}
	}
	return purchases, cash, rows.Err()
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
	return s.ForAuthorisation(ctx, id, calendar.DateOf(s.Clock.Now()).String())
}

// ForAuthorisation is ForNetwork with the card's totals of day (SpentPurchases, SpentCash), which an
// authorisation checks against its daily limits.
func (s *Service) ForAuthorisation(ctx context.Context, id, day string) (Spendable, error) {
	if !text.Storable(id) {
		return Spendable{}, ErrNotFound
	}
	// One query for the card, its links and the day's totals: an authorisation reads them on every request,
	// within the network's timeout, so they come joined rather than in round trips of their own.
	rows, err := s.DB.Query(ctx, "SELECT "+networkColumns+`, COALESCE(l.account_id, ''),
		COALESCE((SELECT t.total FROM card_day_totals t WHERE t.card_id = cards.id AND t.day = ? AND t.kind = ?), 0),
		COALESCE((SELECT t.total FROM card_day_totals t WHERE t.card_id = cards.id AND t.day = ? AND t.kind = ?), 0)
		FROM cards LEFT JOIN card_accounts l ON l.card_id = cards.id WHERE cards.id = ?
		ORDER BY l.linked_at, l.account_id`, day, SpendPurchase, day, SpendCash, id)
	if err != nil {
		return Spendable{}, fmt.Errorf("card for network: %w", err)
	}
	defer rows.Close()
	var sp Spendable
	for rows.Next() {
		var linked string
		var purchases, cash int64
		c, err := scan(linkedScanner{rows, []any{&linked, &purchases, &cash}})
		if err != nil {
			return Spendable{}, fmt.Errorf("card for network: %w", err)
		}
		if sp.Accounts == nil {
			sp = Spendable{Card: s.resolve(c), Kind: c.Kind, Accounts: []string{c.AccountID}, SpentPurchases: purchases,
				SpentCash: cash}
			sp.Controls = sp.Card.Controls
		}
		if linked != "" {
			sp.Accounts = append(sp.Accounts, linked)
		}
	}
	if err := rows.Err(); err != nil {
		return Spendable{}, fmt.Errorf("card for network: %w", err)
	}
	if sp.Accounts == nil {
		return Spendable{}, ErrNotFound
	}
	return sp, nil
}

// networkColumns are columns qualified by their table, for a query that joins the card's links.
const networkColumns = `cards.id, cards.customer_id, cards.account_id, cards.type, cards.masked, cards.contactless,
	cards.expires, cards.status, cards.pin_blocked, cards.created_at, cards.kind, cards.holder, cards.ctl_online,
	cards.ctl_contactless, cards.ctl_atm, cards.ctl_magstripe, cards.ctl_abroad, cards.daily_purchase_limit,
	cards.daily_atm_limit, cards.pin_pending, cards.replaces, cards.replaced_by, cards.status_at, cards.supplementary,
	(SELECT a.currency FROM accounts a WHERE a.id = cards.account_id)`

// linkedScanner scans a card's columns, then the columns that follow them (the linked account, the totals).
type linkedScanner struct {
	rows *sql.Rows
	more []any
}

func (l linkedScanner) Scan(dest ...any) error { return l.rows.Scan(append(dest, l.more...)...) }

// CheckTerminalPIN checks a PIN typed at a terminal (a shop's or an ATM). It counts towards the same three tries
// as every PIN check. At an ATM, a new PIN the holder chose that has not taken effect yet is the one checked and,
// when right, takes effect (the manual: a new PIN works after a first ATM operation); until then the old PIN
// works everywhere, at an ATM too.
func (s *Service) CheckTerminalPIN(ctx context.Context, cardID, pin string, atATM bool) error {
	return s.verify(ctx, cardID, pin, atATM)
}
