package threeds

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
)

// The audit actions of 3-D Secure approvals.
const (
	ActionAsked    = "threeds.asked"    // the card network asked the holder to approve a purchase
	ActionApproved = "threeds.approved" // the holder approved it, with a proof bound to merchant and amount
	ActionRejected = "threeds.rejected" // the holder rejected it
)

// AuditActions lists every audit action of this package, for the catalogue's tests.
func AuditActions() []string { return []string{ActionAsked, ActionApproved, ActionRejected} }

// networkActor is who asks for approvals: the card network, through the bank's access control server.
const networkActor = "card-network"

// approvalState is what an entry keeps of an approval: never the card's number, only its id.
type approvalState struct {
	ID         string `json:"id"`
	NetworkRef string `json:"network_ref"`
	CardID     string `json:"card_id"`
	Merchant   string `json:"merchant"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
	Status     string `json:"status"`
	Method     string `json:"method,omitempty"`
}

func entry(ctx context.Context, a Approval, action string, byHolder bool) audit.Entry {
	actor := audit.System(networkActor)
	if byHolder {
		actor = audit.Customer(auth.Actor(ctx, a.CustomerID))
	}
	return audit.Stamp(ctx, audit.Entry{Actor: actor, Action: action, CustomerID: a.CustomerID,
		Result: audit.ResultOK, After: audit.State(approvalState{ID: a.ID, NetworkRef: a.NetworkRef, CardID: a.CardID,
			Merchant: a.Merchant, Amount: a.Amount.Minor, Currency: string(a.Amount.Currency), Status: string(a.Status),
			Method: a.Method})})
}
