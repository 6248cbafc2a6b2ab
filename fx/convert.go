package fx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Statuses of a conversion.
const (
	Quoted   = "quoted"   // a quote waiting for the customer: Expired once its time has passed
	Executed = "executed" // the money moved
	// Expired is a quote whose time passed before it was confirmed; stored as Quoted, told apart by the clock.
	Expired = "expired"
)

// MaxDescription is the longest description a conversion may carry, in characters (as a transfer's).
const MaxDescription = 140

// QuoteRequest is a customer asking to convert between two of their accounts: exactly one of SellAmount (in the
// source account's currency) and BuyAmount (in the destination's), decimal strings as sent.
type QuoteRequest struct {
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	SellAmount    string `json:"sell_amount,omitempty"`
	BuyAmount     string `json:"buy_amount,omitempty"`
	Description   string `json:"description,omitempty"`
}

// Conversion is a customer's quote and, once confirmed, its execution (X2–X4): the customer sells Price.Sell from
// FromAccountID and receives Price.Buy on ToAccountID.
type Conversion struct {
	ID            string
	CustomerID    string
	FromAccountID string
	ToAccountID   string
	Price
	Description string
	Status      string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	EntryID     string
	ExecutedAt  time.Time
	ValueDate   calendar.Date // the entry's, once executed
	// Filled on reads, for answers and the receipt.
	FromIBAN, ToIBAN string

	// key is the conversion's own id (a UUIDv7): ID itself once executed; while it is a quote ID is the signed
	// quote (token.go) and key is inside it.
	key string
}

// ref is the conversion's own id: the one its row, its entry's reference and its idempotency key carry.
func (c Conversion) ref() string {
	if c.key != "" {
		return c.key
	}
	return c.ID
}

// Kind is what the conversion is to the customer: buying a currency with lek, selling one for lek, or
// converting between two others (X2, X3, X4).
func (c Conversion) Kind() string {
	switch {
	case c.Sell.Currency == money.ALL:
		return "buy"
	case c.Buy.Currency == money.ALL:
		return "sell"
	}
	return "convert"
}

// Quote prices a conversion between two of the customer's accounts at the rates now and offers it for
// Config.QuoteValidity: the customer confirms it with Execute. The accounts must be the customer's, usable and of
// different currencies; the amount positive, with no more decimals than its currency has, and within what the
// source account has available now (the ledger checks again under lock). Problems with the request come back field
// by field inside validation_failed. The quote is signed, not stored (token.go): its ID is the offer itself.
func (s *Service) Quote(ctx context.Context, customerID string, r QuoteRequest) (Conversion, error) {
	r.Description = text.Clean(r.Description)
	if err := checkQuote(r); err != nil {
		return Conversion{}, err
	}
	from, to, err := s.accounts(ctx, customerID, r.FromAccountID, r.ToAccountID)
	if err != nil {
		return Conversion{}, err
	}
	if from.Currency == to.Currency {
		return Conversion{}, ErrSameCurrency
	}
	business, err := s.Customers.IsBusiness(ctx, customerID)
	if err != nil {
		return Conversion{}, err
	}
	calc := Calculation{Sell: from.Currency, Buy: to.Currency, Side: SideSell, Amount: r.SellAmount,
		Segment: segmentOf(business)}
	if r.BuyAmount != "" {
		calc.Side, calc.Amount = SideBuy, r.BuyAmount
	}
	p, err := s.Calculate(ctx, calc)
	if err != nil {
		return Conversion{}, err
	}
	if from.Available() < p.Sell.Minor {
		return Conversion{}, ledger.ErrInsufficientFunds.Field(string(calc.Side) + "_amount")
	}
	now := s.Clock.Now()
	c := Conversion{key: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, FromAccountID: from.ID,
		ToAccountID: to.ID, Price: p, Description: r.Description, Status: Quoted, CreatedAt: now,
		ExpiresAt: now.Add(s.config().QuoteValidity), FromIBAN: from.IBAN, ToIBAN: to.IBAN}
	if c.ID, err = s.seal(c); err != nil {
		return Conversion{}, fmt.Errorf("fx quote: %w", err)
	}
	return c, nil
}

// accounts are the customer's two accounts, read in one query, each usable now; another customer's, or none, is
// account_not_found about its field.
func (s *Service) accounts(ctx context.Context, customerID, fromID, toID string) (from, to ledger.Account, err error) {
	if !text.Storable(fromID) {
		return from, to, ledger.ErrAccountNotFound.Field("from_account_id")
	}
	if !text.Storable(toID) {
		return from, to, ledger.ErrAccountNotFound.Field("to_account_id")
	}
	// Who holds the accounts and their currencies never change (the Refs remember them); their status and money
	// are read, by primary key.
	refs, err := s.refs().Resolve(ctx, []string{fromID, toID}, nil)
	if err != nil {
		return from, to, fmt.Errorf("fx accounts: %w", err)
	}
	var haveFrom, haveTo bool
	for _, r := range refs {
		if r.CustomerID != customerID {
			continue
		}
		a := ledger.Account{ID: r.ID, CustomerID: r.CustomerID, IBAN: r.IBAN, Number: r.Number, Currency: r.Currency}
		if r.ID == fromID {
			from, haveFrom = a, true
		}
		if r.ID == toID {
			to, haveTo = a, true
		}
	}
	switch {
	case !haveFrom:
		return from, to, ledger.ErrAccountNotFound.Field("from_account_id")
	case !haveTo:
		return from, to, ledger.ErrAccountNotFound.Field("to_account_id")
	}
	standing, err := s.Ledger.Standings(ctx, []string{from.ID, to.ID})
	if err != nil {
		return from, to, fmt.Errorf("fx accounts: %w", err)
	}
	for _, a := range []*ledger.Account{&from, &to} {
		st := standing[a.ID]
		a.Status, a.OverdraftLimit, a.AllowNegative, a.Balance, a.Held = st.Status, st.OverdraftLimit,
			st.AllowNegative, st.Balance, st.Held
	}
	if err := from.Usable(); err != nil {
		return from, to, about(err, "from_account_id")
	}
	if err := to.Usable(); err != nil {
		return from, to, about(err, "to_account_id")
	}
	return from, to, nil
}

// checkQuote refuses a request whose fields do not fit together, all of its problems at once.
func checkQuote(r QuoteRequest) error {
	var fields []kumbara.FieldError
	if r.FromAccountID == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("from_account_id"))
	}
	if r.ToAccountID == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("to_account_id"))
	}
	switch {
	case r.SellAmount == "" && r.BuyAmount == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("sell_amount"))
	case r.SellAmount != "" && r.BuyAmount != "":
		fields = append(fields, kumbara.ErrValidationFailed.At("buy_amount"))
	}
	switch {
	case utf8.RuneCountInString(r.Description) > MaxDescription:
		fields = append(fields, text.ErrTooLong.At("description"))
	case !text.Plain(r.Description):
		fields = append(fields, text.ErrInvalidCharacters.At("description"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

const conversionColumns = `c.id, c.customer_id, c.from_account_id, c.to_account_id, c.sell_amount, c.sell_currency,
	c.buy_amount, c.buy_currency, c.side, c.rate, c.base, c.quoted, c.segment, c.factor, c.sell_mid, c.buy_mid,
	c.sell_rate_id, c.buy_rate_id, c.income, c.rounding, c.description, c.status, c.created_at, c.expires_at,
	COALESCE(c.entry_id, ''), COALESCE(c.executed_at, 0), COALESCE(e.value_date, ''), f.iban, t.iban`

const conversionFrom = ` FROM fx_conversions c JOIN accounts f ON f.id = c.from_account_id
	JOIN accounts t ON t.id = c.to_account_id LEFT JOIN journal_entries e ON e.id = c.entry_id`

func (s *Service) scanConversion(r db.Scanner) (Conversion, error) {
	var c Conversion
	var sell, buy, created, expires, executed int64
	var sellCur, buyCur, side, base, quoted, valueDate string
	var fromIBAN, toIBAN sql.NullString
	if err := r.Scan(&c.ID, &c.CustomerID, &c.FromAccountID, &c.ToAccountID, &sell, &sellCur, &buy, &buyCur, &side,
		&c.Rate, &base, &quoted, &c.Segment, &c.Factor, &c.SellMid, &c.BuyMid, &c.SellRateID, &c.BuyRateID,
		&c.Income, &c.Rounding, &c.Description, &c.Status, &created, &expires, &c.EntryID, &executed, &valueDate,
		&fromIBAN, &toIBAN); err != nil {
		return Conversion{}, err
	}
	c.Sell, c.Buy = money.New(sell, money.Currency(sellCur)), money.New(buy, money.Currency(buyCur))
	c.Side, c.Base, c.Quoted = Side(side), money.Currency(base), money.Currency(quoted)
	c.CreatedAt, c.ExpiresAt = db.FromMicros(created), db.FromMicros(expires)
	if executed != 0 {
		c.ExecutedAt = db.FromMicros(executed)
	}
	c.ValueDate, _ = calendar.ParseDate(valueDate) // none until executed
	c.FromIBAN, c.ToIBAN = fromIBAN.String, toIBAN.String
	c.key = c.ID
	return c, nil
}

// Get is one of the customer's conversions, by its id or by its quote's: a quote not confirmed yet is Quoted, or
// Expired once its time has passed; a confirmed one is the conversion as executed (its ID its own). Another
// customer's, a quote not signed by the bank, or none, is fx_quote_not_found.
func (s *Service) Get(ctx context.Context, customerID, id string) (Conversion, error) {
	q, isQuote := s.open(customerID, id)
	key := id
	if isQuote {
		key = q.key
	}
	if !text.Storable(key) || len(key) > 64 {
		return Conversion{}, ErrQuoteNotFound
	}
	c, err := s.executed(ctx, customerID, key)
	switch {
	case err == nil:
		return c, nil
	case !errors.Is(err, ErrQuoteNotFound) || !isQuote:
		return Conversion{}, err
	}
	if !s.Clock.Now().Before(q.ExpiresAt) {
		q.Status = Expired
	}
	return q, nil
}

// executed is the customer's conversion with the id key, as executed; none is fx_quote_not_found.
func (s *Service) executed(ctx context.Context, customerID, key string) (Conversion, error) {
	c, err := s.scanConversion(s.DB.QueryRow(ctx, "SELECT "+conversionColumns+conversionFrom+
		" WHERE c.id = ? AND c.customer_id = ?", key, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversion{}, ErrQuoteNotFound
	}
	if err != nil {
		return Conversion{}, fmt.Errorf("fx conversion: %w", err)
	}
	return c, nil
}

// Conversions is the customer's executed conversions, the newest first, at most limit (1–100; out of range is 20).
func (s *Service) Conversions(ctx context.Context, customerID string, limit int) ([]Conversion, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := s.DB.Query(ctx, "SELECT "+conversionColumns+conversionFrom+
		" WHERE c.customer_id = ? AND c.status = ? ORDER BY c.executed_at DESC, c.id DESC LIMIT ?",
		customerID, Executed, limit)
	if err != nil {
		return nil, fmt.Errorf("fx conversions: %w", err)
	}
	out, err := db.Collect(rows, s.scanConversion)
	if err != nil {
		return nil, fmt.Errorf("fx conversions: %w", err)
	}
	if out == nil {
		out = []Conversion{}
	}
	return out, nil
}
