package ledger_test

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// BenchmarkPostTransfer measures one transfer between two customer accounts on each engine: run is one op per
// database transaction (Run), submit is ~32 goroutines submitting to group commit (Submit after Start).
// submit-value-dates is submit with the ledger's calendar set, as `serve` runs it. PostgreSQL is skipped unless
// KUMBARA_TEST_POSTGRES is set.
func BenchmarkPostTransfer(b *testing.B) {
	const accounts = 64
	setup := func(b *testing.B, e db.Engine) (*fixture, []string) {
		f := newFixture(b, dbtest.Open(b, e))
		ids := make([]string, accounts)
		for i := range ids {
			ids[i] = f.funded(b, 1<<50).ID
		}
		return f, ids
	}
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			b.Run("run", func(b *testing.B) {
				f, ids := setup(b, e)
				rng := rand.New(rand.NewPCG(1, 2))
				for b.Loop() {
					from := rng.IntN(accounts)
					to := (from + 1 + rng.IntN(accounts-1)) % accounts
					if err := f.l.Run(f.ctx, transferOp(ids[from], ids[to], 100)); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				f.assertSound(b)
			})
			for _, withCalendar := range []bool{false, true} {
				name := "submit"
				if withCalendar {
					name = "submit-value-dates" // each batch asks the calendar for its value date (T14)
				}
				b.Run(name, func(b *testing.B) {
					f, ids := setup(b, e)
					if withCalendar {
						f.l.Calendar = &calendar.Service{DB: f.d, Clock: f.clk}
					}
					f.l.Start(0)
					defer f.l.Close()
					b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
					var seed atomic.Uint64
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						rng := rand.New(rand.NewPCG(seed.Add(1), 2))
						for pb.Next() {
							from := rng.IntN(accounts)
							to := (from + 1 + rng.IntN(accounts-1)) % accounts
							if err := f.l.Submit(f.ctx, transferOp(ids[from], ids[to], 100)); err != nil {
								b.Error(err)
								return
							}
						}
					})
					b.StopTimer()
					f.l.Close()
					f.assertSound(b)
				})
			}
		})
	}
}
