package staff_test

import (
	"sync"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/staff"
)

// TestConcurrentGuessesCannotOutrunTheLockout: twenty wrong passwords at once are counted before they are checked,
// so five of them are checked at most (the count stops at the lock) and every other finds the member locked; a
// wrong one answered after the lock says so too.
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
		if n["staff_login_failed"] > 4 || n["staff_login_failed"]+n["staff_locked"] != len(codes) {
			t.Errorf("answers to twenty wrong passwords at once: %v", n)
		}
		var failures int
		if err := d.QueryRow(f.ctx, "SELECT failures FROM staff WHERE username = 'teller'").Scan(&failures); err != nil ||
			failures != 5 {
			t.Errorf("%d guesses were checked (%v), want 5", failures, err)
		}
		if m, _ := f.s.ByUsername(f.ctx, "teller"); !m.Locked {
			t.Error("the member is not locked")
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
