// Package issuing is the bank's side of card payments, the issuer host (issue #13 item 3, F19): it answers the card
// network's authorisation requests — approved with a hold on the card's account, or declined with a reason —,
// incremental authorisations and reversals; it posts the network's clearing (presentment) files: full, partial or
// over the amount authorised, without a prior authorisation, refunds; it keeps the disputes staff raise on a posted
// presentment (chargebacks); and it lists a card's transactions, pending (authorised, not cleared) and completed.
//
// Money moves only through the ledger: an approval is one ledger op (Batch.PlaceHold on the chosen account), so the
// ledger's row lock is what keeps concurrent authorisations within the available balance (a credit card's credit
// account has its limit as its overdraft: available = balance + limit − holds); clearing captures the hold
// (CaptureHold: a partial one releases the rest) or posts without one, against the bank's card settlement account
// in the transaction's currency (ledger.TypeCardSettlement). A card spending in another currency than its account's
// is converted by the FX service at the card network's rate (fx.Service.CardPurchase), rounded once.
//
// Authorisations are idempotent by the network's id: a repeat gets the first answer, a different request under the
// same id is card_authorisation_reused. Card numbers never reach this package, and PINs are only passed on to
// card.Service.CheckTerminalPIN: neither is ever stored or logged here.
//
// An online purchase needs strong customer authentication (PSD2): a 3-D Secure result the bank's access control
// server vouches for (Authenticator, package threeds), or to be within the low-value exemption (Config).
//
// Each clearing file's settlement report is reconciled and its net posted to the nostro (Settle, settlement.go).
//
// Tables: card_authorisations, card_clearing_files, card_clearings, card_disputes (migrations 00049, 00052),
// card_settlements (migration 00054).
package issuing

import (
	"context"
	"sync"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Config is how the issuer decides.
type Config struct {
	// HoldDays is how long an authorisation's hold lasts uncleared; LongHoldDays for hotels and car rental (see
	// LongHoldMCC). 0 is DefaultConfig's.
	HoldDays, LongHoldDays int
	// DailyPurchaseLimit and DailyATMLimit apply, in minor units of the card's currency (its primary account's),
	// to a card whose controls set no limit of their own (0). 0 is DefaultConfig's.
	DailyPurchaseLimit, DailyATMLimit int64
	// Home is the bank's country (ISO 3166-1 alpha-2): a merchant elsewhere is "abroad". "" is DefaultConfig's.
	Home string
	// The low-value exemption from strong customer authentication of online purchases (PSD2 RTS art. 16): a
	// purchase without 3-D Secure is approved only up to LowValueLimit euro cents (its amount at the card
	// network's rate), and while the card's unauthenticated ones since its last authenticated one, with it, are
	// at most LowValueCount in number and LowValueTotal euro cents in total. 0 is DefaultConfig's.
	LowValueLimit, LowValueTotal int64
	LowValueCount                int
}

// DefaultConfig: holds last 7 days, 30 for hotels and car rental; a card spends at most 1,000,000.00 a day in
// purchases and takes 200,000.00 a day in cash (minor units of its currency), in Albania and abroad; online
// purchases without 3-D Secure up to 30 EUR each, 5 in a row and 100 EUR in total (the RTS's limits).
func DefaultConfig() Config {
	return Config{HoldDays: 7, LongHoldDays: 30, DailyPurchaseLimit: 100_000_000, DailyATMLimit: 20_000_000,
		Home: "AL", LowValueLimit: 3_000, LowValueCount: 5, LowValueTotal: 10_000}
}

func (s *Service) config() Config {
	c, d := s.Config, DefaultConfig()
	if c.HoldDays <= 0 {
		c.HoldDays = d.HoldDays
	}
	if c.LongHoldDays <= 0 {
		c.LongHoldDays = d.LongHoldDays
	}
	if c.DailyPurchaseLimit <= 0 {
		c.DailyPurchaseLimit = d.DailyPurchaseLimit
	}
	if c.DailyATMLimit <= 0 {
		c.DailyATMLimit = d.DailyATMLimit
	}
	if c.Home == "" {
		c.Home = d.Home
	}
	if c.LowValueLimit <= 0 {
		c.LowValueLimit = d.LowValueLimit
	}
	if c.LowValueCount <= 0 {
		c.LowValueCount = d.LowValueCount
	}
	if c.LowValueTotal <= 0 {
		c.LowValueTotal = d.LowValueTotal
	}
	return c
}

// Service is the issuer host.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Ledger *ledger.Ledger
	Cards  Cards
	FX     *fx.Service
	Config Config
	// Credit is the credit cards' allowances (package creditcard); nil checks none.
	Credit Credit
	// Network is told of each chargeback won (settlement.go); nil tells none.
	Network Chargebacks
	// ThreeDS is the bank's access control server (package threeds), which vouches for online purchases' 3-D
	// Secure results; nil vouches for none.
	ThreeDS Authenticator

	// currencies caches each account's currency (it never changes) and gl the bank's GL account ids by code:
	// every authorisation needs them, and reading them each time would cost a query per request.
	currencies sync.Map // account id → money.Currency
	gl         sync.Map // GL code → account id
}

// Cards is what the issuer asks about cards: card.Service.
type Cards interface {
	Get(ctx context.Context, customerID, id string) (card.Card, error)
	ForNetwork(ctx context.Context, id string) (card.Spendable, error)
	ForAuthorisation(ctx context.Context, id, day string) (card.Spendable, error)
	SpentOn(ctx context.Context, cardID, day string) (purchases, cash int64, err error)
	CheckTerminalPIN(ctx context.Context, cardID, pin string, atATM bool) error
}

// currencyOf returns the currencies of accounts, read once per account.
func (s *Service) currencyOf(ctx context.Context, ids []string) (map[string]money.Currency, error) {
	out := make(map[string]money.Currency, len(ids))
	var missing []string
	for _, id := range ids {
		if c, ok := s.currencies.Load(id); ok {
			out[id] = c.(money.Currency)
			continue
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	found, err := s.Ledger.Resolve(ctx, missing, nil)
	if err != nil {
		return nil, err
	}
	for _, a := range found {
		s.currencies.Store(a.ID, a.Currency)
		out[a.ID] = a.Currency
	}
	return out, nil
}

// glAccount is the id of the bank's GL account of typ in c.
func (s *Service) glAccount(ctx context.Context, typ string, c money.Currency) (string, error) {
	code := ledger.GLCode(typ, c)
	if id, ok := s.gl.Load(code); ok {
		return id.(string), nil
	}
	a, err := s.Ledger.GL(ctx, code)
	if err != nil {
		return "", err
	}
	s.gl.Store(code, a.ID)
	return a.ID, nil
}

// holdUntil is when the hold of an authorisation at a merchant of mcc placed at now expires uncleared.
func (s *Service) holdUntil(now time.Time, mcc string) time.Time {
	c := s.config()
	days := c.HoldDays
	if LongHoldMCC(mcc) {
		days = c.LongHoldDays
	}
	return now.AddDate(0, 0, days)
}

// LongHoldMCC reports whether a merchant category keeps its authorisations' holds for the long period: hotels and
// car rental, whose final amount comes at check-out or return. The ranges are the card schemes' own:
//
//   - 3351–3441: car rental agencies by name;
//   - 3501–3999: hotels and lodging by name;
//   - 7011: hotels, motels and resorts;
//   - 7512: car rental agencies;
//   - 7513: truck and utility trailer rentals;
//   - 7519: motor home and recreational vehicle rentals.
func LongHoldMCC(mcc string) bool {
	n, ok := mccNumber(mcc)
	if !ok {
		return false
	}
	switch {
	case n >= 3351 && n <= 3441, n >= 3501 && n <= 3999:
		return true
	}
	return n == 7011 || n == 7512 || n == 7513 || n == 7519
}

// CashMCC reports whether a merchant category is cash: 6011, automated cash disbursements (ATMs), and 6010, manual
// cash at a financial institution's counter. Cash counts towards the card's daily ATM limit and its ATM control.
func CashMCC(mcc string) bool { return mcc == "6011" || mcc == "6010" }

func mccNumber(mcc string) (int, bool) {
	if len(mcc) != 4 {
		return 0, false
	}
	n := 0
	for _, r := range mcc {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
