package app

import (
	"slices"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
)

// AuditActions lists every action the audit log records, by the package that records it: the one list the
// catalogue's tests hold to their names in both languages and the back office's audit search offers. A package
// that records a new action lists it in its own AuditActions (or Actions), and that list is named here.
func AuditActions() []string {
	return slices.Concat(auth.Actions(), transfer.Actions(), device.AuditActions(), ledger.AuditActions(),
		customer.AuditActions(), card.AuditActions(), uniquecode.AuditActions(), staff.AuditActions(),
		calendar.AuditActions(), jobs.AuditActions(), approval.AuditActions(), beneficiary.AuditActions(),
		bankdir.AuditActions(), tariff.AuditActions(), fx.AuditActions(), payment.AuditActions(), clearinghouse.AuditActions(),
		bulk.AuditActions(), issuing.AuditActions(), creditcard.AuditActions(), threeds.AuditActions(),
		[]string{passkey.ActionAdded, passkey.ActionRemoved, terms.ActionAccepted})
}
