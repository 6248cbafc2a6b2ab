package fx

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The customer's execution of a confirmed preferential request, within its limits (request.go).

// Limits are the amounts the customer may execute request r for now, in its amount's currency: the requested one
// changed by at most the segment's percentage, and never below RequestConfig.Minimum at the mid rates.
func (s *Service) Limits(ctx context.Context, r Request) (lo, hi money.Amount, err error) {
	rates, err := s.Current(ctx)
	if err != nil {
		return money.Amount{}, money.Amount{}, err
	}
	return s.limits(rates, r)
}

func (s *Service) limits(rates []Rate, r Request) (lo, hi money.Amount, err error) {
	cfg := s.requestConfig()
	pct := cfg.IndividualAdjust
	if r.Segment == Business {
		pct = cfg.BusinessAdjust
	}
	l, h := adjusted(r.Amount.Minor, pct)
	lo, hi = money.New(l, r.Amount.Currency), money.New(h, r.Amount.Currency)
	floor, err := minimumIn(rates, cfg.Minimum, r.Amount.Currency)
	if err != nil {
		return money.Amount{}, money.Amount{}, err
	}
	if floor.Minor > lo.Minor {
		lo = floor
	}
	return lo, hi, nil
}

// adjusted are the least and the most amount may become changed by at most pct percent: ⌈amount × (100 − pct) /
// 100⌉ and ⌊amount × (100 + pct) / 100⌋, exactly.
func adjusted(amount, pct int64) (lo, hi int64) {
	a := big.NewInt(amount)
	l := new(big.Int).Mul(a, big.NewInt(100-pct))
	l.Add(l, big.NewInt(99))
	l.Quo(l, big.NewInt(100))
	h := new(big.Int).Mul(a, big.NewInt(100+pct))
	h.Quo(h, big.NewInt(100))
	if !h.IsInt64() {
		return l.Int64(), amount
	}
	return l.Int64(), h.Int64()
}

// value is a in lek at its currency's mid rate among rates, exactly.
func value(rates []Rate, a money.Amount) (*apd.Decimal, error) {
	rt, err := rateOf(rates, a.Currency, "currency")
	if err != nil {
		return nil, err
	}
	m, err := mustRate(rt.Mid)
	if err != nil {
		return nil, err
	}
	var v apd.Decimal
	if _, err := wide().Mul(&v, decimalOf(a), m); err != nil {
		return nil, fmt.Errorf("fx value: %w", err)
	}
	return &v, nil
}

// compareValue compares a's and b's values at the mid rates: −1, 0 or 1.
func compareValue(rates []Rate, a, b money.Amount) (int, error) {
	va, err := value(rates, a)
	if err != nil {
		return 0, err
	}
	vb, err := value(rates, b)
	if err != nil {
		return 0, err
	}
	return va.Cmp(vb), nil
}

// minimumIn is min in currency c at the mid rates, rounded up to c's minor unit: an amount of c is worth at least
// min exactly when it is at least this.
func minimumIn(rates []Rate, min money.Amount, c money.Currency) (money.Amount, error) {
	if min.Currency == c {
		return min, nil
	}
	v, err := value(rates, min)
	if err != nil {
		return money.Amount{}, err
	}
	rt, err := rateOf(rates, c, "currency")
	if err != nil {
		return money.Amount{}, err
	}
	m, err := mustRate(rt.Mid)
	if err != nil {
		return money.Amount{}, err
	}
	ctx := wide()
	var q apd.Decimal
	if _, err := ctx.Quo(&q, v, m); err != nil {
		return money.Amount{}, fmt.Errorf("fx minimum: %w", err)
	}
	ctx.Rounding = apd.RoundCeiling
	if _, err := ctx.Quantize(&q, &q, -int32(c.MinorUnits())); err != nil || !q.Coeff.IsInt64() {
		return money.Amount{}, money.ErrAmountOutOfRange
	}
	return money.New(q.Coeff.Int64(), c), nil
}

// checkMinimum refuses an amount worth less than RequestConfig.Minimum at the mid rates, about field.
func (s *Service) checkMinimum(rates []Rate, a money.Amount, field string) error {
	min := s.requestConfig().Minimum
	cmp, err := compareValue(rates, a, min)
	if err != nil {
		return err
	}
	if cmp < 0 {
		return ErrRequestBelowMinimum.Field(field).WithParam("minimum", min.String())
	}
	return nil
}

// PreviewRequest is what executing the customer's confirmed request id for amount (a decimal string in the
// requested amount's currency; "" is the requested amount) would give now: the conversion at the proposed rate,
// checked as ExecuteRequest checks it, nothing moved. The review page shows it before the customer confirms.
func (s *Service) PreviewRequest(ctx context.Context, customerID, id, amount string) (Request, Conversion, error) {
	return s.prepare(ctx, customerID, id, amount)
}

// prepare checks an execution of request id for amount and prices it: the request and the conversion it would
// make (not yet stored).
func (s *Service) prepare(ctx context.Context, customerID, id, amount string) (Request, Conversion, error) {
	r, err := s.GetRequest(ctx, customerID, id)
	if err != nil {
		return Request{}, Conversion{}, err
	}
	given := r.Amount
	if amount != "" {
		if given, err = money.ParsePositive(amount, r.Amount.Currency); err != nil {
			return r, Conversion{}, about(err, "amount")
		}
	}
	switch r.Status {
	case Executed, Cancelled, Expired:
		return r, Conversion{}, refusal(r.Status)
	case Requested:
		return r, Conversion{}, ErrRequestNotConfirmed
	}
	rates, err := s.Current(ctx)
	if err != nil {
		return r, Conversion{}, err
	}
	cfg := s.requestConfig()
	pct := cfg.IndividualAdjust
	if r.Segment == Business {
		pct = cfg.BusinessAdjust
	}
	l, h := adjusted(r.Amount.Minor, pct)
	if given.Minor < l || given.Minor > h {
		lo, hi, err := s.limits(rates, r)
		if err != nil {
			return r, Conversion{}, err
		}
		return r, Conversion{}, ErrRequestAmountOutOfRange.Field("amount").WithParam("percent",
			strconv.FormatInt(pct, 10)).WithParam("min", lo.String()).WithParam("max", hi.String())
	}
	if err := s.checkMinimum(rates, given, "amount"); err != nil {
		return r, Conversion{}, err
	}
	p, err := s.priceAt(rates, r, given)
	if err != nil {
		return r, Conversion{}, about(err, "amount")
	}
	now := s.Clock.Now()
	c := Conversion{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, FromAccountID: r.FromAccountID,
		ToAccountID: r.ToAccountID, Price: p, Status: Executed, CreatedAt: now, ExpiresAt: r.ValidUntil,
		FromIBAN: r.FromIBAN, ToIBAN: r.ToIBAN}
	return r, c, nil
}

// priceAt prices request r for amount (of r's side) at its proposed rate, what the bank books beside it at the mid
// rates among rates.
func (s *Service) priceAt(rates []Rate, r Request, amount money.Amount) (Price, error) {
	sold, err := rateOf(rates, r.Sell, "currency")
	if err != nil {
		return Price{}, err
	}
	bought, err := rateOf(rates, r.Buy, "currency")
	if err != nil {
		return Price{}, err
	}
	d, err := figuresOf(sold, bought)
	if err != nil {
		return Price{}, err
	}
	rate, err := mustRate(r.Rate)
	if err != nil {
		return Price{}, err
	}
	// No board spread: the rate is the bank's own for this request (Factor "").
	p := Price{Base: r.Base, Quoted: r.Quoted, Side: r.Side, Segment: r.Segment, SellMid: decimalText(d.soldMid),
		BuyMid: decimalText(d.boughtMid), SellRateID: sold.ID, BuyRateID: bought.ID}
	c := Calculation{Sell: r.Sell, Buy: r.Buy, Side: r.Side, Segment: r.Segment}
	if err := p.settle(d, rate, r.Base == r.Sell, c, amount); err != nil {
		return Price{}, err
	}
	return p, nil
}

// executeHash is an execution's request under requestScope: its amount, so a repeat for the same amount finds the
// first one's conversion and one for another amount is refused.
func executeHash(amount money.Amount) string { return "execute:" + strconv.FormatInt(amount.Minor, 10) }

// ExecuteRequest executes the customer's confirmed request id for amount (a decimal string in the requested
// amount's currency; "" is the requested amount): the money moves at the proposed rate in one journal entry, as a
// quote's does (post) — the amount the customer did not give rounded once, half-up, the spread against the mid
// rates booked as FX income and the rounding as FX rounding —, and a conversion records it among the customer's
// conversions. The amount may differ from the requested one by at most the segment's percentage
// (fx_request_amount_out_of_range) and be worth no less than the minimum (fx_request_below_minimum). A request not
// yet answered is fx_request_not_confirmed; a cancelled, expired or executed one its own code — except a repeat
// for the same amount, which answers the first execution with replayed true: executing twice, or at once from two
// requests, moves the money once. Funds and the accounts' status are the ledger's to check, under lock.
func (s *Service) ExecuteRequest(ctx context.Context, customerID, id, amount string) (Request, bool, error) {
	r, replayed, err := s.executeRequest(ctx, customerID, id, amount)
	return r, replayed, db.Classify(ctx, err)
}

func (s *Service) executeRequest(ctx context.Context, customerID, id, amount string) (Request, bool, error) {
	r, c, err := s.prepare(ctx, customerID, id, amount)
	if errors.Is(err, ErrRequestExecuted) {
		// A repeat for the amount it was executed for answers that execution.
		if amount == "" {
			amount = r.Amount.Decimal()
		}
		if a, perr := money.ParsePositive(amount, r.Amount.Currency); perr == nil && a == executedFor(r) {
			return r, true, nil
		}
		return Request{}, false, err
	}
	if err != nil {
		return Request{}, false, err
	}
	if err := s.checkBusinessHours(ctx, customerID); err != nil {
		return Request{}, false, err
	}
	given := c.Sell
	if r.Side == SideBuy {
		given = c.Buy
	}
	scope := requestScope(r.ID)
	_, err = s.post(ctx, c, guard{
		scope: scope,
		hash:  executeHash(given),
		reused: func(b *ledger.Batch) error {
			if _, cancelled, _ := b.Idempotency(scope, cancelHash); cancelled {
				return ErrRequestCancelled
			}
			return ErrRequestExecuted
		},
		check: func(b *ledger.Batch) error {
			if !b.Now().Before(r.ValidUntil) {
				return ErrRequestExpired
			}
			return nil
		},
		stage: func(b *ledger.Batch, entryID string) {
			done := c
			done.Status, done.EntryID, done.CreatedAt, done.ExecutedAt = Executed, entryID, b.Now(), b.Now()
			b.Insert(conversionRow(done))
			now := db.Micros(b.Now())
			b.Update(ledger.Record{Table: "fx_requests", Columns: []string{"id", "status", "conversion_id", "executed_at"},
				Values: []any{r.ID, Executed, c.ID, now}})
		},
		audit: func(err error) audit.Entry {
			after := r
			after.ExecutedSell, after.ExecutedBuy, after.ConversionID = c.Sell, c.Buy, c.ID
			if err == nil {
				after.Status = Executed
				return s.requestEntry(ctx, ActionRequestExecuted, after, &r, nil)
			}
			return s.requestEntry(ctx, ActionRequestRefused, after, &r, err)
		},
	})
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		err = about(err, "amount")
	}
	if err != nil && !db.MayHaveCommitted(err) && !db.IsUniqueViolation(err) {
		return Request{}, false, err
	}
	// Answer what the books hold: after a lost COMMIT too, the request executed or it did not; a key taken at once
	// by another instance's execution or cancellation (a unique violation) says which of them won.
	got, gerr := s.GetRequest(context.WithoutCancel(ctx), customerID, id)
	if gerr != nil {
		return Request{}, false, gerr
	}
	if got.Status == Executed {
		if got.ConversionID == c.ID {
			return got, false, nil
		}
		if executedFor(got) == given {
			return got, true, nil
		}
		return Request{}, false, ErrRequestExecuted
	}
	if got.Status == Cancelled && db.IsUniqueViolation(err) {
		return Request{}, false, ErrRequestCancelled
	}
	if err == nil {
		err = fmt.Errorf("fx request execute %s: not executed after its op", id)
	}
	return Request{}, false, err
}

// executedFor is the amount of r's side its execution moved.
func executedFor(r Request) money.Amount {
	if r.Side == SideBuy {
		return r.ExecutedBuy
	}
	return r.ExecutedSell
}
