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
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
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

type scanner interface{ Scan(...any) error }

func scanAccount(s scanner) (Account, error) {
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
		return Account{}, kumbara.Invalid("unknown_currency", kumbara.FieldError{Field: "currency", Code: "unknown_currency"})
	}
	if n.OverdraftLimit < 0 {
		return Account{}, kumbara.Invalid("validation_failed", kumbara.FieldError{Field: "overdraft_limit", Code: "invalid_amount"})
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

// ErrAccountNotFound is returned for an unknown account and for another customer's account alike.
func errAccountNotFound() error {
	return &kumbara.Error{Kind: kumbara.KindNotFound, Code: "account_not_found"}
}

// Store reads accounts. Reads use the read pool and need no transaction.
type Store struct {
	DB *db.DB
}

// Get returns an account by id.
func (s *Store) Get(ctx context.Context, id string) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errAccountNotFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	return a, nil
}

// GetOwned returns the account only if customerID owns it; anything else is account_not_found, so a customer
// cannot tell another customer's account from a missing one.
func (s *Store) GetOwned(ctx context.Context, customerID, id string) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx,
		"SELECT "+accountColumns+" FROM accounts WHERE id = ? AND customer_id = ?", id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errAccountNotFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	return a, nil
}

// ByIBAN returns a customer account by IBAN.
func (s *Store) ByIBAN(ctx context.Context, iban string) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx,
		"SELECT "+accountColumns+" FROM accounts WHERE iban = ? AND customer_id IS NOT NULL", iban))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errAccountNotFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("account by iban: %w", err)
	}
	return a, nil
}

// ByNumber returns a customer account by its account number.
func (s *Store) ByNumber(ctx context.Context, number string) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx,
		"SELECT "+accountColumns+" FROM accounts WHERE number = ? AND customer_id IS NOT NULL", number))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errAccountNotFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("account by number: %w", err)
	}
	return a, nil
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
	rows, err := s.DB.Query(ctx, "SELECT "+accountColumns+" FROM accounts WHERE customer_id IS NOT NULL AND ("+
		strings.Join(cond, " OR ")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("resolve accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("resolve accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// GL returns the bank's GL account with the code, e.g. "vault:ALL".
func (s *Store) GL(ctx context.Context, code string) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE gl_code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errAccountNotFound()
	}
	if err != nil {
		return Account{}, fmt.Errorf("gl account %s: %w", code, err)
	}
	return a, nil
}

// ListByCustomer returns a customer's accounts, oldest first.
func (s *Store) ListByCustomer(ctx context.Context, customerID string) ([]Account, error) {
	rows, err := s.DB.Query(ctx,
		"SELECT "+accountColumns+" FROM accounts WHERE customer_id = ? ORDER BY opened_at, id", customerID)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ListGL returns the bank's GL accounts.
func (s *Store) ListGL(ctx context.Context) ([]Account, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+accountColumns+" FROM accounts WHERE customer_id IS NULL ORDER BY gl_code")
	if err != nil {
		return nil, fmt.Errorf("list gl accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Rename sets a customer account's display name and logo (F6).
func (s *Store) Rename(ctx context.Context, customerID, id, name, logo string) error {
	res, err := s.DB.Exec(ctx, "UPDATE accounts SET name = ?, logo = ? WHERE id = ? AND customer_id = ?",
		name, logo, id, customerID)
	if err != nil {
		return fmt.Errorf("rename account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errAccountNotFound()
	}
	return nil
}

// SetStatus blocks, reactivates or closes an account. A closed account stays closed, and only an account with
// zero balance and no holds may close.
func SetStatus(ctx context.Context, tx *db.Tx, now time.Time, id string, to Status) error {
	a, err := scanAccount(tx.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE id = ?"+tx.DB().ForUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return errAccountNotFound()
	}
	if err != nil {
		return fmt.Errorf("set status: %w", err)
	}
	switch {
	case a.Status == Closed:
		return &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "account_closed"}
	case to == Closed && (a.Balance != 0 || a.Held != 0):
		return &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "account_not_empty"}
	case to != Active && to != Blocked && to != Closed:
		return kumbara.Invalid("validation_failed", kumbara.FieldError{Field: "status", Code: "invalid"})
	}
	_, err = tx.Exec(ctx, "UPDATE accounts SET status = ?, status_at = ? WHERE id = ?", string(to), db.Micros(now), id)
	return err
}

// SetOverdraft sets an account's approved overdraft limit; it may not drop below what is already used.
func SetOverdraft(ctx context.Context, tx *db.Tx, id string, limit int64) error {
	a, err := scanAccount(tx.QueryRow(ctx, "SELECT "+accountColumns+" FROM accounts WHERE id = ?"+tx.DB().ForUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return errAccountNotFound()
	}
	if err != nil {
		return err
	}
	if limit < 0 || a.Balance-a.Held+limit < 0 {
		return &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "overdraft_exceeded"}
	}
	_, err = tx.Exec(ctx, "UPDATE accounts SET overdraft_limit = ? WHERE id = ?", limit, id)
	return err
}
