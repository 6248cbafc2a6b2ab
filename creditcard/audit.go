package creditcard

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of credit cards. Money movements are audited by the ledger's entries themselves; these record
// the decisions around them.
const (
	ActionOpened        = "credit.opened"         // staff opened a credit card (limit, cash limit, cycle)
	ActionLimitsChanged = "credit.limits.changed" // the holder changed the internet or supplementary limit
	ActionAutoPayment   = "credit.autopay.changed"
	ActionCashAdvance   = "credit.cash_advance"
	ActionPaid          = "credit.paid"
	ActionSplit         = "credit.instalments.created"
	ActionPlanClosed    = "credit.instalments.closed"
	ActionSupplementary = "credit.supplementary.issued" // staff issued a supplementary card (F13) for another holder
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionOpened, ActionLimitsChanged, ActionAutoPayment, ActionCashAdvance, ActionPaid,
		ActionSplit, ActionPlanClosed, ActionSupplementary}
}

// customerEntry is an action of the holder on their card, with what changed.
func customerEntry(ctx context.Context, action, customerID, accountID string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(customerID), Action: action, CustomerID: customerID,
		AccountID: accountID, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

// Texts lists the catalogue keys this package's data is shown with: the credit account's type.
func Texts() []string { return []string{"acct_" + TypeCredit} }
