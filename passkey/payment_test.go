package passkey_test

import (
	"slices"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
)

// TestPaymentConfirmedWithAPasskeyIsBoundToItsTransfer wires payment confirmation as serve does (the sca service's
// Passkeys is this service) and confirms transfers the way the web app does: the ceremony's challenge is the
// transfer's live sca.Digest; an assertion made for one transfer's challenge cannot confirm another.
func TestPaymentConfirmedWithAPasskeyIsBoundToItsTransfer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		l := ledger.New(d, f.clk)
		if err := l.EnsureGL(f.ctx); err != nil {
			t.Fatal(err)
		}
		l.Start(0)
		t.Cleanup(l.Close)
		payments := &sca.Service{Texts: f.auth.Texts, DB: d, Clock: f.clk, Config: sca.DefaultConfig(),
			Key: sca.DeriveKey([]byte("0123456789abcdef0123456789abcdef")), Failures: f.auth, Passkeys: f.pk}
		transfers := &transfer.Service{Ledger: l, Customers: f.cs, SCA: payments}
		payer, sess := f.person(t)
		payee, _ := f.person(t)
		from, err := f.cs.OpenAccount(f.ctx, payer.ID, money.ALL, ledger.TypeCurrent, "Llogaria")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.CashDeposit(f.ctx, from.ID, money.New(10_000_00, money.ALL), "Depozitë"); err != nil {
			t.Fatal(err)
		}
		to, err := f.cs.OpenAccount(f.ctx, payee.ID, money.ALL, ledger.TypeCurrent, "Llogaria")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := f.register(t, sess, "phone")
		pending := func(key string) transfer.Transfer {
			tr, _, err := transfers.Create(f.ctx, payer.ID, key, transfer.Request{Type: transfer.Internal,
				FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "5000", Currency: "ALL", Description: "Qira"})
			if err != nil || tr.Status != transfer.PendingConfirmation || tr.Challenge == nil {
				t.Fatalf("transfer %+v, %v: want one waiting for confirmation", tr, err)
			}
			if !slices.Contains(tr.Challenge.Methods, sca.MethodPasskey) {
				t.Fatalf("methods %v without passkey", tr.Challenge.Methods)
			}
			return tr
		}
		begin := func(id string) ([]byte, string) {
			tr, err := transfers.Challenge(f.ctx, payer.ID, id, false)
			if err != nil {
				t.Fatal(err)
			}
			opts, ceremony, err := f.pk.BeginConfirmation(f.ctx, payer.ID, tr.Challenge.Digest[:])
			if err != nil {
				t.Fatal(err)
			}
			return opts, ceremony
		}
		balance := func(id string) int64 {
			acc, err := l.Get(f.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return acc.Balance
		}
		first, second := pending("a"), pending("b")

		// A's ceremony, answered by the authenticator, sent to confirm B: refused, counted, nothing moves.
		opts, ceremony := begin(first.ID)
		_, _, err = transfers.Confirm(f.ctx, payer.ID, second.ID, sca.Proof{Method: sca.MethodPasskey,
			CeremonyID: ceremony, Assertion: a.Get(t, opts)})
		wantCode(t, err, "passkey_invalid")
		if n := f.failures(t, payer.ID); n != 1 {
			t.Fatalf("failures %d, want 1", n)
		}
		if got := balance(to.ID); got != 0 {
			t.Fatalf("payee received %d after a refused assertion", got)
		}
		// The ceremony was used by that try: it confirms nothing else, not even A.
		_, _, err = transfers.Confirm(f.ctx, payer.ID, first.ID, sca.Proof{Method: sca.MethodPasskey,
			CeremonyID: ceremony, Assertion: a.Get(t, opts)})
		wantCode(t, err, "passkey_invalid")

		// B's own ceremony confirms B, once.
		opts, ceremony = begin(second.ID)
		proof := sca.Proof{Method: sca.MethodPasskey, CeremonyID: ceremony, Assertion: a.Get(t, opts)}
		got, replayed, err := transfers.Confirm(f.ctx, payer.ID, second.ID, proof)
		if err != nil || replayed || got.Status != transfer.Completed {
			t.Fatalf("confirm B: %+v %v %v", got, replayed, err)
		}
		if got := balance(to.ID); got != 5000_00 {
			t.Fatalf("payee received %d, want 500000", got)
		}
		if _, replayed, err := transfers.Confirm(f.ctx, payer.ID, second.ID, proof); err != nil || !replayed {
			t.Fatalf("repeat: replayed %v, %v", replayed, err)
		}
		if got := balance(to.ID); got != 5000_00 {
			t.Fatalf("payee received %d after a repeat, want 500000", got)
		}
		if tr, err := transfers.Get(f.ctx, payer.ID, first.ID); err != nil || tr.Status != transfer.PendingConfirmation {
			t.Fatalf("A is %+v, %v; want it still waiting", tr, err)
		}

		// A payment changed after its ceremony began (here, its amount behind the bank's back) is not what the
		// assertion signed: refused, nothing moves.
		third := pending("c")
		opts, ceremony = begin(third.ID)
		if _, err := d.Exec(f.ctx, "UPDATE pending_transfers SET amount = amount * 10 WHERE id = ?", third.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = transfers.Confirm(f.ctx, payer.ID, third.ID, sca.Proof{Method: sca.MethodPasskey,
			CeremonyID: ceremony, Assertion: a.Get(t, opts)})
		wantCode(t, err, "confirmation_mismatch")
		if got := balance(to.ID); got != 5000_00 {
			t.Fatalf("payee received %d after a changed payment, want 500000", got)
		}
	})
}
