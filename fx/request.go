package fx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Preferential rates (issue #12 item 4, FEATURES X5). A customer converting a large amount between two of their own
// accounts asks the bank for a better rate than the board's (Ask): the amount they sell or the one they buy, worth
// at least RequestConfig.Minimum at the mid rates. Staff answer with a rate and how long it holds (Propose, through
// operation's fx.offer: four-eyes when the request is worth more than RequestConfig.FourEyesAbove); the customer
// then executes it (ExecuteRequest), changing the amount by at most RequestConfig.IndividualAdjust or
// BusinessAdjust percent of the one requested and never below the minimum, or cancels it (CancelRequest) while it
// is open. The money moves as a quote's does (post), at the proposed rate, and the execution is a conversion among
// the customer's conversions.
//
// The statuses: requested → confirmed → executed, or cancelled from either; a requested one nobody answered within
// RequestConfig.Validity, or a confirmed one past its rate's validity, reads as expired (stored as it was, told
// apart by the clock, as quotes are). Each step is audited in its transaction: the customer's asking, cancelling
// and executing, the staff's proposal (its checker as the actor when it waited for one).

// Statuses of a preferential request besides Executed and Expired, which it shares with conversions.
const (
	Requested = "requested" // waiting for the bank's rate
	Confirmed = "confirmed" // the bank proposed a rate, valid until ValidUntil
	Cancelled = "cancelled" // the customer cancelled it
)

// RequestConfig is how preferential rate requests behave; zero values are DefaultRequestConfig's.
type RequestConfig struct {
	// Minimum is the least a request, and its execution, may be worth at the mid rates.
	Minimum money.Amount
	// FourEyesAbove: proposing a rate for a request worth more than this, at the mid rates, waits for a second
	// member.
	FourEyesAbove money.Amount
	// Validity is how long a request waits for the bank's answer before it expires.
	Validity time.Duration
	// MaxOfferValidity is the furthest ahead a proposed rate may hold.
	MaxOfferValidity time.Duration
	// IndividualAdjust and BusinessAdjust are how far, in percent of the requested amount, an individual and a
	// business may change the amount when they execute.
	IndividualAdjust, BusinessAdjust int64
}

// DefaultRequestConfig: at least 10,000 EUR or its equivalent; a second member above 100,000 EUR; the bank answers
// within two days, with a rate that holds at most seven; ±10 % for individuals, ±20 % for businesses (the
// manual's figures).
func DefaultRequestConfig() RequestConfig {
	return RequestConfig{Minimum: money.New(10_000_00, money.EUR), FourEyesAbove: money.New(100_000_00, money.EUR),
		Validity: 48 * time.Hour, MaxOfferValidity: 7 * 24 * time.Hour, IndividualAdjust: 10, BusinessAdjust: 20}
}

// requestConfig is s.Config.Requests with DefaultRequestConfig's values where it has none.
func (s *Service) requestConfig() RequestConfig {
	c, d := s.Config.Requests, DefaultRequestConfig()
	if c.Minimum.Minor <= 0 || !c.Minimum.Currency.Valid() {
		c.Minimum = d.Minimum
	}
	if c.FourEyesAbove.Minor <= 0 || !c.FourEyesAbove.Currency.Valid() {
		c.FourEyesAbove = d.FourEyesAbove
	}
	if c.Validity <= 0 {
		c.Validity = d.Validity
	}
	if c.MaxOfferValidity <= 0 {
		c.MaxOfferValidity = d.MaxOfferValidity
	}
	if c.IndividualAdjust <= 0 || c.IndividualAdjust >= 100 {
		c.IndividualAdjust = d.IndividualAdjust
	}
	if c.BusinessAdjust <= 0 || c.BusinessAdjust >= 100 {
		c.BusinessAdjust = d.BusinessAdjust
	}
	return c
}

// RequestConfig is the bank's rules for preferential requests, as in force (for the pages that state them).
func (s *Service) RequestConfig() RequestConfig { return s.requestConfig() }

// RequestInput is a customer asking for a preferential rate: two of their accounts and exactly one of SellAmount
// (in the source account's currency) and BuyAmount (in the destination's), decimal strings as sent.
type RequestInput struct {
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	SellAmount    string `json:"sell_amount,omitempty"`
	BuyAmount     string `json:"buy_amount,omitempty"`
}

// Request is a customer's request for a preferential rate and the bank's answer.
type Request struct {
	ID            string
	CustomerID    string
	FromAccountID string
	ToAccountID   string
	Sell, Buy     money.Currency // the currencies the customer sells and buys
	Side          Side           // which amount the customer gave
	Amount        money.Amount   // the amount they gave, in Sell's currency (SideSell) or Buy's (SideBuy)
	Segment       string         // Individual or Business, when asked: how far the amount may change
	Status        string
	CreatedAt     time.Time
	ExpiresAt     time.Time // an unanswered request's end
	// The bank's answer, once proposed: one Base is Rate Quoted (as Price.Rate reads), until ValidUntil.
	Rate         string
	Base, Quoted money.Currency
	ValidUntil   time.Time
	ProposedBy   string // the member who proposed the rate
	ApprovedBy   string // the member who approved it, when it needed a second one
	ProposedAt   time.Time
	CancelledAt  time.Time
	ExecutedAt   time.Time
	ConversionID string // the conversion its execution made
	// Filled on reads: the accounts' IBANs, and what the execution sold and bought.
	FromIBAN, ToIBAN          string
	ExecutedSell, ExecutedBuy money.Amount
}

// Open reports whether the customer may still cancel the request.
func (r Request) Open() bool { return r.Status == Requested || r.Status == Confirmed }

// Pair is how a rate for the request reads, the bank's when it proposes one: one base in quoted.
func (r Request) Pair() (base, quoted money.Currency) { return pair(r.Sell, r.Buy) }

// field is the request field of the amount the customer gave.
func (r Request) field() string { return string(r.Side) + "_amount" }

// pair is how a rate between sell and buy reads, as Price.Rate does: against ALL the other currency is the base,
// between two others the one sold.
func pair(sell, buy money.Currency) (base, quoted money.Currency) {
	if sell == money.ALL {
		return buy, money.ALL
	}
	return sell, buy
}

const requestColumns = `r.id, r.customer_id, r.from_account_id, r.to_account_id, r.sell_currency, r.buy_currency,
	r.side, r.amount, r.segment, r.status, r.created_at, r.expires_at, r.rate, r.base, r.quoted, r.valid_until,
	r.proposed_by, r.approved_by, r.proposed_at, r.cancelled_at, r.executed_at, COALESCE(r.conversion_id, ''),
	f.iban, t.iban, COALESCE(c.sell_amount, 0), COALESCE(c.buy_amount, 0)`

const requestFrom = ` FROM fx_requests r JOIN accounts f ON f.id = r.from_account_id
	JOIN accounts t ON t.id = r.to_account_id LEFT JOIN fx_conversions c ON c.id = r.conversion_id`

func (s *Service) scanRequest(row db.Scanner) (Request, error) {
	var r Request
	var sell, buy, side, base, quoted string
	var amount, created, expires, until, proposed, cancelled, executed, soldMinor, boughtMinor int64
	var fromIBAN, toIBAN sql.NullString
	if err := row.Scan(&r.ID, &r.CustomerID, &r.FromAccountID, &r.ToAccountID, &sell, &buy, &side, &amount,
		&r.Segment, &r.Status, &created, &expires, &r.Rate, &base, &quoted, &until, &r.ProposedBy, &r.ApprovedBy,
		&proposed, &cancelled, &executed, &r.ConversionID, &fromIBAN, &toIBAN, &soldMinor, &boughtMinor); err != nil {
		return Request{}, err
	}
	r.Sell, r.Buy, r.Side = money.Currency(sell), money.Currency(buy), Side(side)
	cur := r.Sell
	if r.Side == SideBuy {
		cur = r.Buy
	}
	r.Amount = money.New(amount, cur)
	r.Base, r.Quoted = money.Currency(base), money.Currency(quoted)
	r.CreatedAt, r.ExpiresAt = db.FromMicros(created), db.FromMicros(expires)
	at := func(us int64) time.Time {
		if us == 0 {
			return time.Time{}
		}
		return db.FromMicros(us)
	}
	r.ValidUntil, r.ProposedAt, r.CancelledAt, r.ExecutedAt = at(until), at(proposed), at(cancelled), at(executed)
	r.FromIBAN, r.ToIBAN = fromIBAN.String, toIBAN.String
	if r.ConversionID != "" {
		r.ExecutedSell, r.ExecutedBuy = money.New(soldMinor, r.Sell), money.New(boughtMinor, r.Buy)
	}
	now := s.Clock.Now()
	if (r.Status == Requested && !now.Before(r.ExpiresAt)) || (r.Status == Confirmed && !now.Before(r.ValidUntil)) {
		r.Status = Expired
	}
	return r, nil
}

// Ask records the customer's request for a preferential rate, waiting for the bank's answer. The accounts must be
// the customer's, usable and of different currencies; the amount positive, with no more decimals than its
// currency has, and worth at least RequestConfig.Minimum at the mid rates now (fx_request_below_minimum). What the
// source account holds is not asked yet: the money may come before the bank answers, and the ledger checks it
// when the request is executed. Problems with the request come back field by field inside validation_failed.
func (s *Service) Ask(ctx context.Context, customerID string, in RequestInput) (Request, error) {
	if err := checkQuote(QuoteRequest{FromAccountID: in.FromAccountID, ToAccountID: in.ToAccountID,
		SellAmount: in.SellAmount, BuyAmount: in.BuyAmount}); err != nil {
		return Request{}, err
	}
	from, to, err := s.accounts(ctx, customerID, in.FromAccountID, in.ToAccountID)
	if err != nil {
		return Request{}, err
	}
	if from.Currency == to.Currency {
		return Request{}, ErrSameCurrency
	}
	r := Request{CustomerID: customerID, FromAccountID: from.ID, ToAccountID: to.ID, Sell: from.Currency,
		Buy: to.Currency, Side: SideSell, FromIBAN: from.IBAN, ToIBAN: to.IBAN}
	typed, cur := in.SellAmount, from.Currency
	if in.BuyAmount != "" {
		r.Side, typed, cur = SideBuy, in.BuyAmount, to.Currency
	}
	if r.Amount, err = money.ParsePositive(typed, cur); err != nil {
		return Request{}, about(err, r.field())
	}
	rates, err := s.Current(ctx)
	if err != nil {
		return Request{}, err
	}
	for _, c := range []money.Currency{r.Sell, r.Buy} {
		if _, err := rateOf(rates, c, "currency"); err != nil {
			return Request{}, err
		}
	}
	if err := s.checkMinimum(rates, r.Amount, r.field()); err != nil {
		return Request{}, err
	}
	business, err := s.Customers.IsBusiness(ctx, customerID)
	if err != nil {
		return Request{}, err
	}
	now := s.Clock.Now()
	r.ID, r.Segment, r.Status, r.CreatedAt = uuid.Must(uuid.NewV7()).String(), segmentOf(business), Requested, now
	r.ExpiresAt = now.Add(s.requestConfig().Validity)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO fx_requests (id, customer_id, from_account_id, to_account_id,
			sell_currency, buy_currency, side, amount, segment, status, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.CustomerID, r.FromAccountID, r.ToAccountID,
			string(r.Sell), string(r.Buy), string(r.Side), r.Amount.Minor, r.Segment, r.Status, db.Micros(now),
			db.Micros(r.ExpiresAt)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, s.requestEntry(ctx, ActionRequestCreated, r, nil, nil))
	})
	if err != nil {
		return Request{}, fmt.Errorf("fx request: %w", err)
	}
	return r, nil
}

// GetRequest is one of the customer's requests; another customer's, or none, is fx_request_not_found.
func (s *Service) GetRequest(ctx context.Context, customerID, id string) (Request, error) {
	if !text.Storable(id) {
		return Request{}, ErrRequestNotFound
	}
	r, err := s.scanRequest(s.DB.QueryRow(ctx, "SELECT "+requestColumns+requestFrom+
		" WHERE r.id = ? AND r.customer_id = ?", id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrRequestNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("fx request: %w", err)
	}
	return r, nil
}

// Requests is the customer's requests, the newest first, at most limit (1–100; out of range is 20).
func (s *Service) Requests(ctx context.Context, customerID string, limit int) ([]Request, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return s.listRequests(ctx, " WHERE r.customer_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
		customerID, limit)
}

// RequestByID is any customer's request, for staff: none is fx_request_not_found.
func (s *Service) RequestByID(ctx context.Context, id string) (Request, error) {
	if !text.Storable(id) {
		return Request{}, ErrRequestNotFound
	}
	r, err := s.scanRequest(s.DB.QueryRow(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrRequestNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("fx request: %w", err)
	}
	return r, nil
}

// AllRequests is every customer's requests for staff, at most limit (1–500; out of range is 100): the ones
// waiting for the bank's rate first, the longest waiting first, then the confirmed ones waiting for their
// customer, then the rest, the newest first.
func (s *Service) AllRequests(ctx context.Context, limit int) ([]Request, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	now := db.Micros(s.Clock.Now())
	rank := `(CASE WHEN r.status = 'requested' AND r.expires_at > ? THEN 0
		WHEN r.status = 'confirmed' AND r.valid_until > ? THEN 1 ELSE 2 END)`
	return s.listRequests(ctx, " ORDER BY "+rank+", (CASE WHEN "+rank+
		" = 0 THEN r.created_at ELSE -r.created_at END), r.id LIMIT ?", now, now, now, now, limit)
}

func (s *Service) listRequests(ctx context.Context, tail string, args ...any) ([]Request, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+requestColumns+requestFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("fx requests: %w", err)
	}
	out, err := db.Collect(rows, s.scanRequest)
	if err != nil {
		return nil, fmt.Errorf("fx requests: %w", err)
	}
	if out == nil {
		out = []Request{}
	}
	return out, nil
}

// refusal is why a request in status may not take a step that needs it open: nil when it is open.
func refusal(status string) error {
	switch status {
	case Executed:
		return ErrRequestExecuted
	case Cancelled:
		return ErrRequestCancelled
	case Expired:
		return ErrRequestExpired
	}
	return nil
}

// requestScope is the idempotency key both the execution and the cancellation of request id claim: whichever
// comes first, the other finds it taken.
func requestScope(id string) string { return "fxrequest/" + id }

// cancelHash is the cancellation's request under requestScope.
const cancelHash = "cancel"

// CancelRequest cancels the customer's open request (requested or confirmed). Cancelling a cancelled one answers
// it as it is; an executed one is fx_request_executed, an expired one fx_request_expired. The cancellation claims
// the key the execution claims, so of a cancellation and an execution at once exactly one happens.
func (s *Service) CancelRequest(ctx context.Context, customerID, id string) (Request, error) {
	r, err := s.GetRequest(ctx, customerID, id)
	if err != nil {
		return Request{}, err
	}
	if r.Status == Cancelled {
		return r, nil
	}
	if err := refusal(r.Status); err != nil {
		return Request{}, err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE fx_requests SET status = ?, cancelled_at = ? WHERE id = ? AND
			((status = ? AND expires_at > ?) OR (status = ? AND valid_until > ?))`, Cancelled, db.Micros(now), r.ID,
			Requested, db.Micros(now), Confirmed, db.Micros(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errChanged
		}
		if _, err := idempotency.Claim(ctx, tx, requestScope(r.ID), cancelHash, r.ID, now); err != nil {
			return err
		}
		after := r
		after.Status, after.CancelledAt = Cancelled, now
		return audit.Append(ctx, tx, now, s.requestEntry(ctx, ActionRequestCancelled, after, &r, nil))
	})
	if err != nil {
		// Changed under us (executed, expired, cancelled at once): say what it is now.
		if got, gerr := s.GetRequest(context.WithoutCancel(ctx), customerID, id); gerr == nil && got.Status != r.Status {
			if got.Status == Cancelled {
				return got, nil
			}
			if rerr := refusal(got.Status); rerr != nil {
				return Request{}, rerr
			}
		}
		if errors.Is(err, idempotency.ErrReused) {
			return Request{}, ErrRequestExecuted
		}
		return Request{}, db.Classify(ctx, fmt.Errorf("fx request cancel: %w", err))
	}
	return s.GetRequest(ctx, customerID, id)
}

// errChanged is a guarded change that found its row changed: the caller reads it again.
var errChanged = errors.New("fx request: changed meanwhile")

// Offer is a rate staff propose for a request: one Base in Quoted (the request's pair, as Price.Rate reads), valid
// until ValidUntil. It is the payload of operation fx.offer, the form four-eyes hashes.
type Offer struct {
	RequestID  string    `json:"request_id"`
	Rate       string    `json:"rate"`
	ValidUntil time.Time `json:"valid_until"`
	ProposedBy string    `json:"proposed_by"`           // the member who proposed it
	ApprovedBy string    `json:"approved_by,omitempty"` // the member who approved it, when it waited for one
}

// CheckOffer is Propose's validation alone, for an offer that waits for a second member: refused before it waits.
// It answers the request and the offer in the form Propose keeps (its rate normalised, its time in UTC to the
// second). Everything is checked again when it is proposed.
func (s *Service) CheckOffer(ctx context.Context, o Offer) (Request, Offer, error) {
	r, err := s.RequestByID(ctx, o.RequestID)
	if err != nil {
		return Request{}, Offer{}, err
	}
	o, err = s.checkOffer(ctx, r, o)
	return r, o, err
}

func (s *Service) checkOffer(ctx context.Context, r Request, o Offer) (Offer, error) {
	if err := refusal(r.Status); err != nil {
		return Offer{}, err
	}
	if r.Status != Requested {
		return Offer{}, ErrRequestAnswered
	}
	var fields []kumbara.FieldError
	rate, rerr := parseRate(o.Rate)
	if rerr != nil {
		fields = append(fields, ErrRateInvalid.At("rate"))
	}
	now, cfg := s.Clock.Now(), s.requestConfig()
	o.ValidUntil = o.ValidUntil.UTC().Truncate(time.Second)
	if !o.ValidUntil.After(now) || o.ValidUntil.After(now.Add(cfg.MaxOfferValidity)) {
		fields = append(fields, ErrOfferValidUntil.At("valid_until"))
	}
	if len(fields) > 0 {
		return Offer{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	o.Rate = decimalText(rate)
	rates, err := s.Current(ctx)
	if err != nil {
		return Offer{}, err
	}
	if err := s.inPairBand(rates, r, rate); err != nil {
		return Offer{}, err
	}
	return o, nil
}

// inPairBand refuses a rate further than Config.Band from the pair's mid rate now: |rate − mid| × 100 > band × mid,
// exactly, mid being base's mid over quoted's.
func (s *Service) inPairBand(rates []Rate, r Request, rate *apd.Decimal) error {
	base, quoted := pair(r.Sell, r.Buy)
	b, err := rateOf(rates, base, "currency")
	if err != nil {
		return err
	}
	q, err := rateOf(rates, quoted, "currency")
	if err != nil {
		return err
	}
	bm, err := mustRate(b.Mid)
	if err != nil {
		return err
	}
	qm, err := mustRate(q.Mid)
	if err != nil {
		return err
	}
	band, err := parseRate(s.config().Band)
	if err != nil {
		return fmt.Errorf("fx: configured band %q: %w", s.config().Band, err)
	}
	c := wide()
	var m, diff, lhs, rhs apd.Decimal
	if _, err := c.Quo(&m, bm, qm); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if _, err := c.Sub(&diff, rate, &m); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	diff.Abs(&diff)
	if _, err := c.Mul(&lhs, &diff, apd.New(100, 0)); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if _, err := c.Mul(&rhs, band, &m); err != nil {
		return fmt.Errorf("fx band: %w", err)
	}
	if lhs.Cmp(&rhs) > 0 {
		return ErrOfferOutOfBand.WithParam("band", s.config().Band)
	}
	return nil
}

// NeedsApproval reports whether proposing a rate for request id needs a second member: the request is worth more
// than RequestConfig.FourEyesAbove at the mid rates now (every proposal does while a rate is missing).
func (s *Service) NeedsApproval(ctx context.Context, id string) (bool, error) {
	r, err := s.RequestByID(ctx, id)
	if err != nil {
		return true, err
	}
	rates, err := s.Current(ctx)
	if err != nil {
		return true, err
	}
	cmp, err := compareValue(rates, r.Amount, s.requestConfig().FourEyesAbove)
	if err != nil {
		return true, nil
	}
	return cmp > 0, nil
}

// Propose answers request o.RequestID with o's rate: the request is confirmed, and its customer may execute it
// until o.ValidUntil. Validated as CheckOffer does; ProposedBy is the actor the context carries when empty. It is
// audited in its transaction with the actor the context carries (the member who approved it, through four-eyes).
func (s *Service) Propose(ctx context.Context, o Offer) (Request, error) {
	r, err := s.RequestByID(ctx, o.RequestID)
	if err != nil {
		return Request{}, err
	}
	if o, err = s.checkOffer(ctx, r, o); err != nil {
		return Request{}, err
	}
	if o.ProposedBy == "" {
		o.ProposedBy = audit.Operator(ctx).ID
	}
	now := s.Clock.Now()
	base, quoted := pair(r.Sell, r.Buy)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE fx_requests SET status = ?, rate = ?, base = ?, quoted = ?, valid_until = ?,
			proposed_by = ?, approved_by = ?, proposed_at = ? WHERE id = ? AND status = ? AND expires_at > ?`,
			Confirmed, o.Rate, string(base), string(quoted), db.Micros(o.ValidUntil), o.ProposedBy, o.ApprovedBy,
			db.Micros(now), r.ID, Requested, db.Micros(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errChanged
		}
		after := r
		after.Status, after.Rate, after.Base, after.Quoted, after.ValidUntil = Confirmed, o.Rate, base, quoted, o.ValidUntil
		after.ProposedBy, after.ApprovedBy, after.ProposedAt = o.ProposedBy, o.ApprovedBy, now
		return audit.Append(ctx, tx, now, s.requestEntry(ctx, ActionRequestOffered, after, &r, nil))
	})
	if errors.Is(err, errChanged) {
		got, gerr := s.RequestByID(context.WithoutCancel(ctx), r.ID)
		if gerr != nil {
			return Request{}, gerr
		}
		if rerr := refusal(got.Status); rerr != nil {
			return Request{}, rerr
		}
		return Request{}, ErrRequestAnswered
	}
	if err != nil {
		return Request{}, db.Classify(ctx, fmt.Errorf("fx request propose: %w", err))
	}
	return s.RequestByID(ctx, r.ID)
}

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
	p := c.Price
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
			now := db.Micros(b.Now())
			b.Insert(ledger.Record{Table: "fx_conversions", Columns: []string{"id", "customer_id", "from_account_id",
				"to_account_id", "sell_amount", "sell_currency", "buy_amount", "buy_currency", "side", "rate", "base",
				"quoted", "segment", "factor", "sell_mid", "buy_mid", "sell_rate_id", "buy_rate_id", "income",
				"rounding", "description", "status", "created_at", "expires_at", "entry_id", "executed_at"},
				Values: []any{c.ID, c.CustomerID, c.FromAccountID, c.ToAccountID, p.Sell.Minor, string(p.Sell.Currency),
					p.Buy.Minor, string(p.Buy.Currency), string(p.Side), p.Rate, string(p.Base), string(p.Quoted),
					p.Segment, p.Factor, p.SellMid, p.BuyMid, p.SellRateID, p.BuyRateID, p.Income, p.Rounding,
					c.Description, Executed, now, db.Micros(c.ExpiresAt), entryID, now}})
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
