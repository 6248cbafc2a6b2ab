package uniquecode

import "time"

// ActionIssued is the audit action of staff issuing a code (package audit), appended in the transaction of the
// issue by the member of staff the context carries (audit.Operator). Its after-state names the code's row, its
// purpose and expiry and how many older codes it revoked; never the code.
const ActionIssued = "uniquecode.issued"

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string { return []string{ActionIssued} }

type issuedState struct {
	ID        string    `json:"id"`
	Purpose   Purpose   `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
	Revoked   int       `json:"revoked"`
}
