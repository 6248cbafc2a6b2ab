package payment_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// The targets (figures in the note): an AECH session of 100,000 payments built, schema-valid, sent and
// settled in ≤ 60 s; an inbound file of 100,000 credits posted in ≤ 60 s; an instant payment's confirmation p99
// ≤ 200 ms at 32 concurrent customers. KUMBARA_BENCH_PAYMENTS sets the size (default 10,000, so the benchmark
// runs in a minute); the note's figures are at 100,000.

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("KUMBARA_BENCH_PAYMENTS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// exemptAll makes every payment exempt from confirmation: the benchmarks measure the payments, not the SCA.
func exemptAll(f *fixture) {
	c := &f.svc.SCA.Config
	c.LowValueEURCents, c.CumulativeCents, c.CumulativeCount = math.MaxInt64/2, math.MaxInt64/2, math.MaxInt32
	c.EURRates[money.ALL] = sca.Rate{Num: 1, Den: 1}
}

// payers opens n customers, each with an ALL account holding plenty.
func payers(b testing.TB, f *fixture, n int) []string {
	accounts := make([]string, n)
	for i := range accounts {
		c := f.person(b, "Klient", fmt.Sprintf("Nr%d", i))
		accounts[i] = c.ID + "|" + f.account(b, c.ID, money.ALL, 1_000_000_000_00).ID
	}
	return accounts
}

// makePayments accepts n domestic AECH payments from the payers, 64 at a time.
func makePayments(b testing.TB, f *fixture, accounts []string, n int) {
	var wg sync.WaitGroup
	next := make(chan int)
	errs := make(chan error, 1)
	for range 64 {
		wg.Go(func() {
			for i := range next {
				pair := accounts[i%len(accounts)]
				cust, acc := pair[:36], pair[37:]
				if _, _, err := f.svc.Create(f.ctx, cust, "bench-"+strconv.Itoa(i), domestic(acc, credins, "10")); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatalf("Create: %v", err)
	default:
	}
}

func BenchmarkAECHSession(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			n := benchSize()
			for range b.N {
				b.StopTimer()
				f := newFixture(b, dbtest.Open(b, e))
				exemptAll(f)
				makePayments(b, f, payers(b, f, 200), n)
				b.StartTimer()
				start := time.Now()
				sent, err := f.svc.RunSession(f.ctx)
				if err != nil || sent != n {
					b.Fatalf("RunSession = %d, %v", sent, err)
				}
				built := time.Since(start)
				if _, err := f.ch.Work(f.ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				b.ReportMetric(built.Seconds(), "s-sent")
				b.ReportMetric(time.Since(start).Seconds(), "s-settled")
				if k := f.count(b, "SELECT COUNT(*) FROM payments WHERE status = 'settled'"); k != n {
					b.Fatalf("%d settled, want %d", k, n)
				}
				f.sound(b)
			}
		})
	}
}

func BenchmarkInboundFile(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			n := benchSize()
			for range b.N {
				b.StopTimer()
				f := newFixture(b, dbtest.Open(b, e))
				var ibans []string
				for _, pair := range payers(b, f, 200) {
					a, err := f.l.Get(f.ctx, pair[37:])
					if err != nil {
						b.Fatal(err)
					}
					ibans = append(ibans, a.IBAN)
				}
				now := f.clk.Now()
				m := iso20022.CreditTransfer{MessageID: "INBENCH", CreatedAt: now, SettlementMethod: "CLRG",
					SettlementDate: calendar.DateOf(now),
					ClearingSystem: "AECH", InstructingAgent: iso20022.Agent{BIC: "CDISALTR"},
					InstructedAgent: iso20022.Agent{BIC: bank.BIC}}
				for i := range n {
					id := fmt.Sprintf("IN%010d", i)
					m.Transactions = append(m.Transactions, iso20022.Transaction{InstructionID: id, EndToEndID: id,
						TxID: id, Amount: money.New(12_50, money.ALL), ChargeBearer: "SLEV",
						Debtor: iso20022.Party{Name: "Alba Trade"}, DebtorAccount: iso20022.Account{IBAN: credins},
						DebtorAgent: iso20022.Agent{BIC: "CDISALTR"}, Creditor: iso20022.Party{Name: "Klient"},
						CreditorAccount: iso20022.Account{IBAN: ibans[i%len(ibans)]},
						CreditorAgent:   iso20022.Agent{BIC: bank.BIC}, Remittance: "Paga"})
				}
				doc, err := m.Marshal()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := f.svc.Receive(f.ctx, doc); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if k := f.count(b, "SELECT COUNT(*) FROM payments WHERE status = 'credited'"); k != n {
					b.Fatalf("%d credited, want %d", k, n)
				}
				f.sound(b)
			}
		})
	}
}

// BenchmarkInstantConfirmation: 32 customers at once each make instant payments (exempt, so the request holds,
// captures, assembles and hands the payment to the clearing house before it answers); reports the p99.
func BenchmarkInstantConfirmation(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(e.String(), func(b *testing.B) {
			f := newFixture(b, dbtest.Open(b, e))
			exemptAll(f)
			accounts := payers(b, f, 32)
			per := max(1, b.N/32)
			var mu sync.Mutex
			var lat []time.Duration
			// Each customer pays like this: the warm-up rounds below are not measured, so the figure is a running
			// bank's (its connections open and its statements prepared), not a cold start's.
			pay := func(w, i int) (time.Duration, bool) {
				pair := accounts[w]
				cust, acc := pair[:36], pair[37:]
				r := domestic(acc, credins, "15")
				r.Instant = true
				start := time.Now()
				p, _, err := f.svc.Create(context.Background(), cust, fmt.Sprintf("i-%d-%d", w, i), r)
				d := time.Since(start)
				if err != nil || p.Scheme != payment.Instant {
					b.Errorf("Create: %v (%s)", err, p.Scheme)
					return d, false
				}
				return d, true
			}
			const warmUp = 4
			run := func(first, n int, record bool) {
				var wg sync.WaitGroup
				for w := range 32 {
					wg.Go(func() {
						for i := first; i < first+n; i++ {
							d, ok := pay(w, i)
							if !ok {
								return
							}
							if record {
								mu.Lock()
								lat = append(lat, d)
								mu.Unlock()
							}
						}
					})
				}
				wg.Wait()
			}
			run(0, warmUp, false)
			b.ResetTimer()
			run(warmUp, per, true)
			b.StopTimer()
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
			}
		})
	}
}
