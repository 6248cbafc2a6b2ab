package issuing_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// TestUnclearedHoldsExpireAfterSevenDaysOrThirtyForHotelsAndCarRental: a shop's hold is released by the ledger's
// expiry on day 7, a hotel's and a car rental's only on day 30; an expired authorisation is no longer pending,
// and a late presentment of it posts without a hold.
func TestUnclearedHoldsExpireAfterSevenDaysOrThirtyForHotelsAndCarRental(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		shop := req(c.ID, 10_000)
		hotel := req(c.ID, 20_000)
		hotel.MCC = "3502"
		car := req(c.ID, 30_000)
		car.MCC = "7512"
		for _, r := range []issuing.Request{shop, hotel, car} {
			f.authorise(t, r)
		}
		held := func() int64 { return f.get(t, acc.ID).Held }
		step := func(days int) {
			f.clk.Set(t0.AddDate(0, 0, days).Add(time.Minute))
			if _, err := f.l.ExpireHolds(f.ctx, 100); err != nil {
				t.Fatalf("ExpireHolds: %v", err)
			}
		}
		step(6)
		if held() != 60_000 {
			t.Errorf("day 6: held %d", held())
		}
		step(7)
		if held() != 50_000 {
			t.Errorf("day 7: held %d, want the hotel's and the car's", held())
		}
		step(29)
		if held() != 50_000 {
			t.Errorf("day 29: held %d", held())
		}
		step(30)
		if held() != 0 {
			t.Errorf("day 30: held %d", held())
		}
		if p, _ := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Pending, 0); len(p) != 0 {
			t.Errorf("pending after expiry: %+v", p)
		}
		f.clear(t, "F1", presentment("P1", shop.ID, c.ID, issuing.KindPurchase, money.New(10_000, money.ALL)))
		if a := f.get(t, acc.ID); a.Balance != 490_000 || a.Held != 0 {
			t.Errorf("late presentment: balance %d held %d", a.Balance, a.Held)
		}
		f.sound(t)
	})
}

// TestTheLongHoldCategoriesAreHotelsAndCarRental: the documented MCC ranges.
func TestTheLongHoldCategoriesAreHotelsAndCarRental(t *testing.T) {
	for mcc, want := range map[string]bool{"3351": true, "3441": true, "3442": false, "3501": true, "3999": true,
		"7011": true, "7512": true, "7513": true, "7519": true, "5411": false, "6011": false, "4000": false, "x011": false} {
		if got := issuing.LongHoldMCC(mcc); got != want {
			t.Errorf("LongHoldMCC(%s) = %v", mcc, got)
		}
	}
}

// TestAClearingFileOutOfTheFormatIsRefusedWhole: header, trailer, counts, sums, kinds, amounts and ids.
func TestAClearingFileOutOfTheFormatIsRefusedWhole(t *testing.T) {
	good := "H,F1,2026-03-02\nP,P1,,C1,purchase,100,ALL,5411,Shop\nT,1,100\n"
	if _, err := issuing.Parse([]byte(good)); err != nil {
		t.Fatalf("good file: %v", err)
	}
	for _, bad := range []string{
		"", "P,P1,,C1,purchase,100,ALL,5411,Shop\nT,1,100\n", "H,F1,2026-13-02\nT,0,0\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,100,ALL,5411,Shop\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,100,ALL,5411,Shop\nT,2,100\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,100,ALL,5411,Shop\nT,1,101\n",
		"H,F1,2026-03-02\nP,P1,,C1,gift,100,ALL,5411,Shop\nT,1,100\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,-100,ALL,5411,Shop\nT,1,-100\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,100,XXX,5411,Shop\nT,1,100\n",
		"H,F1,2026-03-02\nP,P1,,C1,purchase,100,ALL,5411,Shop\nP,P1,,C1,purchase,100,ALL,5411,Shop\nT,2,200\n",
		"H,F1,2026-03-02\nT,0,0\nT,0,0\n",
	} {
		if _, err := issuing.Parse([]byte(bad)); err == nil {
			t.Errorf("taken: %q", bad)
		}
	}
}

// FuzzParse: whatever the network sends, Parse never panics, and what it takes it writes back the same.
func FuzzParse(f *testing.F) {
	f.Add([]byte("H,F1,2026-03-02\nP,P1,A1,C1,purchase,100,ALL,5411,Shop\nP,P2,,C1,refund,5,EUR,5411,\"Shop, Tirana\"\nT,2,105\n"))
	f.Add([]byte("H,F1,2026-03-02\nT,0,0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := issuing.Parse(data)
		if err != nil {
			return
		}
		again, err := issuing.Parse(issuing.Format(file))
		if err != nil {
			t.Fatalf("a file taken and written back is refused: %v", err)
		}
		if !bytes.Equal(issuing.Format(again), issuing.Format(file)) {
			t.Fatalf("written back differently")
		}
	})
}
