package fx

import (
	"context"

	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Exchange is money changing currency inside another package's movement — a payment in another currency than its
// account's, a payment returned into such an account: From gives Sell, To receives Buy, at a Price the FX service
// computed (Calculate), whose Income and Rounding the bank books in lek.
type Exchange struct {
	From     string
	Sell     money.Amount
	To       string
	Buy      money.Amount
	Income   int64
	Rounding int64
}

// ExchangeOf is the exchange p prices, from one account to another.
func ExchangeOf(p Price, from, to string) Exchange {
	return Exchange{From: from, Sell: p.Sell, To: to, Buy: p.Buy, Income: p.Income, Rounding: p.Rounding}
}

// ExchangeLegs are e's postings, through the bank's FX positions as a conversion's (Execute): From → the position
// of Sell's currency, the position of Buy's → To, and the lek position → FX income and FX rounding. The caller
// posts them in its own entry, with its own legs beside (MergeLegs), and describes them.
func (s *Service) ExchangeLegs(ctx context.Context, e Exchange) ([]ledger.Leg, error) {
	gl, err := s.glAccounts(ctx)
	if err != nil {
		return nil, err
	}
	pos := func(c money.Currency) string { return gl[ledger.GLCode(ledger.TypeFXPosition, c)] }
	return []ledger.Leg{
		{AccountID: e.From, Amount: -e.Sell.Minor},
		{AccountID: pos(e.Sell.Currency), Amount: e.Sell.Minor},
		{AccountID: pos(e.Buy.Currency), Amount: -e.Buy.Minor},
		{AccountID: e.To, Amount: e.Buy.Minor},
		{AccountID: pos(money.ALL), Amount: -(e.Income + e.Rounding)},
		{AccountID: gl[ledger.GLCode(ledger.TypeFXIncome, money.ALL)], Amount: e.Income},
		{AccountID: gl[ledger.GLCode(ledger.TypeFXRounding, money.ALL)], Amount: e.Rounding},
	}, nil
}

// MergeLegs sums the legs on each account into one (the first leg's texts kept), in the order the accounts first
// appear, and leaves out those that sum to zero; accounts are the accounts of the legs left, for the ledger op to
// lock (no more: every account locked is one more that concurrent payments wait on).
func MergeLegs(legs []ledger.Leg) (merged []ledger.Leg, accounts []string) {
	at := map[string]int{}
	var all []ledger.Leg
	for _, l := range legs {
		if i, ok := at[l.AccountID]; ok {
			all[i].Amount += l.Amount
			continue
		}
		at[l.AccountID] = len(all)
		all = append(all, l)
	}
	for _, l := range all {
		if l.Amount != 0 {
			merged = append(merged, l)
			accounts = append(accounts, l.AccountID)
		}
	}
	return merged, accounts
}

// Negated is legs with every amount's sign turned: the movement undone (a rejected payment's exchange given back at
// the rate it was made at).
func Negated(legs []ledger.Leg) []ledger.Leg {
	out := make([]ledger.Leg, len(legs))
	for i, l := range legs {
		l.Amount = -l.Amount
		out[i] = l
	}
	return out
}
