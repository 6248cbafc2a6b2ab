package operation_test

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
)

// TestANewExchangeRateWaitsForASecondMemberWhoPublishesIt: a back-office member's rate is not current until a
// manager approves its hash; a teller may not ask, the maker may not approve, a bad rate or one beyond the band
// without a reason never waits, and once approved the rate names its maker and checker, who is the audit's actor.
func TestANewExchangeRateWaitsForASecondMemberWhoPublishesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		eur := fx.Rate{Currency: money.EUR, Buy: "97.80", Sell: "99.40"}
		if _, err := f.b.Operations.PublishRate(f.ctx, f.teller, eur); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller publishing: %v", err)
		}
		if _, err := f.b.Operations.PublishRate(f.ctx, f.maker, fx.Rate{Currency: money.EUR, Buy: "99", Sell: "98"}); codeOf(err) != "validation_failed" {
			t.Fatalf("a bad rate: %v", err)
		}
		o, err := f.b.Operations.PublishRate(f.ctx, f.maker, eur)
		if err != nil || o.Pending == nil || o.Pending.Kind != "fx.publish" {
			t.Fatalf("PublishRate = %+v, %v; want a pending request", o, err)
		}
		if cur, err := f.b.FX.Current(f.ctx); err != nil || len(cur) != 0 {
			t.Fatalf("current before approval: %+v, %v", cur, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("the maker approving: %v", err)
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || r.Status != approval.Executed {
			t.Fatalf("approved %+v, %v", r, err)
		}
		cur, err := f.b.FX.Current(f.ctx)
		if err != nil || len(cur) != 1 || cur[0].ID != r.Result || cur[0].Mid != "98.60" ||
			cur[0].PublishedBy != "backoffice" || cur[0].ApprovedBy != "manager" {
			t.Fatalf("current %+v, %v", cur, err)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: fx.ActionPublish})
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Actor != audit.StaffActor("manager", "manager") {
			t.Fatalf("the rate's entry %+v, %v", p.Entries, err)
		}

		// 10 % up needs a reason before it waits; with one, it waits and is published with it.
		jump := fx.Rate{Currency: money.EUR, Buy: "107.58", Sell: "109.34"}
		if _, err := f.b.Operations.PublishRate(f.ctx, f.maker, jump); codeOf(err) != "fx_rate_reason_required" {
			t.Fatalf("beyond the band: %v", err)
		}
		jump.Reason = "Zhvlerësim i lekut"
		if o, err = f.b.Operations.PublishRate(f.ctx, f.maker, jump); err != nil || o.Pending == nil {
			t.Fatalf("with a reason: %+v, %v", o, err)
		}
		if r, err = f.b.Operations.Approve(f.ctx, f.checker2, o.Pending.ID, ""); err != nil || r.Status != approval.Executed {
			t.Fatalf("approved %+v, %v", r, err)
		}
		if cur, err = f.b.FX.Current(f.ctx); err != nil || len(cur) != 1 || cur[0].Reason != "Zhvlerësim i lekut" {
			t.Fatalf("current %+v, %v", cur, err)
		}

		// A member who may both ask and decide still cannot approve their own rate.
		admin, err := f.b.Staff.ByUsername(f.ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		both, err := f.b.Staff.Create(f.ctx, &admin, staff.NewMember{Username: "both", FullName: "Drita Dyfishi",
			Branch: "Tiranë", Roles: []staff.Role{staff.BackOffice, staff.Manager}, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		if o, err = f.b.Operations.PublishRate(f.ctx, both.Member, fx.Rate{Currency: money.USD, Buy: "90", Sell: "92"}); err != nil || o.Pending == nil {
			t.Fatalf("PublishRate = %+v, %v", o, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, both.Member, o.Pending.ID, o.Pending.Hash); !errors.Is(err, approval.ErrOwnRequest) {
			t.Fatalf("approving one's own rate: %v", err)
		}
		if cur, err = f.b.FX.Current(f.ctx); err != nil || len(cur) != 1 {
			t.Fatalf("current %+v, %v", cur, err)
		}
	})
}
