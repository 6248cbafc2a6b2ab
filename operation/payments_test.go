package operation_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
)

// TestTheBackOfficeKeepsTheDirectoryAtOnce: a back-office member adds a bank, changes it and deactivates it, each
// at once and audited as theirs; a teller may do none of it.
func TestTheBackOfficeKeepsTheDirectoryAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		credins := bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank", Instant: true}
		if _, err := f.b.Operations.PutBank(f.ctx, f.teller, credins); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller putting a bank: %v", err)
		}
		b, err := f.b.Operations.PutBank(f.ctx, f.maker, credins)
		if err != nil || !b.Active {
			t.Fatalf("put %+v, %v", b, err)
		}
		ib, _ := iban.Parse("AL47 2121 1009 0000 0002 3569 8741")
		if got, err := f.b.Directory.ForIBAN(f.ctx, ib); err != nil || got.Name != "Credins Bank" {
			t.Fatalf("the registry's example: %+v, %v", got, err)
		}
		if err := f.b.Operations.SetBankActive(f.ctx, f.teller, "212", false); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller deactivating a bank: %v", err)
		}
		if err := f.b.Operations.SetBankActive(f.ctx, f.maker, "212", false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Directory.ForIBAN(f.ctx, ib); !errors.Is(err, bankdir.ErrInactive) {
			t.Fatalf("deactivated: %v", err)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: "bank."})
		if err != nil || len(p.Entries) != 2 {
			t.Fatalf("entries %+v, %v", p.Entries, err)
		}
		for _, e := range p.Entries {
			if e.Actor != audit.StaffActor("backoffice", "backoffice") {
				t.Errorf("%s by %+v", e.Action, e.Actor)
			}
		}
	})
}

// TestANewRateWaitsForASecondMemberWhoPutsItInForce: a back-office member's rate changes nothing until a manager
// approves its hash; the maker cannot approve it (no approvals.decide, or their own request), a bad rate never
// waits, and once approved the fee is the new one, set by the maker and approved by the manager, who is the
// audit's actor.
func TestANewRateWaitsForASecondMemberWhoPutsItInForce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		fee := func() int64 {
			t.Helper()
			got, err := f.b.Tariff.Fee(f.ctx, tariff.SchemeAECH, tariff.ChargesSHA, money.New(10_000_00, money.ALL))
			if err != nil {
				t.Fatal(err)
			}
			return got.Amount.Minor
		}
		rate := tariff.Rate{Scheme: "aech", Charges: "sha", Currency: "ALL", Fixed: 80_00, Percent: "0.0100"}
		if _, err := f.b.Operations.SetTariff(f.ctx, f.teller, rate); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller setting the tariff: %v", err)
		}
		bad := rate
		bad.Currency = money.EUR
		if _, err := f.b.Operations.SetTariff(f.ctx, f.maker, bad); codeOf(err) != "validation_failed" {
			t.Fatalf("a rate in a currency AECH does not carry: %v", err)
		}
		o, err := f.b.Operations.SetTariff(f.ctx, f.maker, rate)
		if err != nil || o.Pending == nil || o.Pending.Kind != string(operation.KindTariff) {
			t.Fatalf("SetTariff = %+v, %v; want a pending request", o, err)
		}
		var payload tariff.Rate
		if err := json.Unmarshal(o.Pending.Payload, &payload); err != nil || payload.Scheme != "aech" ||
			payload.Charges != "SHA" || payload.Percent != "0.01" || payload.SetBy != "backoffice" || payload.ID != "" {
			t.Fatalf("payload %s (%v)", o.Pending.Payload, err)
		}
		mine, err := f.b.Approvals.List(f.ctx, f.checker, approval.Filter{Status: approval.Pending})
		if err != nil || len(mine) != 1 {
			t.Fatalf("pending requests %+v, %v: the bad rate must not wait", mine, err)
		}
		if got := fee(); got != 100_00 {
			t.Fatalf("the fee moved to %d before approval", got)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("the maker approving: %v", err)
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || r.Status != approval.Executed || r.Result == "" {
			t.Fatalf("approve: %+v, %v", r, err)
		}
		if got := fee(); got != 80_00+1_00 { // 80 + 0.01 % of 10,000
			t.Fatalf("the fee after approval: %d", got)
		}
		hist, err := f.b.Tariff.History(f.ctx, tariff.SchemeAECH, 1)
		if err != nil || len(hist) != 1 || hist[0].ID != r.Result || hist[0].SetBy != "backoffice" || hist[0].ApprovedBy != "manager" {
			t.Fatalf("the new version %+v, %v", hist, err)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: tariff.ActionSet})
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Actor != audit.StaffActor("manager", "manager") {
			t.Fatalf("the tariff's entry %+v, %v", p.Entries, err)
		}

		// A member who may both ask and decide still cannot approve their own request.
		admin, err := f.b.Staff.ByUsername(f.ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		both, err := f.b.Staff.Create(f.ctx, &admin, staff.NewMember{Username: "both", FullName: "Drita Dyfishi",
			Branch: "Tiranë", Roles: []staff.Role{staff.BackOffice, staff.Manager}, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		o, err = f.b.Operations.SetTariff(f.ctx, both.Member, rate)
		if err != nil || o.Pending == nil {
			t.Fatalf("SetTariff = %+v, %v", o, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, both.Member, o.Pending.ID, o.Pending.Hash); !errors.Is(err, approval.ErrOwnRequest) {
			t.Fatalf("approving one's own rate: %v", err)
		}
	})
}

// TestOnlyAMemberWhoKeepsTheDirectoryIssuesAndRevokesCredentials: a back-office member issues a bank a VoP
// credential and revokes it, each audited as theirs; a teller may do neither, and their refusal changes nothing.
func TestOnlyAMemberWhoKeepsTheDirectoryIssuesAndRevokesCredentials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.b.Operations.PutBank(f.ctx, f.maker, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		if _, token, err := f.b.Operations.IssueBankCredential(f.ctx, f.teller, "212"); codeOf(err) != "staff_permission_denied" || token != "" {
			t.Fatalf("a teller issuing a credential: %q, %v", token, err)
		}
		c, token, err := f.b.Operations.IssueBankCredential(f.ctx, f.maker, "212")
		if err != nil || token == "" || c.CreatedBy != "backoffice" {
			t.Fatalf("issued %+v, %v", c, err)
		}
		if _, err := f.b.Operations.RevokeBankCredential(f.ctx, f.teller, c.ID); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller revoking a credential: %v", err)
		}
		if _, err := f.b.Directory.Authenticate(f.ctx, token); err != nil {
			t.Fatalf("after the teller's refusal: %v", err)
		}
		if _, err := f.b.Operations.RevokeBankCredential(f.ctx, f.maker, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Directory.Authenticate(f.ctx, token); !errors.Is(err, bankdir.ErrCredentialInvalid) {
			t.Fatalf("revoked: %v", err)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: "bank."})
		if err != nil || len(p.Entries) != 3 {
			t.Fatalf("entries %+v, %v", p.Entries, err)
		}
		for _, e := range p.Entries {
			if e.Actor != audit.StaffActor("backoffice", "backoffice") {
				t.Errorf("%s by %+v", e.Action, e.Actor)
			}
		}
	})
}
