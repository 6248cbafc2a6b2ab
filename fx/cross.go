package fx

import (
	"context"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara/money"
)

// unit is ALL's rate against itself: one lek is one lek, bought or sold.
func unit() Rate { return Rate{Currency: money.ALL, Buy: "1.00", Sell: "1.00", Mid: "1.00"} }

// Cross is the rate of one unit of a's currency in b's, from their rates against ALL (either may be ALL's own,
// buy = sell = 1). The bank buying a for b pays out in lek what it buys a at and sells b for that lek; selling a
// for b the other way round:
//
//	buy  = a.Buy  / b.Sell
//	sell = a.Sell / b.Buy
//	mid  = a.Mid  / b.Mid
//
// each computed exactly and rounded once, half-up, to CrossDecimals decimals. Since a.Buy ≤ a.Sell and b.Buy ≤
// b.Sell, buy ≤ mid ≤ sell holds. It is valid from the later of the two and until the earlier.
func Cross(a, b Rate) (Rate, error) {
	if a.Currency == money.ALL {
		a = unit()
	}
	if b.Currency == money.ALL {
		b = unit()
	}
	var figures [6]*apd.Decimal
	for i, s := range []string{a.Buy, a.Sell, a.Mid, b.Buy, b.Sell, b.Mid} {
		d, err := mustRate(s)
		if err != nil {
			return Rate{}, err
		}
		figures[i] = d
	}
	aBuy, aSell, aMid, bBuy, bSell, bMid := figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]
	out := Rate{Currency: a.Currency, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil}
	for _, f := range []struct {
		to   *string
		x, y *apd.Decimal
	}{{&out.Buy, aBuy, bSell}, {&out.Sell, aSell, bBuy}, {&out.Mid, aMid, bMid}} {
		q, err := quo(f.x, f.y)
		if err != nil {
			return Rate{}, err
		}
		*f.to = decimalText(q)
	}
	if b.ValidFrom.After(out.ValidFrom) {
		out.ValidFrom = b.ValidFrom
	}
	if !b.ValidUntil.IsZero() && (out.ValidUntil.IsZero() || b.ValidUntil.Before(out.ValidUntil)) {
		out.ValidUntil = b.ValidUntil
	}
	return out, nil
}

// CurrentIn is the rates valid now against base instead of ALL: every other currency with a current rate, ALL
// first, each its Cross with base's. ALL is Current itself; a base the bank does not offer is
// ErrCurrencyInvalid, one without a current rate ErrNoRate.
func (s *Service) CurrentIn(ctx context.Context, base money.Currency) ([]Rate, error) {
	rates, err := s.Current(ctx)
	if err != nil || base == money.ALL {
		return rates, err
	}
	if !quoted(base) {
		return nil, ErrCurrencyInvalid
	}
	var against *Rate
	for i := range rates {
		if rates[i].Currency == base {
			against = &rates[i]
		}
	}
	if against == nil {
		return nil, ErrNoRate.With("%s", base)
	}
	out := []Rate{}
	for _, r := range append([]Rate{unit()}, rates...) {
		if r.Currency == base {
			continue
		}
		c, err := Cross(r, *against)
		if err != nil {
			return nil, fmt.Errorf("fx cross %s/%s: %w", r.Currency, base, err)
		}
		out = append(out, c)
	}
	return out, nil
}
