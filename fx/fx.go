// Package fx is the bank's exchange rates (issue #12 item 1; FEATURES X1, P7): the buy and sell rate of each
// offered currency against ALL, which staff publish through four-eyes (package operation, kind fx.publish), with
// a validity and a history, and the cross rates between two currencies derived from their rates against ALL.
//
// A rate is what the bank pays (Buy) and asks (Sell) in lek for one unit of the currency, an exact decimal with at
// most 6 decimals (package apd, never floats); Mid is (Buy + Sell) / 2, exactly. Publications are rows never
// changed: the latest one of a currency supersedes the ones before, and is current until its ValidUntil. A rate
// whose mid moves beyond Config.Band around the previous published mid needs a reason the checker can weigh.
//
// The package owns the table fx_rates (migration 00044).
package fx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// MaxReason is the longest reason, in characters.
const MaxReason = 500

// Config is how the bank's rates behave.
type Config struct {
	// Validity is how long a published rate stays current; 0 is DefaultConfig's.
	Validity time.Duration
	// Band is how far, in percent of the previous published mid, a new mid may move without a reason: an exact
	// decimal ("5", "2.5"); "" is DefaultConfig's.
	Band string
	// Spreads are the shares of the published spread each segment pays by amount tier; nil is DefaultSpreads.
	Spreads []Spread
	// QuoteValidity is how long a quote may be confirmed; 0 is DefaultConfig's.
	QuoteValidity time.Duration
	// Requests are the rules of preferential rate requests (request.go); zero values are DefaultRequestConfig's.
	Requests RequestConfig
}

// DefaultConfig: a rate is current for 24 hours, a mid more than 5 % away from the previous one needs a reason, the
// spreads are DefaultSpreads, and a quote may be confirmed for 30 seconds.
func DefaultConfig() Config {
	return Config{Validity: 24 * time.Hour, Band: "5", Spreads: DefaultSpreads(), QuoteValidity: 30 * time.Second}
}

// Rate is one publication of a currency's rates against ALL (decimal strings, as Normalize writes them).
type Rate struct {
	ID          string         `json:"id,omitempty"`
	Currency    money.Currency `json:"currency"`
	Buy         string         `json:"buy"`  // lek the bank pays for one unit
	Sell        string         `json:"sell"` // lek the bank asks for one unit
	Mid         string         `json:"mid,omitempty"`
	ValidFrom   time.Time      `json:"valid_from,omitzero"`
	ValidUntil  time.Time      `json:"valid_until,omitzero"`
	PublishedBy string         `json:"published_by,omitempty"` // the member who asked for it (the maker)
	ApprovedBy  string         `json:"approved_by,omitempty"`  // the member who approved it (the checker)
	Reason      string         `json:"reason,omitempty"`
}

// Service keeps the bank's rates and converts customers' money at them.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Config Config
	// Ledger moves a conversion's money and holds the accounts; Customers tells a business (its spreads, its
	// hours) from an individual. Rates alone need neither.
	Ledger    *ledger.Ledger
	Customers *customer.Service
	// Days is the bank's business date and close (package eod), for the position's day and the revaluation's
	// closing rates (position.go).
	Days BusinessDays

	// Key signs quotes (DeriveKey from the bank's secret): every instance must have the same to confirm a quote
	// another gave. Without one a key is made at random for the service's life.
	Key []byte

	glMu sync.Mutex
	gl   map[string]string // GL code → account id, read once: the bank's GL accounts never change

	refsOnce sync.Once
	refCache *ledger.Refs // who holds the customers' accounts and in what currency, remembered

	keyOnce sync.Once
	signing []byte

	ratesMu  sync.Mutex
	ratesAt  time.Time // when rates was read, by the service's clock
	rates    []Rate    // the current rates as last read, for quotes (ratesFor)
	reading  bool      // a request is reading the rates again
	ratesGen int       // counts publications (forget), so a reading older than one is not kept
}

// quoting is the current rates for pricing: read at most every ratesFor (token.go), at once after this service
// published one. While one request reads them again, the others go on with the reading before, a second old at
// most: a quote priced from a rate since replaced is refused when executed (unchanged), so none waits on the read.
func (s *Service) quoting(ctx context.Context) ([]Rate, error) {
	now := s.Clock.Now()
	s.ratesMu.Lock()
	fresh := s.rates != nil && !now.Before(s.ratesAt) && now.Sub(s.ratesAt) < ratesFor
	if fresh || (s.rates != nil && s.reading) {
		rates := s.rates
		s.ratesMu.Unlock()
		return rates, nil
	}
	s.reading = true
	gen := s.ratesGen
	s.ratesMu.Unlock()
	rates, err := s.Current(ctx)
	s.ratesMu.Lock()
	defer s.ratesMu.Unlock()
	s.reading = false
	if err != nil {
		return nil, err
	}
	if gen == s.ratesGen { // a publication meanwhile makes this reading too old to keep
		s.rates, s.ratesAt = rates, now
	}
	return rates, nil
}

func (s *Service) refs() *ledger.Refs {
	s.refsOnce.Do(func() { s.refCache = &ledger.Refs{Store: &s.Ledger.Store} })
	return s.refCache
}

// forget drops the rates quoting read, after a publication.
func (s *Service) forget() {
	s.ratesMu.Lock()
	s.rates = nil
	s.ratesGen++
	s.ratesMu.Unlock()
}

const columns = `id, currency, buy, sell, valid_from, valid_until, published_by, approved_by, reason`

func scan(r db.Scanner) (Rate, error) {
	var rt Rate
	var cur string
	var from, until int64
	if err := r.Scan(&rt.ID, &cur, &rt.Buy, &rt.Sell, &from, &until, &rt.PublishedBy, &rt.ApprovedBy,
		&rt.Reason); err != nil {
		return Rate{}, err
	}
	rt.Currency, rt.ValidFrom, rt.ValidUntil = money.Currency(cur), db.FromMicros(from), db.FromMicros(until)
	return withMid(rt)
}

// withMid is r with its Mid.
func withMid(r Rate) (Rate, error) {
	buy, err := mustRate(r.Buy)
	if err != nil {
		return Rate{}, err
	}
	sell, err := mustRate(r.Sell)
	if err != nil {
		return Rate{}, err
	}
	m, err := mid(buy, sell)
	if err != nil {
		return Rate{}, err
	}
	r.Mid = decimalText(m)
	return r, nil
}

// config is s.Config with DefaultConfig's values where it has none.
func (s *Service) config() Config {
	c, d := s.Config, DefaultConfig()
	if c.Validity <= 0 {
		c.Validity = d.Validity
	}
	if strings.TrimSpace(c.Band) == "" {
		c.Band = d.Band
	}
	if c.Spreads == nil {
		c.Spreads = d.Spreads
	}
	if c.QuoteValidity <= 0 {
		c.QuoteValidity = d.QuoteValidity
	}
	return c
}

// Current is the rates valid now: for each currency its latest publication at or before now, unless that one's
// validity has passed; in the order of money.Currencies.
func (s *Service) Current(ctx context.Context) ([]Rate, error) {
	now := db.Micros(s.Clock.Now())
	rows, err := s.DB.Query(ctx, "SELECT "+columns+` FROM fx_rates t WHERE valid_from <= ? AND valid_until > ? AND
		NOT EXISTS (SELECT 1 FROM fx_rates n WHERE n.currency = t.currency AND n.valid_from <= ? AND
		(n.valid_from > t.valid_from OR (n.valid_from = t.valid_from AND n.id > t.id)))`, now, now, now)
	if err != nil {
		return nil, fmt.Errorf("fx rates: %w", err)
	}
	rates, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("fx rates: %w", err)
	}
	slices.SortFunc(rates, func(a, b Rate) int {
		return slices.Index(money.Currencies(), a.Currency) - slices.Index(money.Currencies(), b.Currency)
	})
	if rates == nil {
		rates = []Rate{}
	}
	return rates, nil
}

// History is the publications of currency (every currency's for ""), the newest first, at most limit (1–100; out
// of range is 20).
func (s *Service) History(ctx context.Context, currency money.Currency, limit int) ([]Rate, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	where, args := "", []any{}
	if currency != "" {
		if !quoted(currency) {
			return nil, ErrCurrencyInvalid
		}
		where, args = " WHERE currency = ?", append(args, string(currency))
	}
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM fx_rates"+where+" ORDER BY valid_from DESC, id DESC LIMIT ?",
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("fx history: %w", err)
	}
	rates, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("fx history: %w", err)
	}
	if rates == nil {
		rates = []Rate{}
	}
	return rates, nil
}

// querier is what reads the latest publication: the database or a transaction.
type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// latest is currency's latest publication at or before now, current or not (nil: none yet).
func latest(ctx context.Context, q querier, currency money.Currency, now time.Time) (*Rate, error) {
	r, err := scan(q.QueryRow(ctx, "SELECT "+columns+` FROM fx_rates WHERE currency = ? AND valid_from <= ?
		ORDER BY valid_from DESC, id DESC LIMIT 1`, string(currency), db.Micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// latestID is the id and end of validity of latest's rate, "" when there is none: all a quote's execution needs
// to tell whether its rate still stands.
func latestID(ctx context.Context, q querier, currency money.Currency, now time.Time) (string, time.Time, error) {
	var id string
	var until int64
	err := q.QueryRow(ctx, `SELECT id, valid_until FROM fx_rates WHERE currency = ? AND valid_from <= ?
		ORDER BY valid_from DESC, id DESC LIMIT 1`, string(currency), db.Micros(now)).Scan(&id, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return id, db.FromMicros(until), nil
}

// Publish makes r its currency's rate from now until now + Config.Validity: a new row (the older ones stay, as
// history), validated as Check does. PublishedBy is the member who asked for it (the actor the context carries
// when empty) and ApprovedBy the one who approved it, as given; the ID, the validity and Mid are the service's.
// It is audited in its transaction with the actor the context carries, the publication it supersedes as before.
func (s *Service) Publish(ctx context.Context, r Rate) (Rate, error) {
	r, err := Normalize(r)
	if err != nil {
		return Rate{}, err
	}
	if r.PublishedBy == "" {
		r.PublishedBy = audit.Operator(ctx).ID
	}
	now := s.Clock.Now()
	r.ID, r.ValidFrom, r.ValidUntil = uuid.Must(uuid.NewV7()).String(), now, now.Add(s.config().Validity)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := latest(ctx, tx, r.Currency, now)
		if err != nil {
			return err
		}
		if err := s.inBand(before, r); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO fx_rates ("+columns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r.ID,
			string(r.Currency), r.Buy, r.Sell, db.Micros(r.ValidFrom), db.Micros(r.ValidUntil), r.PublishedBy,
			r.ApprovedBy, r.Reason); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, before, r))
	})
	if err != nil {
		return Rate{}, fmt.Errorf("fx publish: %w", err)
	}
	s.forget()
	return r, nil
}

// Check is Publish's validation alone, for a publication that waits for a second member: refused before it
// waits. The band is checked again when it is published, against the rate then in force.
func (s *Service) Check(ctx context.Context, r Rate) error {
	r, err := Normalize(r)
	if err != nil {
		return err
	}
	before, err := latest(ctx, s.DB, r.Currency, s.Clock.Now())
	if err != nil {
		return fmt.Errorf("fx check: %w", err)
	}
	return s.inBand(before, r)
}

// inBand refuses r without a reason when its mid is more than the band away from before's (ErrReasonRequired):
// |mid − previous mid| × 100 > band × previous mid, exactly. The first rate of a currency has no band.
func (s *Service) inBand(before *Rate, r Rate) error {
	if before == nil || r.Reason != "" {
		return nil
	}
	band, err := parseRate(s.config().Band)
	if err != nil {
		return fmt.Errorf("fx: configured band %q: %w", s.config().Band, err)
	}
	prev, err := mustRate(before.Mid)
	if err != nil {
		return err
	}
	now, err := mustRate(r.Mid)
	if err != nil {
		return err
	}
	var moved, allowed apd.Decimal
	c := exact()
	if _, err := c.Sub(&moved, now, prev); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	moved.Abs(&moved)
	if _, err := c.Mul(&moved, &moved, apd.New(100, 0)); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if _, err := c.Mul(&allowed, band, prev); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if moved.Cmp(&allowed) > 0 {
		return ErrReasonRequired.WithParam("band", decimalText(band))
	}
	return nil
}

// quoted reports whether the bank quotes c against ALL: an offered currency other than ALL.
func quoted(c money.Currency) bool { return c.Valid() && c != money.ALL }

// Normalize returns r in the one form rates are kept in (the currency in upper case, the rates in their shortest
// form with at least two decimals, Mid computed, the reason as text.Clean keeps free text), or every field's
// problem inside validation_failed: a currency the bank does not offer or ALL, a buy or sell rate that is not a
// positive exact decimal with at most 6 decimals, a sell rate below the buy rate, a reason longer than MaxReason
// or with characters free text may not hold.
func Normalize(r Rate) (Rate, error) {
	var fields []kumbara.FieldError
	cur := money.Currency(strings.ToUpper(strings.TrimSpace(string(r.Currency))))
	switch {
	case cur == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("currency"))
	case !quoted(cur):
		fields = append(fields, ErrCurrencyInvalid.At("currency"))
	default:
		r.Currency = cur
	}
	buy, errBuy := parseRate(r.Buy)
	if errBuy != nil {
		fields = append(fields, ErrRateInvalid.At("buy"))
	}
	sell, errSell := parseRate(r.Sell)
	if errSell != nil {
		fields = append(fields, ErrRateInvalid.At("sell"))
	}
	if errBuy == nil && errSell == nil && sell.Cmp(buy) < 0 {
		fields = append(fields, ErrSellBelowBuy.At("sell"))
	}
	r.Reason = text.Clean(r.Reason)
	switch {
	case r.Reason == "":
	case utf8.RuneCountInString(r.Reason) > MaxReason:
		fields = append(fields, text.ErrTooLong.At("reason"))
	case !text.Valid(r.Reason, MaxReason):
		fields = append(fields, text.ErrInvalidCharacters.At("reason"))
	}
	if len(fields) > 0 {
		return Rate{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	r.Buy, r.Sell = decimalText(buy), decimalText(sell)
	return withMid(r)
}
