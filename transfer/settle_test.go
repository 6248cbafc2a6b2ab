package transfer_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
)

func connRefused() error { return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED} }
func connReset() error   { return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET} }

// refuseWrite makes the nth write from now (1 = the next) find the database refusing connections, as when it
// goes down in the middle of a request; the others go through.
func refuseWrite(d *db.DB, nth int32) {
	var seen atomic.Int32
	d.InjectFaults(db.Faults{Acquire: func() error {
		if seen.Add(1) == nth {
			return connRefused()
		}
		return nil
	}})
}

// stuck makes a payment of amount that waits for confirmation, confirms it with the right code and loses the
// database before it posts — the half-way state: confirmed, not posted. It returns the transfer and its code.
func (f *scaFixture) stuck(t *testing.T, from, to ledger.Account, payerID, mobile, key, amount string) (transfer.Transfer, string) {
	t.Helper()
	tr, _, err := f.svc.Create(f.ctx, payerID, key, pay(from, to, amount))
	if err != nil || tr.Status != transfer.PendingConfirmation {
		t.Fatalf("create = %+v, %v; want pending_confirmation", tr, err)
	}
	_, code := f.lastSMS(t, mobile)
	// The confirmation's transaction is the first write, the posting's batch the second.
	refuseWrite(f.d, 2)
	ctx, cancel := f.d.Scope(f.ctx) // as a request does
	_, _, err = f.svc.Confirm(ctx, payerID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
	cancel()
	f.d.InjectFaults(db.Faults{})
	// The confirmation is recorded, the money has not moved: the request cannot say "nothing happened".
	wantCode(t, err, kumbara.KindOutcomeUnknown, "outcome_unknown")
	if got, _ := f.svc.Get(f.ctx, payerID, tr.ID); got.Status != transfer.Confirmed {
		t.Fatalf("status %q after the posting failed, want confirmed", got.Status)
	}
	return tr, code
}

// instance is the transfer service of another instance of the bank on the same database.
func (f *scaFixture) instance(t *testing.T) *transfer.Service {
	l := ledger.New(f.d, f.clk)
	l.Start(0)
	t.Cleanup(l.Close)
	return &transfer.Service{Ledger: l, Customers: f.cs, SCA: f.sca, Texts: f.tx}
}

func (f *scaFixture) settle(t *testing.T, svc *transfer.Service) int {
	t.Helper()
	n, err := svc.Settle(f.ctx)
	if err != nil {
		t.Fatalf("settle: %v", err)
	}
	return n
}

func TestAConfirmedPaymentWhosePostingFailedIsFinishedByTheServerWithinABound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _ := f.stuck(t, from, to, payer.ID, payer.Mobile, "k", "400")
		if n := f.settle(t, f.svc); n != 0 {
			t.Errorf("settled %d at once; the request that confirmed it has SettleAfter to finish it", n)
		}
		f.clk.Advance(31 * time.Second)
		if n := f.settle(t, f.svc); n != 1 {
			t.Fatalf("settled %d, want 1", n)
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.Status != transfer.Completed {
			t.Fatalf("after settling: %+v, %v; want completed", got, err)
		}
		if b := f.balance(t, to.ID); b != 40000 {
			t.Errorf("payee has %d, want 40000", b)
		}
		if n := f.settle(t, f.svc); n != 0 {
			t.Errorf("settled %d more; nothing was left", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM pending_transfers WHERE status = 'confirmed'"); n != 0 {
			t.Errorf("%d transfers still confirmed", n)
		}
		f.sound(t)
	})
}

func TestARepeatedConfirmationReturnsTheResultWithoutCheckingACodeAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, code := f.stuck(t, from, to, payer.ID, payer.Mobile, "k", "400")
		for _, c := range []string{otherDigits(code), code, ""} {
			got, replayed, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: c})
			if err != nil || !replayed || got.Status != transfer.Completed || got.ID != tr.ID {
				t.Fatalf("confirming again with %q = %+v, replayed %v, %v; want the completed transfer, replayed", c, got, replayed, err)
			}
		}
		if n := f.lock.n.Load(); n != 0 {
			t.Errorf("%d wrong codes counted; a repeat checks no code", n)
		}
		if b := f.balance(t, to.ID); b != 40000 {
			t.Errorf("payee has %d, want 40000 (posted once)", b)
		}
		f.sound(t)
	})
}

func TestTheServerFailsAConfirmedPaymentTheLedgerRefusesAndTellsTheCustomerOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 50000)
		tr, code := f.stuck(t, from, to, payer.ID, payer.Mobile, "k", "400")
		savings := f.account(t, payer.ID, money.EUR, 0)
		if _, _, err := f.svc.Create(f.ctx, payer.ID, "drain", transfer.Request{Type: transfer.Own, FromAccountID: from.ID,
			ToAccountID: savings.ID, Amount: "300", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(31 * time.Second)
		// Two instances at once: one fails it and sends the SMS, the other finds it done.
		other := f.instance(t)
		var wg sync.WaitGroup
		for _, svc := range []*transfer.Service{f.svc, other, f.svc, other} {
			wg.Go(func() {
				if _, err := svc.Settle(f.ctx); err != nil {
					t.Errorf("settle: %v", err)
				}
			})
		}
		wg.Wait()
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.Status != transfer.Failed {
			t.Fatalf("after settling: %+v, %v; want failed", got, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM pending_transfers WHERE id = ? AND failure_code = 'insufficient_funds'", tr.ID); n != 1 {
			t.Errorf("failure code not recorded")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE '%nuk u krye%'", payer.Mobile); n != 1 {
			t.Errorf("%d SMS about the failed payment, want exactly 1", n)
		}
		var body string
		if err := f.d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ? AND body LIKE '%nuk u krye%'",
			payer.Mobile).Scan(&body); err == nil && (!strings.Contains(body, "400,00 EUR") || !strings.Contains(body, to.IBAN)) {
			t.Errorf("the SMS %q does not name the payment's amount and payee", body)
		}
		if b := f.balance(t, to.ID); b != 0 {
			t.Errorf("payee has %d, want 0", b)
		}
		// A failed payment is final: neither a confirmation nor a later posting moves its money.
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		wantCode(t, err, kumbara.KindConflict, "transfer_not_pending")
		f.sound(t)
	})
}

func TestInstancesSettlingAtOncePostEachPaymentOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		const n = 5
		for i := range n {
			f.stuck(t, from, to, payer.ID, payer.Mobile, "k"+string(rune('a'+i)), "100")
		}
		f.clk.Advance(31 * time.Second)
		others := []*transfer.Service{f.svc, f.instance(t), f.instance(t)}
		var wg sync.WaitGroup
		var settled atomic.Int64
		for _, svc := range others {
			wg.Go(func() {
				got, err := svc.Settle(f.ctx)
				if err != nil {
					t.Errorf("settle: %v", err)
				}
				settled.Add(int64(got))
			})
		}
		wg.Wait()
		if settled.Load() < n {
			t.Errorf("settled %d, want at least %d", settled.Load(), n)
		}
		if b := f.balance(t, to.ID); b != n*10000 {
			t.Errorf("payee has %d, want %d: each payment posted exactly once", b, n*10000)
		}
		if got := f.count(t, "SELECT COUNT(*) FROM transfers WHERE to_account_id = ?", to.ID); got != n {
			t.Errorf("%d transfers posted, want %d", got, n)
		}
		f.sound(t)
	})
}

func TestTheServerGivesUpOnAPaymentItCannotPostAndTellsTheCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _ := f.stuck(t, from, to, payer.ID, payer.Mobile, "k", "400")
		// An instance whose ledger cannot post (it is stopping) keeps trying until FailAfter, then gives up.
		stopped := ledger.New(d, f.clk)
		stopped.Start(0)
		stopped.Close()
		broken := &transfer.Service{Ledger: stopped, Customers: f.cs, SCA: f.sca, Texts: f.tx}
		f.clk.Advance(31 * time.Second)
		if n, _ := broken.Settle(f.ctx); n != 0 {
			t.Fatalf("settled %d without a ledger", n)
		}
		if got, _ := f.svc.Get(f.ctx, payer.ID, tr.ID); got.Status != transfer.Confirmed {
			t.Fatalf("status %q before FailAfter, want still confirmed", got.Status)
		}
		f.clk.Advance(5 * time.Minute)
		if n := f.settle(t, broken); n != 1 {
			t.Fatalf("settled %d after FailAfter, want 1", n)
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.Status != transfer.Failed {
			t.Fatalf("after FailAfter: %+v, %v; want failed", got, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE '%nuk u krye%'", payer.Mobile); n != 1 {
			t.Errorf("%d SMS about the failed payment, want 1", n)
		}
		// The working instance does not post it afterwards.
		f.clk.Advance(time.Minute)
		f.settle(t, f.svc)
		if b := f.balance(t, to.ID); b != 0 {
			t.Errorf("payee has %d, want 0", b)
		}
		f.sound(t)
	})
}

func TestAPaymentWhoseCommitAnswerWasLostIsAnsweredWithItsRealResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer := f.person(t, "Elira", "Shehu")
		from := f.account(t, payer.ID, money.EUR, 100000)
		to := f.account(t, payer.ID, money.EUR, 0)
		req := transfer.Request{Type: transfer.Own, FromAccountID: from.ID, ToAccountID: to.ID, Amount: "10", Currency: "EUR"}

		// The COMMIT applied and its answer was lost: the transfer is found and is the answer.
		var once atomic.Bool
		d.InjectFaults(db.Faults{Commit: func() (bool, error) {
			if once.CompareAndSwap(false, true) {
				return true, connReset()
			}
			return true, nil
		}})
		got, replayed, err := f.svc.Create(f.ctx, payer.ID, "lost-answer", req)
		d.InjectFaults(db.Faults{})
		if err != nil || replayed || got.Status != transfer.Completed {
			t.Fatalf("create with its answer lost = %+v, replayed %v, %v; want the completed transfer", got, replayed, err)
		}
		if b := f.balance(t, to.ID); b != 1000 {
			t.Errorf("payee has %d, want 1000", b)
		}

		// The COMMIT never arrived: nothing can be found, so the outcome is unknown and a repeat settles it.
		once.Store(false)
		d.InjectFaults(db.Faults{Commit: func() (bool, error) {
			if once.CompareAndSwap(false, true) {
				return false, connReset()
			}
			return true, nil
		}})
		ctx, cancel := d.Scope(f.ctx)
		_, _, err = f.svc.Create(ctx, payer.ID, "lost-commit", req)
		cancel()
		d.InjectFaults(db.Faults{})
		wantCode(t, err, kumbara.KindOutcomeUnknown, "outcome_unknown")
		if b := f.balance(t, to.ID); b != 1000 {
			t.Errorf("payee has %d after a COMMIT that never arrived, want 1000", b)
		}
		again, replayed, err := f.svc.Create(f.ctx, payer.ID, "lost-commit", req)
		if err != nil || replayed || again.Status != transfer.Completed {
			t.Fatalf("repeat = %+v, replayed %v, %v", again, replayed, err)
		}
		if _, replayed, err := f.svc.Create(f.ctx, payer.ID, "lost-commit", req); err != nil || !replayed {
			t.Fatalf("second repeat: replayed %v, %v", replayed, err)
		}
		if b := f.balance(t, to.ID); b != 2000 {
			t.Errorf("payee has %d, want 2000: each transfer once", b)
		}

		// A refused connection changed nothing, and says so.
		d.InjectFaults(db.Faults{Acquire: connRefused})
		ctx, cancel = d.Scope(context.Background())
		_, _, err = f.svc.Create(ctx, payer.ID, "refused", req)
		cancel()
		d.InjectFaults(db.Faults{})
		wantCode(t, err, kumbara.KindUnavailable, "unavailable")
		f.sound(t)
	})
}
