package transfer_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
)

// lockout is the channel's lockout as the payment confirmation sees it: it counts the wrong codes it is told of.
type lockout struct{ n atomic.Int64 }

func (l *lockout) ReserveFactor(context.Context, string) error { return nil }

func (l *lockout) SettleFactor(_ context.Context, _ string, right bool) error {
	if right {
		return nil
	}
	l.n.Add(1)
	return &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "login_failed"}
}

// scaFixture is the transfer service with payment confirmation wired as main wires it.
type scaFixture struct {
	*fixture
	sca  *sca.Service
	lock *lockout
}

func newSCAFixture(t testing.TB, d *db.DB) *scaFixture {
	t.Helper()
	f := &scaFixture{fixture: newFixture(t, d), lock: &lockout{}}
	f.sca = &sca.Service{Texts: f.tx, DB: d, Clock: f.clk, Config: sca.DefaultConfig(), Key: sca.DeriveKey([]byte("0123456789abcdef0123456789abcdef")),
		Failures: f.lock}
	f.svc.SCA = f.sca
	return f
}

var codeInSMS = regexp.MustCompile(`kodi (\d{6}) konfirmon`)

// lastSMS is the newest message queued for a mobile, and the code it carries.
func (f *scaFixture) lastSMS(t testing.TB, mobile string) (body, code string) {
	t.Helper()
	if err := f.d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
		mobile).Scan(&body); err != nil {
		t.Fatalf("SMS to %s: %v", mobile, err)
	}
	m := codeInSMS.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("SMS %q carries no payment code", body)
	}
	return body, m[1]
}

func otherDigits(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// pair is a payer with an account holding funds and a payee's account, in one currency.
func (f *scaFixture) pair(t testing.TB, cur money.Currency, funds int64) (payer customer.Customer, from, to ledger.Account) {
	t.Helper()
	payer = f.person(t, "Elira", "Shehu")
	payee := f.person(t, "Dritan", "Çela")
	return payer, f.account(t, payer.ID, cur, funds), f.account(t, payee.ID, cur, 0)
}

func pay(from, to ledger.Account, amount string) transfer.Request {
	return transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: amount,
		Currency: string(from.Currency), Description: "Qira"}
}

func TestTransferToAnotherCustomerWaitsForTheCodeThatNamesItsAmountAndPayee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 100000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k1", pay(from, to, "250"))
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if tr.Status != transfer.PendingConfirmation || tr.Challenge == nil || tr.EntryID != "" {
			t.Fatalf("Create = %+v, want a transfer waiting for confirmation with a challenge", tr)
		}
		if got := f.balance(t, to.ID); got != 0 {
			t.Fatalf("payee has %d before confirmation, want 0", got)
		}
		body, code := f.lastSMS(t, payer.Mobile)
		for _, want := range []string{"250,00 EUR", "D***** Ç***", to.IBAN} {
			if !strings.Contains(body, want) {
				t.Errorf("SMS %q does not name %q", body, want)
			}
		}
		got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || got.Status != transfer.PendingConfirmation {
			t.Fatalf("Get of the pending transfer = %+v, %v", got, err)
		}
		if _, _, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, "sq"); kumbara.CodeOf(err) != "transfer_not_completed" {
			t.Errorf("receipt of an unconfirmed transfer: %v, want transfer_not_completed", err)
		}

		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: otherDigits(code)})
		wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		if f.lock.n.Load() != 1 {
			t.Errorf("a wrong code counted %d failures towards the lockout, want 1", f.lock.n.Load())
		}
		done, replayed, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || replayed || done.Status != transfer.Completed || done.EntryID == "" {
			t.Fatalf("Confirm = %+v, replayed %v, %v", done, replayed, err)
		}
		if got := f.balance(t, to.ID); got != 25000 {
			t.Errorf("payee has %d after confirmation, want 25000", got)
		}
		again, replayed, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || !replayed || again.EntryID != done.EntryID {
			t.Errorf("second Confirm = %+v, replayed %v, %v; want the completed transfer", again, replayed, err)
		}
		if got := f.balance(t, from.ID); got != 75000 {
			t.Errorf("payer has %d, want 75000 (money moved once)", got)
		}
		f.sound(t)
	})
}

func TestOwnTransfersAndLowValuePaymentsNeedNoConfirmationWithinTheAllowance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		savings := f.account(t, payer.ID, money.EUR, 0)
		own, _, err := f.svc.Create(f.ctx, payer.ID, "own", transfer.Request{Type: transfer.Own, FromAccountID: from.ID,
			ToAccountID: savings.ID, Amount: "5000", Currency: "EUR"})
		if err != nil || own.Status != transfer.Completed || own.Exemption != sca.ExemptOwn {
			t.Fatalf("own transfer = %+v, %v; want completed, exempt as own accounts", own, err)
		}
		steps := []struct {
			amount string
			want   string
		}{
			{"30.01", transfer.PendingConfirmation}, // above 30 EUR: never low value
			{"30", transfer.Completed},
			{"30", transfer.Completed},
			{"30", transfer.Completed},              // 90 EUR so far
			{"10.01", transfer.PendingConfirmation}, // would make 100.01 EUR
			{"10", transfer.Completed},              // exactly 100 EUR
			{"0.01", transfer.PendingConfirmation},
		}
		for i, s := range steps {
			tr, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("low-%d", i), pay(from, to, s.amount))
			if err != nil || tr.Status != s.want {
				t.Fatalf("step %d (%s EUR) = %s, %v; want %s", i, s.amount, tr.Status, err, s.want)
			}
		}
		// Confirming a payment starts a new allowance: now five small payments may go, not a sixth.
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "big", pay(from, to, "500"))
		if err != nil {
			t.Fatal(err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		if _, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code}); err != nil {
			t.Fatalf("Confirm: %v", err)
		}
		for i := range 6 {
			want := transfer.Completed
			if i == 5 {
				want = transfer.PendingConfirmation
			}
			tr, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("after-%d", i), pay(from, to, "1"))
			if err != nil || tr.Status != want {
				t.Fatalf("small payment %d after a confirmation = %s, %v; want %s", i+1, tr.Status, err, want)
			}
		}
		f.sound(t)
	})
}

func TestLowValueInAnotherCurrencyIsJudgedAtTheEuroReferenceRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.ALL, 10000000)
		// 30 EUR at 97.50 ALL is 2,925 ALL.
		for _, c := range []struct{ amount, want string }{{"2925.01", transfer.PendingConfirmation}, {"2925", transfer.Completed}} {
			tr, _, err := f.svc.Create(f.ctx, payer.ID, "all-"+c.amount, pay(from, to, c.amount))
			if err != nil || tr.Status != c.want {
				t.Errorf("%s ALL = %s, %v; want %s", c.amount, tr.Status, err, c.want)
			}
		}
	})
}

func TestACodeConfirmsOnlyItsOwnTransferAsItWas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		a, _, err := f.svc.Create(f.ctx, payer.ID, "a", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, codeA := f.lastSMS(t, payer.Mobile)
		b, _, err := f.svc.Create(f.ctx, payer.ID, "b", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, codeB := f.lastSMS(t, payer.Mobile)
		if codeA != codeB {
			_, _, err = f.svc.Confirm(f.ctx, payer.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: codeA})
			wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		}
		// Anything changed in the payment after its code was sent voids the code.
		if _, err := d.Exec(f.ctx, "UPDATE pending_transfers SET amount = 40000000 WHERE id = ?", a.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, a.ID, sca.Proof{Method: sca.MethodSMS, Code: codeA})
		wantCode(t, err, kumbara.KindConflict, "confirmation_mismatch")
		if got := f.balance(t, to.ID); got != 0 {
			t.Fatalf("payee has %d, want 0", got)
		}
		// Another customer cannot even see the transfer.
		other := f.person(t, "Besa", "Leka")
		_, _, err = f.svc.Confirm(f.ctx, other.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: codeB})
		wantCode(t, err, kumbara.KindNotFound, "transfer_not_found")
		if _, _, err := f.svc.Confirm(f.ctx, payer.ID, b.ID, sca.Proof{Method: sca.MethodSMS, Code: codeB}); err != nil {
			t.Fatalf("Confirm b with its own code: %v", err)
		}
		f.sound(t)
	})
}

func TestPaymentCodesExpireAfterTwoMinutesAndTransfersLapseAfterTen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, old := f.lastSMS(t, payer.Mobile)
		f.clk.Advance(2*time.Minute + time.Second)
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: old})
		wantCode(t, err, kumbara.KindUnauthorized, "otp_expired")
		if _, err := f.svc.Challenge(f.ctx, payer.ID, tr.ID, true); err != nil {
			t.Fatalf("resend: %v", err)
		}
		_, fresh := f.lastSMS(t, payer.Mobile)
		if old != fresh {
			_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: old})
			wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		}
		f.clk.Advance(8 * time.Minute)
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: fresh})
		wantCode(t, err, kumbara.KindGone, "transfer_expired")
		if got, _ := f.svc.Get(f.ctx, payer.ID, tr.ID); got.Status != transfer.Expired {
			t.Errorf("lapsed transfer reads as %q, want expired", got.Status)
		}
		if got := f.balance(t, to.ID); got != 0 {
			t.Errorf("payee has %d, want 0", got)
		}
	})
}

func TestFiveWrongCodesRetireTheChallenge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		for range 5 {
			_, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: otherDigits(code)})
			wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		}
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		wantCode(t, err, kumbara.KindUnauthorized, "otp_too_many_attempts")
		if f.lock.n.Load() != 5 {
			t.Errorf("%d failures reached the lockout, want 5", f.lock.n.Load())
		}
	})
}

func TestTrustingThePayeeOnAConfirmedPaymentExemptsLaterOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		// A payment confirmed without asking to trust the payee trusts nobody.
		plain, _, err := f.svc.Create(f.ctx, payer.ID, "plain", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		if _, _, err := f.svc.Confirm(f.ctx, payer.ID, plain.ID, sca.Proof{Method: sca.MethodSMS, Code: code}); err != nil {
			t.Fatal(err)
		}
		if list, _ := f.sca.Trusted(f.ctx, payer.ID); len(list) != 0 {
			t.Fatalf("a plain confirmation trusted %+v", list)
		}
		// Asking to trust makes even a low-value payment wait for a code, whose SMS says what it also does.
		r := pay(from, to, "1")
		r.TrustPayee = true
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", r)
		if err != nil || tr.Status != transfer.PendingConfirmation || !tr.Challenge.TrustPayee {
			t.Fatalf("payment asking to trust = %+v, %v; want it to wait for confirmation", tr, err)
		}
		body, code := f.lastSMS(t, payer.Mobile)
		if !strings.Contains(body, "përfitues të besuar") {
			t.Errorf("SMS %q does not say the payee will be trusted", body)
		}
		// A new code for it still asks for the trust, and the old code is void.
		if _, err := f.svc.Challenge(f.ctx, payer.ID, tr.ID, true); err != nil {
			t.Fatal(err)
		}
		body, fresh := f.lastSMS(t, payer.Mobile)
		if !strings.Contains(body, "përfitues të besuar") {
			t.Errorf("resent SMS %q forgets the trust", body)
		}
		if fresh != code {
			_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
			wantCode(t, err, kumbara.KindUnauthorized, "otp_invalid")
		}
		if _, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: fresh}); err != nil {
			t.Fatal(err)
		}
		list, err := f.sca.Trusted(f.ctx, payer.ID)
		if err != nil || len(list) != 1 || list[0].IBAN != to.IBAN {
			t.Fatalf("trusted = %+v, %v", list, err)
		}
		next, _, err := f.svc.Create(f.ctx, payer.ID, "k2", pay(from, to, "3000"))
		if err != nil || next.Status != transfer.Completed || next.Exemption != sca.ExemptTrusted {
			t.Fatalf("payment to a trusted beneficiary = %+v, %v", next, err)
		}
		if err := f.sca.Untrust(f.ctx, payer.ID, to.IBAN); err != nil {
			t.Fatal(err)
		}
		again, _, err := f.svc.Create(f.ctx, payer.ID, "k3", pay(from, to, "3000"))
		if err != nil || again.Status != transfer.PendingConfirmation {
			t.Fatalf("payment after untrusting = %+v, %v; want pending_confirmation", again, err)
		}
		wantCode(t, f.sca.Untrust(f.ctx, payer.ID, to.IBAN), kumbara.KindNotFound, "beneficiary_not_found")
	})
}

func TestARepeatedKeySendsNoSecondCodeAndConcurrentConfirmsPostOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		again, replayed, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil || !replayed || again.ID != tr.ID {
			t.Fatalf("repeat = %+v, replayed %v, %v", again, replayed, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", payer.Mobile); n != 1 {
			t.Errorf("%d SMS sent, want 1", n)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		var wg sync.WaitGroup
		var ok atomic.Int64
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code}); err == nil {
					ok.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() == 0 {
			t.Fatal("no concurrent confirmation succeeded")
		}
		if got := f.balance(t, to.ID); got != 40000 {
			t.Errorf("payee has %d, want 40000 (posted once)", got)
		}
		f.sound(t)
	})
}

func TestAConfirmedTransferThatCannotPostFailsForGood(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 50000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		savings := f.account(t, payer.ID, money.EUR, 0)
		if _, _, err := f.svc.Create(f.ctx, payer.ID, "drain", transfer.Request{Type: transfer.Own, FromAccountID: from.ID,
			ToAccountID: savings.ID, Amount: "300", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		wantCode(t, err, kumbara.KindUnprocessable, "insufficient_funds")
		if got, _ := f.svc.Get(f.ctx, payer.ID, tr.ID); got.Status != transfer.Failed {
			t.Errorf("status %q, want failed", got.Status)
		}
		_, _, err = f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		wantCode(t, err, kumbara.KindConflict, "transfer_not_pending")
		f.sound(t)
	})
}

func TestConcurrentLowValuePaymentsNeverExceedTheAllowance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		var wg sync.WaitGroup
		var exempt, pending atomic.Int64
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tr, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("c-%d", i), pay(from, to, "1"))
				switch {
				case err != nil:
					t.Errorf("payment %d: %v", i, err)
				case tr.Status == transfer.Completed:
					exempt.Add(1)
				case tr.Status == transfer.PendingConfirmation:
					pending.Add(1)
				}
			}()
		}
		wg.Wait()
		if exempt.Load() != 5 || pending.Load() != 15 {
			t.Errorf("%d exempt and %d pending, want 5 and 15", exempt.Load(), pending.Load())
		}
		if got := f.balance(t, to.ID); got != 500 {
			t.Errorf("payee has %d, want 500", got)
		}
		f.sound(t)
	})
}

func TestPaymentCodesSentToACustomerAreLimitedPerHour(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		payer, from, to := f.pair(t, money.EUR, 1000000)
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k", pay(from, to, "400"))
		if err != nil {
			t.Fatal(err)
		}
		limit := f.sca.Config.ChallengesPerHour
		for i := 1; i < limit; i++ {
			if _, err := f.svc.Challenge(f.ctx, payer.ID, tr.ID, true); err != nil {
				t.Fatalf("code %d of %d: %v", i+1, limit, err)
			}
		}
		_, err = f.svc.Challenge(f.ctx, payer.ID, tr.ID, true)
		wantCode(t, err, kumbara.KindRateLimited, "rate_limited")
		if secs, ok := httpx.RetryAfter(err); !ok || secs != 3600 {
			t.Errorf("retry after %d s (%v), want the hour the first code leaves the count in", secs, ok)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", payer.Mobile); n != limit {
			t.Errorf("%d SMS sent, want %d", n, limit)
		}
		// A new payment in the same hour is refused too, and leaves nothing behind.
		_, _, err = f.svc.Create(f.ctx, payer.ID, "k2", pay(from, to, "400"))
		wantCode(t, err, kumbara.KindRateLimited, "rate_limited")
		if n := f.count(t, "SELECT COUNT(*) FROM pending_transfers"); n != 1 {
			t.Errorf("%d pending transfers, want 1", n)
		}
		// An hour later codes flow again.
		f.clk.Advance(time.Hour)
		if _, err := f.svc.Challenge(f.ctx, payer.ID, tr.ID, true); kumbara.CodeOf(err) != "transfer_expired" {
			t.Errorf("resend after the transfer lapsed: %v, want transfer_expired", err)
		}
		if _, _, err := f.svc.Create(f.ctx, payer.ID, "k3", pay(from, to, "400")); err != nil {
			t.Errorf("a payment an hour later: %v", err)
		}
	})
}
