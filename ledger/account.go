// Package ledger is the bank's double-entry core: accounts with materialised balances, balanced journal entries of
// immutable postings, reversals, holds, and the invariants `kumbara verify` checks. Money moves only through a
// Batch (see batch.go), which locks accounts in id order, checks every rule against the locked state and writes
// postings and balances in one transaction.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Status is an account's state. Nothing posts to a blocked or closed account.
type Status string

const (
	Active  Status = "active"
	Blocked Status = "blocked"
	Closed  Status = "closed"
)

// Account types: customer products and the bank's own general-ledger accounts.
const (
	TypeCurrent    = "current"
	TypeSavings    = "savings"
	TypeVault      = "vault"
	TypeClearing   = "clearing"
	TypeFees       = "fees"
	TypeFXPosition = "fx_position"
	TypeSuspense   = "suspense"
	// TypeSettlement is the bank's settlement (nostro) account in a currency: its account at the central bank
	// for ALL (AECH, AIPS, the instant system) and at its correspondents for the others (SEPA, SWIFT). An asset:
	// money the bank has there is a debit, so the balance runs negative as it grows.
	TypeSettlement = "settlement"
	// TypeCardSettlement is what the bank owes the card network (package issuing) in a currency: credited as the
	// network's presentments post to the cards' accounts, debited by refunds and chargebacks it gives back.
	TypeCardSettlement = "card_settlement"
	// TypeFXIncome is the bank's income from the spread of its exchange rates (package fx): at each conversion,
	// the difference between the customer's rate and the mid rate, in lek. Only in ALL.
	TypeFXIncome = "fx_income"
	// TypeFXRounding receives the difference between a conversion's exact amount and the amount in minor units
	// the customer was given or charged (rounded once, half-up), in lek: the difference is booked, never lost.
	// Only in ALL.
	TypeFXRounding = "fx_rounding"
	// TypeFXRevaluation is the bank's result of revaluing its open FX positions at the day's closing mid rates
	// (the end of day's fx_revaluation step), in lek. Only in ALL.
	TypeFXRevaluation = "fx_revaluation"
	// TypeCredit is a credit card's own account (package creditcard): its overdraft is the card's limit and a
	// negative balance the holder's debt. Only card entries (kinds "card_…") and reversals move it, so no transfer,
	// payment or exchange takes cash from a card past its cash limit and fee, or pays it past its statement.
	TypeCredit = "credit"
)

// Account is a customer account or one of the bank's GL accounts. Balance follows the credit-positive convention:
// a customer's deposit is a positive balance (the bank owes it); the bank's vault, an asset, runs negative.
type Account struct {
	ID             string
	CustomerID     string // empty for GL accounts
	GLCode         string // e.g. "vault:ALL"; empty for customer accounts
	IBAN           string
	Number         string
	Currency       money.Currency
	Type           string
	Name           string
	Logo           string
	Status         Status
	OverdraftLimit int64
	AllowNegative  bool
	Balance        int64
	Held           int64
	LastSeq        int64
	OpenedAt       time.Time
	StatusAt       time.Time
}

// Available is what the customer may spend: ledger balance less holds plus the approved overdraft.
func (a Account) Available() int64 { return a.Balance - a.Held + a.OverdraftLimit }

// IsGL reports whether this is one of the bank's own accounts.
func (a Account) IsGL() bool { return a.CustomerID == "" }

const accountColumns = `id, COALESCE(customer_id, ''), COALESCE(gl_code, ''), COALESCE(iban, ''), number, currency,
	type, name, logo, status, overdraft_limit, allow_negative, balance, held, last_seq, opened_at, status_at`

func scanAccount(s db.Scanner) (Account, error) {
	var a Account
	var allowNeg int
	var opened, statusAt int64
	err := s.Scan(&a.ID, &a.CustomerID, &a.GLCode, &a.IBAN, &a.Number, &a.Currency, &a.Type, &a.Name, &a.Logo,
		&a.Status, &a.OverdraftLimit, &allowNeg, &a.Balance, &a.Held, &a.LastSeq, &opened, &statusAt)
	a.AllowNegative = allowNeg != 0
	a.OpenedAt, a.StatusAt = db.FromMicros(opened), db.FromMicros(statusAt)
	return a, err
}

// NewAccount describes an account to open.
type NewAccount struct {
	CustomerID     string // empty for a GL account
	GLCode         string // required for a GL account
	IBAN           string // required for customer accounts
	Number         string
	Currency       money.Currency
	Type           string
	Name           string
	OverdraftLimit int64
}

// Open creates an account in the caller's transaction.
func Open(ctx context.Context, tx *db.Tx, now time.Time, n NewAccount) (Account, error) {
	if !n.Currency.Valid() {
		return Account{}, money.ErrUnknownCurrency
	}
	if n.OverdraftLimit < 0 {
		return Account{}, kumbara.ErrValidationFailed.WithFields(money.ErrInvalidAmount.At("overdraft_limit"))
	}
	gl := n.CustomerID == ""
	if gl && n.GLCode == "" {
		return Account{}, errors.New("open account: GL account without code")
	}
	a := Account{
		ID: uuid.Must(uuid.NewV7()).String(), CustomerID: n.CustomerID, GLCode: n.GLCode, IBAN: n.IBAN,
		Number: n.Number, Currency: n.Currency, Type: n.Type, Name: n.Name, Status: Active,
		OverdraftLimit: n.OverdraftLimit, AllowNegative: gl, OpenedAt: now.UTC(), StatusAt: now.UTC(),
	}
	if a.Number == "" {
		a.Number = a.ID
	}
	_, err := tx.Exec(ctx, `INSERT INTO accounts (id, customer_id, gl_code, iban, number, currency, type, name, status,
		overdraft_limit, allow_negative, opened_at, status_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, nullable(a.CustomerID), nullable(a.GLCode), nullable(a.IBAN), a.Number, string(a.Currency), a.Type,
		a.Name, string(a.Status), a.OverdraftLimit, boolInt(gl), db.Micros(now), db.Micros(now))
	if err != nil {
		return Account{}, fmt.Errorf("open account: %w", err)
	}
	return a, nil
}

// CountOwned returns how many accounts the customer holds, closed ones included, read in tx.
func CountOwned(ctx context.Context, tx *db.Tx, customerID string) (int, error) {
	var n int
	err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM accounts WHERE customer_id = ?", customerID).Scan(&n)
	return n, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Store reads accounts. Reads use the read pool and need no transaction.
type Store struct {
	DB    *db.DB
	Clock clock.Clock // stamps the audit entries of account settings; nil is the real clock
}

func (s *Store) now() time.Time {
	if s.Clock == nil {
		return clock.Real{}.Now()
	}
	return s.Clock.Now()
}

// ActionRenamed is the audit action of a customer changing an account's name or logo (F6).
const ActionRenamed = "account.settings.changed"

// one returns the account a query finds, or account_not_found. An argument no column can hold finds nothing
// without a query: PostgreSQL refuses to compare NUL bytes or invalid UTF-8 at all.
func (s *Store) one(ctx context.Context, what, where string, args ...any) (Account, error) {
	for _, arg := range args {
		if v, ok := arg.(string); ok && !text.Storable(v) {
			return Account{}, ErrAccountNotFound
		}
	}
	a, err := scanAccount(s.DB.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrAccountNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("%s: %w", what, err)
	}
	return a, nil
}

// Get returns an account by id.
func (s *Store) Get(ctx context.Context, id string) (Account, error) {
	return s.one(ctx, "get account", "id = ?", id)
}

// GetOwned returns the account only if customerID owns it; anything else is account_not_found, so a customer
// cannot tell another customer's account from a missing one.
func (s *Store) GetOwned(ctx context.Context, customerID, id string) (Account, error) {
	return s.one(ctx, "get account", "id = ? AND customer_id = ?", id, customerID)
}

// ByIBAN returns a customer account by IBAN.
func (s *Store) ByIBAN(ctx context.Context, iban string) (Account, error) {
	return s.one(ctx, "account by iban", "iban = ? AND customer_id IS NOT NULL", iban)
}

// ByNumber returns a customer account by its account number.
func (s *Store) ByNumber(ctx context.Context, number string) (Account, error) {
	return s.one(ctx, "account by number", "number = ? AND customer_id IS NOT NULL", number)
}

// Resolve returns, in one query, the customer accounts whose id or account number is among ids, or whose IBAN is
// among ibans (for a transfer's two sides). Callers still check ownership: finding an account says nothing about
// who may use it.
func (s *Store) Resolve(ctx context.Context, ids, ibans []string) ([]Account, error) {
	var cond []string
	var args []any
	if len(ids) > 0 {
		cond = append(cond, "id IN ("+db.Placeholders(len(ids))+")", "number IN ("+db.Placeholders(len(ids))+")")
		for _, id := range ids {
			args = append(args, id)
		}
		for _, id := range ids {
			args = append(args, id)
		}
	}
	if len(ibans) > 0 {
		cond = append(cond, "iban IN ("+db.Placeholders(len(ibans))+")")
		for _, ib := range ibans {
			args = append(args, ib)
		}
	}
	if len(cond) == 0 {
		return nil, nil
	}
	return s.list(ctx, "resolve accounts", "customer_id IS NOT NULL AND ("+strings.Join(cond, " OR ")+")", args...)
}

// Standings reads what changes about the accounts with the ids: status, balance, holds and overdraft, and
// nothing else (Refs remember the rest), keyed by id. Missing ids are absent. It is what a price offered before
// the ledger's lock checks (a conversion's quote): one read by primary key, cheaper than Resolve's.
func (s *Store) Standings(ctx context.Context, ids []string) (map[string]Account, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.DB.Query(ctx, `SELECT id, status, overdraft_limit, allow_negative, balance, held FROM accounts
		WHERE id IN (`+db.Placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("account standings: %w", err)
	}
	out := map[string]Account{}
	found, err := db.Collect(rows, func(sc db.Scanner) (Account, error) {
		var a Account
		var allowNeg int
		err := sc.Scan(&a.ID, &a.Status, &a.OverdraftLimit, &allowNeg, &a.Balance, &a.Held)
		a.AllowNegative = allowNeg != 0
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("account standings: %w", err)
	}
	for _, a := range found {
		out[a.ID] = a
	}
	return out, nil
}

// GL returns the bank's GL account with the code, e.g. "vault:ALL".
func (s *Store) GL(ctx context.Context, code string) (Account, error) {
	return s.one(ctx, "gl account "+code, "gl_code = ?", code)
}

// ListByCustomer returns a customer's accounts, oldest first.
func (s *Store) ListByCustomer(ctx context.Context, customerID string) ([]Account, error) {
	return s.list(ctx, "list accounts", "customer_id = ? ORDER BY opened_at, id", customerID)
}

// ListGL returns the bank's GL accounts.
func (s *Store) ListGL(ctx context.Context) ([]Account, error) {
	return s.list(ctx, "list gl accounts", "customer_id IS NULL ORDER BY gl_code")
}

func (s *Store) list(ctx context.Context, what, where string, args ...any) ([]Account, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+accountColumns+" FROM accounts WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := db.Collect(rows, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// MaxAccountName is the longest name a customer may give an account, in characters (F6).
const MaxAccountName = 40

// Relabel is what a customer changes of how an account is shown (F6); a nil field stays as it is.
type Relabel struct {
	Name *string
	Logo *string
}

// Rename changes the name and logo of a customer's account and returns the account as it now is. Another
// customer's account and an unknown one are account_not_found before anything is checked. The name is kept in the
// form of all free text (text.Clean) and must then hold 1 to MaxAccountName characters of what a transfer
// description may hold (text.Plain): it is shown wherever the account is.
func (s *Store) Rename(ctx context.Context, customerID, id string, r Relabel) (Account, error) {
	a, err := s.GetOwned(ctx, customerID, id)
	if err != nil {
		return Account{}, err
	}
	before := audit.State(map[string]string{"name": a.Name, "logo": a.Logo})
	if r.Name != nil {
		a.Name = text.Clean(*r.Name)
		if err := checkName(a.Name); err != nil {
			return Account{}, err
		}
	}
	if r.Logo != nil {
		a.Logo = *r.Logo
		if !validLogo(a.Logo) {
			return Account{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrValidationFailed.At("logo"))
		}
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE accounts SET name = ?, logo = ? WHERE id = ? AND customer_id = ?",
			a.Name, a.Logo, a.ID, customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAccountNotFound
		}
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(customerID),
			Action: ActionRenamed, CustomerID: customerID, AccountID: a.ID, Before: before,
			After: audit.State(map[string]string{"name": a.Name, "logo": a.Logo}), Result: audit.ResultOK}))
	})
	if errors.Is(err, ErrAccountNotFound) {
		return Account{}, err
	}
	if err != nil {
		return Account{}, fmt.Errorf("rename account: %w", err)
	}
	return a, nil
}

// checkName holds an account's name (F6) to the free-text rule: 1 to MaxAccountName characters of what a transfer
// description may hold.
func checkName(name string) error {
	switch {
	case name == "":
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("name"))
	case utf8.RuneCountInString(name) > MaxAccountName:
		return kumbara.ErrValidationFailed.WithFields(text.ErrTooLong.At("name")).
			WithParam("max", strconv.Itoa(MaxAccountName))
	case !text.Plain(name):
		return kumbara.ErrValidationFailed.WithFields(text.ErrInvalidCharacters.At("name"))
	}
	return nil
}

// validLogo reports whether s names a logo: the apps draw logos from built-in sets, so an account keeps a short
// name, not an image — at most 32 lower-case letters, digits and hyphens, or nothing.
func validLogo(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// LockOwned locks a customer's account in tx and returns it; another customer's account and an unknown one are
// account_not_found.
func LockOwned(ctx context.Context, tx *db.Tx, customerID, id string) (Account, error) {
	return lock(ctx, tx, "id = ? AND customer_id = ?", id, customerID)
}

func lock(ctx context.Context, tx *db.Tx, where string, args ...any) (Account, error) {
	a, err := scanAccount(tx.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE "+where+tx.DB().ForUpdate(), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrAccountNotFound
	}
	return a, err
}

// Usable answers whether money may move on the account now: nil when it is active, else account_blocked or
// account_closed.
func (a Account) Usable() error {
	if a.Status == Active {
		return nil
	}
	return statusError(a.Status)
}

// SetStatus blocks, reactivates or closes an account. A closed account stays closed, and only an account with
// zero balance and no holds may close.
func SetStatus(ctx context.Context, tx *db.Tx, now time.Time, id string, to Status) error {
	_, err := setStatus(ctx, tx, now, id, to)
	return err
}

// setStatus is SetStatus returning the account as it was before.
func setStatus(ctx context.Context, tx *db.Tx, now time.Time, id string, to Status) (Account, error) {
	a, err := lock(ctx, tx, "id = ?", id)
	if err != nil {
		return Account{}, fmt.Errorf("set status: %w", err)
	}
	switch {
	case a.Status == Closed:
		return Account{}, ErrAccountClosed
	case to == Closed && (a.Balance != 0 || a.Held != 0):
		return Account{}, ErrAccountNotEmpty
	case to != Active && to != Blocked && to != Closed:
		return Account{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("status"))
	}
	_, err = tx.Exec(ctx, "UPDATE accounts SET status = ?, status_at = ? WHERE id = ?", string(to), db.Micros(now), id)
	return a, err
}

// SetOverdraft sets an account's approved overdraft limit; it may not drop below what is already used.
func SetOverdraft(ctx context.Context, tx *db.Tx, id string, limit int64) error {
	_, err := setOverdraft(ctx, tx, id, limit)
	return err
}

// setOverdraft is SetOverdraft returning the account as it was before.
func setOverdraft(ctx context.Context, tx *db.Tx, id string, limit int64) (Account, error) {
	a, err := lock(ctx, tx, "id = ?", id)
	if err != nil {
		return Account{}, err
	}
	if limit < 0 || a.Balance-a.Held+limit < 0 {
		return Account{}, ErrOverdraftExceeded
	}
	_, err = tx.Exec(ctx, "UPDATE accounts SET overdraft_limit = ? WHERE id = ?", limit, id)
	return a, err
}
