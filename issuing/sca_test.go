package issuing_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// acs stands for the bank's access control server (package threeds, whose own tests check each rule of an
// approval: its value, card, amount, status and single use): it vouches for the references it was told, each for
// one authorisation.
type acs struct {
	mu     sync.Mutex
	good   map[string]string // reference → value
	usedBy map[string]string // reference → authorisation
	asked  []issuing.Authentication
}

func (a *acs) Authenticate(_ context.Context, x issuing.Authentication) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, x)
	if v, ok := a.good[x.Reference]; !ok || v != x.Value {
		return false, nil
	}
	if u := a.usedBy[x.Reference]; u != "" && u != x.AuthorisationID {
		return false, nil
	}
	a.usedBy[x.Reference] = x.AuthorisationID
	return true, nil
}

// online is an online purchase in the euro area of amount (minor units) in currency.
func online(cardID string, minor int64, cur money.Currency) issuing.Request {
	r := req(cardID, minor)
	r.Amount, r.CardPresent, r.EntryMode, r.Country = money.New(minor, cur), false, "", "AL"
	return r
}

// An online purchase carrying a 3-D Secure result is approved only when the access control server vouches for
// it for this card and amount; otherwise it is declined authentication_failed with nothing held, and a result
// used by one authorisation does not authenticate another. Purchases in the shop are not asked.
func TestAnOnlinePurchaseWith3DSecureIsApprovedOnlyWhenTheBankVouchesForIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		server := &acs{good: map[string]string{"3ds-1": "value-1", "3ds-2": "value-2"}, usedBy: map[string]string{}}
		f.svc.ThreeDS = server
		c, acc := f.holder(t, 10_000_000)
		with := func(ref, value string, minor int64) issuing.Request {
			r := online(c.ID, minor, money.EUR)
			r.ThreeDSRef, r.ThreeDSValue = ref, value
			return r
		}
		first := with("3ds-1", "value-1", 450_00)
		steps := []struct {
			name string
			r    issuing.Request
			want issuing.Reason
		}{
			{"the value vouched for, 450 EUR", first, ""},
			{"the same request again: its first answer", first, ""},
			{"the same result for another authorisation", with("3ds-1", "value-1", 450_00), issuing.AuthenticationFailed},
			{"a wrong value", with("3ds-2", "value-1", 80_00), issuing.AuthenticationFailed},
			{"an unknown reference", with("3ds-9", "value-9", 80_00), issuing.AuthenticationFailed},
			{"a value without a reference", with("", "value-2", 80_00), issuing.AuthenticationFailed},
			{"the other result, 80 EUR", with("3ds-2", "value-2", 80_00), ""},
		}
		for _, s := range steps {
			f.clk.Advance(time.Second)
			a := f.authorise(t, s.r)
			if a.Approved != (s.want == "") || a.Reason != s.want {
				t.Errorf("%s: approved %v reason %q, want %q", s.name, a.Approved, a.Reason, s.want)
			}
		}
		if len(server.asked) == 0 || server.asked[0].CardID != c.ID || server.asked[0].Amount != money.New(450_00, money.EUR) ||
			server.asked[0].AuthorisationID != first.ID {
			t.Errorf("the server was asked %+v", server.asked)
		}
		// (450 + 80) EUR at the card network's rate, 99.55 lek a euro.
		if got, want := f.get(t, acc.ID).Held, int64(530_00*9955/100); got != want {
			t.Errorf("held %d, want %d", got, want)
		}
		shop := req(c.ID, 10_000_00)
		shop.ThreeDSRef, shop.ThreeDSValue = "3ds-1", "wrong"
		if a := f.authorise(t, shop); !a.Approved {
			t.Errorf("a purchase in the shop is not asked for 3-D Secure: %+v", a)
		}
		f.svc.ThreeDS = nil
		if a := f.authorise(t, with("3ds-2", "value-2", 5_00)); a.Approved || a.Reason != issuing.AuthenticationFailed {
			t.Errorf("without an access control server: %+v, want authentication_failed", a)
		}
		f.sound(t)
	})
}

// An online purchase without 3-D Secure is approved within the low-value exemption (PSD2 RTS art. 16): up to
// 30 EUR (exactly 30.00 passes, 30.01 does not; another currency counted in euro at the card network's rate),
// and while the card's unauthenticated ones since its last authenticated one stay at most 5 and 100 EUR with
// it; beyond, authentication_required. An authenticated purchase starts the count again; a purchase in the shop
// and an incremental authorisation are not asked.
func TestAnOnlinePurchaseWithout3DSecureNeedsItBeyondTheLowValueExemption(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.ThreeDS = &acs{good: map[string]string{"3ds-1": "v1", "3ds-2": "v2"}, usedBy: map[string]string{}}
		type step struct {
			name  string
			minor int64
			cur   money.Currency
			ref   string // an authenticated one
			want  issuing.Reason
		}
		run := func(t *testing.T, cardID string, steps []step) {
			t.Helper()
			for _, s := range steps {
				f.clk.Advance(time.Second)
				r := online(cardID, s.minor, s.cur)
				if s.ref != "" {
					r.ThreeDSRef, r.ThreeDSValue = s.ref, map[string]string{"3ds-1": "v1", "3ds-2": "v2"}[s.ref]
				}
				a := f.authorise(t, r)
				if a.Approved != (s.want == "") || a.Reason != s.want {
					t.Errorf("%s: approved %v reason %q, want %q", s.name, a.Approved, a.Reason, s.want)
				}
			}
		}
		t.Run("the amount", func(t *testing.T) {
			c, acc := f.holder(t, 10_000_000)
			run(t, c.ID, []step{
				{"30.01 EUR, one cent above", 30_01, money.EUR, "", issuing.AuthenticationRequired},
				{"30.00 EUR exactly", 30_00, money.EUR, "", ""},
				// Lek counted in euro at the card network's rate (97.50 lek a euro bought, with its margin).
				{"2,990.00 lek, above 30 EUR", 2_990_00, money.ALL, "", issuing.AuthenticationRequired},
				{"2,800.00 lek, within", 2_800_00, money.ALL, "", ""},
			})
			if got := f.get(t, acc.ID).Held; got != 30_00*9955/100+2_800_00 {
				t.Errorf("held %d: the declined ones hold nothing", got)
			}
			declined, err := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Declined, 0)
			if err != nil || len(declined) != 2 || declined[0].Reason != issuing.AuthenticationRequired ||
				declined[0].Amount != money.New(2_990_00, money.ALL) {
				t.Errorf("the holder's declined list %+v %v", declined, err)
			}
			shop := req(c.ID, 10_000_00)
			if a := f.authorise(t, shop); !a.Approved {
				t.Errorf("a purchase in the shop of 10,000.00 lek: %+v", a)
			}
		})
		t.Run("the count", func(t *testing.T) {
			c, _ := f.holder(t, 10_000_000)
			run(t, c.ID, []step{
				{"1st", 1_00, money.EUR, "", ""}, {"2nd", 1_00, money.EUR, "", ""}, {"3rd", 1_00, money.EUR, "", ""},
				{"4th", 1_00, money.EUR, "", ""}, {"5th", 1_00, money.EUR, "", ""},
				{"6th in a row", 1_00, money.EUR, "", issuing.AuthenticationRequired},
				{"an authenticated one", 1_00, money.EUR, "3ds-1", ""},
				{"1st after it", 1_00, money.EUR, "", ""},
			})
		})
		t.Run("the total", func(t *testing.T) {
			c, _ := f.holder(t, 10_000_000)
			run(t, c.ID, []step{
				{"25 EUR", 25_00, money.EUR, "", ""}, {"50 EUR", 25_00, money.EUR, "", ""},
				{"75 EUR", 25_00, money.EUR, "", ""}, {"100 EUR exactly", 25_00, money.EUR, "", ""},
				{"100.01 EUR", 1, money.EUR, "", issuing.AuthenticationRequired},
				{"an authenticated one", 200_00, money.EUR, "3ds-2", ""},
				{"25 EUR after it", 25_00, money.EUR, "", ""},
			})
		})
		t.Run("an incremental authorisation", func(t *testing.T) {
			c, _ := f.holder(t, 10_000_000)
			first := online(c.ID, 20_00, money.EUR)
			if a := f.authorise(t, first); !a.Approved {
				t.Fatalf("first: %+v", a)
			}
			more := online(c.ID, 90_00, money.EUR)
			more.OriginalID = first.ID
			if a := f.authorise(t, more); !a.Approved {
				t.Errorf("an incremental authorisation of 90 EUR: %+v", a)
			}
		})
		f.sound(t)
	})
}

// The exemption's limits are the bank's to set (issuing.Config).
func TestTheLowValueExemptionIsConfigured(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.Config = issuing.Config{LowValueLimit: 50_00, LowValueCount: 1}
		c, _ := f.holder(t, 10_000_000)
		if a := f.authorise(t, online(c.ID, 50_00, money.EUR)); !a.Approved {
			t.Errorf("50 EUR within a limit of 50: %+v", a)
		}
		f.clk.Advance(time.Second)
		if a := f.authorise(t, online(c.ID, 1_00, money.EUR)); a.Reason != issuing.AuthenticationRequired {
			t.Errorf("a 2nd with a count of 1: %+v", a)
		}
	})
}
