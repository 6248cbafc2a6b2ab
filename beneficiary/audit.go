package beneficiary

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
)

// The audit actions of the address book. An entry names the beneficiary by id only: the names and account are
// the customer's data, kept in the book, not copied into a log nobody may edit.
const (
	ActionAdded   = "beneficiary.added"
	ActionChanged = "beneficiary.changed"
	ActionRemoved = "beneficiary.removed"
)

// AuditActions lists every audit action of the address book, for the catalogue's tests.
func AuditActions() []string { return []string{ActionAdded, ActionChanged, ActionRemoved} }

// appendEntry records action on the beneficiary in the transaction that makes the change. The actor is the person
// behind the request: a business's user acting for the business is named, the business is the customer.
func appendEntry(ctx context.Context, tx *db.Tx, now time.Time, customerID, action, id string) error {
	return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, customerID)),
		Action: action, CustomerID: customerID, Result: audit.ResultOK,
		After: audit.State(struct {
			ID string `json:"beneficiary_id"`
		}{id})}))
}
