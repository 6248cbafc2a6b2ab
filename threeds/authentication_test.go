package threeds_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/threeds"
)

// The network learns an approval's authentication value only once the holder approved it, and the issuer's
// authorisation redeems it only for the approval's card, amount and currency, with the right value, once: each
// other use is refused with nothing changed.
func TestAnApprovedPurchaseAuthenticatesOneAuthorisationOfTheSameCardAndAmount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h, other := f.holder(t), f.holder(t)
		approved := func(t *testing.T, amount int64) (threeds.Approval, string) {
			t.Helper()
			a := f.ask(t, h, "Librari Adrion", amount, money.EUR)
			if o, err := f.svc.Outcome(f.ctx, a.NetworkRef); err != nil || o.Status != threeds.Pending || o.Value != "" {
				t.Fatalf("pending outcome %+v %v: no value before approval", o, err)
			}
			if _, err := f.svc.Approve(f.ctx, h.ID, a.ID, f.proof(t, h, a, sca.MethodSMS, nil)); err != nil {
				t.Fatalf("Approve: %v", err)
			}
			o, err := f.svc.Outcome(f.ctx, a.NetworkRef)
			if err != nil || o.Status != threeds.Approved || len(o.Value) != 28 {
				t.Fatalf("approved outcome %+v %v, want a 28-character value", o, err)
			}
			return a, o.Value
		}
		use := func(a threeds.Approval, value string) threeds.Use {
			return threeds.Use{NetworkRef: a.NetworkRef, Value: value, CardID: a.CardID, Amount: a.Amount,
				AuthorisationID: "auth-" + a.NetworkRef}
		}
		tests := []struct {
			name string
			use  func(t *testing.T) threeds.Use
			want bool
		}{
			{"the right value", func(t *testing.T) threeds.Use { a, v := approved(t, 45_00); return use(a, v) }, true},
			{"a wrong value", func(t *testing.T) threeds.Use {
				a, v := approved(t, 45_00)
				u := use(a, v)
				u.Value = "A" + v[1:]
				if u.Value == v {
					u.Value = "B" + v[1:]
				}
				return u
			}, false},
			{"no value", func(t *testing.T) threeds.Use { a, _ := approved(t, 45_00); return use(a, "") }, false},
			{"another card", func(t *testing.T) threeds.Use {
				a, v := approved(t, 45_00)
				u := use(a, v)
				u.CardID = other.card.ID
				return u
			}, false},
			{"another amount", func(t *testing.T) threeds.Use {
				a, v := approved(t, 45_00)
				u := use(a, v)
				u.Amount = money.New(44_99, money.EUR)
				return u
			}, false},
			{"another currency", func(t *testing.T) threeds.Use {
				a, v := approved(t, 45_00)
				u := use(a, v)
				u.Amount = money.New(45_00, money.USD)
				return u
			}, false},
			{"another approval's value", func(t *testing.T) threeds.Use {
				a, _ := approved(t, 45_00)
				_, v := approved(t, 45_00)
				return use(a, v)
			}, false},
			{"pending", func(t *testing.T) threeds.Use { return use(f.ask(t, h, "Librari Adrion", 45_00, money.EUR), "x") }, false},
			{"rejected", func(t *testing.T) threeds.Use {
				a := f.ask(t, h, "Librari Adrion", 45_00, money.EUR)
				if _, err := f.svc.Reject(f.ctx, h.ID, a.ID); err != nil {
					t.Fatal(err)
				}
				return use(a, "x")
			}, false},
			{"expired", func(t *testing.T) threeds.Use {
				a := f.ask(t, h, "Librari Adrion", 45_00, money.EUR)
				f.clk.Advance(threeds.DefaultValidity)
				if o, err := f.svc.Outcome(f.ctx, a.NetworkRef); err != nil || o.Status != threeds.Expired || o.Value != "" {
					t.Fatalf("expired outcome %+v %v", o, err)
				}
				return use(a, "x")
			}, false},
			{"an unknown reference", func(t *testing.T) threeds.Use {
				return threeds.Use{NetworkRef: "no-such-ref", Value: "x", CardID: h.card.ID, Amount: money.New(1, money.EUR)}
			}, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ok, err := f.svc.Redeem(f.ctx, tc.use(t))
				if err != nil || ok != tc.want {
					t.Fatalf("Redeem = %v, %v; want %v", ok, err, tc.want)
				}
			})
		}
		t.Run("used twice", func(t *testing.T) {
			a, v := approved(t, 12_00)
			first := use(a, v)
			if ok, err := f.svc.Redeem(f.ctx, first); !ok || err != nil {
				t.Fatalf("first use: %v %v", ok, err)
			}
			if ok, err := f.svc.Redeem(f.ctx, first); !ok || err != nil {
				t.Errorf("the same authorisation again (a repeat): %v %v, want true", ok, err)
			}
			second := first
			second.AuthorisationID = "auth-another"
			if ok, err := f.svc.Redeem(f.ctx, second); ok || err != nil {
				t.Errorf("another authorisation: %v %v, want false", ok, err)
			}
			f.clk.Advance(time.Hour)
			if ok, _ := f.svc.Redeem(f.ctx, second); ok {
				t.Error("another authorisation an hour later was authenticated")
			}
		})
	})
}
