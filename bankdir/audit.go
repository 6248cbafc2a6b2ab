package bankdir

import (
	"context"

	"github.com/kumbara/kumbara/audit"
)

// The audit actions of staff keeping the directory, each appended in the transaction of its change by the member
// of staff the context carries (audit.Operator).
const (
	ActionAdded       = "bank.added"       // after: the bank
	ActionChanged     = "bank.changed"     // before and after: the bank
	ActionActivated   = "bank.activated"   // before and after: the bank
	ActionDeactivated = "bank.deactivated" // before and after: the bank

	ActionCredentialIssued  = "bank.credential_issued"  // after: the credential (never its token nor its hash)
	ActionCredentialRevoked = "bank.credential_revoked" // before and after: the credential
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionAdded, ActionChanged, ActionActivated, ActionDeactivated, ActionCredentialIssued,
		ActionCredentialRevoked}
}

// state is a bank as the audit log records it.
type state struct {
	Code    string `json:"code"`
	BIC     string `json:"bic"`
	Name    string `json:"name"`
	Instant bool   `json:"instant"`
	Active  bool   `json:"active"`
}

func stateOf(b Bank) state {
	return state{Code: b.Code, BIC: b.BIC, Name: b.Name, Instant: b.Instant, Active: b.Active}
}

// entry is the audit entry of action on a bank, with the state before (nil: none) and after.
func entry(ctx context.Context, action string, before *Bank, after Bank) audit.Entry {
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK,
		After: audit.State(stateOf(after))})
	if before != nil {
		e.Before = audit.State(stateOf(*before))
	}
	return e
}

// credentialState is a VoP credential as the audit log records it: which one, of which bank, and whether it is
// revoked. Its token and the token's hash are never recorded.
type credentialState struct {
	ID      string `json:"credential_id"`
	Code    string `json:"code"`
	BIC     string `json:"bic"`
	Revoked bool   `json:"revoked"`
}

// credentialEntry is the audit entry of action on the credential c of bank b, with its state before (nil: none)
// and after.
func credentialEntry(ctx context.Context, action string, before *Credential, after Credential, b Bank) audit.Entry {
	state := func(c Credential) string {
		return audit.State(credentialState{ID: c.ID, Code: c.BankCode, BIC: b.BIC, Revoked: !c.Live()})
	}
	e := audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx), Action: action, Result: audit.ResultOK,
		After: state(after)})
	if before != nil {
		e.Before = state(*before)
	}
	return e
}
