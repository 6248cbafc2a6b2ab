// Package tariff is what the bank charges for a payment to another bank (issue #11 item 2, T5, T6): a rate per
// scheme, charges (who pays: OUR, SHA, BEN) and currency, which staff maintain through four-eyes (package
// operation, kind tariff.set) and the payment service asks for before a customer confirms (Fee).
//
// A rate is a fixed fee plus an exact decimal percentage of the amount, rounded once half-up to minor units, kept
// within a lower and an upper bound, plus the correspondents' charges a customer paying OUR on SWIFT pays for the
// beneficiary. Rates are versions, never changed: a new one is in force from when it is set, and the latest at
// or before now wins, so the tariff of any past moment can be read back. There are no floats: the percentage is
// an integer of ten-thousandths of a percent, and the arithmetic is math/big's.
//
// The package owns the table tariffs (migration 00035, which seeds the default tariff a new bank pays with).
package tariff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
)

// The schemes a payment to another bank goes by, as the payment API names them.
const (
	SchemeAECH    = "aech"     // the Albanian clearing house's sessions (ALL, below AIPS's threshold)
	SchemeAIPS    = "aips"     // the Albanian real-time gross settlement system (ALL, large values)
	SchemeInstant = "instant"  // the regional instant system in ALL
	SchemeSCT     = "sct"      // SEPA credit transfer (EUR)
	SchemeSCTInst = "sct_inst" // SEPA instant credit transfer (EUR)
	SchemeSWIFT   = "swift"    // through correspondent banks, any offered currency
)

// Schemes lists every scheme, in the order staff read them.
func Schemes() []string {
	return []string{SchemeAECH, SchemeAIPS, SchemeInstant, SchemeSCT, SchemeSCTInst, SchemeSWIFT}
}

// Who pays the charges (ISO 20022 DEBT, SHAR, CRED).
const (
	ChargesOUR = "OUR" // the customer pays every charge, the correspondents' on SWIFT too
	ChargesSHA = "SHA" // the customer pays the bank's, the beneficiary their bank's
	ChargesBEN = "BEN" // the beneficiary pays: the bank's fee is taken from the amount sent
)

// ChargesAll lists who may pay, in the order staff read them.
func ChargesAll() []string { return []string{ChargesOUR, ChargesSHA, ChargesBEN} }

// Currencies are the currencies a scheme carries.
func Currencies(scheme string) []money.Currency {
	switch scheme {
	case SchemeAECH, SchemeAIPS, SchemeInstant:
		return []money.Currency{money.ALL}
	case SchemeSCT, SchemeSCTInst:
		return []money.Currency{money.EUR}
	case SchemeSWIFT:
		return money.Currencies()
	}
	return nil
}

// The bounds of a rate.
const (
	// MaxPercent is the largest percentage of the amount, in ten-thousandths of a percent (10 %).
	MaxPercent = 10 * percentScale
	// MaxAmount is the largest fixed fee, bound or correspondents' charge, in minor units.
	MaxAmount = 1_000_000_000_00
	// percentScale is how many units of a percentage make one percent: 4 decimals.
	percentScale = 10_000
)

// Rate is one version of what a payment by Scheme with Charges in Currency costs.
type Rate struct {
	ID       string         `json:"id,omitempty"`
	Scheme   string         `json:"scheme"`
	Charges  string         `json:"charges"`
	Currency money.Currency `json:"currency"`
	Fixed    int64          `json:"fixed"`   // minor units
	Percent  string         `json:"percent"` // exact decimal percent of the amount, e.g. "0.10" (0.10 %); "" none
	// Min and Max bound the computed fee, in minor units; Max 0 is no upper bound.
	Min int64 `json:"min"`
	Max int64 `json:"max"`
	// Correspondent is added for OUR on swift: the correspondents' charges the customer pays for the beneficiary.
	Correspondent int64     `json:"correspondent"`
	ValidFrom     time.Time `json:"valid_from,omitzero"`
	SetBy         string    `json:"set_by,omitempty"`      // the member who asked for it ("kumbara": the seed)
	ApprovedBy    string    `json:"approved_by,omitempty"` // the member who approved it
}

// Fee is what a payment costs the customer.
type Fee struct {
	Amount   money.Amount // what the bank charges the customer, in the payment's currency
	Deducted bool         // BEN: the fee is taken from the amount sent, not added on top
}

// Service keeps the tariff.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

const columns = `id, scheme, charges, currency, fixed, percent, min_fee, max_fee, correspondent, valid_from, set_by,
	approved_by`

func scan(r db.Scanner) (Rate, error) {
	var rt Rate
	var cur string
	var from int64
	err := r.Scan(&rt.ID, &rt.Scheme, &rt.Charges, &cur, &rt.Fixed, &rt.Percent, &rt.Min, &rt.Max, &rt.Correspondent,
		&from, &rt.SetBy, &rt.ApprovedBy)
	rt.Currency, rt.ValidFrom = money.Currency(cur), db.FromMicros(from)
	return rt, err
}

// Fee is what a payment of amount by scheme with charges costs under the rate in force now: fixed + amount ×
// percent / 100 rounded once half-up, within the rate's bounds, plus the correspondents' charges for OUR on
// swift. BEN's fee is deducted from the amount, which must then be more than the fee (ErrAmountBelowFee). A
// scheme, charges or currency the tariff has no rate for is ErrNoRate.
func (s *Service) Fee(ctx context.Context, scheme, charges string, amount money.Amount) (Fee, error) {
	if !slices.Contains(Schemes(), scheme) {
		return Fee{}, ErrSchemeInvalid
	}
	if !slices.Contains(ChargesAll(), charges) {
		return Fee{}, ErrChargesInvalid
	}
	if !amount.Currency.Valid() {
		return Fee{}, money.ErrUnknownCurrency
	}
	if amount.Minor <= 0 {
		return Fee{}, money.ErrAmountNotPositive
	}
	r, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+` FROM tariffs WHERE scheme = ? AND charges = ? AND
		currency = ? AND valid_from <= ? ORDER BY valid_from DESC, id DESC LIMIT 1`, scheme, charges,
		string(amount.Currency), db.Micros(s.Clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return Fee{}, ErrNoRate.With("%s %s %s", scheme, charges, amount.Currency)
	}
	if err != nil {
		return Fee{}, fmt.Errorf("tariff fee: %w", err)
	}
	return r.Fee(amount)
}

// Fee is what a payment of amount costs under r, as Service.Fee computes it (amount is in r's currency).
func (r Rate) Fee(amount money.Amount) (Fee, error) {
	units, _, err := parsePercent(r.Percent)
	if err != nil {
		return Fee{}, fmt.Errorf("tariff %s: stored percent %q: %w", r.ID, r.Percent, err)
	}
	// amount × percent / 100 with the percent in ten-thousandths: amount × units / 10⁶, rounded half-up (the
	// amount is positive), exactly.
	const denom = 100 * percentScale
	share := new(big.Int).Mul(big.NewInt(amount.Minor), big.NewInt(units))
	share.Add(share, big.NewInt(denom/2)).Quo(share, big.NewInt(denom))
	fee := share.Add(share, big.NewInt(r.Fixed))
	if fee.Cmp(big.NewInt(r.Min)) < 0 {
		fee.SetInt64(r.Min)
	}
	if r.Max > 0 && fee.Cmp(big.NewInt(r.Max)) > 0 {
		fee.SetInt64(r.Max)
	}
	if r.Scheme == SchemeSWIFT && r.Charges == ChargesOUR {
		fee.Add(fee, big.NewInt(r.Correspondent))
	}
	if !fee.IsInt64() {
		return Fee{}, money.ErrAmountOutOfRange
	}
	f := Fee{Amount: money.New(fee.Int64(), amount.Currency), Deducted: r.Charges == ChargesBEN}
	if f.Deducted && f.Amount.Minor >= amount.Minor {
		return Fee{}, ErrAmountBelowFee.WithParam("fee", f.Amount.String())
	}
	return f, nil
}

// Current is the tariff in force: for each scheme, charges and currency it has a rate for, the latest version
// at or before now; by scheme, charges and currency in the order staff read them.
func (s *Service) Current(ctx context.Context) ([]Rate, error) {
	now := db.Micros(s.Clock.Now())
	rows, err := s.DB.Query(ctx, "SELECT "+columns+` FROM tariffs t WHERE valid_from <= ? AND NOT EXISTS (
		SELECT 1 FROM tariffs n WHERE n.scheme = t.scheme AND n.charges = t.charges AND n.currency = t.currency
		AND n.valid_from <= ? AND (n.valid_from > t.valid_from OR (n.valid_from = t.valid_from AND n.id > t.id)))`,
		now, now)
	if err != nil {
		return nil, fmt.Errorf("tariff: %w", err)
	}
	rates, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("tariff: %w", err)
	}
	slices.SortFunc(rates, compare)
	if rates == nil {
		rates = []Rate{}
	}
	return rates, nil
}

// History is the versions of scheme's rates (every scheme's for ""), the newest first, at most limit (1–100; out
// of range is 20).
func (s *Service) History(ctx context.Context, scheme string, limit int) ([]Rate, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	where, args := "", []any{}
	if scheme != "" {
		if !slices.Contains(Schemes(), scheme) {
			return nil, ErrSchemeInvalid
		}
		where, args = " WHERE scheme = ?", append(args, scheme)
	}
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM tariffs"+where+" ORDER BY valid_from DESC, id DESC LIMIT ?",
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("tariff history: %w", err)
	}
	rates, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("tariff history: %w", err)
	}
	if rates == nil {
		rates = []Rate{}
	}
	return rates, nil
}

// Set makes r the rate of its scheme, charges and currency from now: a new version (the older ones stay, as
// history), validated as Check does. SetBy is the member who asked for it (the actor the context carries when
// empty) and ApprovedBy the one who approved it, as given; ValidFrom and ID are the service's. It is audited in
// its transaction with the actor the context carries, the version it replaces as before.
func (s *Service) Set(ctx context.Context, r Rate) (Rate, error) {
	r, err := Normalize(r)
	if err != nil {
		return Rate{}, err
	}
	if r.SetBy == "" {
		r.SetBy = audit.Operator(ctx).ID
	}
	now := s.Clock.Now()
	r.ID, r.ValidFrom = uuid.Must(uuid.NewV7()).String(), now
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var before *Rate
		old, err := scan(tx.QueryRow(ctx, "SELECT "+columns+` FROM tariffs WHERE scheme = ? AND charges = ? AND
			currency = ? AND valid_from <= ? ORDER BY valid_from DESC, id DESC LIMIT 1`, r.Scheme, r.Charges,
			string(r.Currency), db.Micros(now)))
		switch {
		case err == nil:
			before = &old
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO tariffs ("+columns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			r.ID, r.Scheme, r.Charges, string(r.Currency), r.Fixed, r.Percent, r.Min, r.Max, r.Correspondent,
			db.Micros(now), r.SetBy, r.ApprovedBy); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, before, r))
	})
	if err != nil {
		return Rate{}, fmt.Errorf("tariff set: %w", err)
	}
	return r, nil
}

// Check is Set's validation alone, for a request that waits for a second member: refused before it waits.
func (s *Service) Check(r Rate) error {
	_, err := Normalize(r)
	return err
}

// Normalize returns r in the one form the tariff keeps a rate in (the scheme in lower case, the charges and the
// currency in upper case, the percentage in its shortest form with at least two decimals, "" for none), or every
// field's problem inside validation_failed: an unknown scheme, charges or currency, a currency the scheme does not
// carry, a percentage that is not an exact decimal from 0 to 10 with at most 4 decimals, an amount below zero or
// beyond MaxAmount, a lower bound above the upper one, correspondents' charges on anything but OUR on swift.
func Normalize(r Rate) (Rate, error) {
	var fields []kumbara.FieldError
	r.Scheme = strings.ToLower(strings.TrimSpace(r.Scheme))
	r.Charges = strings.ToUpper(strings.TrimSpace(r.Charges))
	switch {
	case r.Scheme == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("scheme"))
	case !slices.Contains(Schemes(), r.Scheme):
		fields = append(fields, ErrSchemeInvalid.At("scheme"))
	}
	switch {
	case r.Charges == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("charges"))
	case !slices.Contains(ChargesAll(), r.Charges):
		fields = append(fields, ErrChargesInvalid.At("charges"))
	}
	switch cur, err := money.ParseCurrency(strings.ToUpper(strings.TrimSpace(string(r.Currency)))); {
	case strings.TrimSpace(string(r.Currency)) == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("currency"))
	case err != nil:
		fields = append(fields, money.ErrUnknownCurrency.At("currency"))
	default:
		r.Currency = cur
		if slices.Contains(Schemes(), r.Scheme) && !slices.Contains(Currencies(r.Scheme), cur) {
			fields = append(fields, ErrCurrencyScheme.At("currency"))
		}
	}
	if _, canonical, err := parsePercent(r.Percent); err != nil {
		fields = append(fields, ErrPercentInvalid.At("percent"))
	} else {
		r.Percent = canonical
	}
	for _, a := range []struct {
		field string
		v     int64
	}{{"fixed", r.Fixed}, {"min", r.Min}, {"max", r.Max}, {"correspondent", r.Correspondent}} {
		if a.v < 0 || a.v > MaxAmount {
			fields = append(fields, ErrAmountInvalid.At(a.field))
		}
	}
	if r.Max > 0 && r.Min > r.Max {
		fields = append(fields, ErrMinAboveMax.At("min"))
	}
	if r.Correspondent != 0 && (r.Scheme != SchemeSWIFT || r.Charges != ChargesOUR) {
		fields = append(fields, ErrCorrespondentNotOUR.At("correspondent"))
	}
	if len(fields) > 0 {
		return Rate{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return r, nil
}

// ParsePercent reads a percentage as staff type it ("0.15", "1", " 0.0500 "): an exact decimal from 0 to 10 with
// at most 4 decimals, returned in the form the tariff keeps ("0.15", "1.00", "0.05"; "" for none, as "" and "0"
// are); anything else is ErrPercentInvalid.
func ParsePercent(s string) (string, error) {
	_, canonical, err := parsePercent(s)
	return canonical, err
}

// parsePercent is ParsePercent with the percentage in ten-thousandths of a percent.
func parsePercent(s string) (int64, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", nil
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 2 || (dot && frac == "") || len(frac) > 4 || !digits(whole) || !digits(frac) {
		return 0, "", ErrPercentInvalid
	}
	var units int64
	for _, c := range whole + frac + strings.Repeat("0", 4-len(frac)) {
		units = units*10 + int64(c-'0')
	}
	if units > MaxPercent {
		return 0, "", ErrPercentInvalid
	}
	if units == 0 {
		return 0, "", nil
	}
	f := fmt.Sprintf("%04d", units%percentScale)
	for len(f) > 2 && f[len(f)-1] == '0' {
		f = f[:len(f)-1]
	}
	return units, fmt.Sprintf("%d.%s", units/percentScale, f), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compare orders rates by scheme, charges and currency as staff read them.
func compare(a, b Rate) int {
	if c := slices.Index(Schemes(), a.Scheme) - slices.Index(Schemes(), b.Scheme); c != 0 {
		return c
	}
	if c := slices.Index(ChargesAll(), a.Charges) - slices.Index(ChargesAll(), b.Charges); c != 0 {
		return c
	}
	return slices.Index(money.Currencies(), a.Currency) - slices.Index(money.Currencies(), b.Currency)
}
