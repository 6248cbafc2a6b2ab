package issuing

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Reason is why an authorisation was declined: the network passes it to the terminal.
type Reason string

// The reasons of a decline.
const (
	InsufficientFunds Reason = "insufficient_funds"
	CardBlocked       Reason = "card_blocked" // blocked, lost, replaced or closed
	CardExpired       Reason = "card_expired"
	ControlOff        Reason = "control_off" // Answer.Control says which
	LimitReached      Reason = "limit_reached"
	WrongPIN          Reason = "wrong_pin"
	PINBlocked        Reason = "pin_blocked"
	CardNotFound      Reason = "card_not_found"
	// AuthenticationRequired is an online purchase without 3-D Secure beyond the low-value exemption.
	AuthenticationRequired Reason = "authentication_required"
	// AuthenticationFailed is an online purchase whose 3-D Secure result the access control server does not
	// vouch for: unknown, not approved, another card's, another amount, a wrong value, or used already.
	AuthenticationFailed Reason = "authentication_failed"
)

// Reasons lists every reason, for documents and tests.
func Reasons() []Reason {
	return []Reason{InsufficientFunds, CardBlocked, CardExpired, ControlOff, LimitReached, WrongPIN, PINBlocked,
		CardNotFound, AuthenticationRequired, AuthenticationFailed}
}

// The card controls an authorisation can find off (Answer.Control with ControlOff).
const (
	ControlOnline      = "online"
	ControlContactless = "contactless"
	ControlATM         = "atm"
	ControlMagstripe   = "magstripe"
	ControlAbroad      = "abroad"
)

// Entry modes: how the card met the terminal. A card-not-present request is ecommerce whatever it says.
const (
	EntryChip        = "chip"
	EntryContactless = "contactless"
	EntryMagstripe   = "magstripe"
	EntryEcommerce   = "ecommerce"
)

// Kinds of card transactions.
const (
	KindPurchase = card.SpendPurchase
	KindCash     = card.SpendCash
	KindRefund   = "refund"
)

// Statuses of an authorisation.
const (
	StatusApproved = "approved" // its hold is placed (pending, until cleared, reversed or expired)
	StatusDeclined = "declined"
	StatusReversed = "reversed"
	StatusCleared  = "cleared"
)

// MaxMerchant is the longest merchant name kept, in bytes.
const MaxMerchant = 100

// Request is the network asking to authorise a card payment. ID is the network's own id for it; OriginalID, when
// set, makes it an incremental authorisation of that earlier approved one (a hotel adding nights): its hold is
// placed on the same account and cleared with it.
type Request struct {
	ID          string
	OriginalID  string
	CardID      string
	Amount      money.Amount
	Merchant    string
	MCC         string
	Country     string // ISO 3166-1 alpha-2
	CardPresent bool
	EntryMode   string // chip, contactless, magstripe, ecommerce; "" is chip when present, ecommerce when not
	PIN         string // as typed at the terminal, if it asked; never stored
	// ThreeDSRef and ThreeDSValue are the 3-D Secure result of an online purchase: the network's reference of the
	// approval it asked for (threeds.Service.Ask) and the authentication value it got once the holder approved.
	// The value is checked, never stored.
	ThreeDSRef, ThreeDSValue string
	// Log is the network's own record of this request with its answer, written once, with the answer, in the same
	// transaction: a network in the binary (package cardnetwork) shares the bank's database, and keeping its
	// books in a commit of their own would make every authorisation wait for two. Nil for a network that keeps
	// its books elsewhere.
	Log func(Answer) ledger.Record
}

// Answer is the issuer's answer.
type Answer struct {
	Approved        bool
	Reason          Reason // why not, when declined
	Control         string // the control found off, with ControlOff
	AuthorisationID string // the network's id, which reversals and presentments name
}

// check refuses a request the issuer cannot read at all (a 4xx to the network, nothing recorded).
func (r *Request) check() error {
	r.Merchant = text.Clean(r.Merchant)
	var fields []kumbara.FieldError
	if r.ID == "" || !text.Storable(r.ID) || len(r.ID) > 64 {
		fields = append(fields, kumbara.ErrFieldRequired.At("id"))
	}
	if r.CardID == "" || !text.Storable(r.CardID) {
		fields = append(fields, kumbara.ErrFieldRequired.At("card_id"))
	}
	if r.OriginalID != "" && !text.Storable(r.OriginalID) {
		fields = append(fields, kumbara.ErrInvalid.At("original_id"))
	}
	if !r.Amount.Currency.Valid() {
		fields = append(fields, money.ErrUnknownCurrency.At("currency"))
	} else if r.Amount.Minor <= 0 {
		fields = append(fields, money.ErrAmountNotPositive.At("amount"))
	}
	if r.Merchant == "" || !text.Storable(r.Merchant) || len(r.Merchant) > MaxMerchant {
		fields = append(fields, kumbara.ErrFieldRequired.At("merchant"))
	}
	if _, ok := mccNumber(r.MCC); !ok {
		fields = append(fields, ErrMCCInvalid.At("mcc"))
	}
	if !countryCode(r.Country) {
		fields = append(fields, ErrCountryInvalid.At("country"))
	}
	if r.EntryMode == "" {
		r.EntryMode = EntryChip
		if !r.CardPresent {
			r.EntryMode = EntryEcommerce
		}
	}
	switch r.EntryMode {
	case EntryChip, EntryContactless, EntryMagstripe, EntryEcommerce:
	default:
		fields = append(fields, ErrEntryModeInvalid.At("entry_mode"))
	}
	if !r.CardPresent {
		r.EntryMode = EntryEcommerce
	}
	if !text.Storable(r.PIN) || len(r.PIN) > 12 {
		fields = append(fields, kumbara.ErrInvalid.At("pin"))
	}
	if !text.Storable(r.ThreeDSRef) || len(r.ThreeDSRef) > 64 {
		fields = append(fields, kumbara.ErrInvalid.At("three_ds_reference"))
	}
	if !text.Storable(r.ThreeDSValue) || len(r.ThreeDSValue) > 64 {
		fields = append(fields, kumbara.ErrInvalid.At("three_ds_value"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

func countryCode(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

// kind is what the request spends: cash at an ATM or a counter, a purchase otherwise.
func (r Request) kind() string {
	if CashMCC(r.MCC) {
		return KindCash
	}
	return KindPurchase
}

// hash identifies the request's content, without its PIN and its authentication value: a repeat under the same
// id must be the same request. The 3-D Secure reference counts only when there is one, so that the hashes of
// requests without it stay what they were.
func (r Request) hash() string {
	h := sha256.New()
	for _, f := range []string{r.OriginalID, r.CardID, strconv.FormatInt(r.Amount.Minor, 10), string(r.Amount.Currency),
		r.Merchant, r.MCC, r.Country, strconv.FormatBool(r.CardPresent), r.EntryMode} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	if r.ThreeDSRef != "" {
		h.Write([]byte("3ds:" + r.ThreeDSRef))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// authorisation is a row of card_authorisations.
type authorisation struct {
	ID, CardID, ParentID, Kind string
	Amount                     money.Amount
	Merchant, MCC, Country     string
	EntryMode                  string
	Approved                   bool
	Reason                     Reason
	Control                    string
	AccountID, HoldID          string
	AccountAmount              money.Amount
	LimitAmount                int64
	Day                        string
	Status                     string
	Hash                       string
	CreatedAt                  time.Time
	log                        func(Answer) ledger.Record // the network's record of the request (Request.Log)
	Authenticated              bool                       // by 3-D Secure
	SCAAmount                  int64                      // euro cents an unauthenticated online purchase counts towards the exemption
}

func (a authorisation) answer() Answer {
	return Answer{Approved: a.Approved, Reason: a.Reason, Control: a.Control, AuthorisationID: a.ID}
}

func (a authorisation) record() ledger.Record {
	return ledger.Record{Table: "card_authorisations", Columns: []string{"id", "card_id", "parent_id", "kind",
		"amount", "currency", "merchant", "mcc", "country", "entry_mode", "approved", "reason", "control",
		"account_id", "hold_id", "account_amount", "account_currency", "limit_amount", "day", "status",
		"request_hash", "created_at", "authenticated", "sca_amount"},
		Values: []any{a.ID, a.CardID, a.ParentID, a.Kind, a.Amount.Minor, string(a.Amount.Currency), a.Merchant, a.MCC,
			a.Country, a.EntryMode, boolInt(a.Approved), string(a.Reason), a.Control, a.AccountID, a.HoldID,
			a.AccountAmount.Minor, string(a.AccountAmount.Currency), a.LimitAmount, a.Day, a.Status, a.Hash,
			db.Micros(a.CreatedAt), boolInt(a.Authenticated), a.SCAAmount}}
}

const authColumns = `id, card_id, parent_id, kind, amount, currency, merchant, mcc, country, entry_mode, approved,
	reason, control, account_id, hold_id, account_amount, account_currency, limit_amount, day, status, request_hash,
	created_at`

func scanAuthorisation(r db.Scanner) (authorisation, error) {
	var a authorisation
	var cur, acur, reason string
	var approved int
	var created int64
	err := r.Scan(&a.ID, &a.CardID, &a.ParentID, &a.Kind, &a.Amount.Minor, &cur, &a.Merchant, &a.MCC, &a.Country,
		&a.EntryMode, &approved, &reason, &a.Control, &a.AccountID, &a.HoldID, &a.AccountAmount.Minor, &acur,
		&a.LimitAmount, &a.Day, &a.Status, &a.Hash, &created)
	a.Amount.Currency, a.AccountAmount.Currency = money.Currency(cur), money.Currency(acur)
	a.Approved, a.Reason, a.CreatedAt = approved != 0, Reason(reason), db.FromMicros(created)
	return a, err
}

func (s *Service) authorisation(ctx context.Context, id string) (authorisation, error) {
	a, err := scanAuthorisation(s.DB.QueryRow(ctx, "SELECT "+authColumns+" FROM card_authorisations WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return authorisation{}, ErrAuthorisationNotFound
	}
	if err != nil {
		return authorisation{}, fmt.Errorf("card authorisation: %w", err)
	}
	return a, nil
}

// Authorise answers the network's request: approved, with a hold of the amount (converted to the account's
// currency when it differs) on the account chosen among the card's, or declined with a Reason. The checks, in
// order: the card exists (card_not_found), is active (card_blocked) and not expired (card_expired); the control for
// how and where it is used is on (control_off); the PIN, when the terminal asked for one or at an ATM (wrong_pin,
// pin_blocked: three wrong PINs block it, the count is card's); the day's total within the card's daily limit,
// and a credit card's internet and cash allowances (limit_reached); an online purchase's strong customer
// authentication (authentication_failed, authentication_required: see authenticate); the account's available balance covers the
// hold (insufficient_funds, decided under the ledger's lock on the account). A request that cannot be read at all is an error (validation_failed), and nothing
// is recorded; every answer is recorded, and a repeat of the request gets it again.
func (s *Service) Authorise(ctx context.Context, r Request) (Answer, error) {
	if err := r.check(); err != nil {
		return Answer{}, err
	}
	hash := r.hash()
	// A repeat is found where the answer is written (the decline's insert, the approval's idempotency key), so
	// a request costs no read for it — except one that checks a PIN, which a repeat must not count twice.
	if r.PIN != "" || r.MCC == mccATM {
		if prev, err := s.authorisation(ctx, r.ID); err == nil {
			return replay(prev, hash)
		} else if !errors.Is(err, ErrAuthorisationNotFound) {
			return Answer{}, err
		}
	}
	now := s.Clock.Now()
	a := authorisation{ID: r.ID, CardID: r.CardID, ParentID: r.OriginalID, Kind: r.kind(), Amount: r.Amount,
		Merchant: r.Merchant, MCC: r.MCC, Country: r.Country, EntryMode: r.EntryMode, Hash: hash, CreatedAt: now,
		Day: calendar.DateOf(now).String(), AccountAmount: money.Amount{Currency: r.Amount.Currency}, log: r.Log}
	c, err := s.Cards.ForAuthorisation(ctx, r.CardID, a.Day)
	if errors.Is(err, card.ErrNotFound) {
		return s.decline(ctx, a, CardNotFound, "")
	}
	if err != nil {
		return Answer{}, err
	}
	if reason, control := s.screen(c, r, now); reason != "" {
		return s.decline(ctx, a, reason, control)
	}
	if err := s.place(ctx, c, r, &a); err != nil {
		return Answer{}, err
	}
	if reason := s.checkPIN(ctx, c, r); reason != "" {
		return s.decline(ctx, a, reason, "")
	}
	for _, within := range []func(context.Context, card.Spendable, authorisation) (Reason, error){
		s.withinLimit, s.withinCredit} {
		if reason, err := within(ctx, c, a); err != nil || reason != "" {
			if err != nil {
				return Answer{}, err
			}
			return s.decline(ctx, a, reason, "")
		}
	}
	if reason, err := s.authenticate(ctx, r, &a); err != nil || reason != "" {
		if err != nil {
			return Answer{}, err
		}
		return s.decline(ctx, a, reason, "")
	}
	return s.approve(ctx, a, r)
}

// replay is the first answer to a request repeated under its id, or card_authorisation_reused when it differs.
func replay(prev authorisation, hash string) (Answer, error) {
	if prev.Hash != hash {
		return Answer{}, ErrAuthorisationReused
	}
	return prev.answer(), nil
}

// screen applies the card's state and controls: the reason of a decline and the control found off, or "".
func (s *Service) screen(c card.Spendable, r Request, now time.Time) (Reason, string) {
	switch c.Status {
	case card.Active:
	default:
		return CardBlocked, ""
	}
	if c.ExpiredAt(now) {
		return CardExpired, ""
	}
	ctl := c.Controls
	switch {
	case CashMCC(r.MCC) && !ctl.ATM:
		return ControlOff, ControlATM
	case r.EntryMode == EntryEcommerce && !ctl.Online:
		return ControlOff, ControlOnline
	case r.EntryMode == EntryContactless && (!ctl.Contactless || !c.Contactless):
		return ControlOff, ControlContactless
	case r.EntryMode == EntryMagstripe && !ctl.Magstripe:
		return ControlOff, ControlMagstripe
	case r.Country != s.config().Home && !ctl.Abroad:
		return ControlOff, ControlAbroad
	}
	return "", ""
}

// checkPIN checks the PIN the terminal took; an ATM always takes one (none typed is a wrong one).
func (s *Service) checkPIN(ctx context.Context, c card.Spendable, r Request) Reason {
	atm := r.MCC == mccATM
	if r.PIN == "" && !atm {
		return ""
	}
	err := s.Cards.CheckTerminalPIN(ctx, c.ID, r.PIN, atm)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, card.ErrPINBlocked):
		return PINBlocked
	case errors.Is(err, card.ErrNotFound):
		return CardBlocked
	}
	return WrongPIN
}

// place chooses the account the hold goes on and what it holds there: for an incremental authorisation its
// original's account; otherwise the card's account in the transaction's currency, if it has one, else its primary
// account, the amount converted at the card network's rate. LimitAmount is the amount in the primary account's
// currency, which the daily limits are in.
func (s *Service) place(ctx context.Context, c card.Spendable, r Request, a *authorisation) error {
	if len(c.Accounts) == 0 {
		return fmt.Errorf("card %s has no account", c.ID)
	}
	curs, err := s.currencyOf(ctx, c.Accounts)
	if err != nil {
		return err
	}
	a.AccountID = c.Accounts[0]
	for _, id := range c.Accounts {
		if curs[id] == r.Amount.Currency {
			a.AccountID = id
			break
		}
	}
	if r.OriginalID != "" {
		orig, err := s.authorisation(ctx, r.OriginalID)
		if err != nil || orig.CardID != r.CardID || !orig.Approved || orig.ParentID != "" {
			return ErrAuthorisationNotFound.Field("original_id")
		}
		a.AccountID = orig.AccountID
	}
	if a.AccountAmount, err = s.inCurrency(ctx, r.Amount, curs[a.AccountID]); err != nil {
		return err
	}
	primary := curs[c.Accounts[0]]
	limit := a.AccountAmount
	if limit.Currency != primary {
		if limit, err = s.inCurrency(ctx, r.Amount, primary); err != nil {
			return err
		}
	}
	a.LimitAmount = limit.Minor
	return nil
}

// inCurrency is spent in an account of currency c: itself, or what the account pays for it at the card
// network's rate.
func (s *Service) inCurrency(ctx context.Context, spent money.Amount, c money.Currency) (money.Amount, error) {
	if spent.Currency == c {
		return spent, nil
	}
	if s.FX == nil {
		return money.Amount{}, fmt.Errorf("card authorisation: no exchange rates for %s in %s", spent.Currency, c)
	}
	p, err := s.FX.CardPurchase(ctx, c, spent)
	if err != nil {
		return money.Amount{}, err
	}
	return p.Sell, nil
}

// withinLimit checks the card's total of the day, of a's kind, with a: limit_reached beyond the card's daily limit
// (its own, or the bank's default). Authorisations declined or reversed do not count; the day is the bank's
// (Tirane). Two authorisations of one card at the same instant may both pass the check: the limit is a control
// of the holder's spending, not of the bank's money, which the ledger's lock guards.
func (s *Service) withinLimit(ctx context.Context, c card.Spendable, a authorisation) (Reason, error) {
	cfg := s.config()
	limit := c.Controls.DailyPurchaseLimit
	if limit <= 0 {
		limit = cfg.DailyPurchaseLimit
	}
	if a.Kind == KindCash {
		limit = c.Controls.DailyATMLimit
		if limit <= 0 {
			limit = cfg.DailyATMLimit
		}
	}
	spent := c.SpentPurchases
	if a.Kind == KindCash {
		spent = c.SpentCash
	}
	if spent+a.LimitAmount > limit {
		return LimitReached, nil
	}
	return "", nil
}

// SpentToday is the card's total of purchases and of cash today (the bank's day), in its primary account's
// currency, as its daily limits count them.
func (s *Service) SpentToday(ctx context.Context, cardID string) (purchases, cash int64, err error) {
	return s.Cards.SpentOn(ctx, cardID, calendar.DateOf(s.Clock.Now()).String())
}

// approve places the hold and records the approval in one ledger op, idempotent by the network's id: the
// ledger's lock on the account decides insufficient_funds, so concurrent authorisations never hold more than is
// available.
func (s *Service) approve(ctx context.Context, a authorisation, r Request) (Answer, error) {
	key := authKey(a.ID)
	var replayed bool
	err := s.Ledger.Submit(ctx, ledger.Op{Accounts: []string{a.AccountID}, IdempotencyKey: key, Run: func(b *ledger.Batch) error {
		if _, again, err := b.Idempotency(key, a.Hash); err != nil || again {
			replayed = again
			return err
		}
		h, err := b.PlaceHold(a.AccountID, a.AccountAmount.Minor, "card_authorisation", a.ID,
			s.holdUntil(b.Now(), a.MCC))
		if err != nil {
			return err
		}
		row := a
		row.HoldID, row.Approved, row.Status, row.CreatedAt = h.ID, true, StatusApproved, b.Now()
		b.Insert(row.record())
		b.Add(card.DayTotal(row.CardID, row.Day, row.Kind, row.LimitAmount))
		if a.log != nil {
			log := a.log(row.answer())
			log.IgnoreExisting = true
			b.Insert(log)
		}
		b.RememberIdempotency(key, a.Hash, a.ID)
		return nil
	}})
	switch {
	case errors.Is(err, idempotency.ErrReused):
		return Answer{}, ErrAuthorisationReused
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return s.decline(ctx, a, InsufficientFunds, "")
	case errors.Is(err, ledger.ErrAccountBlocked), errors.Is(err, ledger.ErrAccountClosed):
		return s.decline(ctx, a, CardBlocked, "")
	case err != nil:
		return Answer{}, fmt.Errorf("card authorisation: %w", err)
	}
	if replayed {
		prev, err := s.authorisation(ctx, a.ID)
		if err != nil {
			return Answer{}, err
		}
		return replay(prev, a.Hash)
	}
	return Answer{Approved: true, AuthorisationID: a.ID}, nil
}

// decline records a declined authorisation and answers it. A repeat recorded first (the request answered before,
// or a concurrent one) wins: its answer is the one given. The approval's idempotency key is written with the
// decline, so that a repeat which would now pass (the balance has grown) replays the decline instead.
func (s *Service) decline(ctx context.Context, a authorisation, reason Reason, control string) (Answer, error) {
	a.Approved, a.Reason, a.Control, a.Status, a.HoldID = false, reason, control, StatusDeclined, ""
	rec := a.record()
	var logged []db.Stmt
	if a.log != nil {
		l := a.log(a.answer())
		logged = s.DB.InsertRows(l.Table, l.Columns, [][]any{l.Values})
	}
	q := "INSERT INTO card_authorisations (" + strings.Join(rec.Columns, ", ") + ") VALUES (" + db.Placeholders(len(rec.Columns)) +
		") ON CONFLICT (id) DO NOTHING"
	var n int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, q, rec.Values...)
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		key := idempotency.Key{Scope: authKey(a.ID), Hash: a.Hash, ResourceID: a.ID}
		for _, st := range idempotency.Insert(s.DB, []idempotency.Key{key}, a.CreatedAt) {
			if _, err := tx.Exec(ctx, st.SQL+" ON CONFLICT (scope_key) DO NOTHING", st.Args...); err != nil {
				return err
			}
		}
		for _, st := range logged {
			if _, err := tx.Exec(ctx, st.SQL+" ON CONFLICT DO NOTHING", st.Args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Answer{}, fmt.Errorf("card decline: %w", err)
	}
	if n == 0 {
		prev, err := s.authorisation(ctx, a.ID)
		if err != nil {
			return Answer{}, err
		}
		return replay(prev, a.Hash)
	}
	return a.answer(), nil
}

// mccATM is an ATM's merchant category code.
const mccATM = "6011"

// authKey is the idempotency key of an authorisation's answer.
func authKey(id string) string { return "card_auth:" + id }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
