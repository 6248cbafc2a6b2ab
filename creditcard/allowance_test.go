package creditcard_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// The card network's authorisations of a credit card keep within its internet limit (F12) and its cash limit, as
// well as within its available limit. Alice's card: limit 100,000.00 ALL, cash limit 20,000.00; internet set to
// 10 % = 10,000.00.
func TestACreditCardsAuthorisationsKeepWithinItsInternetAndCashLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, c := f.open(t)
		if err := f.s.SetInternetLimit(f.ctx, f.alice.ID, c.ID, 10, "4739"); err != nil {
			t.Fatalf("internet limit: %v", err)
		}
		iss := &issuing.Service{DB: d, Clock: f.clk, Ledger: f.ledger, Cards: f.cards, Credit: f.s, ThreeDS: vouched{}}
		n := 0
		ask := func(minor int64, online, cash bool) issuing.Answer {
			t.Helper()
			n++
			r := issuing.Request{ID: fmt.Sprintf("net-%d", n), CardID: c.ID, Amount: money.New(minor, money.ALL),
				Merchant: "Dyqani", MCC: "5411", Country: "AL", CardPresent: !online}
			if online {
				// Authenticated by 3-D Secure, as online purchases beyond the low-value exemption are.
				r.ThreeDSRef, r.ThreeDSValue = fmt.Sprintf("3ds-%d", n), "value"
			}
			if cash {
				r.MCC, r.PIN, r.Merchant = "6011", "4739", "ATM Tiranë"
			}
			a, err := iss.Authorise(f.ctx, r)
			if err != nil {
				t.Fatalf("authorise: %v", err)
			}
			return a
		}
		steps := []struct {
			name         string
			minor        int64
			online, cash bool
			want         issuing.Reason // "" approved
		}{
			{"online 9,000.00 within 10,000.00", 900000, true, false, ""},
			{"online 1,000.01 more passes it", 100001, true, false, issuing.LimitReached},
			{"online 1,000.00 reaches it exactly", 100000, true, false, ""},
			{"a purchase in the shop is not online", 5000000, false, false, ""},
			{"cash 15,000.00 within 20,000.00", 1500000, false, true, ""},
			{"cash 5,000.01 more passes the cash limit", 500001, false, true, issuing.LimitReached},
			{"cash 5,000.00 reaches it exactly", 500000, false, true, ""},
		}
		for _, s := range steps {
			a := ask(s.minor, s.online, s.cash)
			if a.Approved != (s.want == "") || a.Reason != s.want {
				t.Errorf("%s: approved %v reason %q, want %q", s.name, a.Approved, a.Reason, s.want)
			}
		}
		allow, ok, err := f.s.Allowance(f.ctx, c.ID)
		if err != nil || !ok || allow.Internet != 1000000 || allow.Cash != 2000000 {
			t.Errorf("allowance %+v %v %v, want internet 10,000.00 and cash 20,000.00 (nothing cleared yet)", allow, ok, err)
		}
		if _, ok, err := f.s.Allowance(f.ctx, "no-such-card"); ok || err != nil {
			t.Errorf("a card that is no credit card: ok %v err %v", ok, err)
		}
		f.sound(t)
	})
}

// vouched stands for the bank's access control server vouching for every 3-D Secure result (package threeds
// checks them).
type vouched struct{}

func (vouched) Authenticate(context.Context, issuing.Authentication) (bool, error) { return true, nil }
