package operation_test

import (
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/operation"
)

// Opening a credit card is a credit decision: the maker's request changes nothing until a second member approves
// it, and then the card is opened with the limits asked for, audited with the checker as its actor.
func TestOpeningACreditCardWaitsForASecondMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ask := operation.CreditOpening{CustomerID: f.customer.ID, Limit: 100_000_00, CashLimit: 20_000_00,
			Cycle: "end", Type: "visa", Contactless: true}
		if _, err := f.b.Operations.OpenCreditCard(f.ctx, f.teller, ask); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller opened a credit card: %v", err)
		}
		o, err := f.b.Operations.OpenCreditCard(f.ctx, f.maker, ask)
		if err != nil || o.Pending == nil || o.Pending.Kind != string(operation.KindCreditOpen) {
			t.Fatalf("OpenCreditCard = %+v, %v", o, err)
		}
		if cards, _ := f.b.Credit.List(f.ctx, f.customer.ID); len(cards) != 0 {
			t.Fatalf("a credit card before the approval: %+v", cards)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); err == nil {
			t.Fatal("the maker approved their own credit card")
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || r.Status != approval.Executed {
			t.Fatalf("Approve = %+v, %v", r, err)
		}
		cards, err := f.b.Credit.List(f.ctx, f.customer.ID)
		if err != nil || len(cards) != 1 {
			t.Fatalf("credit cards %+v, %v", cards, err)
		}
		cr := cards[0]
		if cr.CardID != r.Result || cr.Limit != 100_000_00 || cr.CashLimit != 20_000_00 || cr.Cycle != creditcard.CycleEnd {
			t.Fatalf("credit card %+v, result %s", cr, r.Result)
		}
		c, _ := f.b.Cards.Find(f.ctx, cr.CardID)
		if c.Kind != card.Credit || c.Type != card.Visa || !c.Contactless || c.Supplementary {
			t.Fatalf("card %+v", c)
		}
		page, err := f.b.Audit.Search(f.ctx, audit.Filter{CustomerID: f.customer.ID, Action: creditcard.ActionOpened})
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Actor.ID != f.checker.Username {
			t.Fatalf("audit %+v, %v", page.Entries, err)
		}
	})
}

// What a credit card's opening asks for is checked before it waits for a second member: each refusal has its
// code and nothing is stored.
func TestABadCreditCardOpeningIsRefusedBeforeItWaits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		biz, err := f.b.Customers.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('K', 7).String(),
			CompanyName: "Furra e Lagjes Shpk", Mobile: "+355691234567", Representatives: []string{f.customer.ID}})
		if err != nil {
			t.Fatal(err)
		}
		good := operation.CreditOpening{CustomerID: f.customer.ID, Limit: 100_000_00, CashLimit: 20_000_00,
			Cycle: "start", Type: "mastercard"}
		cases := []struct {
			name string
			edit func(*operation.CreditOpening)
			code string
		}{
			{"a limit of zero", func(o *operation.CreditOpening) { o.Limit, o.CashLimit = 0, 0 }, "credit_limit_invalid"},
			{"a negative limit", func(o *operation.CreditOpening) { o.Limit = -1 }, "credit_limit_invalid"},
			{"a cash limit above the limit", func(o *operation.CreditOpening) { o.CashLimit = 100_000_01 }, "credit_limit_invalid"},
			{"a cycle neither start nor end", func(o *operation.CreditOpening) { o.Cycle = "mid" }, "credit_cycle_invalid"},
			{"a scheme the bank does not issue", func(o *operation.CreditOpening) { o.Type = "amex" }, "card_type_invalid"},
			{"an unknown customer", func(o *operation.CreditOpening) { o.CustomerID = "no-such-customer" }, "customer_not_found"},
			{"a business", func(o *operation.CreditOpening) { o.CustomerID = biz.ID }, "credit_customer_invalid"},
		}
		for _, c := range cases {
			ask := good
			c.edit(&ask)
			if _, err := f.b.Operations.OpenCreditCard(f.ctx, f.maker, ask); codeOf(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		if list, err := f.b.Approvals.List(f.ctx, f.checker, approval.Filter{}); err != nil || len(list) != 0 {
			t.Fatalf("requests waiting after refusals: %+v, %v", list, err)
		}
	})
}

// A supplementary card is issued at once, for another holder, on the same credit account; the customer holds it.
func TestStaffIssueASupplementaryCardAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, main, err := f.b.Credit.Open(f.ctx, creditcard.OpenRequest{CustomerID: f.customer.ID, Limit: 100_000_00,
			CashLimit: 20_000_00, Cycle: creditcard.CycleEnd, Type: card.Mastercard})
		if err != nil {
			t.Fatal(err)
		}
		req := creditcard.SupplementaryRequest{CardID: main.ID, Holder: "Drita Çela"}
		if _, err := f.b.Operations.IssueSupplementaryCard(f.ctx, f.teller, req); codeOf(err) != "staff_permission_denied" {
			t.Fatalf("a teller issued a supplementary card: %v", err)
		}
		if _, err := f.b.Operations.IssueSupplementaryCard(f.ctx, f.maker, creditcard.SupplementaryRequest{CardID: main.ID}); codeOf(err) != "validation_failed" {
			t.Fatalf("no holder: %v", err)
		}
		c, err := f.b.Operations.IssueSupplementaryCard(f.ctx, f.maker, req)
		if err != nil || !c.Supplementary || c.AccountID != cr.AccountID || c.CustomerID != f.customer.ID ||
			c.Holder != "DRITA ÇELA" || c.Type != card.Mastercard || c.Kind != card.Credit {
			t.Fatalf("IssueSupplementaryCard = %+v, %v", c, err)
		}
		page, err := f.b.Audit.Search(f.ctx, audit.Filter{CustomerID: f.customer.ID, Action: creditcard.ActionSupplementary})
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Actor.ID != f.maker.Username {
			t.Fatalf("audit %+v, %v", page.Entries, err)
		}
	})
}
