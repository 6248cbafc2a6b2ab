package ledger_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// TestExpireHoldsReleasesWhatIsDueOnce: the expiry job releases the holds whose time has passed, within its limit,
// gives the money back to the available balance, and a second run finds nothing more to do.
func TestExpireHoldsReleasesWhatIsDueOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.funded(t, 10_000)
		for _, after := range []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour} {
			if _, err := f.placeHold(t, a.ID, 100, t0.Add(after)); err != nil {
				t.Fatal(err)
			}
		}
		f.clk.Set(t0.Add(150 * time.Minute))
		for _, want := range []int{1, 1, 0} {
			n, err := f.l.ExpireHolds(f.ctx, 1)
			if err != nil || n != want {
				t.Fatalf("ExpireHolds = %d, %v; want %d", n, err, want)
			}
		}
		f.assertBalance(t, a.ID, 10_000, 100)
		if got := f.count(t, "SELECT COUNT(*) FROM holds WHERE status = ?", string(ledger.HoldExpired)); got != 2 {
			t.Errorf("%d expired holds, want 2", got)
		}
		f.assertSound(t)
	})
}
