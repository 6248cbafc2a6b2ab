package recovery_test

import (
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/identity"
)

func TestConcurrentWrongPreviousPasswordsNeverGetPastTheLockout(t *testing.T) {
	const wrong = 20
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, country := docFixture(t, d)
		proofs := make([]identity.Proof, wrong+1)
		for i := range proofs {
			proofs[i] = f.docProof(country, "Nuk-Ishte9")
			if i == wrong/2 {
				proofs[i] = f.docProof(country, "Liqeni-Ohr2") // one of the last five
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, wrong+1)
		for i := range proofs {
			wg.Go(func() {
				_, errs[i] = f.start(f.alice.ClientNumber, identity.MethodIDDocument, proofs[i])
			})
		}
		wg.Wait()
		// Each wrong password checked stays counted, so the count says how many were checked.
		failures := func() int {
			t.Helper()
			var n int
			if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", f.alice.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := failures(); n > 5 {
			t.Errorf("%d failures counted: more than 5 previous passwords were checked", n)
		}
		if blocked, err := f.auth.Blocked(f.ctx, f.alice.ID); err != nil || !blocked {
			t.Errorf("Blocked = %v, %v; want the channel blocked", blocked, err)
		}
		for i, err := range errs {
			if i == wrong/2 {
				if err != nil && kumbara.CodeOf(err) != "recovery_failed" {
					t.Errorf("the right password: %v, want started or recovery_failed", err)
				}
			} else if kumbara.CodeOf(err) != "recovery_failed" {
				t.Errorf("wrong password %d: %v, want recovery_failed", i, err)
			}
		}
		// The right password is now refused like a wrong one, and nothing more is counted.
		_, err := f.start(f.alice.ClientNumber, identity.MethodIDDocument, f.docProof(country, currentPW))
		wantCode(t, err, "recovery_failed")
		if n := failures(); n > 5 {
			t.Errorf("%d failures counted after the block", n)
		}
		// Whoever logs in is told nothing more than of a wrong password (the customer learns of the block by SMS).
		if _, err := f.auth.Login(f.ctx, f.alice.ClientNumber, currentPW); kumbara.CodeOf(err) != "login_failed" {
			t.Errorf("login after the guesses: %v, want login_failed", err)
		}
	})
}
