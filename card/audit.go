package card

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// The audit actions on cards (package audit), each appended in the transaction of its change by the actor the
// context carries: the member of staff (audit.Operator) or the holder (audit.Customer). No entry holds a digit of
// the number or the PIN. Every action is also an event of the card's history (history.go), named as the action
// without its "card." prefix.
const (
	ActionIssued          = "card.issued"           // after: the card's id, type, contactless, expiry
	ActionPINUnblocked    = "card.pin_unblocked"    // before: whether the PIN was blocked and after how many wrong tries
	ActionBlocked         = "card.blocked"          // a temporary block; before/after: the status
	ActionReactivated     = "card.reactivated"      // a temporary block lifted
	ActionReportedLost    = "card.reported_lost"    // blocked for good unless the bank reactivates it
	ActionLostReactivated = "card.lost_reactivated" // a lost card reactivated by staff with a second member's approval
	ActionReprinted       = "card.reprinted"        // the card replaced by a new one (detail: the new card's id)
	ActionOrdered         = "card.ordered"          // the new card of a reprint (detail: the card it replaces)
	ActionReady           = "card.ready"            // the reprinted card is at the branch; the holder told by SMS
	ActionHandedOver      = "card.handed_over"      // the reprinted card given to the holder: active from now
	ActionPINChanged      = "card.pin_changed"      // a new PIN chosen, pending until the first ATM operation
	ActionPINEffective    = "card.pin_effective"    // the pending PIN took effect at an ATM
	ActionControlsChanged = "card.controls_changed" // before/after: the controls
	ActionLinked          = "card.account_linked"   // detail: the account
	ActionUnlinked        = "card.account_unlinked" // detail: the account
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionIssued, ActionPINUnblocked, ActionBlocked, ActionReactivated, ActionReportedLost,
		ActionLostReactivated, ActionReprinted, ActionOrdered, ActionReady, ActionHandedOver, ActionPINChanged,
		ActionPINEffective, ActionControlsChanged, ActionLinked, ActionUnlinked}
}

// staffEntry is the entry of a staff action on a card of customerID on accountID, with its state before (nil:
// none) and after.
func staffEntry(ctx context.Context, action, customerID, accountID string, before, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, CustomerID: customerID,
		AccountID: accountID, After: audit.State(after), Result: audit.ResultOK})
	if before != nil {
		e.Before = audit.State(before)
	}
	return e
}

type issuedState struct {
	Card        string `json:"card"`
	Type        Type   `json:"type"`
	Contactless bool   `json:"contactless"`
	Expires     string `json:"expires"`
}

type pinState struct {
	Card     string `json:"card,omitempty"`
	Blocked  bool   `json:"pin_blocked"`
	Failures int    `json:"pin_failures"`
}

// changeState is a card's state before or after a change, as its audit entry keeps it.
type changeState struct {
	Card     string        `json:"card"`
	Status   Status        `json:"status"`
	Controls *controlsJSON `json:"controls,omitempty"`
	Detail   string        `json:"detail,omitempty"`
}

// appendEntry appends the audit entry of action on card c, by the actor ctx carries.
func appendEntry(ctx context.Context, tx *db.Tx, now time.Time, action string, c Card, before, after changeState) error {
	return audit.Append(ctx, tx, now, staffEntry(ctx, action, c.CustomerID, c.AccountID, before, after))
}

// controlsDetail is a controls change as its history event reads: the controls after it.
func controlsDetail(_, after Controls) string {
	b, _ := json.Marshal(controlsJSON(after))
	return string(b)
}

// controlsJSON is Controls under the API's names.
type controlsJSON struct {
	Online             bool  `json:"online"`
	Contactless        bool  `json:"contactless"`
	ATM                bool  `json:"atm"`
	Magstripe          bool  `json:"magstripe"`
	Abroad             bool  `json:"abroad"`
	DailyPurchaseLimit int64 `json:"daily_purchase_limit"`
	DailyATMLimit      int64 `json:"daily_atm_limit"`
}
