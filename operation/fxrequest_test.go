package operation_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestAPreferentialRateAboveTheThresholdWaitsForASecondMember is the journey of issue #12 with two members of
// staff: a customer asks to sell 120,000 EUR (above the 100,000 EUR four-eyes amount); the back office proposes
// 98.40 for two hours, which waits — the request is not confirmed and cannot be executed —; the maker may not
// approve it, a teller may not propose; a manager approves it, and the request is confirmed naming both; the
// customer executes it 11 % up (refused) and then 10 % up: 132,000 EUR at 98.40 is 12,988,800.00 lek, and the
// 26,400.00 against the mid 98.60 is the bank's income. Each step is in the audit log with who took it. A request
// under the amount is answered at once.
func TestAPreferentialRateAboveTheThresholdWaitsForASecondMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.b.FX.Publish(f.ctx, fx.Rate{Currency: money.EUR, Buy: "97.80", Sell: "99.40"}); err != nil {
			t.Fatal(err)
		}
		eur, err := f.b.Customers.OpenAccount(f.ctx, f.customer.ID, money.EUR, ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Ledger.CashDeposit(f.ctx, eur.ID, money.New(150_000_00, money.EUR), "test"); err != nil {
			t.Fatal(err)
		}
		r, err := f.b.FX.Ask(f.ctx, f.customer.ID, fx.RequestInput{FromAccountID: eur.ID, ToAccountID: f.account.ID,
			SellAmount: "120000"})
		if err != nil {
			t.Fatal(err)
		}
		offer := fx.Offer{RequestID: r.ID, Rate: "98.4", ValidUntil: f.clk.Now().Add(2 * time.Hour)}
		if _, err := f.b.Operations.ProposeRate(f.ctx, f.teller, offer); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller proposing: %v", err)
		}
		if _, err := f.b.Operations.ProposeRate(f.ctx, f.maker, fx.Offer{RequestID: r.ID, Rate: "98.4",
			ValidUntil: f.clk.Now().Add(-time.Minute)}); codeOf(err) != "validation_failed" {
			t.Fatalf("a validity in the past: %v", err)
		}
		o, err := f.b.Operations.ProposeRate(f.ctx, f.maker, offer)
		if err != nil || o.Pending == nil || o.Pending.Kind != "fx.offer" || o.Pending.CustomerID != f.customer.ID {
			t.Fatalf("ProposeRate = %+v, %v; want a pending request", o, err)
		}
		if got, _ := f.b.FX.GetRequest(f.ctx, f.customer.ID, r.ID); got.Status != fx.Requested {
			t.Fatalf("status while the rate waits: %s", got.Status)
		}
		if _, _, err := f.b.FX.ExecuteRequest(f.ctx, f.customer.ID, r.ID, ""); codeOf(err) != "fx_request_not_confirmed" {
			t.Fatalf("executing while the rate waits: %v", err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("the maker approving: %v", err)
		}
		a, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || a.Status != approval.Executed || a.Result != r.ID {
			t.Fatalf("approved %+v, %v", a, err)
		}
		got, err := f.b.FX.GetRequest(f.ctx, f.customer.ID, r.ID)
		if err != nil || got.Status != fx.Confirmed || got.Rate != "98.40" || got.Base != money.EUR ||
			got.Quoted != money.ALL || got.ProposedBy != "backoffice" || got.ApprovedBy != "manager" ||
			!got.ValidUntil.Equal(offer.ValidUntil.UTC().Truncate(time.Second)) {
			t.Fatalf("confirmed %+v, %v", got, err)
		}

		if _, _, err := f.b.FX.ExecuteRequest(f.ctx, f.customer.ID, r.ID, "133200"); codeOf(err) != "fx_request_amount_out_of_range" {
			t.Fatalf("11 %% up: %v", err)
		}
		done, _, err := f.b.FX.ExecuteRequest(f.ctx, f.customer.ID, r.ID, "132000")
		if err != nil || done.Status != fx.Executed || done.ExecutedSell.String() != "132000.00 EUR" ||
			done.ExecutedBuy.String() != "12988800.00 ALL" {
			t.Fatalf("10 %% up: %+v, %v", done, err)
		}
		if bal := f.balance(t); bal != 2_000_000_00+12_988_800_00 {
			t.Fatalf("lek %d", bal)
		}
		income, err := f.b.Ledger.GL(f.ctx, ledger.GLCode(ledger.TypeFXIncome, money.ALL))
		if err != nil || income.Balance != 26_400_00 {
			t.Fatalf("FX income %d, %v", income.Balance, err)
		}

		for _, want := range []struct {
			action string
			actor  audit.Actor
		}{
			{fx.ActionRequestCreated, audit.Customer(f.customer.ID)},
			{fx.ActionRequestOffered, audit.StaffActor("manager", "manager")},
			{fx.ActionRequestExecuted, audit.Customer(f.customer.ID)},
		} {
			p, err := audit.Search(f.ctx, d, audit.Filter{Action: want.action})
			if err != nil || len(p.Entries) != 1 || p.Entries[0].Actor != want.actor ||
				p.Entries[0].CustomerID != f.customer.ID {
				t.Fatalf("%s: %+v, %v", want.action, p.Entries, err)
			}
		}

		// 20,000 EUR is under the amount: the rate is proposed at once, by the maker alone.
		small, err := f.b.FX.Ask(f.ctx, f.customer.ID, fx.RequestInput{FromAccountID: eur.ID, ToAccountID: f.account.ID,
			SellAmount: "15000"})
		if err != nil {
			t.Fatal(err)
		}
		o, err = f.b.Operations.ProposeRate(f.ctx, f.maker, fx.Offer{RequestID: small.ID, Rate: "98.30",
			ValidUntil: f.clk.Now().Add(time.Hour)})
		if err != nil || o.Pending != nil || o.Ref != small.ID {
			t.Fatalf("under the amount: %+v, %v", o, err)
		}
		if got, _ := f.b.FX.GetRequest(f.ctx, f.customer.ID, small.ID); got.Status != fx.Confirmed ||
			got.ProposedBy != "backoffice" || got.ApprovedBy != "" {
			t.Fatalf("confirmed at once: %+v", got)
		}
	})
}
