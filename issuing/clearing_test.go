package issuing_test

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

func all(minor int64) money.Amount { return money.New(minor, money.ALL) }

// TestClearingCapturesTheHoldFullyPartlyOrBeyond: 100.00 authorised three times, cleared for 100.00 (captured
// whole), 80.00 (captured, the other 20.00 released) and 130.00 (released, 130.00 posted): the account pays
// 310.00, holds nothing, and the bank owes the network 310.00.
func TestClearingCapturesTheHoldFullyPartlyOrBeyond(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		var auths []string
		for range 3 {
			r := req(c.ID, 10_000)
			f.authorise(t, r)
			auths = append(auths, r.ID)
		}
		res := f.clear(t, "F1",
			presentment("P1", auths[0], c.ID, issuing.KindPurchase, all(10_000)),
			presentment("P2", auths[1], c.ID, issuing.KindPurchase, all(8_000)),
			presentment("P3", auths[2], c.ID, issuing.KindPurchase, all(13_000)))
		if res.Posted != 3 || res.Exceptions != 0 {
			t.Errorf("result %+v", res)
		}
		if a := f.get(t, acc.ID); a.Balance != 500_000-31_000 || a.Held != 0 {
			t.Errorf("balance %d held %d", a.Balance, a.Held)
		}
		if s := f.gl(t, ledger.TypeCardSettlement, money.ALL); s.Balance != 31_000 {
			t.Errorf("card settlement %d", s.Balance)
		}
		pending, _ := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Pending, 0)
		done, _ := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Completed, 0)
		if len(pending) != 0 || len(done) != 3 {
			t.Errorf("%d pending, %d completed", len(pending), len(done))
		}
		f.sound(t)
	})
}

// TestAClearingFileDeliveredTwicePostsOnce: the same file again posts nothing; a presentment id reused with
// other content is an error, not a second posting.
func TestAClearingFileDeliveredTwicePostsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		r := req(c.ID, 10_000)
		f.authorise(t, r)
		p := presentment("P1", r.ID, c.ID, issuing.KindPurchase, all(10_000))
		f.clear(t, "F1", p)
		if res := f.clear(t, "F1", p); res.Repeated != 1 || res.Posted != 0 {
			t.Errorf("again: %+v", res)
		}
		if a := f.get(t, acc.ID); a.Balance != 490_000 {
			t.Errorf("balance %d", a.Balance)
		}
		p.Amount.Minor = 1
		if _, err := f.svc.Clear(f.ctx, issuing.Format(issuing.File{ID: "F2", Presentments: []issuing.Presentment{p}})); err == nil {
			t.Error("a presentment id reused with another amount was taken")
		}
		f.sound(t)
	})
}

// TestAPresentmentWithoutAuthorisationPostsOrBecomesAnException: a purchase never authorised posts from the
// card's account; one beyond the balance, and one for an unknown card, are booked to suspense for staff.
func TestAPresentmentWithoutAuthorisationPostsOrBecomesAnException(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 50_000)
		res := f.clear(t, "F1",
			presentment("P1", "", c.ID, issuing.KindPurchase, all(20_000)),
			presentment("P2", "", c.ID, issuing.KindPurchase, all(90_000)),
			presentment("P3", "", "no-such-card", issuing.KindPurchase, all(5_000)))
		if res.Posted+res.Exceptions != 3 || res.Exceptions < 2 {
			t.Errorf("result %+v", res)
		}
		if a := f.get(t, acc.ID); a.Balance != 30_000 {
			t.Errorf("balance %d, want 30000", a.Balance)
		}
		if s := f.gl(t, ledger.TypeSuspense, money.ALL); s.Balance != -95_000 {
			t.Errorf("suspense %d, want -95000", s.Balance)
		}
		f.sound(t)
	})
}

// TestAReversalReleasesTheHold: reversed, the hold is gone and the authorisation no longer pending or counted
// towards the day; a second reversal is card_authorisation_not_reversible.
func TestAReversalReleasesTheHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		r := req(c.ID, 10_000)
		f.authorise(t, r)
		if err := f.svc.Reverse(f.ctx, r.ID); err != nil {
			t.Fatalf("Reverse: %v", err)
		}
		if a := f.get(t, acc.ID); a.Held != 0 || a.Balance != 500_000 {
			t.Errorf("balance %d held %d", a.Balance, a.Held)
		}
		if err := f.svc.Reverse(f.ctx, r.ID); !errors.Is(err, issuing.ErrNotReversible) {
			t.Errorf("again: %v", err)
		}
		if err := f.svc.Reverse(f.ctx, "unknown"); !errors.Is(err, issuing.ErrAuthorisationNotFound) {
			t.Errorf("unknown: %v", err)
		}
		if p, _, _ := f.svc.SpentToday(f.ctx, c.ID); p != 0 {
			t.Errorf("spent today %d", p)
		}
		f.sound(t)
	})
}

// TestAnIncrementalAuthorisationClearsWithItsOriginal: a hotel's 200.00 and 50.00 more, cleared at 240.00: both
// holds lifted, 240.00 paid.
func TestAnIncrementalAuthorisationClearsWithItsOriginal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		r := req(c.ID, 20_000)
		r.MCC = "7011"
		f.authorise(t, r)
		more := req(c.ID, 5_000)
		more.MCC, more.OriginalID = "7011", r.ID
		if got := f.authorise(t, more); !got.Approved {
			t.Fatalf("incremental: %+v", got)
		}
		if a := f.get(t, acc.ID); a.Held != 25_000 {
			t.Errorf("held %d", a.Held)
		}
		f.clear(t, "F1", presentment("P1", r.ID, c.ID, issuing.KindPurchase, all(24_000)))
		if a := f.get(t, acc.ID); a.Held != 0 || a.Balance != 476_000 {
			t.Errorf("balance %d held %d", a.Balance, a.Held)
		}
		f.sound(t)
	})
}

// TestARefundCreditsTheAccount: a refund of 35.00 without authorisation credits the card's account from the
// card settlement account.
func TestARefundCreditsTheAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		f.clear(t, "F1", presentment("R1", "", c.ID, issuing.KindRefund, all(3_500)))
		if a := f.get(t, acc.ID); a.Balance != 503_500 {
			t.Errorf("balance %d", a.Balance)
		}
		done, _ := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Completed, 0)
		if len(done) != 1 || done[0].Kind != issuing.KindRefund {
			t.Errorf("completed %+v", done)
		}
		f.sound(t)
	})
}

// TestAChargebackWonCreditsBackWhatThePurchaseTook: a disputed EUR purchase paid from a lek account (122,944
// lek at 99.55) is credited back exactly 122,944 when won; a second dispute on it and a second decision are
// refused; a lost dispute moves nothing.
func TestAChargebackWonCreditsBackWhatThePurchaseTook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		f.clear(t, "F1", presentment("P1", "", c.ID, issuing.KindPurchase, money.New(1_235, money.EUR)),
			presentment("P2", "", c.ID, issuing.KindPurchase, all(1_000)))
		if a := f.get(t, acc.ID); a.Balance != 500_000-122_944-1_000 {
			t.Fatalf("balance %d", a.Balance)
		}
		dp, err := f.svc.OpenDispute(f.ctx, "P1", "Mallrat nuk arritën", "backoffice")
		if err != nil || dp.Status != issuing.DisputeOpen {
			t.Fatalf("OpenDispute: %+v %v", dp, err)
		}
		if _, err := f.svc.OpenDispute(f.ctx, "P1", "Përsëri", "backoffice"); !errors.Is(err, issuing.ErrNotDisputable) {
			t.Errorf("second dispute: %v", err)
		}
		won, err := f.svc.DecideDispute(f.ctx, dp.ID, true, "manager")
		if err != nil || won.Status != issuing.DisputeWon || won.EntryID == "" {
			t.Fatalf("DecideDispute: %+v %v", won, err)
		}
		if _, err := f.svc.DecideDispute(f.ctx, dp.ID, false, "manager"); !errors.Is(err, issuing.ErrDisputeDecided) {
			t.Errorf("second decision: %v", err)
		}
		lost, err := f.svc.OpenDispute(f.ctx, "P2", "Nuk e njoh", "backoffice")
		if err != nil {
			t.Fatal(err)
		}
		if lost, err = f.svc.DecideDispute(f.ctx, lost.ID, false, "manager"); err != nil || lost.Status != issuing.DisputeLost {
			t.Errorf("lost: %+v %v", lost, err)
		}
		if a := f.get(t, acc.ID); a.Balance != 500_000-1_000 {
			t.Errorf("balance after the chargeback %d", a.Balance)
		}
		if s := f.gl(t, ledger.TypeCardSettlement, money.EUR); s.Balance != 0 {
			t.Errorf("card settlement EUR %d", s.Balance)
		}
		open, err := f.svc.Disputes(f.ctx, issuing.DisputeOpen, 10)
		if err != nil || len(open) != 0 {
			t.Errorf("open disputes %+v %v", open, err)
		}
		f.sound(t)
	})
}
