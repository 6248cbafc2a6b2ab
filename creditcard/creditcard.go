// Package creditcard keeps the bank's credit cards (F11–F18, F20, Y17): a card's own credit account, its limits,
// the statement of each cycle with interest, minimum and due date, automatic payments, late fees, cash advances,
// payments of the card and instalment plans.
//
// # The credit account
//
// A credit card spends a ledger account of its own (type credit) whose overdraft limit is the approved limit:
// available = balance + limit − holds, and a negative balance is the debt. Purchases, cash withdrawals, refunds and
// chargebacks reach it as entries the card network's side posts (kinds card_purchase, card_cash_withdrawal,
// card_refund, card_chargeback); this package posts card_cash_advance, card_interest, card_late_fee, card_fee,
// card_payment and card_instalment. Interest and fees are charges (ledger.Entry.Charge): they may take the account
// past its limit.
//
// # The statement
//
// The cycle is cut at the end of each month, or at its start (the 1st), per card. At the close of the cut day the
// statement covers the credit account's postings since the previous statement (from_seq exclusive, to_seq
// inclusive) and gives:
//   - previous balance, purchases, cash, payments, other credits, interest, fees, instalments billed;
//   - closing balance = the debt after the statement's own charges;
//   - total due = closing balance − instalment principal not yet billed (never below 0);
//   - minimum due = the greater of MinimumPercent of the total due (rounded half-up) and MinimumFloor, capped at the
//     total due;
//   - due date = the cut + DueDays, moved to the next working day of the bank's calendar;
//   - points = PointsPer100 for every whole 100 units of the currency of purchases less refunds.
//
// # Interest: the day-count rule
//
// Interest is the sum of daily balances, actual/365, computed exactly (math/big) and rounded once, half-up, to
// minor units:
//
//	interest = round( (Σ revolving(d) × PurchaseRate + Σ cash(d) × CashRate) / 365 )
//
// over every calendar day d of the cycle (the day after the previous cut to the cut, both included), on the
// balances at the end of each day in the bank's time zone:
//   - cash(d) is the cash drawn this cycle up to d (cash advances and ATM withdrawals), at most the debt less the
//     unbilled instalment principal: cash bears interest from the day it is drawn, with no grace;
//   - revolving(d) = debt(d) − cash(d) − unbilled instalment principal(d), never below 0. It bears interest only
//     when the previous statement was not paid in full by its due date: the grace period. A card's first cycle
//     always has the grace. Cash drawn in earlier cycles and still owed revolves with the rest.
//
// # Due date
//
// On the due date, at the close, the automatic payment (25: the minimum; 100: the total due) takes what is still
// unpaid of that statement from the chosen account — as much as it has available —, and then, when the payments
// since the statement are below the minimum, the late fee is charged. Both are once per statement, whatever the
// replays of the day.
//
// # Cash limit
//
// The cash limit bounds the cash drawn in the current cycle (since the last cut), and never more than is
// available: remaining cash = min(cash limit − cash drawn this cycle, available). A cash advance also pays its fee
// (CashFeePercent, at least CashFeeMin) from the limit, so the amount and its fee must fit the available limit.
package creditcard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Cycle is where a card's statement cycle is cut.
type Cycle string

const (
	CycleStart Cycle = "start" // the 1st of each month
	CycleEnd   Cycle = "end"   // the last day of each month
)

// Valid reports whether c is a cycle the bank offers.
func (c Cycle) Valid() bool { return c == CycleStart || c == CycleEnd }

// Offer is an instalment offer (F20): the purchase split over Months statements, with a fee of FeePercent of the
// principal billed in equal parts with the instalments.
type Offer struct {
	ID         string
	Months     int
	FeePercent string // exact decimal, "0.02" is 2 %
}

// Config is the bank's credit card tariff. Rates and percentages are exact decimals; amounts minor units of the
// card's currency (the bank issues credit cards in ALL).
type Config struct {
	MinimumPercent string // of the total due
	MinimumFloor   int64
	DueDays        int
	PurchaseRate   string // annual, on the revolving balance
	CashRate       string // annual, on cash
	LateFee        int64
	CashFeePercent string
	CashFeeMin     int64
	PointsPer100   int64 // points per whole 100 units of the currency of purchases
	Offers         []Offer
}

// DefaultConfig is the tariff when the bank configures none.
func DefaultConfig() Config {
	return Config{MinimumPercent: "0.05", MinimumFloor: 100000, DueDays: 20, PurchaseRate: "0.18",
		CashRate: "0.24", LateFee: 150000, CashFeePercent: "0.03", CashFeeMin: 50000, PointsPer100: 1,
		Offers: []Offer{{ID: "3m", Months: 3, FeePercent: "0"}, {ID: "6m", Months: 6, FeePercent: "0.03"},
			{ID: "12m", Months: 12, FeePercent: "0.06"}}}
}

// Service keeps credit cards. Customers opens credit accounts, Cards issues the card and checks its PIN, Calendar
// moves due dates to working days.
type Service struct {
	DB        *db.DB
	Clock     clock.Clock
	Ledger    *ledger.Ledger
	Customers *customer.Service
	Cards     *card.Service
	Calendar  *calendar.Service
	Config    Config
}

// Credit is a credit card's terms and settings.
type Credit struct {
	ID                   string
	CustomerID           string
	AccountID            string // the credit account
	CardID               string
	Currency             money.Currency
	Limit                int64
	CashLimit            int64
	Cycle                Cycle
	InternetPercent      int
	SupplementaryPercent int
	AutoPercent          int // 0, 25 or 100
	AutoAccountID        string
	Points               int64
	OpenedOn             calendar.Date
}

// OpenRequest is what staff decide when they open a credit card.
type OpenRequest struct {
	CustomerID  string
	Currency    money.Currency // ALL when empty
	Limit       int64
	CashLimit   int64
	Cycle       Cycle
	Type        card.Type
	Contactless bool
	// PIN is the card's first PIN; empty, one is drawn that no one sees and the holder chooses theirs with the
	// card's new PIN (F15), effective at the first ATM operation: what staff opening a card on a second member's
	// approval do, so that no PIN waits in an approval request.
	PIN string
	// OpenedOn is the day the first cycle starts: zero for today, an earlier day for a card the bank takes over
	// from its previous system (and the demo's). Never after today.
	OpenedOn calendar.Date
}

// Open opens a credit card: its credit account with the limit as overdraft, the card itself (card.Credit) and its
// terms, audited as the staff member the context carries. The limit is the bank's credit decision, taken before
// (staff open what the credit committee approved); a four-eyes rule for large limits belongs to the operation that
// calls this. Should the card's issue fail, the credit account stays opened and unused, with nothing to pay.
func (s *Service) Open(ctx context.Context, r OpenRequest) (Credit, card.Card, error) {
	if err := s.CheckOpen(ctx, &r); err != nil {
		return Credit{}, card.Card{}, err
	}
	if r.PIN == "" {
		pin, err := card.RandomPIN()
		if err != nil {
			return Credit{}, card.Card{}, fmt.Errorf("open credit card: %w", err)
		}
		r.PIN = pin
	}
	acc, err := s.Customers.OpenCreditAccount(ctx, r.CustomerID, r.Currency, "Karta e kreditit", r.Limit)
	if err != nil {
		return Credit{}, card.Card{}, err
	}
	c, err := s.Cards.Issue(ctx, card.IssueRequest{CustomerID: r.CustomerID, AccountID: acc.ID, Kind: card.Credit,
		Type: r.Type, Contactless: r.Contactless, PIN: r.PIN})
	if err != nil {
		return Credit{}, card.Card{}, err
	}
	now := s.Clock.Now()
	cr := Credit{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: r.CustomerID, AccountID: acc.ID, CardID: c.ID,
		Currency: r.Currency, Limit: r.Limit, CashLimit: r.CashLimit, Cycle: r.Cycle, InternetPercent: 100,
		SupplementaryPercent: 100, OpenedOn: r.OpenedOn}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO credit_cards (id, customer_id, account_id, card_id, currency,
			credit_limit, cash_limit, cycle, internet_percent, supplementary_percent, opened_on, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cr.ID, cr.CustomerID, cr.AccountID, cr.CardID,
			string(cr.Currency), cr.Limit, cr.CashLimit, string(cr.Cycle), cr.InternetPercent,
			cr.SupplementaryPercent, cr.OpenedOn.String(), db.Micros(now)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: ActionOpened, CustomerID: cr.CustomerID, AccountID: cr.AccountID, Result: audit.ResultOK,
			After: audit.State(map[string]any{"card": cr.CardID, "limit": cr.Limit, "cash_limit": cr.CashLimit,
				"cycle": cr.Cycle})}))
	})
	if err != nil {
		return Credit{}, card.Card{}, fmt.Errorf("open credit card: %w", err)
	}
	return cr, c, nil
}

// CheckOpen checks what staff ask for before a card is opened (and before a second member is asked to approve
// it), filling in the defaults: the limit positive and the cash limit within it (credit_limit_invalid), the cycle
// the start or the end of the month (credit_cycle_invalid), the scheme one the bank issues (card_type_invalid), a
// PIN given strong enough (card_pin_weak), and an individual customer (customer_not_found, or
// credit_customer_invalid for a business: the bank's credit cards are for individuals).
func (s *Service) CheckOpen(ctx context.Context, r *OpenRequest) error {
	if r.Currency == "" {
		r.Currency = money.ALL
	}
	if !r.Currency.Valid() {
		return money.ErrUnknownCurrency
	}
	if r.Limit <= 0 || r.CashLimit < 0 || r.CashLimit > r.Limit {
		return ErrLimitInvalid
	}
	today := calendar.DateOf(s.Clock.Now())
	if r.OpenedOn.IsZero() {
		r.OpenedOn = today
	}
	if !r.Cycle.Valid() || r.OpenedOn.After(today) {
		return ErrCycleInvalid
	}
	if !r.Type.Valid() {
		return card.ErrTypeInvalid
	}
	if r.PIN != "" {
		if err := card.CheckPIN(r.PIN); err != nil {
			return err
		}
	}
	if !text.Storable(r.CustomerID) {
		return customer.ErrNotFound
	}
	business, err := s.Customers.IsBusiness(ctx, r.CustomerID)
	if err != nil {
		return err
	}
	if business {
		return ErrCustomerInvalid
	}
	return nil
}

const creditColumns = `id, customer_id, account_id, card_id, currency, credit_limit, cash_limit, cycle,
	internet_percent, supplementary_percent, auto_percent, auto_account_id, points, opened_on`

func scanCredit(sc db.Scanner) (Credit, error) {
	var c Credit
	var opened string
	err := sc.Scan(&c.ID, &c.CustomerID, &c.AccountID, &c.CardID, &c.Currency, &c.Limit, &c.CashLimit, &c.Cycle,
		&c.InternetPercent, &c.SupplementaryPercent, &c.AutoPercent, &c.AutoAccountID, &c.Points, &opened)
	if err != nil {
		return c, err
	}
	c.OpenedOn, err = calendar.ParseDate(opened)
	return c, err
}

// Get returns the customer's credit card by its card's id. Another customer's card, a debit card and a missing
// one are all credit_card_not_found.
func (s *Service) Get(ctx context.Context, customerID, cardID string) (Credit, error) {
	if !text.Storable(customerID) || !text.Storable(cardID) {
		return Credit{}, ErrNotCredit
	}
	return s.one(ctx, "card_id = ? AND customer_id = ?", cardID, customerID)
}

// ByCard returns a credit card by the id of any card on its credit account (the main card, its reprint, a
// supplementary card), whoever holds it (the card network's side, statements, paying a card by its number).
func (s *Service) ByCard(ctx context.Context, cardID string) (Credit, error) {
	_, cr, err := s.cardCredit(ctx, cardID)
	return cr, err
}

// List returns the customer's credit cards, oldest first.
func (s *Service) List(ctx context.Context, customerID string) ([]Credit, error) {
	if !text.Storable(customerID) {
		return nil, nil
	}
	return s.list(ctx, "customer_id = ?", customerID)
}

func (s *Service) one(ctx context.Context, where string, args ...any) (Credit, error) {
	c, err := scanCredit(s.DB.QueryRow(ctx, "SELECT "+creditColumns+" FROM credit_cards WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Credit{}, ErrNotCredit
	}
	if err != nil {
		return Credit{}, fmt.Errorf("credit card: %w", err)
	}
	return c, nil
}

func (s *Service) list(ctx context.Context, where string, args ...any) ([]Credit, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+creditColumns+" FROM credit_cards WHERE "+where+" ORDER BY created_at, id",
		args...)
	if err != nil {
		return nil, fmt.Errorf("list credit cards: %w", err)
	}
	out, err := db.Collect(rows, scanCredit)
	if err != nil {
		return nil, fmt.Errorf("list credit cards: %w", err)
	}
	return out, nil
}

// Summary is a credit card as its holder sees it (F11).
type Summary struct {
	Credit
	Card          card.Card
	Debt          int64 // what is owed now
	Available     int64
	Held          int64
	CashRemaining int64
	Last          *Statement // the last statement, if any
}

// Summary returns the customer's credit card with its balances and its last statement.
func (s *Service) Summary(ctx context.Context, customerID, cardID string) (Summary, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return Summary{}, err
	}
	c, err := s.Cards.Get(ctx, customerID, cardID)
	if err != nil {
		return Summary{}, err
	}
	acc, err := s.Ledger.Get(ctx, cr.AccountID)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Credit: cr, Card: c, Debt: max(0, -acc.Balance), Available: max(0, acc.Available()),
		Held: acc.Held}
	if out.CashRemaining, err = s.cashRemaining(ctx, cr, acc); err != nil {
		return Summary{}, err
	}
	last, err := s.lastStatement(ctx, cr.ID)
	if err != nil {
		return Summary{}, err
	}
	out.Last = last
	return out, nil
}

// glAccounts opens the bank's GL account of card interest in the currency if it lacks one.
func (s *Service) gl(ctx context.Context, code string, cur money.Currency) (ledger.Account, error) {
	a, err := s.Ledger.GL(ctx, ledger.GLCode(code, cur))
	if err == nil || !errors.Is(err, ledger.ErrAccountNotFound) {
		return a, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := ledger.Open(ctx, tx, s.Clock.Now(), ledger.NewAccount{GLCode: ledger.GLCode(code, cur),
			Number: "GL-" + ledger.GLCode(code, cur), Currency: cur, Type: code, Name: ledger.GLCode(code, cur)})
		return err
	})
	if err != nil && !db.IsUniqueViolation(err) {
		return ledger.Account{}, fmt.Errorf("open %s: %w", code, err)
	}
	return s.Ledger.GL(ctx, ledger.GLCode(code, cur))
}

// TypeCardInterest is the bank's income from card interest.
const TypeCardInterest = "card_interest"

// rat parses an exact decimal of the configuration.
func rat(v string) *big.Rat {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(v))
	if !ok || r.Sign() < 0 {
		return new(big.Rat)
	}
	return r
}

// roundHalfUp rounds a non-negative exact amount to whole minor units, half up: the one rounding of every figure.
func roundHalfUp(r *big.Rat) int64 {
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	num.Mul(num, big.NewInt(2)).Add(num, den)
	den2 := new(big.Int).Mul(den, big.NewInt(2))
	return new(big.Int).Div(num, den2).Int64() // floor((2n + d) / 2d) = floor(n/d + 1/2)
}

// percentOf is amount × p, rounded half-up.
func percentOf(amount int64, p string) int64 {
	return roundHalfUp(new(big.Rat).Mul(new(big.Rat).SetInt64(amount), rat(p)))
}

// ownCurrent is one of the customer's active current accounts in the currency, or credit_account_invalid.
func (s *Service) ownCurrent(ctx context.Context, customerID, accountID string, cur money.Currency) (ledger.Account, error) {
	a, err := s.Ledger.GetOwned(ctx, customerID, accountID)
	if err != nil || a.Type != ledger.TypeCurrent || a.Currency != cur || a.Status != ledger.Active {
		return ledger.Account{}, ErrAccountInvalid
	}
	return a, nil
}

// refused is err when it is a domain error, else err wrapped with what failed.
func refused(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := kumbara.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// TypeCredit is the credit account's type (customer.TypeCredit).
const TypeCredit = customer.TypeCredit
