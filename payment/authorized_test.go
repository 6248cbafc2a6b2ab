package payment_test

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// A payment authorised elsewhere (a line of a confirmed bulk file) is priced and held at once: no challenge, no SMS,
// no name check spent; a repeat of its key holds nothing more, and the same key with other content is refused.
func TestAnAuthorisedPaymentIsHeldAtOnceWithoutAChallengeOrANameCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Besa", "Kola")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		r := domestic(a.ID, credins, "25000")
		q, err := f.svc.PreviewAuthorized(f.ctx, c.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		if q.Scheme != payment.AECH || q.Fee.Minor != 100_00 || q.Debited.Minor != 25_100_00 || q.Verification.Result != "" {
			t.Fatalf("quote %+v", q)
		}
		sms := f.count(t, "SELECT COUNT(*) FROM outbox")
		p, replay, err := f.svc.CreateAuthorized(f.ctx, c.ID, "bulk/b1/1", r)
		if err != nil || replay {
			t.Fatalf("CreateAuthorized = %v, replay %v", err, replay)
		}
		if p.Status != payment.Waiting || p.Challenge != nil || p.Fee.Minor != 100_00 {
			t.Fatalf("payment %s challenge %v fee %d, want waiting for the session without a challenge",
				p.Status, p.Challenge, p.Fee.Minor)
		}
		if got := f.get(t, a.ID); got.Held != 25_100_00 {
			t.Fatalf("held %d, want 25,100.00", got.Held)
		}
		if f.vop.n.Load() != 0 || f.count(t, "SELECT COUNT(*) FROM outbox") != sms {
			t.Errorf("%d name checks, %d messages: an authorised payment makes neither", f.vop.n.Load(),
				f.count(t, "SELECT COUNT(*) FROM outbox")-sms)
		}
		again, replay, err := f.svc.CreateAuthorized(f.ctx, c.ID, "bulk/b1/1", r)
		if err != nil || !replay || again.ID != p.ID {
			t.Fatalf("repeat = %s %v %v, want the first payment", again.ID, replay, err)
		}
		if got := f.get(t, a.ID); got.Held != 25_100_00 {
			t.Errorf("held %d after a repeat, want 25,100.00", got.Held)
		}
		other := r
		other.Amount = "26000"
		if _, _, err := f.svc.CreateAuthorized(f.ctx, c.ID, "bulk/b1/1", other); !errors.Is(err, idempotency.ErrReused) {
			t.Errorf("the key with other content: %v", err)
		}
		// The dispatcher sends it with the session like any other.
		if n, err := f.svc.RunSession(f.ctx); err != nil || n != 1 {
			t.Fatalf("RunSession = %d, %v", n, err)
		}
		f.sound(t)
	})
}

// What the ledger refuses makes no payment at all; an international payment is never authorised in bulk.
func TestAnAuthorisedPaymentIsRefusedAsAWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Genti", "Dema")
		a := f.account(t, c.ID, money.ALL, 1_000_00)
		_, _, err := f.svc.CreateAuthorized(f.ctx, c.ID, "k1", domestic(a.ID, credins, "5000"))
		if _, err2 := f.svc.PreviewAuthorized(f.ctx, c.ID, domestic(a.ID, credins, "5000")); !errors.Is(err2, ledger.ErrInsufficientFunds) {
			t.Errorf("preview: %v", err2)
		}
		// The preview refuses what it can tell; the hold refuses the rest under lock.
		if !errors.Is(err, ledger.ErrInsufficientFunds) {
			t.Fatalf("err = %v, want insufficient_funds", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 0 {
			t.Errorf("%d payments recorded", n)
		}
		if got := f.get(t, a.ID); got.Held != 0 {
			t.Errorf("held %d", got.Held)
		}
		intl := domestic(a.ID, "DE89370400440532013000", "10")
		intl.Type = payment.International
		for _, err := range []error{
			func() error { _, _, err := f.svc.CreateAuthorized(f.ctx, c.ID, "k2", intl); return err }(),
			func() error { _, err := f.svc.PreviewAuthorized(f.ctx, c.ID, intl); return err }(),
		} {
			wantCode(t, err, kumbara.KindForbidden, payment.ErrStrongDeviceRequired.Code)
		}
		f.sound(t)
	})
}
