package statement

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
)

// MaxDays bounds a statement's period (F5): a longer one must be asked for in parts.
const MaxDays = 366

// ParsePeriod reads a statement's first and last day (YYYY-MM-DD, both required, both included) as business days
// and checks the period: the last day not before the first, at most MaxDays apart. The API and the web app share
// it, so a period one accepts the other accepts too.
func ParsePeriod(from, to string) (first, last time.Time, err error) {
	if first, err = ledger.BusinessDay(from, "from"); err != nil {
		return first, last, err
	}
	if last, err = ledger.BusinessDay(to, "to"); err != nil {
		return first, last, err
	}
	if last.Before(first) {
		return first, last, ledger.ErrInvalidDateRange
	}
	if last.Sub(first) > MaxDays*24*time.Hour {
		return first, last, ledger.ErrDateRangeTooLong
	}
	return first, last, nil
}

// Source is where an account statement's contents come from.
type Source struct {
	Ledger    *ledger.Store
	Customers *customer.Service
	Bank      customer.Bank
	Clock     clock.Clock
}

// ForAccount assembles the statement of a customer account for the days first…last (as ParsePeriod returns them):
// the holder's details, the opening and closing balances and every posting of the period. The caller has checked
// that the customer may see the account.
func (s Source) ForAccount(ctx context.Context, a ledger.Account, first, last time.Time, lang Lang) (Statement, error) {
	p, err := s.Ledger.Statement(ctx, a.ID, first, last.AddDate(0, 0, 1))
	if err != nil {
		return Statement{}, err
	}
	c, err := s.Customers.Get(ctx, a.CustomerID)
	if err != nil {
		return Statement{}, err
	}
	st := Statement{Lang: lang, BankName: s.Bank.Name, BankBIC: s.Bank.BIC, HolderName: c.Name(),
		HolderAddress: c.Address, ClientNumber: c.ClientNumber, IBAN: a.IBAN, AccountNumber: a.Number,
		Currency: string(a.Currency), AccountType: a.Type, From: first, To: last, Opening: p.Opening, Closing: p.Closing,
		TotalCredits: p.TotalCredits, TotalDebits: p.TotalDebits, GeneratedAt: s.Clock.Now()}
	st.Lines = make([]Line, 0, len(p.Lines))
	for _, l := range p.Lines {
		st.Lines = append(st.Lines, Line{PostedAt: l.PostedAt, Description: l.Description,
			Counterparty: l.Counterparty, Reference: l.EntryID, Amount: l.Amount, BalanceAfter: l.BalanceAfter})
	}
	return st, nil
}

// FileName is the statement's file name: "pasqyra-<account number>-<first>-<last>.pdf".
func FileName(a ledger.Account, first, last time.Time) string {
	return fmt.Sprintf("pasqyra-%s-%s-%s.pdf", a.Number, first.Format("20060102"), last.Format("20060102"))
}
