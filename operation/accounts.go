package operation

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/text"
)

// Reversal is a journal entry to reverse by posting its mirror, and why.
type Reversal struct {
	EntryID string `json:"entry_id"`
	Reason  string `json:"reason"`
}

// Reverse asks for entry r.EntryID to be reversed (staff.EntryReverse; always four-eyes). The entry must exist
// and not be reversed yet, and the reason is required.
func (s *Service) Reverse(ctx context.Context, by staff.Member, r Reversal) (Outcome, error) {
	if err := by.Require(staff.EntryReverse); err != nil {
		return Outcome{}, err
	}
	r.EntryID = strings.TrimSpace(r.EntryID)
	reason, err := checkReason(r.Reason)
	if err != nil {
		return Outcome{}, err
	}
	r.Reason = reason
	if err := s.Ledger.Reversible(ctx, r.EntryID); err != nil {
		return Outcome{}, err
	}
	return s.do(ctx, by, KindReversal, r, held{})
}

func (s *Service) runReversal(ctx context.Context, payload []byte) (string, error) {
	r, err := decode[Reversal](payload)
	if err != nil {
		return "", err
	}
	return s.Ledger.Reverse(ctx, r.EntryID, r.Reason)
}

// checkReason is a reason a checker will read: 3 to 200 characters of free text.
func checkReason(s string) (string, error) {
	s = text.Clean(s)
	if utf8.RuneCountInString(s) < 3 || !text.Valid(s, 200) {
		return "", ErrReasonRequired
	}
	return s, nil
}

// Overdraft is an account's new approved overdraft limit, in the account's currency.
type Overdraft struct {
	AccountID string         `json:"account_id"`
	IBAN      string         `json:"iban"`
	Currency  money.Currency `json:"currency"`
	Limit     string         `json:"limit"`  // decimal, e.g. "5000.00"
	Before    string         `json:"before"` // the limit when it was asked for
}

// SetOverdraft asks for account accountID's overdraft limit to become limit, a decimal in the account's currency
// (staff.OverdraftSet; always four-eyes).
func (s *Service) SetOverdraft(ctx context.Context, by staff.Member, accountID, limit string) (Outcome, error) {
	if err := by.Require(staff.OverdraftSet); err != nil {
		return Outcome{}, err
	}
	a, err := s.account(ctx, accountID)
	if err != nil {
		return Outcome{}, err
	}
	amt, err := money.ParseDecimal(strings.TrimSpace(limit), a.Currency)
	if err != nil {
		return Outcome{}, err
	}
	if amt.Minor < 0 {
		return Outcome{}, ledger.ErrOverdraftExceeded
	}
	o := Overdraft{AccountID: a.ID, IBAN: a.IBAN, Currency: a.Currency, Limit: amt.Decimal(),
		Before: money.New(a.OverdraftLimit, a.Currency).Decimal()}
	return s.do(ctx, by, KindOverdraft, o, held{a.CustomerID, a.ID})
}

func (s *Service) runOverdraft(ctx context.Context, payload []byte) (string, error) {
	o, err := decode[Overdraft](payload)
	if err != nil {
		return "", err
	}
	amt, err := money.ParseDecimal(o.Limit, o.Currency)
	if err != nil {
		return "", err
	}
	return o.AccountID, s.Ledger.ChangeOverdraft(ctx, o.AccountID, amt.Minor)
}

// Cash is a branch cash deposit or withdrawal on a customer's account, in the account's currency.
type Cash struct {
	AccountID string         `json:"account_id"`
	IBAN      string         `json:"iban"`
	Currency  money.Currency `json:"currency"`
	Amount    string         `json:"amount"` // decimal, e.g. "1500.00"
	Reason    string         `json:"reason"`
}

// cash reads a cash operation on account accountID of amount (a positive decimal in its currency).
func (s *Service) cash(ctx context.Context, accountID, amount, reason string) (Cash, error) {
	a, err := s.account(ctx, accountID)
	if err != nil {
		return Cash{}, err
	}
	amt, err := money.ParsePositive(strings.TrimSpace(amount), a.Currency)
	if err != nil {
		return Cash{}, err
	}
	return Cash{AccountID: a.ID, IBAN: a.IBAN, Currency: a.Currency, Amount: amt.Decimal(),
		Reason: text.Clean(reason)}, nil
}

// Deposit posts a branch cash deposit (staff.CashBranch), at once; it returns the entry's id.
func (s *Service) Deposit(ctx context.Context, by staff.Member, accountID, amount, reason string) (string, error) {
	if err := by.Require(staff.CashBranch); err != nil {
		return "", err
	}
	c, err := s.cash(ctx, accountID, amount, reason)
	if err != nil {
		return "", err
	}
	amt, _ := money.ParsePositive(c.Amount, c.Currency)
	return s.Ledger.CashDeposit(acting(ctx, by), c.AccountID, amt, c.Reason)
}

// Withdraw asks for a branch cash withdrawal (staff.CashBranch): paid at once up to the currency's threshold
// (Config.CashApproval), held for a second member above it, when a reason is required. Ref is the entry's id.
func (s *Service) Withdraw(ctx context.Context, by staff.Member, accountID, amount, reason string) (Outcome, error) {
	if err := by.Require(staff.CashBranch); err != nil {
		return Outcome{}, err
	}
	c, err := s.cash(ctx, accountID, amount, reason)
	if err != nil {
		return Outcome{}, err
	}
	amt, _ := money.ParsePositive(c.Amount, c.Currency)
	if s.cashAboveLimit(amt) {
		if c.Reason, err = checkReason(c.Reason); err != nil {
			return Outcome{}, err
		}
	}
	return s.do(ctx, by, KindCashWithdrawal, c, held{})
}

func (s *Service) cashAboveLimit(amt money.Amount) bool {
	limit, ok := s.Config.CashApproval[amt.Currency]
	return !ok || amt.Minor > limit
}

func (s *Service) cashNeedsApproval(_ context.Context, payload []byte) (bool, error) {
	c, err := decode[Cash](payload)
	if err != nil {
		return true, err
	}
	amt, err := money.ParsePositive(c.Amount, c.Currency)
	return s.cashAboveLimit(amt), err
}

func (s *Service) runCashWithdrawal(ctx context.Context, payload []byte) (string, error) {
	c, err := decode[Cash](payload)
	if err != nil {
		return "", err
	}
	amt, err := money.ParsePositive(c.Amount, c.Currency)
	if err != nil {
		return "", err
	}
	return s.Ledger.CashWithdrawal(ctx, c.AccountID, amt, c.Reason)
}

// account is a customer's account by id: the bank's own (GL) accounts are not staff's to operate on here.
func (s *Service) account(ctx context.Context, id string) (ledger.Account, error) {
	id = strings.TrimSpace(id)
	if !text.Storable(id) || id == "" {
		return ledger.Account{}, ledger.ErrAccountNotFound
	}
	a, err := s.Ledger.Get(ctx, id)
	if err != nil {
		return ledger.Account{}, err
	}
	if a.IsGL() {
		return ledger.Account{}, ledger.ErrAccountNotFound
	}
	return a, nil
}

// OpenAccount opens an account for customer customerID (staff.AccountManage).
func (s *Service) OpenAccount(ctx context.Context, by staff.Member, customerID string, cur money.Currency, typ, name string) (ledger.Account, error) {
	if err := by.Require(staff.AccountManage); err != nil {
		return ledger.Account{}, err
	}
	if typ == "" {
		typ = ledger.TypeCurrent
	}
	return s.Customers.OpenAccount(acting(ctx, by), customerID, cur, typ, name)
}

// ChangeAccountStatus blocks, unblocks or closes account accountID (staff.AccountManage).
func (s *Service) ChangeAccountStatus(ctx context.Context, by staff.Member, accountID string, to ledger.Status) error {
	if err := by.Require(staff.AccountManage); err != nil {
		return err
	}
	a, err := s.account(ctx, accountID)
	if err != nil {
		return err
	}
	return s.Ledger.ChangeStatus(acting(ctx, by), a.ID, to)
}

// CreateIndividual opens an individual customer after the branch's checks (staff.CustomerCreate).
func (s *Service) CreateIndividual(ctx context.Context, by staff.Member, n customer.NewIndividual) (customer.Customer, error) {
	if err := by.Require(staff.CustomerCreate); err != nil {
		return customer.Customer{}, err
	}
	return s.Customers.CreateIndividual(acting(ctx, by), n)
}

// CreateBusiness opens a business customer with its representatives (staff.CustomerCreate).
func (s *Service) CreateBusiness(ctx context.Context, by staff.Member, n customer.NewBusiness) (customer.Customer, error) {
	if err := by.Require(staff.CustomerCreate); err != nil {
		return customer.Customer{}, err
	}
	return s.Customers.CreateBusiness(acting(ctx, by), n)
}
