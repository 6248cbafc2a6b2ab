package staff_test

import (
	"sync"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/staff"
)

// TestConcurrentGuessesCannotOutrunTheLockout: twenty wrong passwords at once are counted before they are checked,
// so exactly four are answered as wrong and the rest find the member locked.
func TestConcurrentGuessesCannotOutrunTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		codes := make([]string, 20)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Go(func() {
				_, err := f.s.Login(f.ctx, "teller", "Gabim#4826x")
				codes[i] = code(err)
			})
		}
		wg.Wait()
		n := map[string]int{}
		for _, c := range codes {
			n[c]++
		}
		if n["staff_login_failed"] != 4 || n["staff_locked"] != 16 {
			t.Errorf("answers to twenty wrong passwords at once: %v", n)
		}
	})
}

// TestACodeBroughtTwiceAtOnceOpensOneSession: two logins half-way bring the same code at the same moment; the
// step guard lets one of them through.
func TestACodeBroughtTwiceAtOnceOpensOneSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "service", staff.CustomerService)
		var steps [2]staff.Step
		for i := range steps {
			var err error
			if steps[i], err = f.s.Login(f.ctx, "service", pw); err != nil {
				t.Fatal(err)
			}
		}
		c := f.code(t, "service", f.clk.Now())
		var errs [2]error
		var wg sync.WaitGroup
		for i := range steps {
			wg.Go(func() { _, errs[i] = f.s.Verify(f.ctx, steps[i].Token, c) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two verifications of one code: %v, %v; want exactly one through", errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && code(err) != "staff_code_invalid" {
				t.Errorf("the second: %v, want staff_code_invalid", err)
			}
		}
	})
}
