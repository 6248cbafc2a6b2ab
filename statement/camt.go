package statement

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The bank transaction codes (Domain/Family/SubFamily) of a statement's entries: cash at a branch by its own codes,
// any other credit or debit as a received or issued transfer.
const (
	btcCashDeposit    = "PMNT/CNTR/CDPT"
	btcCashWithdrawal = "PMNT/CNTR/CWDL"
	btcReceived       = "PMNT/RCDT/OTHR"
	btcIssued         = "PMNT/ICDT/OTHR"
)

// CAMT053 is the statement of a customer account for the days first…last (as ParsePeriod returns them) as an ISO
// 20022 camt.053.001.08 document, the same period and postings as the PDF (ForAccount): the opening (OPBD) and
// closing (CLBD) booked balances, and every posting of the period as a booked entry with its booking and value
// dates, its counterparty as the holder may see it (another customer's name masked as on the PDF) and the
// description in lang. The caller has checked that the customer may see the account.
func (s Source) CAMT053(ctx context.Context, a ledger.Account, first, last time.Time, lang Lang) ([]byte, error) {
	r, err := s.camtReport(ctx, a, first, last, lang)
	if err != nil {
		return nil, err
	}
	m := iso20022.Statement{
		MessageID: r.messageID, CreatedAt: r.createdAt, StatementID: r.id,
		Account: r.account, Currency: a.Currency, Owner: r.owner, Servicer: r.servicer, From: r.from, To: r.to,
		Opening:     money.New(r.period.Opening, a.Currency),
		Closing:     money.New(r.period.Closing, a.Currency),
		OpeningDate: calendar.DateOf(first),
		ClosingDate: calendar.DateOf(last),
		Entries:     r.entries,
	}
	return m.Marshal()
}

// CAMT054 is the debit and credit notifications of a customer account for the days first…last (as ParsePeriod
// returns them) as one ISO 20022 camt.054.001.08 document: every posting of the period as a booked entry, as on
// the camt.053 (CAMT053) of the same period, but without balances, since a notification carries none. A period
// without postings is a notification without entries, which the schema allows. The caller has checked that the
// customer may see the account.
func (s Source) CAMT054(ctx context.Context, a ledger.Account, first, last time.Time, lang Lang) ([]byte, error) {
	r, err := s.camtReport(ctx, a, first, last, lang)
	if err != nil {
		return nil, err
	}
	m := iso20022.Notification{
		MessageID: r.messageID, CreatedAt: r.createdAt, NotificationID: r.id,
		Account: r.account, Currency: a.Currency, Owner: r.owner, Servicer: r.servicer, From: r.from, To: r.to,
		Entries: r.entries,
	}
	return m.Marshal()
}

// camtReport is what a camt.053 statement and a camt.054 notification of an account's period share: the same
// header, account, owner, period and entries, so the two documents of one period never disagree.
type camtReport struct {
	messageID, id string
	createdAt     time.Time
	account       iso20022.Account
	owner         iso20022.Party
	servicer      iso20022.Agent
	from, to      time.Time
	period        ledger.Period
	entries       []iso20022.Entry
}

// camtReport reads the account's postings of first…last and its holder's name, and makes every posting an entry.
func (s Source) camtReport(ctx context.Context, a ledger.Account, first, last time.Time, lang Lang) (camtReport, error) {
	norm, ok := lang.normalize()
	if !ok {
		return camtReport{}, ErrUnsupportedLanguage
	}
	p, err := s.Ledger.Statement(ctx, a.ID, first, last.AddDate(0, 0, 1))
	if err != nil {
		return camtReport{}, err
	}
	c, err := s.Customers.Get(ctx, a.CustomerID)
	if err != nil {
		return camtReport{}, err
	}
	r := camtReport{
		messageID: strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", ""),
		createdAt: s.Clock.Now(),
		id:        statementID(a, first, last),
		account:   iso20022.Account{IBAN: a.IBAN},
		owner:     iso20022.Party{Name: fit(c.Name(), 140)},
		servicer:  servicer(s.Bank.BIC, s.Bank.Name),
		from:      first,
		to:        last.AddDate(0, 0, 1).Add(-time.Microsecond),
		period:    p,
		entries:   make([]iso20022.Entry, 0, len(p.Lines)),
	}
	for _, ln := range p.Lines {
		r.entries = append(r.entries, s.entry(ln, i18n.Lang(norm)))
	}
	return r, nil
}

// entry is one posting as a booked entry of the statement or the notification.
func (s Source) entry(ln ledger.Line, lang i18n.Lang) iso20022.Entry {
	amount := ln.Amount
	if amount < 0 {
		amount = -amount
	}
	e := iso20022.Entry{
		Reference:   strings.ReplaceAll(ln.EntryID, "-", ""),
		Amount:      money.New(amount, ln.Currency),
		Credit:      ln.Amount > 0,
		Status:      "BOOK",
		BookingDate: calendar.DateOf(ln.PostedAt),
		BankTxCode:  bankTxCode(ln),
		Counterparty: iso20022.Party{
			Name: fit(ln.Counterparty, 140),
		},
		AdditionalInfo: fit(ln.Describe(s.Texts, lang), 500),
	}
	if len(e.Reference) > 35 {
		e.Reference = e.Reference[:35]
	}
	if !ln.ValueDate.IsZero() {
		e.ValueDate = calendar.DateOf(ln.ValueDate)
	}
	if ib, err := iban.Parse(ln.CounterpartyIBAN); err == nil && ln.CounterpartyIBAN != "" {
		e.CounterpartyAccount = iso20022.Account{IBAN: ib.String()}
	}
	// What a person typed is the remittance information; a text the bank wrote is only the entry's description.
	if ln.Text.Key == "" {
		e.Remittance = fit(ln.Description, 140)
	}
	return e
}

// bankTxCode classifies a posting: the branch's cash by the bank's own texts, anything else by its direction.
func bankTxCode(ln ledger.Line) string {
	switch ln.Text.Key {
	case ledger.TextCashDeposit:
		return btcCashDeposit
	case ledger.TextCashWithdrawal:
		return btcCashWithdrawal
	}
	if ln.Amount > 0 {
		return btcReceived
	}
	return btcIssued
}

// servicer is the bank as the statement names it: by its BIC, or by name when it has no valid one.
func servicer(bic, name string) iso20022.Agent {
	if b, err := iban.ParseBIC(bic); err == nil && bic != "" {
		return iso20022.Agent{BIC: b.String()}
	}
	return iso20022.Agent{Name: fit(name, 140)}
}

// statementID names the statement (or the notification) by its account and period, so asking for the same period
// again gives the same identification (at most 35 characters, as the message allows).
func statementID(a ledger.Account, first, last time.Time) string {
	id := first.Format("20060102") + "-" + last.Format("20060102") + "-" + asciiName(a.Number)
	if len(id) > 35 {
		id = id[:35]
	}
	return id
}

// fit keeps s to at most max characters that XML can carry, so a long or odd text never makes the document
// invalid: a name or description is cut, never refused.
func fit(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !(r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:max]))
}

// CAMT053FileName is the camt.053 statement's file name, in plain ASCII: "camt053-<account number>-<from>-<to>.xml".
func CAMT053FileName(a ledger.Account, first, last time.Time) string {
	return "camt053-" + asciiName(a.Number) + "-" + first.Format(time.DateOnly) + "-" + last.Format(time.DateOnly) + ".xml"
}

// CAMT054FileName is the camt.054 notification's file name, in plain ASCII: "camt054-<account number>-<from>-<to>.xml".
func CAMT054FileName(a ledger.Account, first, last time.Time) string {
	return "camt054-" + asciiName(a.Number) + "-" + first.Format(time.DateOnly) + "-" + last.Format(time.DateOnly) + ".xml"
}
