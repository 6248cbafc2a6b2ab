package fx

import (
	"context"
	"fmt"
	"slices"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/money"
)

// Segments of customers, whose spreads may differ.
const (
	Individual = "individual"
	Business   = "business"
	// Card is the card network's segment: a card spending or refunded in another currency than its account's
	// (package issuing, CardPurchase and CardRefund). Without a tier of its own it pays the published rates.
	Card = "card"
)

// Spread is how much of the published spread a segment pays from an amount on: a customer of Segment converting
// at least From (in lek at the mid rate, minor units) gets the rate Factor of the way from the mid rate to the
// published buy or sell rate. Factor 1 is the published rate itself, 0.5 half its spread.
type Spread struct {
	Segment string `json:"segment"`
	From    int64  `json:"from"`   // lek, minor units
	Factor  string `json:"factor"` // an exact decimal, 0 < factor ≤ 1
}

// DefaultSpreads: individuals pay the published rates below 1,000,000 lek, 80 % of their spread from 1,000,000 and
// 60 % from 5,000,000; businesses 90 %, 70 % and 50 %.
func DefaultSpreads() []Spread {
	return []Spread{
		{Individual, 0, "1"}, {Individual, 100_000_000, "0.8"}, {Individual, 500_000_000, "0.6"},
		{Business, 0, "0.9"}, {Business, 100_000_000, "0.7"}, {Business, 500_000_000, "0.5"},
	}
}

// Side is which amount of a conversion the customer gave: what they sell, or what they buy.
type Side string

// The sides of a conversion.
const (
	SideSell Side = "sell"
	SideBuy  Side = "buy"
)

// Calculation asks what a conversion would give: the customer sells Sell and buys Buy; Amount is the amount of
// the Side they give, a decimal string as typed (in Sell's currency for SideSell, Buy's for SideBuy).
type Calculation struct {
	Sell, Buy money.Currency
	Side      Side
	Amount    string
	Segment   string // Individual when empty
}

// Price is what a conversion gives at the rates now: the rate the customer gets, both amounts, and what the bank
// books beside them.
type Price struct {
	// Rate is the customer's rate as people read it: one unit of Base is Rate units of Quoted. Against ALL the base
	// is the other currency ("1 EUR = 99.40 ALL") whichever way the customer converts; between two other
	// currencies it is the one sold.
	Rate       string         `json:"rate"`
	Base       money.Currency `json:"base"`
	Quoted     money.Currency `json:"quoted"`
	Sell       money.Amount   `json:"-"`
	Buy        money.Amount   `json:"-"`
	Side       Side           `json:"side"`
	Segment    string         `json:"segment"`
	Factor     string         `json:"factor"` // the share of the published spread this conversion pays
	SellMid    string         `json:"sell_mid"`
	BuyMid     string         `json:"buy_mid"`
	SellRateID string         `json:"-"` // the publications priced from ("" for ALL)
	BuyRateID  string         `json:"-"`
	Income     int64          `json:"income"`   // lek (minor units) the bank books as FX income
	Rounding   int64          `json:"rounding"` // lek the rounding of the customer's amount moved to the bank (signed)
}

// segmentOf is a customer's segment: Business for a business, Individual otherwise.
func segmentOf(business bool) string {
	if business {
		return Business
	}
	return Individual
}

// Calculate is what converting would give now, for the calculator (before login too) and every quote: the same
// figures a quote would hold, computed once here. Problems with what was asked come back field by field inside
// validation_failed; a currency without a current rate is fx_rate_missing.
func (s *Service) Calculate(ctx context.Context, c Calculation) (Price, error) {
	if c.Segment == "" {
		c.Segment = Individual
	}
	var fields []kumbara.FieldError
	if !c.Sell.Valid() {
		fields = append(fields, ErrCurrencyInvalid.At("sell_currency"))
	}
	if !c.Buy.Valid() {
		fields = append(fields, ErrCurrencyInvalid.At("buy_currency"))
	}
	if c.Sell.Valid() && c.Sell == c.Buy {
		fields = append(fields, ErrSameCurrency.At("buy_currency"))
	}
	if c.Side != SideSell && c.Side != SideBuy {
		fields = append(fields, kumbara.ErrValidationFailed.At("side"))
	}
	if c.Segment != Individual && c.Segment != Business && c.Segment != Card {
		fields = append(fields, kumbara.ErrValidationFailed.At("segment"))
	}
	if len(fields) > 0 {
		return Price{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	field, cur := "sell_amount", c.Sell
	if c.Side == SideBuy {
		field, cur = "buy_amount", c.Buy
	}
	amount, err := money.ParsePositive(c.Amount, cur)
	if err != nil {
		return Price{}, about(err, field)
	}
	rates, err := s.quoting(ctx)
	if err != nil {
		return Price{}, err
	}
	return s.price(rates, c, amount)
}

// rateOf is c's current rate among rates (ALL's own for ALL), or fx_rate_missing about field.
func rateOf(rates []Rate, c money.Currency, field string) (Rate, error) {
	if c == money.ALL {
		return unit(), nil
	}
	i := slices.IndexFunc(rates, func(r Rate) bool { return r.Currency == c })
	if i < 0 {
		return Rate{}, ErrNoRate.Field(field).WithParam("currency", string(c))
	}
	return rates[i], nil
}

// price computes a conversion of amount (of c.Side) at rates, segment and tier applied:
//
//   - the tier is chosen by the amount's value in lek at its currency's mid rate;
//   - the bank buys what the customer sells at buy' = mid − (mid − buy) × factor and sells what they buy at
//     sell' = mid + (sell − mid) × factor (ALL's are 1);
//   - the customer's rate, one Base in Quoted, is the other currency's buy' or sell' against ALL, and
//     sold.buy' / bought.sell' between two others, rounded once, half-up, to MaxDecimals decimals;
//   - the amount the customer did not give is the other times or divided by that rate, exactly, and becomes
//     money once (ToMinor, half-up);
//   - the bank's income is the value in lek, at the mid rates, of what it receives less what it gives, rounded
//     once; the part of it that the rounding of the customer's amount made is Rounding, the rest Income.
func (s *Service) price(rates []Rate, c Calculation, amount money.Amount) (Price, error) {
	sold, err := rateOf(rates, c.Sell, "sell_currency")
	if err != nil {
		return Price{}, err
	}
	bought, err := rateOf(rates, c.Buy, "buy_currency")
	if err != nil {
		return Price{}, err
	}
	d, err := figuresOf(sold, bought)
	if err != nil {
		return Price{}, err
	}
	given := decimalOf(amount)
	var lek apd.Decimal
	givenMid := d.soldMid
	if c.Side == SideBuy {
		givenMid = d.boughtMid
	}
	if _, err := wide().Mul(&lek, given, givenMid); err != nil {
		return Price{}, fmt.Errorf("fx price: %w", err)
	}
	factor, err := s.factor(c.Segment, &lek)
	if err != nil {
		return Price{}, err
	}
	var reduced apd.Decimal
	reduced.Reduce(factor)
	p := Price{Side: c.Side, Segment: c.Segment, Factor: reduced.Text('f'), SellMid: decimalText(d.soldMid),
		BuyMid: decimalText(d.boughtMid), SellRateID: sold.ID, BuyRateID: bought.ID}
	soldBuy, err := toward(d.soldMid, d.soldBuy, factor) // what the bank pays for what it buys
	if err != nil {
		return Price{}, err
	}
	boughtSell, err := toward(d.boughtMid, d.boughtSell, factor) // what it asks for what it sells
	if err != nil {
		return Price{}, err
	}
	// rate is one Base in Quoted; perSold is how many of the bought currency one of the sold one gives.
	var rate *apd.Decimal
	perSoldIsRate := true
	switch {
	case c.Buy == money.ALL:
		p.Base, p.Quoted = c.Sell, money.ALL
		rate, err = round6(soldBuy)
	case c.Sell == money.ALL:
		p.Base, p.Quoted, perSoldIsRate = c.Buy, money.ALL, false
		rate, err = round6(boughtSell)
	default:
		p.Base, p.Quoted = c.Sell, c.Buy
		rate, err = quo(soldBuy, boughtSell)
	}
	if err != nil {
		return Price{}, err
	}
	if err := p.settle(d, rate, perSoldIsRate, c, amount); err != nil {
		return Price{}, err
	}
	return p, nil
}

// settle fills the rest of p once its rate is known — the board's for a quote, the one staff proposed for a
// preferential request: Rate; the amount the customer did not give, the other times or divided by rate exactly
// (perSoldIsRate: rate is how many bought units one sold unit gives), made money once (ToMinor, half-up); both
// amounts; and what the bank books beside them (book), at d's mid rates.
func (p *Price) settle(d figures, rate *apd.Decimal, perSoldIsRate bool, c Calculation, amount money.Amount) error {
	p.Rate = decimalText(rate)
	given := decimalOf(amount)
	// other is the exact amount the customer did not give.
	var other apd.Decimal
	var err error
	multiply := (c.Side == SideSell) == perSoldIsRate
	if multiply {
		_, err = wide().Mul(&other, given, rate)
	} else {
		_, err = wide().Quo(&other, given, rate)
	}
	if err != nil {
		return fmt.Errorf("fx price: %w", err)
	}
	otherCur := c.Buy
	if c.Side == SideBuy {
		otherCur = c.Sell
	}
	rounded, err := ToMinor(&other, otherCur)
	if err != nil {
		return err
	}
	if rounded.Minor <= 0 {
		// Too little to give a single minor unit back: nothing to convert.
		return money.ErrAmountNotPositive.Field(string(c.Side) + "_amount")
	}
	p.Sell, p.Buy = amount, rounded
	if c.Side == SideBuy {
		p.Sell, p.Buy = rounded, amount
	}
	return p.book(d, &other, rounded)
}

// figures are the two currencies' rates as decimals.
type figures struct {
	soldBuy, soldMid, boughtSell, boughtMid *apd.Decimal
}

func figuresOf(sold, bought Rate) (figures, error) {
	var f figures
	for _, x := range []struct {
		to **apd.Decimal
		s  string
	}{{&f.soldBuy, sold.Buy}, {&f.soldMid, sold.Mid}, {&f.boughtSell, bought.Sell}, {&f.boughtMid, bought.Mid}} {
		d, err := mustRate(x.s)
		if err != nil {
			return figures{}, err
		}
		*x.to = d
	}
	return f, nil
}

// book fills Income and Rounding: exact is the amount the customer did not give before rounding and rounded what
// it became. Income + Rounding is the lek value at mid of what the bank receives less what it gives, rounded once.
func (p *Price) book(d figures, exact *apd.Decimal, rounded money.Amount) error {
	c := wide()
	var got, gave, total, diff, roundingLek apd.Decimal
	if _, err := c.Mul(&got, decimalOf(p.Sell), d.soldMid); err != nil {
		return fmt.Errorf("fx book: %w", err)
	}
	if _, err := c.Mul(&gave, decimalOf(p.Buy), d.boughtMid); err != nil {
		return fmt.Errorf("fx book: %w", err)
	}
	if _, err := c.Sub(&total, &got, &gave); err != nil {
		return fmt.Errorf("fx book: %w", err)
	}
	// What the rounding gave the bank, in the rounded amount's currency: a bought amount rounded down, or a sold
	// one rounded up, is the bank's.
	mid := d.boughtMid
	if p.Side == SideBuy {
		mid = d.soldMid
		_, _ = c.Sub(&diff, decimalOf(rounded), exact)
	} else {
		_, _ = c.Sub(&diff, exact, decimalOf(rounded))
	}
	if _, err := c.Mul(&roundingLek, &diff, mid); err != nil {
		return fmt.Errorf("fx book: %w", err)
	}
	all, err := ToMinor(&total, money.ALL)
	if err != nil {
		return err
	}
	r, err := ToMinor(&roundingLek, money.ALL)
	if err != nil {
		return err
	}
	p.Rounding, p.Income = r.Minor, all.Minor-r.Minor
	return nil
}

// decimalOf is an amount as an exact decimal of its currency's units.
func decimalOf(a money.Amount) *apd.Decimal {
	return apd.New(a.Minor, -int32(a.Currency.MinorUnits()))
}

// round6 is d rounded once, half-up, to MaxDecimals decimals.
func round6(d *apd.Decimal) (*apd.Decimal, error) {
	var r apd.Decimal
	if _, err := wide().Quantize(&r, d, -MaxDecimals); err != nil {
		return nil, fmt.Errorf("fx round: %w", err)
	}
	return &r, nil
}

// toward is mid moved factor of the way to rate: mid + (rate − mid) × factor, exactly.
func toward(mid, rate, factor *apd.Decimal) (*apd.Decimal, error) {
	var r apd.Decimal
	c := wide()
	if _, err := c.Sub(&r, rate, mid); err != nil {
		return nil, fmt.Errorf("fx spread: %w", err)
	}
	if _, err := c.Mul(&r, &r, factor); err != nil {
		return nil, fmt.Errorf("fx spread: %w", err)
	}
	if _, err := c.Add(&r, &r, mid); err != nil {
		return nil, fmt.Errorf("fx spread: %w", err)
	}
	return &r, nil
}

// factor is the share of the spread segment pays for a conversion worth lek (in lek, units): the factor of the
// segment's highest tier whose From it reaches; 1 when the segment has no tier.
func (s *Service) factor(segment string, lek *apd.Decimal) (*apd.Decimal, error) {
	spreads := s.config().Spreads
	out, from := apd.New(1, 0), int64(-1)
	for _, sp := range spreads {
		if sp.Segment != segment || sp.From <= from {
			continue
		}
		if lek.Cmp(apd.New(sp.From, -2)) < 0 {
			continue
		}
		f, err := parseFactor(sp.Factor)
		if err != nil {
			return nil, err
		}
		out, from = f, sp.From
	}
	return out, nil
}

// parseFactor reads a configured spread factor: an exact decimal, 0 < factor ≤ 1.
func parseFactor(s string) (*apd.Decimal, error) {
	f, _, err := apd.NewFromString(s)
	if err != nil || f.Sign() <= 0 || f.Cmp(apd.New(1, 0)) > 0 {
		return nil, fmt.Errorf("fx: configured spread factor %q: want 0 < factor ≤ 1", s)
	}
	return f, nil
}

// CheckSpreads refuses a configuration whose spreads cannot be applied (for app's start).
func CheckSpreads(spreads []Spread) error {
	for _, sp := range spreads {
		if sp.Segment != Individual && sp.Segment != Business && sp.Segment != Card {
			return fmt.Errorf("fx: spread of segment %q: want %s, %s or %s", sp.Segment, Individual, Business, Card)
		}
		if sp.From < 0 {
			return fmt.Errorf("fx: spread from %d: want ≥ 0", sp.From)
		}
		if _, err := parseFactor(sp.Factor); err != nil {
			return err
		}
	}
	return nil
}

// about is err, a coded error, about field instead.
func about(err error, field string) error {
	if e, ok := kumbara.As(err); ok {
		return e.Field(field)
	}
	return err
}
