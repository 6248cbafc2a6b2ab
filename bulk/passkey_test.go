package bulk_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/sca"
)

// signer is a passkey that signs exactly one challenge: the one it was shown (sca.PasskeyVerifier).
type signer struct{ shown []byte }

func (s *signer) FinishConfirmation(_ context.Context, _, _ string, challenge, _ []byte) error {
	if !bytes.Equal(challenge, s.shown) {
		return passkey.ErrInvalid
	}
	return nil
}

// A passkey confirms a batch as the SMS code does: over the digest of its live challenge, which binds the batch,
// the number of its payments and their total (Live, without sending anything); a passkey that signed another
// challenge confirms nothing, and a batch no longer waiting has no challenge to sign.
func TestAPasskeyConfirmsABatchOverItsLiveChallenge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		key := &signer{}
		f.pay.SCA.Passkeys = key
		c := f.business(t, "Furra Elbasan")
		a := f.account(t, c.ID, money.ALL, 1_000_000_00)
		other := f.business(t, "Tjetër Shpk")
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "PK-1", a.IBAN,
			tx("P1", "Ana Kola", credins, "1200", money.ALL), tx("P2", "Dritë Shehu", raiffeisen, "800", money.ALL)))
		if err != nil {
			t.Fatal(err)
		}
		live, err := f.svc.Live(f.ctx, c.ID, b.ID)
		if err != nil || live.Digest != b.Challenge.Digest || live.ID != b.Challenge.ID {
			t.Fatalf("Live: %v, digest %x, the upload's %x", err, live.Digest, b.Challenge.Digest)
		}
		if !slices.Contains(live.Methods, sca.MethodPasskey) || !slices.Contains(live.Methods, sca.MethodSMS) {
			t.Fatalf("methods %v: want the SMS code and the passkey", live.Methods)
		}
		if _, err := f.svc.Live(f.ctx, other.ID, b.ID); !errors.Is(err, bulk.ErrNotFound) {
			t.Errorf("another customer's batch: %v", err)
		}
		proof := sca.Proof{Method: sca.MethodPasskey, CeremonyID: "ceremony", Assertion: []byte(`{}`)}
		key.shown = []byte("another payment's challenge")
		if _, err := f.svc.Confirm(f.ctx, c.ID, b.ID, proof); !errors.Is(err, passkey.ErrInvalid) {
			t.Fatalf("a passkey over another challenge: %v", err)
		}
		if got := f.get(t, a.ID); got.Held != 0 {
			t.Fatalf("held %d after a refused passkey", got.Held)
		}
		key.shown = live.Digest[:]
		done, err := f.svc.Confirm(f.ctx, c.ID, b.ID, proof)
		if err != nil || done.Status != bulk.Completed || done.Accepted != 2 {
			t.Fatalf("confirmed with the passkey: %v %s, %d accepted", err, done.Status, done.Accepted)
		}
		if _, err := f.svc.Live(f.ctx, c.ID, b.ID); !errors.Is(err, bulk.ErrNotPending) {
			t.Errorf("Live of a paid batch: %v", err)
		}
	})
}

// A batch whose code has expired has no live challenge for a passkey to sign until a new one is sent; one whose
// time to be confirmed has passed has none at all.
func TestABatchWithoutALiveChallengeOffersNoneToSign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.business(t, "Kafe Vlora")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		b, err := f.svc.Upload(f.ctx, c.ID, file(t, "PK-2", a.IBAN, tx("L1", "Ana Kola", credins, "100", money.ALL)))
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(3 * time.Minute) // the code's two minutes have passed
		if _, err := f.svc.Live(f.ctx, c.ID, b.ID); !errors.Is(err, auth.ErrOTPExpired) {
			t.Fatalf("after the code expired: %v", err)
		}
		if _, err := f.svc.Challenge(f.ctx, c.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Live(f.ctx, c.ID, b.ID); err != nil {
			t.Fatalf("after a new code: %v", err)
		}
		f.clk.Advance(bulk.DefaultConfig().ConfirmWithin)
		_, err = f.svc.Live(f.ctx, c.ID, b.ID)
		wantCode(t, err, kumbara.KindGone, "bulk_expired")
	})
}
