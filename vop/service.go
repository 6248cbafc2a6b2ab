package vop

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// Responder answers name checks about IBANs of other banks: the scheme routes the request to the payee's bank
// (bic, when the directory knows it) and that bank answers. An error, or no answer within the Service's Timeout,
// is "verification not possible" to the payer, never an error.
type Responder interface {
	Verify(ctx context.Context, bic string, ib iban.IBAN, name string) (Outcome, error)
}

// Directory finds the bank that holds an IBAN of another bank, as the scheme's directory does: its BIC. An error
// (a bank it does not know, or one that takes no requests) makes the check not possible.
type Directory interface {
	BICOf(ctx context.Context, ib iban.IBAN) (string, error)
}

// Allowance is a token bucket: Burst checks at once, then one more every Every.
type Allowance struct {
	Burst int
	Every time.Duration
}

// The default allowances. A customer checks before each payment, a handful a day, and a check tells whether a
// name is an account's, so it must not serve to walk names: the payee check's figures (transfer.PayeeCheckBurst,
// PayeeCheckEvery). Another bank asks on behalf of all of its customers: more at once, and twenty a second, per
// bank (all branches of one BIC share it).
var (
	DefaultCustomerAllowance = Allowance{Burst: 20, Every: 6 * time.Second}
	DefaultBankAllowance     = Allowance{Burst: 600, Every: 50 * time.Millisecond}
)

// DefaultTimeout is how long a check waits for another bank by default. The rulebook allows a responder 5 seconds
// and asks for one; a payer waiting on a payment's review page is told sooner that no check was possible.
const DefaultTimeout = 2 * time.Second

// MaxName is the longest name a check takes, in characters: the scheme's names are ISO 20022 Max140Text.
const MaxName = 140

// Service checks payees' names: a customer's check before paying (Check) and another bank's question about one of
// this bank's IBANs (Answer).
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// Own is this bank: an Albanian IBAN with its bank code is answered from its own accounts.
	Own customer.Bank
	// Accounts and Customers find the holder of one of this bank's IBANs: the customer account with that IBAN and
	// its holder's name (customer.Service.Names, the name the bank shows for a customer everywhere) and kind.
	Accounts  *ledger.Store
	Customers *customer.Service
	// Directory finds another bank's BIC for its IBANs; nil routes by IBAN alone (the Responder finds the bank).
	Directory Directory
	// Other answers for other banks' IBANs (the sandbox by default); nil: every such check is not possible.
	Other Responder
	// Timeout is how long to wait for another bank before answering NotPossible; zero is DefaultTimeout.
	Timeout time.Duration
	// CustomerAllowance and BankAllowance bound Check per customer and Answer per requesting bank; the zero value
	// is DefaultCustomerAllowance or DefaultBankAllowance.
	CustomerAllowance, BankAllowance Allowance
}

// Check is a customer's name check before paying ib: whether name is the name on the account. A check counts
// against the customer's allowance (CustomerAllowance) on every instance of the bank, past which it is refused
// with rate_limited and the parameter retry_after (seconds). An IBAN that does not parse, or a name that is empty,
// longer than MaxName or holds characters free text may not, is validation_failed with the fields' codes
// (iban: field_required, iban_invalid; name: field_required, description_too_long, description_invalid_characters)
// and spends nothing.
//
// An IBAN of this bank is answered from its accounts (in-bank transfers use the same check); another bank's is
// asked of Other, through the Directory, and waited for at most Timeout. Whatever goes wrong at the other bank, or
// on the way to it, the customer is told NotPossible and may pay all the same; an error is returned only for what
// is wrong with the request or with this bank (its database).
func (s *Service) Check(ctx context.Context, customerID string, ib iban.IBAN, name string) (Outcome, error) {
	ib, name, fields := validate(ib, name)
	if len(fields) > 0 {
		return Outcome{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if err := s.spend(ctx, "customer:"+customerID, s.CustomerAllowance, DefaultCustomerAllowance); err != nil {
		return Outcome{}, err
	}
	if s.ours(ib) {
		return s.own(ctx, ib, name)
	}
	return s.other(ctx, ib, name), nil
}

// Answer is another bank's question about one of this bank's IBANs, as the scheme's responding bank. The bank
// asking (requesterBIC) has an allowance (BankAllowance) shared by its branches and by every instance of this
// bank, past which it is refused with rate_limited. An IBAN of another bank, an account this bank does not hold
// and a closed account are NotPossible. The account's name is given on a CloseMatch only, as the scheme allows;
// never on a Match or NoMatch. A BIC, IBAN or name that does not parse is validation_failed (bic: field_required,
// bic_invalid; the others as Check).
func (s *Service) Answer(ctx context.Context, requesterBIC string, ib iban.IBAN, name string) (Outcome, error) {
	ib, name, fields := validate(ib, name)
	bic, err := iban.ParseBIC(requesterBIC)
	switch {
	case requesterBIC == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("bic"))
	case err != nil:
		fields = append(fields, iban.ErrBICInvalid.At("bic"))
	}
	if len(fields) > 0 {
		return Outcome{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if err := s.spend(ctx, "bank:"+string(bic[:8]), s.BankAllowance, DefaultBankAllowance); err != nil {
		return Outcome{}, err
	}
	if !s.ours(ib) {
		return s.outcome(NotPossible, ""), nil
	}
	return s.own(ctx, ib, name)
}

// validate reads a check's IBAN and name as the payer typed them.
func validate(ib iban.IBAN, name string) (iban.IBAN, string, []kumbara.FieldError) {
	var fields []kumbara.FieldError
	parsed, err := iban.Parse(string(ib))
	switch {
	case ib == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("iban"))
	case err != nil:
		fields = append(fields, iban.ErrIBANInvalid.At("iban"))
	}
	name = text.Clean(name)
	switch {
	case name == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("name"))
	case len([]rune(name)) > MaxName:
		fields = append(fields, text.ErrTooLong.At("name"))
	case !text.Valid(name, MaxName):
		fields = append(fields, text.ErrInvalidCharacters.At("name"))
	}
	return parsed, name, fields
}

// ours reports whether ib is an account of this bank: an Albanian IBAN with the bank's code.
func (s *Service) ours(ib iban.IBAN) bool {
	bankCode := s.Own.Code // the Bank of Albania's code of this bank, as its IBANs carry it
	return bankCode != "" && ib.BankCode() == bankCode
}

// own answers about one of this bank's IBANs from its accounts: an account it does not hold (or one of its own GL
// accounts) and a closed account are NotPossible, as the rulebook's questions and answers advise for a closed one;
// a blocked account is still its holder's, and is compared.
func (s *Service) own(ctx context.Context, ib iban.IBAN, name string) (Outcome, error) {
	a, err := s.Accounts.ByIBAN(ctx, ib.String())
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		return s.outcome(NotPossible, ""), nil
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("name check: %w", err)
	}
	if a.Status == ledger.Closed {
		return s.outcome(NotPossible, ""), nil
	}
	names, err := s.Customers.Names(ctx, a.CustomerID)
	if err != nil {
		return Outcome{}, fmt.Errorf("name check: %w", err)
	}
	holder, ok := names[a.CustomerID]
	if !ok {
		return s.outcome(NotPossible, ""), nil
	}
	business, err := s.Customers.IsBusiness(ctx, a.CustomerID)
	if err != nil {
		return Outcome{}, fmt.Errorf("name check: %w", err)
	}
	return s.outcome(Compare(holder, name, business)), nil
}

// other asks another bank, through the directory, and waits at most Timeout for its answer: a responder that does
// not heed its context is left to finish on its own.
func (s *Service) other(ctx context.Context, ib iban.IBAN, name string) Outcome {
	if s.Other == nil {
		return s.outcome(NotPossible, "")
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	bic := ""
	if s.Directory != nil {
		var err error
		if bic, err = s.Directory.BICOf(ctx, ib); err != nil {
			return s.outcome(NotPossible, "")
		}
	}
	type answer struct {
		o   Outcome
		err error
	}
	done := make(chan answer, 1) // buffered: a late answer is dropped, never blocks
	go func() {
		o, err := s.Other.Verify(ctx, bic, ib, name)
		done <- answer{o, err}
	}()
	select {
	case <-ctx.Done():
		return s.outcome(NotPossible, "")
	case a := <-done:
		if a.err != nil {
			return s.outcome(NotPossible, "")
		}
		return s.outcome(a.o.Result, a.o.Name)
	}
}

// outcome is the Outcome told to the payer now: one of the four results (anything else a responder says is
// NotPossible) and the name for a CloseMatch only, as free text is kept, at most MaxName characters.
func (s *Service) outcome(r Result, name string) Outcome {
	switch r {
	case Match, NoMatch, NotPossible:
		name = ""
	case CloseMatch:
		name = text.Sanitize(name, MaxName)
	default:
		r, name = NotPossible, ""
	}
	return Outcome{Result: r, Name: name, CheckedAt: s.Clock.Now()}
}
