package fx

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The audit actions of conversions.
const (
	ActionExecuted = "fx.executed" // a customer's conversion moved its money
	ActionRefused  = "fx.refused"  // a confirmation refused in the ledger: the result is the code
)

// TextConversion is the key of a conversion's posting on both of the customer's accounts when they gave no
// description: {sell} and {buy} are the amounts, {rate} "1 EUR = 97.80 ALL". Its messages are in the catalogue.
const TextConversion = "tx_fx_conversion"

// Texts lists the keys of the texts this package writes on postings, for the catalogue's tests.
func Texts() []string { return []string{TextConversion, TextRevaluation} }

// Execute confirms the customer's quote id: the money moves at the quote's rate in one journal entry — the
// customer's source account to the FX position of its currency, the FX position of the other currency to the
// customer's destination account, and the bank's income and the rounding from the lek position to their accounts
// (postings). Executing a quote twice, or at once from two requests, moves the money once: the repeat answers the
// conversion with replayed true. A quote past its expiry is fx_quote_expired, one whose currency has a newer rate
// published fx_quote_changed; funds and the accounts' status are the ledger's to check, under lock.
func (s *Service) Execute(ctx context.Context, customerID, id string) (c Conversion, replayed bool, err error) {
	c, replayed, err = s.execute(ctx, customerID, id)
	return c, replayed, db.Classify(ctx, err)
}

func (s *Service) execute(ctx context.Context, customerID, id string) (Conversion, bool, error) {
	// A quote in time goes straight to the ledger, whose idempotency key tells a repeat; a conversion's own id, or a
	// quote past its time, is answered by what the books hold.
	c, fresh := s.open(customerID, id)
	if !fresh || !s.Clock.Now().Before(c.ExpiresAt) {
		got, err := s.Get(ctx, customerID, id)
		if err != nil {
			return Conversion{}, false, err
		}
		switch got.Status {
		case Executed:
			return got, true, nil
		case Expired:
			return Conversion{}, false, ErrQuoteExpired
		}
		c = got
	}
	if err := s.mayPost(ctx, customerID, c); err != nil {
		// Refused now; a repeat of a quote executed before is still answered with its conversion.
		if got, gerr := s.executed(ctx, customerID, c.key); gerr == nil {
			return got, true, nil
		}
		return Conversion{}, false, err
	}
	done := c
	replay, err := s.post(ctx, c, guard{
		scope: "fx/" + c.key,
		hash:  c.key,
		check: func(b *ledger.Batch) error {
			if !b.Now().Before(c.ExpiresAt) {
				return ErrQuoteExpired
			}
			return nil
		},
		stage: func(b *ledger.Batch, entryID string) {
			done = c
			done.ID, done.Status, done.EntryID, done.ExecutedAt, done.ValueDate = c.key, Executed, entryID, b.Now(),
				b.ValueDate()
			b.Insert(conversionRow(done))
		},
		audit: func(err error) audit.Entry { return conversionEntry(ctx, c, err) },
	})
	if err == nil && !replay {
		return done, false, nil
	}
	if err != nil && !db.MayHaveCommitted(err) {
		return Conversion{}, false, err
	}
	// A repeat, or a COMMIT whose answer was lost: answer what the books hold.
	got, gerr := s.executed(context.WithoutCancel(ctx), customerID, c.key)
	if gerr != nil {
		if err != nil {
			return Conversion{}, false, err
		}
		return Conversion{}, false, gerr
	}
	return got, replay || err != nil, nil
}

// mayPost refuses what the ledger cannot see: a quote whose rate the bank has replaced, and a business's
// conversion in the hours it may make none.
func (s *Service) mayPost(ctx context.Context, customerID string, c Conversion) error {
	if err := s.unchanged(ctx, c); err != nil {
		return err
	}
	return s.checkBusinessHours(ctx, customerID)
}

// conversionRow is c, executed, as its row of fx_conversions.
func conversionRow(c Conversion) ledger.Record {
	p := c.Price
	return ledger.Record{Table: "fx_conversions", Columns: []string{"id", "customer_id", "from_account_id",
		"to_account_id", "sell_amount", "sell_currency", "buy_amount", "buy_currency", "side", "rate", "base", "quoted",
		"segment", "factor", "sell_mid", "buy_mid", "sell_rate_id", "buy_rate_id", "income", "rounding", "description",
		"status", "created_at", "expires_at", "entry_id", "executed_at"},
		Values: []any{c.ID, c.CustomerID, c.FromAccountID, c.ToAccountID, p.Sell.Minor, string(p.Sell.Currency),
			p.Buy.Minor, string(p.Buy.Currency), string(p.Side), p.Rate, string(p.Base), string(p.Quoted), p.Segment,
			p.Factor, p.SellMid, p.BuyMid, p.SellRateID, p.BuyRateID, p.Income, p.Rounding, c.Description, c.Status,
			db.Micros(c.CreatedAt), db.Micros(c.ExpiresAt), c.EntryID, db.Micros(c.ExecutedAt)}}
}

// guard is what makes one conversion's posting happen once and be recorded: the idempotency key of its scope
// (scope, with hash for the request that posts it), the refusals under lock, the rows that say it was executed,
// and its audit entry.
type guard struct {
	scope, hash string
	// reused is the refusal when the scope's key holds another request (nil: the key's own refusal).
	reused func(b *ledger.Batch) error
	// check refuses what may not post any more (past its expiry), once a repeat has been told apart.
	check func(b *ledger.Batch) error
	// stage stages the rows that record the execution, whose entry is entryID.
	stage func(b *ledger.Batch, entryID string)
	// audit is the entry of the execution, or of its refusal with err's code.
	audit func(err error) audit.Entry
}

// post moves conversion c's money in one journal entry through the bank's FX positions (legs), the one posting of
// every conversion — a quote's (Execute) and a preferential request's (ExecuteRequest) —, with the rows g stages
// beside it and g's audit entry, in the ledger's transaction. A repeat under g's key (replay true) posts nothing
// and records nothing. Funds and the accounts' status are the ledger's to check, under lock.
func (s *Service) post(ctx context.Context, c Conversion, g guard) (replay bool, err error) {
	legs, accounts, err := s.legs(ctx, c)
	if err != nil {
		return false, err
	}
	// The entry's texts are the same each time Run runs: worked out here, not in the ledger's one writer.
	desc, txt := c.Description, ledger.Text{}
	if desc == "" {
		txt = s.text(c)
		desc = albanian(txt)
	}
	for i := range legs {
		legs[i].Description, legs[i].Text = desc, txt
	}
	err = s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       accounts,
		IdempotencyKey: g.scope,
		Run: func(b *ledger.Batch) error {
			replay = false
			if _, again, err := b.Idempotency(g.scope, g.hash); err != nil {
				if g.reused != nil {
					return g.reused(b)
				}
				return err
			} else if again {
				replay = true
				return nil
			}
			if g.check != nil {
				if err := g.check(b); err != nil {
					return err
				}
			}
			entryID, err := b.Post(ledger.Entry{Kind: "fx_conversion", Description: desc, Reference: c.ref(),
				Legs: legs})
			if err != nil {
				return err
			}
			g.stage(b, entryID)
			b.RememberIdempotency(g.scope, g.hash, c.ref())
			return nil
		},
		Audit: func(err error) []audit.Entry {
			if replay {
				return nil // a repeat changes nothing
			}
			return []audit.Entry{g.audit(err)}
		},
	})
	return replay, err
}

// unchanged refuses a quote whose currencies have a newer rate than the one it was priced from: the latest
// publication of each, read now (not the rates quoting keeps for a second).
func (s *Service) unchanged(ctx context.Context, c Conversion) error {
	now := s.Clock.Now()
	for _, x := range []struct {
		cur money.Currency
		id  string
	}{{c.Sell.Currency, c.SellRateID}, {c.Buy.Currency, c.BuyRateID}} {
		if x.cur == money.ALL {
			continue
		}
		id, until, err := latestID(ctx, s.DB, x.cur, now)
		if err != nil {
			return fmt.Errorf("fx rate of %s: %w", x.cur, err)
		}
		if id != x.id || !now.Before(until) {
			return ErrQuoteChanged
		}
	}
	return nil
}

// checkBusinessHours refuses a business customer's conversion from 21:00 to midnight, as every financial
// transaction of a business then (Z7).
func (s *Service) checkBusinessHours(ctx context.Context, customerID string) error {
	now := s.Clock.Now()
	if calendar.CheckBusinessHours(now) == nil {
		return nil
	}
	biz, err := s.Customers.IsBusiness(ctx, customerID)
	if err != nil || !biz {
		return err
	}
	return calendar.CheckBusinessHours(now)
}

// legs are the conversion's postings, one per account with a non-zero sum, and the accounts they touch: the
// exchange's (ExchangeLegs) from the customer's source account to their destination.
func (s *Service) legs(ctx context.Context, c Conversion) ([]ledger.Leg, []string, error) {
	legs, err := s.ExchangeLegs(ctx, ExchangeOf(c.Price, c.FromAccountID, c.ToAccountID))
	if err != nil {
		return nil, nil, err
	}
	legs, accounts := MergeLegs(legs)
	return legs, accounts, nil
}

// glAccounts is the ids of the bank's GL accounts by code, read once (a failed read is tried again next time).
func (s *Service) glAccounts(ctx context.Context) (map[string]string, error) {
	s.glMu.Lock()
	defer s.glMu.Unlock()
	if s.gl != nil {
		return s.gl, nil
	}
	all, err := s.Ledger.ListGL(ctx)
	if err != nil {
		return nil, fmt.Errorf("fx GL accounts: %w", err)
	}
	gl := map[string]string{}
	for _, a := range all {
		gl[a.GLCode] = a.ID
	}
	for _, code := range []string{ledger.GLCode(ledger.TypeFXIncome, money.ALL),
		ledger.GLCode(ledger.TypeFXRounding, money.ALL), ledger.GLCode(ledger.TypeFXRevaluation, money.ALL)} {
		if gl[code] == "" {
			return nil, fmt.Errorf("fx: no GL account %s", code)
		}
	}
	s.gl = gl
	return gl, nil
}

// text is the bank's description of c on both of the customer's postings.
func (s *Service) text(c Conversion) ledger.Text {
	return ledger.Text{Key: TextConversion, Params: map[string]string{"sell": c.Sell.String(), "buy": c.Buy.String(),
		"rate": "1 " + string(c.Base) + " = " + c.Rate + " " + string(c.Quoted)}}
}

// albanian is TextConversion's Albanian message, for the description column (the catalogue's tests hold the two
// equal).
func albanian(t ledger.Text) string {
	return "Këmbim valutor " + t.Params["sell"] + " → " + t.Params["buy"] + " (" + t.Params["rate"] + ")"
}

// conversionEntry is the audit entry of c's execution, or of its refusal with err's code.
func conversionEntry(ctx context.Context, c Conversion, err error) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, c.CustomerID)), Action: ActionExecuted,
		CustomerID: c.CustomerID, AccountID: c.FromAccountID, Result: audit.ResultOK,
		After: audit.State(conversionState{ID: c.ref(), Sell: c.Sell.Minor, SellCurrency: string(c.Sell.Currency),
			Buy: c.Buy.Minor, BuyCurrency: string(c.Buy.Currency), Rate: c.Rate})})
	if err != nil {
		e.Action, e.Result = ActionRefused, kumbara.CodeOf(err)
	}
	return e
}

// conversionState is what an entry keeps of a conversion.
type conversionState struct {
	ID           string `json:"id"`
	Sell         int64  `json:"sell"`
	SellCurrency string `json:"sell_currency"`
	Buy          int64  `json:"buy"`
	BuyCurrency  string `json:"buy_currency"`
	Rate         string `json:"rate"`
}
