package fx

import (
	"context"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
)

// The audit actions of preferential rate requests, each appended in the transaction of its step.
const (
	ActionRequestCreated   = "fx.request.created"   // the customer asked for a preferential rate
	ActionRequestOffered   = "fx.request.offered"   // staff proposed a rate (the checker, when it waited for one)
	ActionRequestCancelled = "fx.request.cancelled" // the customer cancelled their request
	ActionRequestExecuted  = "fx.request.executed"  // the customer executed it: the money moved
	ActionRequestRefused   = "fx.request.refused"   // an execution refused in the ledger: the result is the code
)

// requestState is what an entry keeps of a request.
type requestState struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	Sell         string `json:"sell_currency"`
	Buy          string `json:"buy_currency"`
	Side         string `json:"side"`
	Amount       int64  `json:"amount"`
	Rate         string `json:"rate,omitempty"`
	ValidUntil   string `json:"valid_until,omitempty"`
	ProposedBy   string `json:"proposed_by,omitempty"`
	ApprovedBy   string `json:"approved_by,omitempty"`
	ConversionID string `json:"conversion_id,omitempty"`
	Sold         int64  `json:"sold,omitempty"`
	Bought       int64  `json:"bought,omitempty"`
}

func requestStateOf(r Request) requestState {
	st := requestState{ID: r.ID, Status: r.Status, Sell: string(r.Sell), Buy: string(r.Buy), Side: string(r.Side),
		Amount: r.Amount.Minor, Rate: r.Rate, ProposedBy: r.ProposedBy, ApprovedBy: r.ApprovedBy,
		ConversionID: r.ConversionID, Sold: r.ExecutedSell.Minor, Bought: r.ExecutedBuy.Minor}
	if !r.ValidUntil.IsZero() {
		st.ValidUntil = r.ValidUntil.UTC().Format("2006-01-02T15:04:05Z")
	}
	return st
}

// requestEntry is the audit entry of a step of request after (before is it as it was, if it was): the staff's
// proposal names the actor the context carries, every other step the customer (their business user, in a
// business's session); err is a refusal, recorded with its code.
func (s *Service) requestEntry(ctx context.Context, action string, after Request, before *Request, err error) audit.Entry {
	actor := audit.Customer(auth.Actor(ctx, after.CustomerID))
	if action == ActionRequestOffered {
		actor = audit.Operator(ctx)
	}
	e := audit.Stamp(ctx, audit.Entry{Actor: actor, Action: action, CustomerID: after.CustomerID,
		AccountID: after.FromAccountID, Result: audit.ResultOK, After: audit.State(requestStateOf(after))})
	if before != nil {
		e.Before = audit.State(requestStateOf(*before))
	}
	if err != nil {
		e.Result = kumbara.CodeOf(err)
	}
	return e
}
