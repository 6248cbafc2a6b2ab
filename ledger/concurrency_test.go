package ledger_test

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// TestConcurrentRandomTransfersKeepInvariants drives many goroutines making random transfers among funded accounts,
// one of them hot (in about half of all transfers), some deliberately beyond the payer's means, through group
// commit, through Run directly, and through both at once. Afterwards no invariant is broken and no money was made
// or lost.
func TestConcurrentRandomTransfersKeepInvariants(t *testing.T) {
	const (
		accounts   = 24
		goroutines = 60
		perG       = 12
		deposit    = 100_000
	)
	beyond := func(i int) bool { return i%5 == 2 } // which transfers of each goroutine ask for too much
	for _, mode := range []struct {
		name   string
		start  bool
		submit func(g int) bool // whether goroutine g submits (group commit) or calls Run
	}{
		{"submit", true, func(int) bool { return true }},
		{"run", false, func(int) bool { return false }},
		{"submit and run at once", true, func(g int) bool { return g%2 == 0 }},
	} {
		t.Run(mode.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				var ids []string
				for range accounts {
					ids = append(ids, f.funded(t, deposit).ID)
				}
				hot := ids[0]
				if mode.start {
					f.l.Start(0)
					t.Cleanup(f.l.Close)
				}

				seed := uint64(time.Now().UnixNano())
				t.Logf("seed %d", seed)
				var ok, refused, hotOK atomic.Int64
				began := time.Now()
				var wg sync.WaitGroup
				for g := range goroutines {
					wg.Go(func() {
						rng := rand.New(rand.NewPCG(seed, uint64(g)))
						for i := range perG {
							from, to := ids[rng.IntN(accounts)], ids[rng.IntN(accounts)]
							if rng.IntN(2) == 0 { // the hot account is on one side of half the transfers
								if rng.IntN(2) == 0 {
									from = hot
								} else {
									to = hot
								}
							}
							for to == from {
								to = ids[rng.IntN(accounts)]
							}
							amount := 1 + rng.Int64N(deposit/4)
							if beyond(i) {
								amount = accounts*deposit + 1 // more than there is in all the accounts
							}
							op := transferOp(from, to, amount)
							var err error
							if mode.submit(g) {
								err = f.l.Submit(f.ctx, op)
							} else {
								err = f.l.Run(f.ctx, op)
							}
							switch {
							case err == nil:
								ok.Add(1)
								if from == hot || to == hot {
									hotOK.Add(1)
								}
							case kumbara.CodeOf(err) == "insufficient_funds":
								refused.Add(1)
							default:
								t.Errorf("transfer %d from goroutine %d: %v", i, g, err)
							}
						}
					})
				}
				wg.Wait()
				if mode.start {
					f.l.Close()
				}
				t.Logf("%d transfers in %v: %d committed (%d with the hot account), %d refused",
					goroutines*perG, time.Since(began).Round(time.Millisecond), ok.Load(), hotOK.Load(), refused.Load())

				deliberate := 0
				for i := range perG {
					if beyond(i) {
						deliberate++
					}
				}
				if ok.Load() == 0 || hotOK.Load() == 0 || refused.Load() < int64(goroutines*deliberate) {
					t.Errorf("committed %d (hot %d), refused %d: the run did not exercise both outcomes",
						ok.Load(), hotOK.Load(), refused.Load())
				}
				f.assertSound(t)
				var sum int64
				for _, id := range ids {
					a := f.get(t, id)
					if a.Balance < 0 || a.Held != 0 {
						t.Errorf("account %s: balance %d held %d", a.Name, a.Balance, a.Held)
					}
					sum += a.Balance
				}
				if sum != accounts*deposit {
					t.Errorf("accounts hold %d in all, deposited %d", sum, accounts*deposit)
				}
				if n, want := f.count(t, "SELECT COUNT(*) FROM postings"), 2*(accounts+int(ok.Load())); n != want {
					t.Errorf("%d postings, want %d", n, want)
				}
				if n := f.count(t, "SELECT COUNT(*) FROM postings WHERE account_id = ?", hot); int64(n) != 1+hotOK.Load() {
					t.Errorf("hot account has %d postings, want %d", n, 1+hotOK.Load())
				}
				if got := f.postings(t, hot); len(got) > 0 && got[len(got)-1].BalanceAfter != f.get(t, hot).Balance {
					t.Errorf("hot account's last running balance %d, balance %d", got[len(got)-1].BalanceAfter,
						f.get(t, hot).Balance)
				}
			})
		})
	}
}
