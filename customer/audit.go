package customer

// The audit actions of the bank's staff on customers (package audit), each appended in the transaction of its
// change by the member of staff the context carries (audit.Operator).
const (
	ActionCreated       = "customer.created" // after: client number, kind, branch, contract, representatives
	ActionAccountOpened = "account.opened"   // after: IBAN, currency, type
	// ActionContactChanged: before and after, the mobile, email and address.
	ActionContactChanged = "customer.contact_changed"
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionCreated, ActionAccountOpened, ActionContactChanged}
}

// createdState is what a new customer's entry keeps: how the bank knows them, not their personal data.
type createdState struct {
	ClientNumber    string   `json:"client_number"`
	Kind            string   `json:"kind"`
	Branch          string   `json:"branch,omitempty"`
	ContractVersion string   `json:"contract_version,omitempty"`
	Representatives []string `json:"representatives,omitempty"`
}

type openedState struct {
	IBAN     string `json:"iban"`
	Currency string `json:"currency"`
	Type     string `json:"type"`
}
