package clearinghouse

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff driving the sandbox (`kumbara admin clearing inbound|reject|set|return`, the demo's
// clearing page), by the member of staff the context carries (audit.Operator), each appended in the transaction
// of its change. What the sandbox does by itself (answering the bank's messages) is the clearing house's and is not
// audited.
const (
	ActionInbound   = "clearinghouse.inbound"   // after: the payment another bank sends a customer
	ActionRejecting = "clearinghouse.rejecting" // after: the IBAN and the reason its payments are rejected with ("" stops)
	ActionSet       = "clearinghouse.set"       // before and after: down, and the delay
	ActionReturned  = "clearinghouse.returned"  // after: the settled payment sent back and the reason
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionInbound, ActionRejecting, ActionSet, ActionReturned}
}

// entry is the audit entry of action, with the state before (nil: none) and after.
func entry(ctx context.Context, action string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK,
		After: audit.State(after)})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

// settingsState is how the sandbox behaves, as its entries keep it.
type settingsState struct {
	Down    bool  `json:"down"`
	DelayMS int64 `json:"delay_ms"`
}

func settingsOf(st Settings) settingsState {
	return settingsState{Down: st.Down, DelayMS: st.Delay.Milliseconds()}
}

// rejectState is a rule of the sandbox's rejections; an empty reason is the rule removed.
type rejectState struct {
	IBAN   string `json:"iban"`
	Reason string `json:"reason"`
}

// inboundState is a payment the sandbox sent the bank.
type inboundState struct {
	Message  string `json:"message"`
	IBAN     string `json:"iban"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Scheme   string `json:"scheme"`
	Payer    string `json:"payer"`
}

// returnState is a settled payment the sandbox sent back.
type returnState struct {
	Message string `json:"message"`
	TxID    string `json:"tx_id"`
	Reason  string `json:"reason"`
}
