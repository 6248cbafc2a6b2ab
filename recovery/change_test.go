package recovery_test

import (
	"reflect"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/recovery"
)

func fieldsOf(err error) []string {
	e, _ := kumbara.As(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, fe := range e.Fields {
		out = append(out, fe.Field)
	}
	return out
}

func TestChangingThePasswordTakesTheCardsLastDigitsAndPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		other, _ := f.login(t, f.alice, oldPW)
		_, sess := f.login(t, f.alice, oldPW)
		if need, err := f.rec.NeedsCard(f.ctx, f.alice.ID); err != nil || !need {
			t.Fatalf("NeedsCard = %v, %v; want true for a customer with a card", need, err)
		}
		// Without the card the old password is not enough.
		err := f.rec.ChangePassword(f.ctx, sess, recovery.Change{OldPassword: oldPW, NewPassword: newPW})
		wantCode(t, err, "validation_failed")
		if got := fieldsOf(err); !reflect.DeepEqual(got, []string{"card_last6", "card_pin"}) {
			t.Fatalf("fields %v, want card_last6 and card_pin", got)
		}
		wrongLast6 := "000000"
		if f.visa.Last6 == wrongLast6 {
			wrongLast6 = "000001"
		}
		for _, tc := range []struct {
			name string
			c    recovery.Change
		}{
			{"wrong last six digits", recovery.Change{CardLast6: wrongLast6, CardPIN: pin, OldPassword: oldPW, NewPassword: newPW}},
			{"not six digits", recovery.Change{CardLast6: "12a456", CardPIN: pin, OldPassword: oldPW, NewPassword: newPW}},
			{"wrong PIN", recovery.Change{CardLast6: f.visa.Last6, CardPIN: "1111", OldPassword: oldPW, NewPassword: newPW}},
		} {
			wantCode(t, f.rec.ChangePassword(f.ctx, sess, tc.c), "password_card_wrong")
		}
		// The right card with a wrong old password: the card's count goes back to zero, the password is refused.
		err = f.rec.ChangePassword(f.ctx, sess, recovery.Change{CardLast6: f.visa.Last6, CardPIN: pin,
			OldPassword: "Wrong-pass1", NewPassword: newPW})
		wantCode(t, err, "password_wrong")
		if err := f.rec.ChangePassword(f.ctx, sess, recovery.Change{CardLast6: f.visa.Last6, CardPIN: pin,
			OldPassword: oldPW, NewPassword: newPW}); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, err := f.auth.Authenticate(f.ctx, other); kumbara.CodeOf(err) != "session_expired" {
			t.Fatalf("the other session after the change: %v, want session_expired", err)
		}
		f.login(t, f.alice, newPW)
	})
}

func TestWrongPINsInAPasswordChangeBlockTheCardsPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, sess := f.login(t, f.alice, oldPW)
		wrong := recovery.Change{CardLast6: f.visa.Last6, CardPIN: "1111", OldPassword: oldPW, NewPassword: newPW}
		for i := 1; i < card.MaxPINFailures; i++ {
			wantCode(t, f.rec.ChangePassword(f.ctx, sess, wrong), "password_card_wrong")
		}
		wantCode(t, f.rec.ChangePassword(f.ctx, sess, wrong), "card_pin_blocked")
		c, err := f.cards.Get(f.ctx, f.alice.ID, f.visa.ID)
		if err != nil || !c.PINBlocked {
			t.Fatalf("card after %d wrong PINs: %+v, %v; want its PIN blocked", card.MaxPINFailures, c, err)
		}
		// The old password was never tried, so the channel counted nothing.
		if blocked, _ := f.auth.Blocked(f.ctx, f.alice.ID); blocked {
			t.Fatal("channel blocked by wrong PINs")
		}
		// Blocking the PIN does not drop the card from the check: neither the right PIN nor the old password alone
		// changes the password until the branch unblocks it.
		right := recovery.Change{CardLast6: f.visa.Last6, CardPIN: pin, OldPassword: oldPW, NewPassword: newPW}
		wantCode(t, f.rec.ChangePassword(f.ctx, sess, right), "card_pin_blocked")
		wantCode(t, f.rec.ChangePassword(f.ctx, sess, recovery.Change{OldPassword: oldPW, NewPassword: newPW}),
			"validation_failed")
		if err := f.cards.UnblockPIN(f.ctx, f.visa.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.rec.ChangePassword(f.ctx, sess, right); err != nil {
			t.Fatalf("ChangePassword after the branch unblocked the PIN: %v", err)
		}
	})
}

func TestACustomerWithoutAnActiveCardChangesWithTheOldPasswordAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bob := f.person(t)
		if err := f.auth.SetPassword(f.ctx, bob.ID, oldPW, false); err != nil {
			t.Fatal(err)
		}
		_, sess := f.login(t, bob, oldPW)
		if need, err := f.rec.NeedsCard(f.ctx, bob.ID); err != nil || need {
			t.Fatalf("NeedsCard = %v, %v; want false without a card", need, err)
		}
		if err := f.rec.ChangePassword(f.ctx, sess, recovery.Change{OldPassword: oldPW, NewPassword: newPW}); err != nil {
			t.Fatalf("ChangePassword without a card: %v", err)
		}
		// Alice's card is closed by the bank: she has no card to prove with.
		if _, err := d.Exec(f.ctx, "UPDATE cards SET status = 'closed' WHERE id = ?", f.visa.ID); err != nil {
			t.Fatal(err)
		}
		_, sess = f.login(t, f.alice, oldPW)
		if err := f.rec.ChangePassword(f.ctx, sess, recovery.Change{OldPassword: oldPW, NewPassword: newPW}); err != nil {
			t.Fatalf("ChangePassword with a closed card: %v", err)
		}
		f.login(t, f.alice, newPW)
	})
}
