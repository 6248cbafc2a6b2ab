package bulk

import (
	"context"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
)

// The audit actions of bulk payments. Each payment a batch makes is audited by package payment as well.
const (
	ActionUploaded  = "bulk.uploaded"  // a file read and kept as a batch (waiting for its confirmation, or rejected)
	ActionConfirmed = "bulk.confirmed" // its confirmation was proved: its payments are made
)

// AuditActions lists every audit action of bulk payments, for the catalogue's tests.
func AuditActions() []string { return []string{ActionUploaded, ActionConfirmed} }

// auditEntry is the audit entry of action on b.
func (s *Service) auditEntry(ctx context.Context, b Batch, action string) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, b.CustomerID)), Action: action,
		CustomerID: b.CustomerID, Result: audit.ResultOK})
	for _, l := range b.Items {
		if l.Status == LineValid {
			e.AccountID = l.AccountID
			break
		}
	}
	e.After = audit.State(batchState{ID: b.ID, MessageID: b.MessageID, Status: b.Status, Lines: b.Lines, Count: b.Count,
		Total: b.Total.Minor, Debited: b.Debited.Minor, Currency: string(b.Total.Currency)})
	return e
}

// batchState is what an entry keeps of a batch: a struct, so it encodes without a map's sorting.
type batchState struct {
	ID        string `json:"id"`
	MessageID string `json:"message_id"`
	Status    string `json:"status"`
	Lines     int    `json:"lines"`
	Count     int    `json:"count"`
	Total     int64  `json:"total"`
	Debited   int64  `json:"debited"`
	Currency  string `json:"currency"`
}
