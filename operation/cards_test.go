package operation_test

import (
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/operation"
)

func TestReactivatingALostCardWaitsForASecondMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, err := f.b.Operations.IssueCard(f.ctx, f.maker, card.IssueRequest{CustomerID: f.customer.ID,
			AccountID: f.account.ID, Type: card.Visa, PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Operations.BlockCard(f.ctx, f.teller, c.ID, card.LostOrStolen); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller blocked a card: %v", err)
		}
		// Not lost yet: refused before it waits.
		if _, err := f.b.Operations.ReactivateLostCard(f.ctx, f.service, c.ID); codeOf(err) != "card_status_conflict" {
			t.Fatalf("reactivating an active card: %v", err)
		}
		if _, err := f.b.Cards.Block(f.ctx, card.Holder(f.customer.ID), c.ID, card.LostOrStolen); err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Operations.UnblockCard(f.ctx, f.service, c.ID); codeOf(err) != "card_lost_reactivation" {
			t.Fatalf("a lost card unblocked at once: %v", err)
		}
		o, err := f.b.Operations.ReactivateLostCard(f.ctx, f.service, c.ID)
		if err != nil || o.Pending == nil || o.Pending.Kind != string(operation.KindCardReactivateLost) {
			t.Fatalf("ReactivateLostCard = %+v, %v", o, err)
		}
		if got, _ := f.b.Cards.Find(f.ctx, c.ID); got.Status != card.Lost {
			t.Fatalf("status %s before the approval", got.Status)
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || r.Status != approval.Executed || r.Result != c.ID {
			t.Fatalf("Approve = %+v, %v", r, err)
		}
		got, _ := f.b.Cards.Find(f.ctx, c.ID)
		if got.Status != card.Active {
			t.Fatalf("status %s after the approval", got.Status)
		}
		h, _ := f.b.Cards.History(f.ctx, card.Staff(), c.ID)
		if h[0].Event != "lost_reactivated" || h[0].Actor != f.checker.Username {
			t.Fatalf("history %+v", h[0])
		}
	})
}

func TestStaffReprintACardAndHandItOverAtTheBranch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, err := f.b.Operations.IssueCard(f.ctx, f.maker, card.IssueRequest{CustomerID: f.customer.ID,
			AccountID: f.account.ID, Type: card.Mastercard, PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := f.b.Operations.BlockCard(f.ctx, f.service, c.ID, card.Temporary); err != nil || b.Status != card.Blocked {
			t.Fatalf("BlockCard = %+v, %v", b, err)
		}
		if u, err := f.b.Operations.UnblockCard(f.ctx, f.service, c.ID); err != nil || u.Status != card.Active {
			t.Fatalf("UnblockCard = %+v, %v", u, err)
		}
		n, err := f.b.Operations.ReprintCard(f.ctx, f.service, c.ID)
		if err != nil || n.Status != card.Ordered {
			t.Fatalf("ReprintCard = %+v, %v", n, err)
		}
		if _, err := f.b.Operations.MarkCardReady(f.ctx, f.service, n.ID); err != nil {
			t.Fatal(err)
		}
		if h, err := f.b.Operations.HandOverCard(f.ctx, f.service, n.ID); err != nil || h.Status != card.Active {
			t.Fatalf("HandOverCard = %+v, %v", h, err)
		}
		if err := f.b.Cards.VerifyPIN(f.ctx, n.ID, "4739"); err != nil {
			t.Fatalf("PIN of the new card: %v", err)
		}
	})
}
