package statement

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/i18n"
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
	Texts     *i18n.Catalogue
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
	l := i18n.Lang(lang)
	st := Statement{Lang: lang, Texts: s.Texts, BankName: s.Bank.Name, BankBIC: s.Bank.BIC, HolderName: c.Name(),
		HolderAddress: c.Address, ClientNumber: c.ClientNumber, IBAN: a.IBAN, AccountNumber: a.Number,
		Currency: string(a.Currency), AccountType: ledger.TypeName(s.Texts, l, a.Type), From: first, To: last, Opening: p.Opening, Closing: p.Closing,
		TotalCredits: p.TotalCredits, TotalDebits: p.TotalDebits, GeneratedAt: s.Clock.Now()}
	st.Lines = make([]Line, 0, len(p.Lines))
	for _, ln := range p.Lines {
		st.Lines = append(st.Lines, Line{PostedAt: ln.PostedAt, Description: ln.Describe(s.Texts, l),
			Counterparty: ln.Counterparty, Reference: ln.EntryID, Amount: ln.Amount, BalanceAfter: ln.BalanceAfter})
	}
	return st, nil
}

// FileName is the statement's file name in lang, in plain ASCII so that it is safe in a Content-Disposition
// header and on any file system: "pasqyre-llogarie-<account number>-2026-11-01-2026-11-30.pdf",
// "account-statement-…" in English. The account number is the bank's own digits.
func FileName(a ledger.Account, first, last time.Time, lang Lang) string {
	prefix := "pasqyre-llogarie"
	if lang == English {
		prefix = "account-statement"
	}
	return fmt.Sprintf("%s-%s-%s-%s.pdf", prefix, asciiName(a.Number), first.Format(time.DateOnly),
		last.Format(time.DateOnly))
}

// ReceiptFileName is a transfer receipt's file name in lang, in plain ASCII: "mandat-transferte-<id>.pdf",
// "transfer-receipt-<id>.pdf" in English.
func ReceiptFileName(transferID string, lang Lang) string {
	prefix := "mandat-transferte"
	if lang == English {
		prefix = "transfer-receipt"
	}
	return prefix + "-" + asciiName(transferID) + ".pdf"
}

// asciiName keeps letters, digits and hyphens of s, so no character of it can break out of a header.
func asciiName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' {
			b = append(b, c)
		}
	}
	return string(b)
}
