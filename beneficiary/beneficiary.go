// Package beneficiary is a customer's address book of beneficiaries (T1): the people and businesses they pay, each
// with an IBAN of any country (checked against the IBAN registry) or an account number with its bank's BIC, name
// and address, the beneficiary's structured address and an optional phone and nickname. A business's users keep
// the business's book. It is not the payment confirmation's list of trusted beneficiaries (package sca), which
// says whom the customer may pay without a confirmation; saving someone here trusts nobody.
//
// The package owns the table beneficiaries (migration 00033); every change is audited in its transaction.
package beneficiary

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// MaxPerCustomer is the most beneficiaries one customer keeps; MaxQuery the longest search, in characters.
const (
	MaxPerCustomer = 200
	MaxQuery       = 100
)

// Beneficiary is one saved beneficiary. IBAN (electronic form) or AccountNumber is set, never both.
type Beneficiary struct {
	ID, CustomerID           string
	Name, Nickname           string
	IBAN, AccountNumber, BIC string
	BankName, BankAddress    string
	Address                  Address
	Phone                    string // E.164, or empty
	CreatedAt, UpdatedAt     time.Time
}

// Printable is the account as people read it: the IBAN in groups of four, or the account number.
func (b Beneficiary) Printable() string {
	if b.IBAN != "" {
		return iban.IBAN(b.IBAN).Printable()
	}
	return b.AccountNumber
}

// BankCountry is the country of the beneficiary's bank: the IBAN's, else the BIC's.
func (b Beneficiary) BankCountry() string {
	if b.IBAN != "" {
		return b.IBAN[:2]
	}
	return iban.BIC(b.BIC).Country()
}

// accountKey names the beneficiary's account for the duplicate check: the IBAN, or the account number at the
// bank's 8-character BIC (a branch's BIC is the same bank).
func (b Beneficiary) accountKey() string {
	if b.IBAN != "" {
		return "iban:" + b.IBAN
	}
	bank := b.BIC
	if len(bank) > 8 {
		bank = bank[:8]
	}
	return "account:" + bank + ":" + b.AccountNumber
}

// searchText is what a search reads: the names and the account, folded as the history's search folds text.
func (b Beneficiary) searchText() string {
	return ledger.Fold(strings.Join([]string{b.Name, b.Nickname, b.IBAN, b.AccountNumber}, " "))
}

// Service keeps the customers' beneficiaries.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

const columns = `id, customer_id, name, nickname, iban, account_number, bic, bank_name, bank_address, street, city,
	postal_code, country, phone, created_at, updated_at`

func scan(r db.Scanner) (Beneficiary, error) {
	var b Beneficiary
	var created, updated int64
	err := r.Scan(&b.ID, &b.CustomerID, &b.Name, &b.Nickname, &b.IBAN, &b.AccountNumber, &b.BIC, &b.BankName,
		&b.BankAddress, &b.Address.Street, &b.Address.City, &b.Address.PostalCode, &b.Address.Country, &b.Phone,
		&created, &updated)
	b.CreatedAt, b.UpdatedAt = db.FromMicros(created), db.FromMicros(updated)
	return b, err
}

// Add saves a beneficiary for the customer: refused when the input breaks a rule (validation_failed), when the
// customer has saved the account already (beneficiary_duplicate) or holds MaxPerCustomer (beneficiary_limit).
func (s *Service) Add(ctx context.Context, customerID string, in Input) (Beneficiary, error) {
	b, err := Validate(in)
	if err != nil {
		return Beneficiary{}, err
	}
	now := s.Clock.Now()
	b.ID, b.CustomerID, b.CreatedAt, b.UpdatedAt = uuid.Must(uuid.NewV7()).String(), customerID, now, now
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Counted under the customer's lock, so concurrent adds cannot pass the limit together.
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM beneficiaries WHERE customer_id = ?", customerID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxPerCustomer {
			return ErrLimit.WithParam("max", fmt.Sprint(MaxPerCustomer))
		}
		_, err := tx.Exec(ctx, `INSERT INTO beneficiaries (`+columns+`, account_key, search_text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.CustomerID, b.Name, b.Nickname,
			b.IBAN, b.AccountNumber, b.BIC, b.BankName, b.BankAddress, b.Address.Street, b.Address.City,
			b.Address.PostalCode, b.Address.Country, b.Phone, db.Micros(now), db.Micros(now), b.accountKey(),
			b.searchText())
		if db.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		return appendEntry(ctx, tx, now, customerID, ActionAdded, b.ID)
	})
	if err != nil {
		return Beneficiary{}, wrap("add", err)
	}
	return b, nil
}

// Update replaces what the customer saved about one of their beneficiaries with in, under the rules of Add.
func (s *Service) Update(ctx context.Context, customerID, id string, in Input) (Beneficiary, error) {
	if !validID(id) {
		return Beneficiary{}, ErrNotFound
	}
	b, err := Validate(in)
	if err != nil {
		return Beneficiary{}, err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM beneficiaries WHERE id = ? AND customer_id = ?"+
			tx.DB().ForUpdate(), id, customerID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		b.ID, b.CustomerID, b.CreatedAt, b.UpdatedAt = old.ID, old.CustomerID, old.CreatedAt, now
		_, err = tx.Exec(ctx, `UPDATE beneficiaries SET name = ?, nickname = ?, iban = ?, account_number = ?, bic = ?,
			bank_name = ?, bank_address = ?, street = ?, city = ?, postal_code = ?, country = ?, phone = ?,
			account_key = ?, search_text = ?, updated_at = ? WHERE id = ?`, b.Name, b.Nickname, b.IBAN,
			b.AccountNumber, b.BIC, b.BankName, b.BankAddress, b.Address.Street, b.Address.City,
			b.Address.PostalCode, b.Address.Country, b.Phone, b.accountKey(), b.searchText(), db.Micros(now), b.ID)
		if db.IsUniqueViolation(err) {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		return appendEntry(ctx, tx, now, customerID, ActionChanged, b.ID)
	})
	if err != nil {
		return Beneficiary{}, wrap("update", err)
	}
	return b, nil
}

// Delete removes one of the customer's beneficiaries.
func (s *Service) Delete(ctx context.Context, customerID, id string) error {
	if !validID(id) {
		return ErrNotFound
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM beneficiaries WHERE id = ? AND customer_id = ?", id, customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return appendEntry(ctx, tx, s.Clock.Now(), customerID, ActionRemoved, id)
	})
	return wrap("delete", err)
}

// Get returns one of the customer's beneficiaries; another customer's is beneficiary_not_found.
func (s *Service) Get(ctx context.Context, customerID, id string) (Beneficiary, error) {
	if !validID(id) {
		return Beneficiary{}, ErrNotFound
	}
	b, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM beneficiaries WHERE id = ? AND customer_id = ?",
		id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Beneficiary{}, ErrNotFound
	}
	return b, wrap("get", err)
}

// List returns the customer's beneficiaries by name, those a search finds when query is not blank: every word of
// it must be in the name, the nickname, the IBAN or the account number, ignoring case and accents ("cela" finds
// "Çela", "al47 2121" an IBAN that starts so). A query longer than MaxQuery is invalid_query.
func (s *Service) List(ctx context.Context, customerID, query string) ([]Beneficiary, error) {
	q := text.Clean(query)
	if utf8.RuneCountInString(q) > MaxQuery {
		return nil, kumbara.ErrInvalidQuery.Field("q")
	}
	if !text.Storable(q) {
		return []Beneficiary{}, nil
	}
	where, args := []string{"customer_id = ?"}, []any{customerID}
	for _, word := range strings.Fields(ledger.Fold(q)) {
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(word)+"%")
	}
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM beneficiaries WHERE "+strings.Join(where, " AND ")+
		" ORDER BY search_text, id", args...)
	if err != nil {
		return nil, wrap("list", err)
	}
	list, err := db.Collect(rows, scan)
	if err != nil {
		return nil, wrap("list", err)
	}
	if list == nil {
		list = []Beneficiary{}
	}
	return list, nil
}

// escapeLike makes the LIKE wildcards of a search word plain characters.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// validID reports whether id can name a row: anything else (too long, not storable) finds nothing.
func validID(id string) bool { return id != "" && len(id) <= 64 && text.Storable(id) }

// wrap leaves the package's own refusals and the domain's errors alone and names the step of anything else.
func wrap(step string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := kumbara.As(err); ok {
		return err
	}
	return fmt.Errorf("beneficiary %s: %w", step, err)
}
