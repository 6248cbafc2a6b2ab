package operation_test

import (
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
)

// presented is a card payment of amount lek the customer's account paid, cleared as presentment id.
func presented(t *testing.T, f *fixture, ids []string, amount int64) {
	t.Helper()
	c, err := f.b.Operations.IssueCard(f.ctx, f.maker, card.IssueRequest{CustomerID: f.customer.ID,
		AccountID: f.account.ID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	var ps []issuing.Presentment
	for _, id := range ids {
		ps = append(ps, issuing.Presentment{ID: id, CardID: c.ID, Kind: issuing.KindPurchase,
			Amount: money.New(amount, money.ALL), MCC: "5732", Merchant: "Neptun"})
	}
	if _, err := f.b.Issuing.Clear(f.ctx, issuing.Format(issuing.File{ID: "F-" + ids[0],
		BusinessDate: calendar.DateOf(f.clk.Now()), Presentments: ps})); err != nil {
		t.Fatal(err)
	}
}

func TestADisputesDecisionWaitsForASecondMemberWonOrLost(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		presented(t, f, []string{"P-won", "P-lost"}, 150_000)
		before, _ := f.b.Ledger.Get(f.ctx, f.account.ID)
		if _, err := f.b.Operations.OpenDispute(f.ctx, f.teller, "P-won", "Nuk u dorëzua"); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller opened a dispute: %v", err)
		}
		won, err := f.b.Operations.OpenDispute(f.ctx, f.maker, "P-won", "Nuk u dorëzua")
		if err != nil || won.Status != issuing.DisputeOpen || won.OpenedBy != f.maker.Username {
			t.Fatalf("OpenDispute = %+v, %v", won, err)
		}
		lost, err := f.b.Operations.OpenDispute(f.ctx, f.maker, "P-lost", "Nuk e njoh")
		if err != nil {
			t.Fatal(err)
		}
		// A member who could both propose and approve still needs another one.
		admin, err := f.b.Staff.ByUsername(f.ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		both, err := f.b.Staff.Create(f.ctx, &admin, staff.NewMember{Username: "both", FullName: "Dita Hoxha",
			Branch: "Tiranë", Roles: []staff.Role{staff.BackOffice, staff.Manager}, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		own, err := f.b.Operations.DecideDispute(f.ctx, both.Member, won.ID, true)
		if err != nil || own.Pending == nil {
			t.Fatalf("DecideDispute = %+v, %v", own, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, both.Member, own.Pending.ID, own.Pending.Hash); codeOf(err) != "approval_own_request" {
			t.Fatalf("the proposer approved their own decision: %v", err)
		}
		if _, err := f.b.Operations.Reject(f.ctx, f.checker, own.Pending.ID, "Pa dëshmi nga rrjeti"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			dispute  issuing.Dispute
			won      bool
			status   string
			credited int64
			entryRef bool
		}{
			{won, true, issuing.DisputeWon, 150_000, true},
			{lost, false, issuing.DisputeLost, 0, false},
		} {
			o, err := f.b.Operations.DecideDispute(f.ctx, f.maker, c.dispute.ID, c.won)
			if err != nil || o.Pending == nil || o.Pending.Kind != string(operation.KindDisputeDecide) ||
				o.Pending.CustomerID != f.customer.ID {
				t.Fatalf("DecideDispute = %+v, %v", o, err)
			}
			if _, err := f.b.Operations.DecideDispute(f.ctx, f.maker, c.dispute.ID, !c.won); codeOf(err) != "operation_pending" {
				t.Fatalf("a second decision while one waits: %v", err)
			}
			waiting, err := f.b.Operations.DisputeDecisions(f.ctx)
			if p, ok := waiting[c.dispute.ID]; err != nil || !ok || p.Won != c.won || p.Request.Maker != f.maker.Username {
				t.Fatalf("DisputeDecisions = %+v, %v", waiting, err)
			}
			if got, _ := f.b.Issuing.Dispute(f.ctx, c.dispute.ID); got.Status != issuing.DisputeOpen {
				t.Fatalf("status %s before the approval", got.Status)
			}
			if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); err == nil {
				t.Fatal("the proposer approved their own decision")
			}
			r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
			if err != nil || r.Status != approval.Executed {
				t.Fatalf("Approve = %+v, %v", r, err)
			}
			got, _ := f.b.Issuing.Dispute(f.ctx, c.dispute.ID)
			if got.Status != c.status || got.DecidedBy != f.checker.Username || (got.EntryID != "") != c.entryRef {
				t.Fatalf("after the approval: %+v", got)
			}
			if waiting, _ := f.b.Operations.DisputeDecisions(f.ctx); len(waiting) != 0 {
				t.Fatalf("still waiting: %+v", waiting)
			}
			if _, err := f.b.Operations.DecideDispute(f.ctx, f.maker, c.dispute.ID, c.won); codeOf(err) != "card_dispute_decided" {
				t.Fatalf("deciding again: %v", err)
			}
		}
		after, _ := f.b.Ledger.Get(f.ctx, f.account.ID)
		if after.Balance != before.Balance+150_000 {
			t.Fatalf("balance %d, %d before: the won dispute alone credits", after.Balance, before.Balance)
		}
		p, err := audit.Search(f.ctx, d, audit.Filter{Action: issuing.ActionDisputeDecided})
		if err != nil || len(p.Entries) != 2 {
			t.Fatalf("audit %+v %v", p, err)
		}
		for _, e := range p.Entries {
			if e.Actor != audit.StaffActor("manager", "manager") {
				t.Errorf("decided by %+v", e.Actor)
			}
		}
		if breaks, err := f.b.Ledger.Verify(f.ctx); err != nil || len(breaks) > 0 {
			t.Fatalf("verify: %v %v", breaks, err)
		}
	})
}
