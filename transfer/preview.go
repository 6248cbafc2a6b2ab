package transfer

import (
	"context"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/vop"
)

// Preview is a transfer as Create would make it now: what a review page shows before the customer confirms.
type Preview struct {
	Type string
	// From is the payer's account as it is now. To is the beneficiary account: as it is now for an own transfer
	// (the payer's too); for an in-bank one only what identifies it (ID, IBAN, number, currency), since the payer
	// may not see another customer's account.
	From, To ledger.Account
	// ToName is the payee as the payer may see them: their own name, or another customer's masked as the payee
	// check shows it.
	ToName string
	Amount money.Amount
	// Description is as the transfer will keep it (text.Clean); PayeePhone is the payee's phone in E.164, or "".
	Description, PayeePhone string
	// Verification is what the name check says of the payee's name the request typed (Request.PayeeName), for
	// the review page to show before the customer confirms; its Result is "" when the request named no one.
	Verification vop.Outcome
}

// Preview checks a transfer without making it: the preview-then-confirm flow's first step, for any face. It runs
// exactly the checks Create runs, with the same codes and fields, and then what the ledger would refuse when the
// transfer posts — a blocked or closed account on either side, and more than the source's available balance — so
// the customer hears it before confirming. An in-bank transfer that names its payee (Request.PayeeName) has the name
// checked, which counts against the customer's allowance of checks as Create's does. It moves no money and writes
// nothing else; the ledger still decides under lock when the transfer is made, so a preview that passes may still
// be refused if the money leaves meanwhile.
func (s *Service) Preview(ctx context.Context, customerID string, r Request) (Preview, error) {
	r.Description = text.Clean(r.Description)
	c, err := s.validate(ctx, customerID, r)
	if err != nil {
		return Preview{}, err
	}
	// Balances and statuses change, so they are read now rather than from what validate remembers.
	found, err := s.Ledger.Resolve(ctx, []string{c.from.ID, c.to.ID}, nil)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Type: r.Type, Amount: c.amount, Description: r.Description, PayeePhone: c.phone}
	for _, a := range found {
		switch a.ID {
		case c.from.ID:
			p.From = a
		case c.to.ID:
			p.To = a
		}
	}
	if p.From.ID == "" || p.To.ID == "" {
		return Preview{}, ledger.ErrAccountNotFound // it was found a moment ago: only a deletion explains it
	}
	if err := spendable(p.From, p.To, c); err != nil {
		return Preview{}, err
	}
	names, err := s.Customers.Names(ctx, customerID, c.to.CustomerID)
	if err != nil {
		return Preview{}, err
	}
	p.ToName = payeeName(r.Type, names[c.to.CustomerID])
	if err := s.checkBusinessHours(ctx, customerID); err != nil {
		return Preview{}, err // Create would refuse it too: the customer hears it before confirming
	}
	if named(r) {
		// Last, so a preview refused for anything else spends none of the customer's checks.
		if p.Verification, err = s.verify(ctx, customerID, r, c.to.IBAN); err != nil {
			return Preview{}, err
		}
	}
	if r.Type != Own {
		p.To = ledger.Account{ID: p.To.ID, IBAN: p.To.IBAN, Number: p.To.Number, Currency: p.To.Currency}
	}
	return p, nil
}

// spendable refuses what the ledger's batch would refuse (ledger.Batch.Post), each about its request field.
func spendable(from, to ledger.Account, c checked) error {
	if err := from.Usable(); err != nil {
		return about(err, "from_account_id")
	}
	if err := to.Usable(); err != nil {
		return about(err, c.toField)
	}
	if !from.AllowNegative && c.amount.Minor > from.Available() {
		return ledger.ErrInsufficientFunds.Field("amount")
	}
	return nil
}

// about returns err about the request field name, when it is a domain error.
func about(err error, field string) error {
	if e, ok := kumbara.As(err); ok {
		return e.Field(field)
	}
	return err
}
