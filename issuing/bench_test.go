package issuing_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// terminals is how many terminals drive the network at once (issue #13's performance target).
const terminals = 32

// cardsPerTerminal is how many cards each terminal sees in turn: a network's authorisations come from many cards,
// a few a day each (as `kumbara bench --cards` does).
const cardsPerTerminal = 16

// BenchmarkAuthorise measures authorisations through the card network sandbox, 32 terminals at once, each with 16
// cards of its own (a tenth of the purchases paying in euros from a lek account), on each engine: authorisations/s and the 99th
// percentile of one authorisation's time (the targets: ≥ 2,000/s, p99 ≤ 50 ms). PostgreSQL is skipped unless
// KUMBARA_TEST_POSTGRES is set.
func BenchmarkAuthorise(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			f := newFixture(b, dbtest.Open(b, e))
			var net interface {
				Authorise(context.Context, issuing.Request) (issuing.Answer, error)
			} = &cardnetwork.Sandbox{DB: f.d, Clock: f.clk, Issuer: f.svc}
			if os.Getenv("BENCH_ISSUER_ONLY") != "" {
				net = f.svc
			}
			var cards []card.Card
			for range terminals * cardsPerTerminal {
				c, _ := f.holder(b, 1<<50)
				f.cards.set(c.ID, func(s *card.Spendable) { s.Controls.DailyPurchaseLimit = 1 << 60 })
				cards = append(cards, c)
			}
			var next atomic.Int64
			lat := make([][]time.Duration, terminals)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i := range terminals {
				wg.Go(func() {
					for {
						n := next.Add(1)
						if n > int64(b.N) {
							return
						}
						r := req(cards[i*cardsPerTerminal+int(n)%cardsPerTerminal].ID, 100+n%900)
						r.ID = fmt.Sprintf("bench-%s-%d", e, n)
						if n%10 == 0 {
							r.Amount.Currency = money.EUR
						}
						t0 := time.Now()
						a, err := net.Authorise(f.ctx, r)
						lat[i] = append(lat[i], time.Since(t0))
						if err != nil || !a.Approved {
							b.Errorf("authorise: %+v %v", a, err)
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			all := slices.Concat(lat...)
			slices.Sort(all)
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "auths/s")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99_ms")
			f.sound(b)
		})
	}
}

// BenchmarkClearingFile measures a clearing file of 100,000 presentments of as many authorisations (the target:
// posted in ≤ 60 s), on each engine. Run it with -benchtime=1x.
func BenchmarkClearingFile(b *testing.B) {
	presentments := 100_000
	if n, err := strconv.Atoi(os.Getenv("BENCH_PRESENTMENTS")); err == nil && n > 0 {
		presentments = n // a shorter run, for a profile
	}
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			f := newFixture(b, dbtest.Open(b, e))
			var cards []card.Card
			for range terminals * cardsPerTerminal {
				c, _ := f.holder(b, 1<<50)
				f.cards.set(c.ID, func(s *card.Spendable) { s.Controls.DailyPurchaseLimit = 1 << 60 })
				cards = append(cards, c)
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ps := make([]issuing.Presentment, presentments)
				var wg sync.WaitGroup
				var next atomic.Int64
				for range 64 {
					wg.Go(func() {
						for {
							n := int(next.Add(1)) - 1
							if n >= presentments {
								return
							}
							c := cards[n%terminals]
							r := req(c.ID, 1_000)
							r.ID = fmt.Sprintf("clr-%d-%d", i, n)
							if _, err := f.svc.Authorise(f.ctx, r); err != nil {
								b.Error(err)
								return
							}
							ps[n] = presentment(fmt.Sprintf("P-%d-%d", i, n), r.ID, c.ID, issuing.KindPurchase,
								money.New(900+int64(n%200), money.ALL))
						}
					})
				}
				wg.Wait()
				file := issuing.Format(issuing.File{ID: fmt.Sprint("F", i), BusinessDate: calendar.DateOf(f.clk.Now()), Presentments: ps})
				b.StartTimer()
				t0 := time.Now()
				res, err := f.svc.Clear(f.ctx, file)
				took := time.Since(t0)
				if err != nil || res.Posted != presentments {
					b.Fatalf("clear: %+v %v", res, err)
				}
				b.ReportMetric(took.Seconds(), "s/file")
			}
			b.StopTimer()
			f.sound(b)
		})
	}
}
