package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
)

// The audit actions of authentication (package audit). A refusal's entry carries the refusal's code as its result.
const (
	ActionPasswordFailed  = "login.password.failed"  // a wrong password at login
	ActionCodeSent        = "login.code.sent"        // the password was right; the login's SMS code went out
	ActionCodeFailed      = "login.code.failed"      // a wrong login code
	ActionFactorFailed    = "login.factor.failed"    // a wrong second factor (device signature, Soft PIN, passkey, payment code)
	ActionLogin           = "login.succeeded"        // a session opened; after says its assurance
	ActionChannelBlocked  = "channel.blocked"        // too many failed factors blocked the channel (A14)
	ActionLogout          = "logout"                 // the customer ended their session
	ActionPasswordChanged = "password.changed"       // the password was replaced (by its owner, a recovery or staff)
	ActionPasswordSet     = "password.set"           // the first password of a registration
	ActionPasswordWrong   = "password.check.failed"  // a wrong current password where one is asked again
	ActionRecoveryCode    = "recovery.code.sent"     // a recovery's SMS code went out
	ActionSessionEnded    = "session.ended"          // the customer ended one of their other sessions
	ActionSessionsEnded   = "session.others.ended"   // the customer ended all their other sessions
	ActionRegistrationSMS = "registration.code.sent" // a registration's SMS code went out

	// The bank's staff acting on the channel, by the member of staff the context carries (audit.Operator); before
	// and after are the channel's state (channelState).
	ActionChannelUnblocked   = "channel.unblocked"   // a blocked channel lifted (A14)
	ActionChannelClosed      = "channel.closed"      // the bank closed the channel (A16)
	ActionChannelReactivated = "channel.reactivated" // the bank reopened it (A16)
)

// ActorAdmin is the system actor of what the bank's command line does for a customer (a staff-set password).
const ActorAdmin = "admin"

// Actions lists every action this package records, for the catalogue's tests.
func Actions() []string {
	return []string{ActionPasswordFailed, ActionCodeSent, ActionCodeFailed, ActionFactorFailed, ActionLogin,
		ActionChannelBlocked, ActionLogout, ActionPasswordChanged, ActionPasswordSet, ActionPasswordWrong,
		ActionRecoveryCode, ActionSessionEnded, ActionSessionsEnded, ActionRegistrationSMS, ActionChannelUnblocked,
		ActionChannelClosed, ActionChannelReactivated}
}

// auditEntry is the entry of action about customerID, by the person acting (a business's user in their session),
// stamped with the request's origin.
func auditEntry(ctx context.Context, customerID, action, result string, after any) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(Actor(ctx, customerID)), Action: action,
		CustomerID: customerID, Result: result})
	if after != nil {
		e.After = audit.State(after)
	}
	return e
}

// record appends the entry of action about customerID in tx.
func record(ctx context.Context, tx *db.Tx, now time.Time, customerID, action, result string, after any) error {
	return audit.Append(ctx, tx, now, auditEntry(ctx, customerID, action, result, after))
}

// codeAction is the action of sending a code of purpose.
func codeAction(purpose string) string {
	switch purpose {
	case PurposeRecovery:
		return ActionRecoveryCode
	case PurposeRegistration:
		return ActionRegistrationSMS
	}
	return ActionCodeSent
}

// channelState is what the audit of the bank's actions on a channel records before and after them.
type channelState struct {
	Blocked          bool `json:"blocked"`
	FailedAttempts   int  `json:"failed_attempts"`
	Closed           bool `json:"channel_closed"`
	WebLoginRequired bool `json:"web_login_required"`
}

// readChannel reads the customer's channel state in tx, locking their credentials row: customer_not_found when
// they have none.
func readChannel(ctx context.Context, tx *db.Tx, customerID string) (channelState, error) {
	var c channelState
	var blocked, closed, web int
	err := tx.QueryRow(ctx, `SELECT blocked, failed_attempts, channel_closed, web_login_required FROM credentials
		WHERE customer_id = ?`+tx.DB().ForUpdate(), customerID).Scan(&blocked, &c.FailedAttempts, &closed, &web)
	if errors.Is(err, sql.ErrNoRows) {
		return c, customer.ErrNotFound
	}
	c.Blocked, c.Closed, c.WebLoginRequired = blocked != 0, closed != 0, web != 0
	return c, err
}

// changeChannel makes a staff change of the customer's channel (change, in tx) and appends its entry of action
// with the channel's state before and after, in one transaction.
func (s *Service) changeChannel(ctx context.Context, customerID, action string, change func(tx *db.Tx) error) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := readChannel(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		after, err := readChannel(ctx, tx, customerID)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.Clock.Now(), audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: action, CustomerID: customerID, Before: audit.State(before), After: audit.State(after),
			Result: audit.ResultOK}))
	})
}
