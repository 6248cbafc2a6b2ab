package auth

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
)

// BlockChannel is the bank blocking a customer's digital channel on the customer's word or its own suspicion
// (a stolen phone, a fraud alert): as after too many failed logins (A14), every session ends, every login waiting
// for its code is retired and logins are refused with channel_blocked until Unblock or a strong recovery. The
// block is appended to the audit log with the actor the context carries (the member of staff) in the same
// transaction. Blocking a blocked channel changes nothing.
func (s *Service) BlockChannel(ctx context.Context, customerID string) error {
	at := s.Clock.Now()
	defer s.forgetCustomer(customerID)
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE credentials SET blocked = 1, blocked_at = COALESCE(blocked_at, ?) WHERE customer_id = ?",
			db.Micros(at), customerID)
		if err != nil {
			return fmt.Errorf("block channel: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return customer.ErrNotFound
		}
		if err := s.endAccess(ctx, tx, customerID, ""); err != nil {
			return err
		}
		e := auditEntry(ctx, customerID, ActionChannelBlocked, audit.ResultOK, map[string]string{"by": "bank"})
		e.Actor = audit.Acting(ctx, audit.System(ActorAdmin))
		return audit.Append(ctx, tx, at, e)
	})
}
