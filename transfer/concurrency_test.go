package transfer_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// TestConcurrentRandomTransfersKeepTheLedgerSound is the ledger's concurrency test through the service customers
// use: many goroutines make random own and internal transfers, through the group commit, among accounts of
// several customers, one of them hot, some for more than any account holds. Whatever interleaving happens, money
// is neither made nor lost, every balance is what the successful transfers say, and each success left exactly
// one transfers row.
func TestConcurrentRandomTransfersKeepTheLedgerSound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		statuses := map[string]int{}
		var statusMu sync.Mutex
		f.svc.Observer = attempts(func(status string) {
			statusMu.Lock()
			statuses[status]++
			statusMu.Unlock()
		})
		const (
			customers   = 5
			perCustomer = 4 // 20 accounts
			workers     = 50
			perWorker   = 12 // 600 transfers
			deposit     = int64(100_000)
		)
		var accounts []ledger.Account
		for i := range customers {
			c := f.person(t, "Klient", fmt.Sprintf("Nr%c", 'A'+i))
			for range perCustomer {
				accounts = append(accounts, f.account(t, c.ID, money.ALL, deposit))
			}
		}
		hot := accounts[0]
		deposited := deposit * int64(len(accounts))

		type outcome struct {
			from, to        string
			amount          int64
			hot, oversize   bool
			ok, replayAgree bool
			id              string
			err             error
		}
		results := make([][]outcome, workers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		began := time.Now()
		for w := range workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(2026, uint64(w)))
				<-start
				for i := range perWorker {
					from, to := accounts[rng.IntN(len(accounts))], accounts[rng.IntN(len(accounts))]
					if rng.IntN(5) < 2 { // the hot account is one side of about 40% of transfers
						if rng.IntN(2) == 0 {
							from = hot
						} else {
							to = hot
						}
					}
					for to.ID == from.ID {
						to = accounts[rng.IntN(len(accounts))]
					}
					o := outcome{from: from.ID, to: to.ID, amount: 1 + rng.Int64N(deposit/3),
						hot: from.ID == hot.ID || to.ID == hot.ID}
					if rng.IntN(10) == 0 { // more than any account can hold
						o.oversize, o.amount = true, deposited+1+rng.Int64N(1000)
					}
					req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToAccountID: to.ID,
						Amount: money.FormatMinor(o.amount, 2), Currency: "ALL", Description: "Pagesë e rastit"}
					switch {
					case from.CustomerID == to.CustomerID:
						req.Type = transfer.Own
					case rng.IntN(2) == 0:
						req.ToAccountID, req.ToIBAN = "", to.IBAN
					}
					retry := rng.IntN(10) == 0 // a client retrying after a lost answer
					key := fmt.Sprintf("w%d-t%d", w, i)
					tr, replayed, err := f.svc.Create(f.ctx, from.CustomerID, key, req)
					o.ok, o.err, o.id = err == nil && !replayed, err, tr.ID
					if err == nil && retry {
						again, replayed, err := f.svc.Create(f.ctx, from.CustomerID, key, req)
						o.replayAgree = err == nil && replayed && again.ID == tr.ID
						if !o.replayAgree {
							o.err = fmt.Errorf("repeat of %s: replayed %v id %s: %v", tr.ID, replayed, again.ID, err)
						}
					} else {
						o.replayAgree = true
					}
					results[w] = append(results[w], o)
				}
			})
		}
		close(start)
		wg.Wait()
		t.Logf("%s: %d transfers by %d goroutines in %v", d.Engine, workers*perWorker, workers, time.Since(began))

		net := map[string]int64{}
		succeeded, refused, hotCount, oversize := 0, 0, 0, 0
		ids := map[string]bool{}
		for _, rs := range results {
			for _, o := range rs {
				if o.hot {
					hotCount++
				}
				if o.oversize {
					oversize++
				}
				switch {
				case !o.replayAgree:
					t.Errorf("replay: %v", o.err)
				case o.ok:
					if o.oversize {
						t.Errorf("transfer of %d succeeded though %d was deposited in all", o.amount, deposited)
					}
					if ids[o.id] {
						t.Errorf("transfer id %s returned to two requests", o.id)
					}
					ids[o.id] = true
					succeeded++
					net[o.from] -= o.amount
					net[o.to] += o.amount
				case kumbara.CodeOf(o.err) == "insufficient_funds":
					refused++
				default:
					t.Errorf("transfer %s → %s of %d: %v, want success or insufficient_funds", o.from, o.to, o.amount, o.err)
				}
			}
		}
		total := workers * perWorker
		t.Logf("%d succeeded, %d refused for insufficient funds (%d deliberately too large); hot account in %d",
			succeeded, refused, oversize, hotCount)
		if hotCount*3 < total {
			t.Errorf("hot account took part in %d of %d transfers, want at least a third", hotCount, total)
		}
		if oversize == 0 || succeeded == 0 || refused <= oversize {
			t.Errorf("the mix did not exercise both outcomes: %d succeeded, %d refused, %d oversize", succeeded, refused, oversize)
		}

		f.sound(t)
		var sum int64
		for _, a := range accounts {
			got := f.balance(t, a.ID)
			sum += got
			if want := deposit + net[a.ID]; got != want {
				t.Errorf("account %s balance %d, want %d from the successful transfers", a.Number, got, want)
			}
		}
		if sum != deposited {
			t.Errorf("customer accounts hold %d, want the %d deposited", sum, deposited)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM transfers"); n != succeeded {
			t.Errorf("%d transfers rows, want one per successful Create: %d", n, succeeded)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'transfer'"); n != succeeded {
			t.Errorf("%d transfer journal entries, want %d", n, succeeded)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM transfers t JOIN journal_entries e ON e.id = t.entry_id AND e.reference = t.id"); n != succeeded {
			t.Errorf("%d transfers rows point at their own journal entry, want %d", n, succeeded)
		}
		statusMu.Lock()
		defer statusMu.Unlock()
		if statuses[transfer.Completed] != succeeded || statuses["refused"]+statuses["insufficient_funds"] != refused {
			t.Errorf("Posted was told %v, want %d completed and %d refused", statuses, succeeded, refused)
		}
	})
}

// attempts is a transfer.Observer made of a function.
type attempts func(status string)

func (a attempts) Attempted(status string) { a(status) }
