package fx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
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
