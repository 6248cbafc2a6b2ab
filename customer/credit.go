package customer

import (
	"context"

	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TypeCredit is a credit card's own account: its overdraft limit is the card's approved limit, and a negative
// balance is what the holder owes. Only package creditcard opens one (OpenCreditAccount); customers cannot.
const TypeCredit = ledger.TypeCredit

// creditProduct is the credit account's digit in the account number.
const creditProduct = '3'

// OpenCreditAccount opens a credit card's account for a customer with the approved limit as its overdraft, audited
// like any account opening.
func (s *Service) OpenCreditAccount(ctx context.Context, customerID string, cur money.Currency, name string,
	limit int64) (ledger.Account, error) {
	return s.openAccount(ctx, customerID, cur, TypeCredit, creditProduct, name, limit)
}
