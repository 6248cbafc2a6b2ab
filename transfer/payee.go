package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Payee is what the payee check shows before an internal transfer: the holder's name masked, and the accounts
// that can receive money.
type Payee struct {
	MaskedName string
	Accounts   []PayeeAccount
	// Own: the payee is the customer who asked. An in-bank transfer cannot pay them (that is an own transfer,
	// type_invalid); a face that offers in-bank transfers says so at the check.
	Own bool
}

// PayeeAccount is a beneficiary account offered by the payee check.
type PayeeAccount struct {
	IBAN     string
	Currency money.Currency
}

// Ways to look a payee up (T3).
const (
	ByClientNumber = "client_number"
	ByNationalID   = "national_id"
	ByIBAN         = "iban"
	ByAccount      = "account_number"
)

// The payee check's allowance per customer: PayeeCheckBurst checks at once, then one every PayeeCheckEvery (a
// token bucket). The check answers whether someone banks here, so it must not serve to walk the bank's client
// numbers; a customer who pays people does a handful a day.
const (
	PayeeCheckBurst = 20
	PayeeCheckEvery = 6 * time.Second
)

// FindPayee looks up a beneficiary in the bank by client number, national ID, IBAN or account number, for the
// customer customerID. Unknown and closed look the same: payee_not_found. Every check counts against the customer's
// allowance (PayeeCheckBurst, PayeeCheckEvery), refused ones too, across every instance of the bank: past it the
// answer is rate_limited with the parameter retry_after (seconds).
func (s *Service) FindPayee(ctx context.Context, customerID, by, value string) (Payee, error) {
	if err := s.countPayeeCheck(ctx, customerID); err != nil {
		return Payee{}, err
	}
	c, only, err := s.payeeOf(ctx, by, value)
	if err != nil {
		return Payee{}, err
	}
	accounts, err := s.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil {
		return Payee{}, err
	}
	p := Payee{MaskedName: maskName(c), Own: c.ID == customerID}
	for _, a := range accounts {
		if a.Status != ledger.Active || (only != "" && a.ID != only) {
			continue
		}
		p.Accounts = append(p.Accounts, PayeeAccount{IBAN: a.IBAN, Currency: a.Currency})
	}
	if len(p.Accounts) == 0 {
		return Payee{}, ErrPayeeNotFound
	}
	return p, nil
}

// payeeOf finds the customer a payee check names and, when it names one account (by IBAN or number), that
// account's id in only.
func (s *Service) payeeOf(ctx context.Context, by, value string) (c customer.Customer, only string, err error) {
	switch by {
	case ByClientNumber:
		c, err = s.Customers.ByClientNumber(ctx, strings.TrimSpace(value))
	case ByNationalID:
		c, err = s.Customers.ByNationalID(ctx, strings.TrimSpace(value))
	case ByIBAN, ByAccount:
		var a ledger.Account
		if a, err = s.payeeAccount(ctx, by, value); err != nil {
			return c, "", err
		}
		only = a.ID
		c, err = s.Customers.Get(ctx, a.CustomerID)
	default:
		return c, "", kumbara.ErrInvalidQuery.Field("by")
	}
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		return c, "", ErrPayeeNotFound
	}
	return c, only, err
}

// payeeAccount finds the customer account a payee check names by IBAN or by account number.
func (s *Service) payeeAccount(ctx context.Context, by, value string) (ledger.Account, error) {
	var a ledger.Account
	var err error
	if by == ByIBAN {
		ib, perr := iban.Parse(value)
		if perr != nil {
			return a, perr
		}
		a, err = s.Ledger.ByIBAN(ctx, ib.String())
	} else {
		if !text.Storable(value) {
			return a, ErrPayeeNotFound
		}
		a, err = s.Ledger.ByNumber(ctx, strings.TrimSpace(value))
	}
	if err != nil {
		// The check says only whether it found someone.
		return a, ErrPayeeNotFound
	}
	return a, nil
}

// countPayeeCheck spends one of the customer's payee checks, or refuses with rate_limited when none is left. The
// allowance is kept as one time per customer (payee_checks.full_at, when it is whole again), under the customer's
// row lock, so concurrent checks on any instance cannot together pass it.
func (s *Service) countPayeeCheck(ctx context.Context, customerID string) error {
	now := s.Ledger.Clock.Now()
	var stale bool
	err := s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		var full int64
		err := tx.QueryRow(ctx, "SELECT full_at FROM payee_checks WHERE customer_id = ?", customerID).Scan(&full)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		fullAt := db.FromMicros(full)
		stale = !fullAt.After(now)
		if stale {
			fullAt = now
		}
		if wait := fullAt.Sub(now) - (PayeeCheckBurst-1)*PayeeCheckEvery; wait > 0 {
			secs := int64((wait + time.Second - 1) / time.Second)
			return kumbara.ErrRateLimited.WithParam("retry_after", strconv.FormatInt(secs, 10))
		}
		_, err = tx.Exec(ctx, `INSERT INTO payee_checks (customer_id, full_at) VALUES (?, ?)
			ON CONFLICT (customer_id) DO UPDATE SET full_at = excluded.full_at`,
			customerID, db.Micros(fullAt.Add(PayeeCheckEvery)))
		return err
	})
	if err != nil {
		if _, ok := kumbara.As(err); ok {
			return err
		}
		return fmt.Errorf("payee check: %w", err)
	}
	if stale {
		// A customer starting afresh is a good moment to forget every allowance that is whole again: such a row
		// says no more than no row. Best effort: the next one does it if this one fails.
		_, _ = s.Ledger.DB.Exec(ctx, "DELETE FROM payee_checks WHERE full_at < ?", db.Micros(now))
	}
	return nil
}
