package auth_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestCheckPasswordCountsWrongOnesTowardsTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		if err := f.auth.CheckPassword(f.ctx, c.ID, pw1); err != nil {
			t.Fatalf("right password: %v", err)
		}
		for i := 1; i < 5; i++ {
			wantCode(t, f.auth.CheckPassword(f.ctx, c.ID, "Gabim1234x"), kumbara.KindInvalid, "password_wrong")
			if n := f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID); n != i {
				t.Fatalf("failed attempts %d, want %d", n, i)
			}
		}
		// An overlong password is wrong, not an error, and counts too.
		wantCode(t, f.auth.CheckPassword(f.ctx, c.ID, strings.Repeat("A1b", 100)), kumbara.KindForbidden, "channel_blocked")
		wantCode(t, f.auth.CheckPassword(f.ctx, c.ID, pw1), kumbara.KindForbidden, "channel_blocked")
		wantCode(t, f.auth.CheckPassword(f.ctx, "no-such-customer", pw1), kumbara.KindUnauthorized, "login_failed")
	})
}
