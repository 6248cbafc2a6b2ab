package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
)

// TestTheDemoStaffLogInWithThePublishedPasswordAndSecrets seeds the demo bank twice (the second time changes
// nothing) and logs every demo member of staff in with the password and a code of the TOTP secret the README
// lists; each has the role the README gives them.
func TestTheDemoStaffLogInWithThePublishedPasswordAndSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		b, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: make([]byte, 32), Hasher: password.ForTests,
			Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		deps := demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms, Staff: b.Staff}
		for range 2 {
			if err := demo.Seed(ctx, deps); err != nil {
				t.Fatalf("Seed: %v", err)
			}
		}
		for _, l := range demo.Staff {
			step, err := b.Staff.Login(ctx, l.Username, demo.Password)
			if err != nil {
				t.Fatalf("Login %s: %v", l.Username, err)
			}
			code, err := staff.Code(l.TOTPSecret, clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			sess, err := b.Staff.Verify(ctx, step.Token, code)
			if err != nil {
				t.Fatalf("Verify %s: %v", l.Username, err)
			}
			if m := sess.Member; !slices.Equal(m.Roles, []staff.Role{l.Role}) || m.MustChangePassword {
				t.Errorf("demo member %+v", m)
			}
		}
		admin, _ := b.Staff.ByUsername(ctx, "admin")
		list, err := b.Staff.List(ctx, admin)
		if err != nil || len(list) != len(demo.Staff) {
			t.Errorf("%d staff after seeding twice, %v", len(list), err)
		}
	})
}
