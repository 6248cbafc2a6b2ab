// Package errcodes is the registry of every error code the bank answers with. A package that owns codes declares
// each once, as a sentinel in its errors.go, and lists them in its Errors(); Owners gathers those lists. The
// message catalogue is checked against every code here (package i18n's tests), and this package's tests fail when
// a code is declared twice, when a sentinel is missing from its package's list, or when a package makes an error
// with a code of its own anywhere but in its errors.go.
//
// Only tests and tools import it: it imports every owner, so no owner may import it.
package errcodes

import (
	"slices"

	"github.com/kumbara/kumbara/app"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/kumbara/kumbara/web/payments"
	"github.com/kumbara/kumbara/web/transfers"
)

// Owner is a package and the errors its errors.go declares.
type Owner struct {
	Package string // the package's directory in the module; "." is the root package, kumbara
	Errors  []*kumbara.Error
}

// Owners lists every package that declares its errors, each with its list.
func Owners() []Owner {
	return []Owner{
		{".", kumbara.Errors()},
		{"api", api.Errors()},
		{"approval", approval.Errors()},
		{"auth", auth.Errors()},
		{"bankdir", bankdir.Errors()},
		{"beneficiary", beneficiary.Errors()},
		{"bulk", bulk.Errors()},
		{"calendar", calendar.Errors()},
		{"card", card.Errors()},
		{"cardnetwork", cardnetwork.Errors()},
		{"creditcard", creditcard.Errors()},
		{"customer", customer.Errors()},
		{"device", device.Errors()},
		{"fx", fx.Errors()},
		{"iban", iban.Errors()},
		{"iddoc", iddoc.Errors()},
		{"idempotency", idempotency.Errors()},
		{"iso20022", iso20022.Errors()},
		{"issuing", issuing.Errors()},
		{"jobs", jobs.Errors()},
		{"kyc", kyc.Errors()},
		{"ledger", ledger.Errors()},
		{"money", money.Errors()},
		{"operation", operation.Errors()},
		{"outbox", outbox.Errors()},
		{"passkey", passkey.Errors()},
		{"password", password.Errors()},
		{"payment", payment.Errors()},
		{"recovery", recovery.Errors()},
		{"registration", registration.Errors()},
		{"sca", sca.Errors()},
		{"staff", staff.Errors()},
		{"statement", statement.Errors()},
		{"tariff", tariff.Errors()},
		{"terms", terms.Errors()},
		{"text", text.Errors()},
		{"threeds", threeds.Errors()},
		{"transfer", transfer.Errors()},
		{"uniquecode", uniquecode.Errors()},
		{"web/payments", payments.Errors()},
		{"web/transfers", transfers.Errors()},
	}
}

// Codes returns every code the bank answers with, sorted and without repeats.
func Codes() []string {
	var codes []string
	for _, o := range Owners() {
		for _, e := range o.Errors {
			codes = append(codes, e.Code)
		}
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

// Texts returns every catalogue key of a text the bank writes and renders in the reader's language (a posting's
// description, an account type, an SMS), sorted: the catalogue must say each in both languages, and the i18n
// tests accept these keys beside the error codes and the page labels.
func Texts() []string {
	texts := slices.Concat(ledger.Texts(), transfer.Texts(), auth.Texts(), device.Texts(), passkey.Texts(), sca.Texts(),
		calendar.Texts(), payment.Texts(), fx.Texts(), card.Texts(), creditcard.Texts())
	for _, a := range AuditActions() {
		texts = append(texts, audit.TextKey(a))
	}
	slices.Sort(texts)
	return slices.Compact(texts)
}

// AuditActions lists every action the audit log records (app.AuditActions).
func AuditActions() []string { return app.AuditActions() }
