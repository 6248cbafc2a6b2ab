package auth

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/audit"
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
)

// ActorAdmin is the system actor of what the bank's command line does for a customer (a staff-set password).
const ActorAdmin = "admin"

// Actions lists every action this package records, for the catalogue's tests.
func Actions() []string {
	return []string{ActionPasswordFailed, ActionCodeSent, ActionCodeFailed, ActionFactorFailed, ActionLogin,
		ActionChannelBlocked, ActionLogout, ActionPasswordChanged, ActionPasswordSet, ActionPasswordWrong,
		ActionRecoveryCode, ActionSessionEnded, ActionSessionsEnded, ActionRegistrationSMS}
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
