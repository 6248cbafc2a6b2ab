package creditcard_test

import (
	"fmt"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// A supplementary card (F13) spends the same credit account within its own share of the limit in the cycle; the
// main card is not bound by that share. Alice's card: limit 100,000.00 ALL, supplementary 30 % = 30,000.00.
func TestASupplementaryCardSpendsWithinItsShareOfTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, main := f.open(t)
		if err := f.s.SetSupplementaryLimit(f.ctx, f.alice.ID, main.ID, 30); err != nil {
			t.Fatal(err)
		}
		supp, err := f.s.IssueSupplementary(f.ctx, creditcard.SupplementaryRequest{CardID: main.ID, Holder: "Drita Hoxha"})
		if err != nil {
			t.Fatalf("IssueSupplementary: %v", err)
		}
		if !supp.Supplementary || supp.AccountID != cr.AccountID || supp.CustomerID != f.alice.ID ||
			supp.Holder != "DRITA HOXHA" || supp.Type != card.Visa {
			t.Fatalf("supplementary card %+v", supp)
		}
		iss := &issuing.Service{DB: d, Clock: f.clk, Ledger: f.ledger, Cards: f.cards, Credit: f.s}
		n := 0
		steps := []struct {
			name  string
			card  string
			minor int64
			want  issuing.Reason // "" approved
		}{
			{"30,000.01 on the supplementary card passes its 30,000.00", supp.ID, 3000001, issuing.LimitReached},
			{"30,000.00 on the supplementary card reaches it exactly", supp.ID, 3000000, ""},
			{"0.01 more on the supplementary card", supp.ID, 1, issuing.LimitReached},
			{"60,000.00 on the main card: not bound by the share", main.ID, 6000000, ""},
			{"10,000.01 on the main card passes the available 10,000.00", main.ID, 1000001, issuing.InsufficientFunds},
		}
		for _, s := range steps {
			n++
			a, err := iss.Authorise(f.ctx, issuing.Request{ID: fmt.Sprintf("net-%d", n), CardID: s.card,
				Amount: money.New(s.minor, money.ALL), Merchant: "Dyqani", MCC: "5411", Country: "AL", CardPresent: true})
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if a.Approved != (s.want == "") || a.Reason != s.want {
				t.Errorf("%s: approved %v reason %q, want %q", s.name, a.Approved, a.Reason, s.want)
			}
		}
		allow, ok, err := f.s.Allowance(f.ctx, supp.ID)
		if err != nil || !ok || !allow.Supplementary || allow.Own != 3000000 {
			t.Errorf("supplementary allowance %+v %v %v, want its own 30,000.00", allow, ok, err)
		}
		// Reprinting the main card leaves the supplementary card as it was; the new main card is not bound either.
		fresh, err := f.cards.Reprint(f.ctx, card.Staff(), main.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.cards.Find(f.ctx, supp.ID); got.Status != card.Active {
			t.Errorf("supplementary card %s after the main card's reprint", got.Status)
		}
		if allow, ok, err := f.s.Allowance(f.ctx, fresh.ID); err != nil || !ok || allow.Supplementary {
			t.Errorf("reprinted main card's allowance %+v %v %v", allow, ok, err)
		}
		if got, err := f.s.ByCard(f.ctx, supp.ID); err != nil || got.ID != cr.ID {
			t.Errorf("ByCard(supplementary) = %+v, %v", got, err)
		}
		f.sound(t)
	})
}

// Only a credit card takes a supplementary card, and it needs a holder's name.
func TestASupplementaryCardNeedsACreditCardAndAHolder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, main := f.open(t)
		debit, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.alice.ID, AccountID: f.current.ID,
			Type: card.Visa, PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			r    creditcard.SupplementaryRequest
			code string
		}{
			{"on a debit card", creditcard.SupplementaryRequest{CardID: debit.ID, Holder: "Drita Hoxha"}, "credit_card_not_found"},
			{"on no card", creditcard.SupplementaryRequest{CardID: "no-such-card", Holder: "Drita Hoxha"}, "credit_card_not_found"},
			{"without a holder", creditcard.SupplementaryRequest{CardID: main.ID, Holder: "  "}, "validation_failed"},
			{"with a scheme the bank does not issue", creditcard.SupplementaryRequest{CardID: main.ID, Holder: "Drita", Type: "amex"}, "card_type_invalid"},
		}
		for _, c := range cases {
			if _, err := f.s.IssueSupplementary(f.ctx, c.r); code(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		cards, _ := f.cards.List(f.ctx, f.alice.ID)
		if len(cards) != 2 {
			t.Errorf("%d cards after the refusals, want the credit and the debit card", len(cards))
		}
	})
}
