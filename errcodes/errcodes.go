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

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
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
		{"auth", auth.Errors()},
		{"card", card.Errors()},
		{"customer", customer.Errors()},
		{"device", device.Errors()},
		{"iban", iban.Errors()},
		{"iddoc", iddoc.Errors()},
		{"idempotency", idempotency.Errors()},
		{"kyc", kyc.Errors()},
		{"ledger", ledger.Errors()},
		{"money", money.Errors()},
		{"outbox", outbox.Errors()},
		{"passkey", passkey.Errors()},
		{"password", password.Errors()},
		{"recovery", recovery.Errors()},
		{"registration", registration.Errors()},
		{"sca", sca.Errors()},
		{"statement", statement.Errors()},
		{"terms", terms.Errors()},
		{"text", text.Errors()},
		{"transfer", transfer.Errors()},
		{"uniquecode", uniquecode.Errors()},
		{"web/transfers", transfers.Errors()},
	}
}

// PendingOwner is a package that still makes its errors where it returns them, with the codes it owns. When it
// declares them in an errors.go of its own, it moves from Pending to Owners; until then any package may write
// these codes in place, and the tests cannot tell who makes them.
type PendingOwner struct {
	Package string
	Codes   []string
}

// Pending lists the packages that do not declare their errors yet. Those among them that own no code are here
// because they still write other packages' codes in place.
func Pending() []PendingOwner {
	return []PendingOwner{
		{"api", []string{"idempotency_key_missing"}},
	}
}

// Codes returns every code the bank answers with, declared or pending, sorted and without repeats.
func Codes() []string {
	var codes []string
	for _, o := range Owners() {
		for _, e := range o.Errors {
			codes = append(codes, e.Code)
		}
	}
	for _, p := range Pending() {
		codes = append(codes, p.Codes...)
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}
