package fx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The bank's FX position (issue #12 item 5). Every conversion books through the position accounts
// (fx_position:<currency>, see Execute): what the bank bought lands on the position of its currency, what it sold
// leaves the position of the other, and the spread's value at mid leaves the lek position for FX income. So right
// after a conversion the positions, each valued at that moment's mid (ALL's is 1), sum to about zero in lek; when
// the mids move, they do not any more, and that sum is the bank's unrealised result on the currencies it holds (a
// position above zero: the bank holds that currency, long; below zero: it owes it, short).
//
// At each close of business the revaluation books that result: with the mids of the rates current at the close,
// X = Σ P_C × mid_C + P_ALL over the positions P in units, exactly, rounded once half-up to lek, moves from the lek
// position to fx_revaluation:ALL (a gain above zero, a loss below), after which the positions sum to zero at the
// closing mids again.
//
// The positions of a business date are the postings valued on that date or before (the ledger's value dates, T14:
// a posting after the close counts for the next working day), so a revaluation that runs late — the close waited
// for staff, the bank was down — still values its own day's positions, not the next day's conversions. Revaluations
// of earlier dates posted after that day count, wherever their value date falls: the revaluation account is posted
// to only against the lek position (by the revaluation and by a reversal of one), so its movement after the day is
// theirs. The close runs the dates in order, which is what keeps each date's result its own.

// ActionRevalued is a revaluation the close of business booked: after is the business date, the result in lek
// minor units and the entry. The actor is the bank itself unless the context names another.
const ActionRevalued = "fx.revalued"

// TextRevaluation is the key of the revaluation's postings: {date} is the business date revalued. Its messages
// are in the catalogue.
const TextRevaluation = "tx_fx_revaluation"

// BusinessDays is the bank's business date and its close (package eod's Service): the day the position's day
// results are of, and when a date's closing rates are read.
type BusinessDays interface {
	BusinessDate(ctx context.Context) (calendar.Date, error)
	CloseAt(date calendar.Date) time.Time
}

// PositionLine is the bank's position in one currency.
type PositionLine struct {
	Currency money.Currency
	// Balance is the position account's balance: above zero the bank holds the currency (long), below zero it owes
	// it (short).
	Balance money.Amount
	// Mid is the mid the position is valued at ("1.00" for ALL), "" when the currency has no rate.
	Mid string
	// Value is Balance × Mid in lek, rounded half-up; zero without a Mid.
	Value money.Amount
}

// Rated reports whether the line has a mid to value it at.
func (l PositionLine) Rated() bool { return l.Mid != "" }

// Position is the bank's FX position now, read from the ledger as it is (nothing cached), and the day's results.
type Position struct {
	At time.Time // when it was read
	// BusinessDate is the day the results are of: the bank's business date.
	BusinessDate calendar.Date
	// Lines are every currency's position, ALL first, in the order of money.Currencies.
	Lines []PositionLine
	// Total is Σ Balance × Mid over the lines, exactly, rounded once half-up to lek: what a revaluation at the
	// current mids would book (a gain above zero, a loss below).
	Total money.Amount
	// Unrated are the currencies with a position and no current rate: Total leaves them out.
	Unrated []money.Currency
	// Income, Rounding and Revaluation are the day's postings to fx_income:ALL, fx_rounding:ALL and
	// fx_revaluation:ALL (those valued on the business date or later): the spread earned, the rounding booked and
	// the revaluation posted since the day's books opened — which is the previous close's, as a close revalues
	// after its day's books have closed (a positive sum is income or a gain).
	Income, Rounding, Revaluation money.Amount
}

// Revaluation is what the revaluation of one business date found and did.
type Revaluation struct {
	Date calendar.Date
	At   time.Time // the close: the rates current then are the closing rates
	// Lines are the currencies other than ALL with a position at the close, each at its closing mid, then ALL's.
	Lines []PositionLine
	// Result is X in lek: a gain above zero, a loss below; zero when the positions were flat at the closing mids.
	Result money.Amount
	// EntryID is the journal entry that booked it ("" when there was nothing to book); Replayed is true when it
	// was booked before and this run booked nothing.
	EntryID  string
	Replayed bool
}

// String is the revaluation in one line, as the close of business records it.
func (r Revaluation) String() string {
	var parts []string
	for _, l := range r.Lines {
		if l.Currency != money.ALL {
			parts = append(parts, l.Balance.String()+" at "+l.Mid)
		}
	}
	positions := "no position in a currency"
	if len(parts) > 0 {
		positions = strings.Join(parts, ", ")
	}
	switch {
	case r.Replayed:
		return fmt.Sprintf("revaluation of %s booked before (%s, entry %s): nothing more to book", r.Date, r.Result,
			r.EntryID)
	case r.Result.Minor == 0:
		return "flat at the closing mids (" + positions + "): nothing to book"
	case r.Result.Minor > 0:
		return fmt.Sprintf("gain %s booked (%s; entry %s)", r.Result, positions, r.EntryID)
	default:
		return fmt.Sprintf("loss %s booked (%s; entry %s)", money.New(-r.Result.Minor, money.ALL), positions,
			r.EntryID)
	}
}

// glBalance is one of the bank's FX GL accounts: its balance now and its balance from the postings valued before a
// day.
type glBalance struct {
	id              string
	currency        money.Currency
	now, beforeDay  int64
	positionAccount bool
}

// glBalances reads the FX GL accounts (the positions, income, rounding and revaluation) by code in one statement,
// so every balance comes from the same state of the ledger: each one's balance now, and its balance from the
// postings valued before day (the running balance of its last such posting: postings are numbered in time, and
// value dates grow with time, so the search walks back only over the postings valued on day or later).
func (s *Service) glBalances(ctx context.Context, day calendar.Date) (map[string]glBalance, error) {
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.gl_code, a.currency, a.type, a.balance,
		COALESCE((SELECT p.balance_after FROM postings p WHERE p.account_id = a.id AND p.value_date < ?
		ORDER BY p.seq DESC LIMIT 1), 0)
		FROM accounts a WHERE a.customer_id IS NULL AND a.type IN (?, ?, ?, ?)`, day.String(),
		ledger.TypeFXPosition, ledger.TypeFXIncome, ledger.TypeFXRounding, ledger.TypeFXRevaluation)
	if err != nil {
		return nil, fmt.Errorf("fx position: %w", err)
	}
	out := map[string]glBalance{}
	type row struct {
		code string
		b    glBalance
	}
	list, err := db.Collect(rows, func(r db.Scanner) (row, error) {
		var x row
		var cur, typ string
		err := r.Scan(&x.b.id, &x.code, &cur, &typ, &x.b.now, &x.b.beforeDay)
		x.b.currency, x.b.positionAccount = money.Currency(cur), typ == ledger.TypeFXPosition
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("fx position: %w", err)
	}
	for _, x := range list {
		out[x.code] = x.b
	}
	for _, code := range []string{ledger.GLCode(ledger.TypeFXPosition, money.ALL),
		ledger.GLCode(ledger.TypeFXIncome, money.ALL), ledger.GLCode(ledger.TypeFXRounding, money.ALL),
		ledger.GLCode(ledger.TypeFXRevaluation, money.ALL)} {
		if _, ok := out[code]; !ok {
			return nil, fmt.Errorf("fx position: no GL account %s", code)
		}
	}
	return out, nil
}

// units is minor units of c as an exact decimal of units.
func units(minor int64, c money.Currency) *apd.Decimal {
	return apd.New(minor, -int32(c.MinorUnits()))
}

// valued adds balance × mid to sum, exactly, and returns the product in lek rounded half-up.
func valued(sum *apd.Decimal, balance money.Amount, mid *apd.Decimal) (money.Amount, error) {
	var v apd.Decimal
	if _, err := exact().Mul(&v, units(balance.Minor, balance.Currency), mid); err != nil {
		return money.Amount{}, fmt.Errorf("fx position value: %w", err)
	}
	if _, err := exact().Add(sum, sum, &v); err != nil {
		return money.Amount{}, fmt.Errorf("fx position value: %w", err)
	}
	return ToMinor(&v, money.ALL)
}

// Position is the bank's FX position as the ledger holds it now: each currency's position valued at its current
// mid, the total in lek, and the business day's FX income, rounding and revaluation. Without Days the day is the
// calendar day of now in Tirane.
func (s *Service) Position(ctx context.Context) (Position, error) {
	p := Position{At: s.Clock.Now()}
	p.BusinessDate = calendar.DateOf(p.At)
	if s.Days != nil {
		d, err := s.Days.BusinessDate(ctx)
		if err != nil {
			return Position{}, err
		}
		p.BusinessDate = d
	}
	gl, err := s.glBalances(ctx, p.BusinessDate)
	if err != nil {
		return Position{}, err
	}
	rates, err := s.Current(ctx)
	if err != nil {
		return Position{}, err
	}
	mids := map[money.Currency]*apd.Decimal{money.ALL: apd.New(1, 0)}
	for _, r := range rates {
		if mids[r.Currency], err = mustRate(r.Mid); err != nil {
			return Position{}, err
		}
	}
	var sum apd.Decimal
	for _, c := range money.Currencies() {
		b, ok := gl[ledger.GLCode(ledger.TypeFXPosition, c)]
		if !ok {
			continue // a currency the bank offers but whose GL accounts EnsureGL has not opened yet
		}
		line := PositionLine{Currency: c, Balance: money.New(b.now, c), Value: money.New(0, money.ALL)}
		if mid, ok := mids[c]; ok {
			line.Mid = decimalText(mid)
			if line.Value, err = valued(&sum, line.Balance, mid); err != nil {
				return Position{}, err
			}
		} else if b.now != 0 {
			p.Unrated = append(p.Unrated, c)
		}
		p.Lines = append(p.Lines, line)
	}
	if p.Total, err = ToMinor(&sum, money.ALL); err != nil {
		return Position{}, err
	}
	day := func(typ string) money.Amount {
		b := gl[ledger.GLCode(typ, money.ALL)]
		return money.New(b.now-b.beforeDay, money.ALL)
	}
	p.Income, p.Rounding, p.Revaluation = day(ledger.TypeFXIncome), day(ledger.TypeFXRounding),
		day(ledger.TypeFXRevaluation)
	return p, nil
}

// closingRate is currency's rate at the close at: the publication current then, or — when none was (the last one
// had expired, or there never was one) — the first one published after the close, up to now: staff publish one
// when the revaluation fails for the want of it, and the close, tried again, values the position at it. nil: none.
func (s *Service) closingRate(ctx context.Context, currency money.Currency, at time.Time) (*Rate, error) {
	r, err := latest(ctx, s.DB, currency, at)
	if err != nil {
		return nil, err
	}
	if r != nil && r.ValidUntil.After(at) {
		return r, nil
	}
	after, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+` FROM fx_rates WHERE currency = ? AND valid_from > ?
		AND valid_from <= ? ORDER BY valid_from, id LIMIT 1`, string(currency), db.Micros(at), db.Micros(s.Clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// Revalue books the revaluation of the business date date at its close (Days.CloseAt): the positions of the
// date (the postings valued on it or before, and the revaluations posted since: see the notes at the top of this
// file) valued at the closing mids give X; a non-zero X moves from fx_position:ALL to fx_revaluation:ALL in one
// entry described by the bank (TextRevaluation), audited as ActionRevalued. It books at most once per date,
// however often it runs and from however many instances at once (the ledger's idempotency key
// "fx/revaluation/<date>"): a repeat answers with Replayed and the entry booked first. A currency with a position
// at the close and no closing rate (closingRate) fails it with fx_rate_missing, naming the currency, and nothing
// is booked.
func (s *Service) Revalue(ctx context.Context, date calendar.Date) (Revaluation, error) {
	if s.Days == nil {
		return Revaluation{}, errors.New("fx revaluation: no business days (Service.Days)")
	}
	rv := Revaluation{Date: date, At: s.Days.CloseAt(date), Result: money.New(0, money.ALL)}
	gl, err := s.glBalances(ctx, date.AddDays(1))
	if err != nil {
		return Revaluation{}, err
	}
	pos, reval := gl[ledger.GLCode(ledger.TypeFXPosition, money.ALL)], gl[ledger.GLCode(ledger.TypeFXRevaluation, money.ALL)]
	if done, err := s.booked(ctx, &rv, reval.id); err != nil || done {
		return rv, err
	}
	var sum apd.Decimal
	for _, c := range money.Currencies() {
		b, ok := gl[ledger.GLCode(ledger.TypeFXPosition, c)]
		if c == money.ALL || !ok || b.beforeDay == 0 {
			continue
		}
		line := PositionLine{Currency: c, Balance: money.New(b.beforeDay, c)}
		r, err := s.closingRate(ctx, c, rv.At)
		if err != nil {
			return Revaluation{}, fmt.Errorf("fx revaluation of %s: %w", date, err)
		}
		if r == nil {
			return Revaluation{}, ErrNoRate.With("revaluation of %s: no %s rate current at the close (%s) for a "+
				"position of %s; publish one and the close, tried again, values the position at it", date, c,
				rv.At.In(clock.Tirane).Format("2006-01-02 15:04"), line.Balance)
		}
		line.Mid = r.Mid
		mid, err := mustRate(r.Mid)
		if err != nil {
			return Revaluation{}, err
		}
		if line.Value, err = valued(&sum, line.Balance, mid); err != nil {
			return Revaluation{}, err
		}
		rv.Lines = append(rv.Lines, line)
	}
	// The lek position of the date, and every revaluation posted after the date (the notes at the top of this
	// file say why).
	lek := money.New(pos.beforeDay-(reval.now-reval.beforeDay), money.ALL)
	rv.Lines = append(rv.Lines, PositionLine{Currency: money.ALL, Balance: lek, Mid: "1.00", Value: lek})
	if _, err := exact().Add(&sum, &sum, units(lek.Minor, money.ALL)); err != nil {
		return Revaluation{}, fmt.Errorf("fx revaluation: %w", err)
	}
	if rv.Result, err = ToMinor(&sum, money.ALL); err != nil {
		return Revaluation{}, err
	}
	if rv.Result.Minor == 0 {
		return rv, nil
	}
	if err := s.bookRevaluation(ctx, &rv, pos.id, reval.id); err != nil {
		return Revaluation{}, err
	}
	return rv, nil
}

// revaluationScope is the ledger's idempotency key of date's revaluation.
func revaluationScope(date calendar.Date) string { return "fx/revaluation/" + date.String() }

// booked reports whether rv's date was revalued before, and then makes rv that revaluation: Replayed, with its
// entry and the result it booked on the revaluation account (revalID).
func (s *Service) booked(ctx context.Context, rv *Revaluation, revalID string) (bool, error) {
	id, found, err := idempotency.Find(ctx, s.DB, revaluationScope(rv.Date), rv.Date.String())
	if err != nil || !found {
		return false, err
	}
	var x int64
	if err := s.DB.QueryRow(ctx, "SELECT amount FROM postings WHERE entry_id = ? AND account_id = ?", id,
		revalID).Scan(&x); err != nil {
		return false, fmt.Errorf("fx revaluation of %s: entry %s: %w", rv.Date, id, err)
	}
	rv.EntryID, rv.Replayed, rv.Result = id, true, money.New(x, money.ALL)
	return true, nil
}

// bookRevaluation posts rv.Result from the lek position (posID) to the revaluation account (revalID) once for
// rv.Date, and sets rv.EntryID, or Replayed with the entry booked before.
func (s *Service) bookRevaluation(ctx context.Context, rv *Revaluation, posID, revalID string) error {
	scope := revaluationScope(rv.Date)
	txt := ledger.Text{Key: TextRevaluation, Params: map[string]string{"date": rv.Date.String()}}
	desc := revaluationAlbanian(txt)
	x := rv.Result.Minor
	var entryID string
	replay := false
	err := s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       []string{posID, revalID},
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			replay, entryID = false, ""
			if id, again, err := b.Idempotency(scope, rv.Date.String()); err != nil {
				return err
			} else if again {
				replay, entryID = true, id
				return nil
			}
			id, err := b.Post(ledger.Entry{Kind: "fx_revaluation", Description: desc, Reference: rv.Date.String(),
				Legs: []ledger.Leg{
					{AccountID: posID, Amount: -x, Description: desc, Text: txt},
					{AccountID: revalID, Amount: x, Description: desc, Text: txt},
				}})
			if err != nil {
				return err
			}
			entryID = id
			b.RememberIdempotency(scope, rv.Date.String(), id)
			return nil
		},
		Audit: func(err error) []audit.Entry {
			if err != nil || replay {
				return nil // nothing booked
			}
			return []audit.Entry{audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: ActionRevalued,
				Result: audit.ResultOK, After: audit.State(revaluationState{Date: rv.Date.String(), Result: x,
					Entry: entryID})})}
		},
	})
	if err != nil {
		return fmt.Errorf("fx revaluation of %s: %w", rv.Date, err)
	}
	rv.EntryID, rv.Replayed = entryID, replay
	return nil
}

// revaluationState is what the audit log keeps of a revaluation.
type revaluationState struct {
	Date   string `json:"date"`
	Result int64  `json:"result"` // lek minor units: a gain above zero, a loss below
	Entry  string `json:"entry"`
}

// revaluationAlbanian is TextRevaluation's Albanian message, for the description column (the catalogue's tests
// hold the two equal).
func revaluationAlbanian(t ledger.Text) string {
	return "Rivlerësim i pozicionit valutor të bankës për " + t.Params["date"]
}
