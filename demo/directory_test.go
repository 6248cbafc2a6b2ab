package demo_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/password"
)

// TestTheDemoDirectoryHoldsAlbanianBanks: seeded with the directory, twice, the demo bank pays the Albanian banks
// of DemoBanks, the registry's example IBAN (bank code 212) at Credins Bank, some with instant payments and some
// without; a demo bank whose own code is one of them leaves that one out.
func TestTheDemoDirectoryHoldsAlbanianBanks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, tc := range []struct {
			name string
			own  customer.Bank
			want int
		}{
			{"code 999", customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, len(demo.DemoBanks)},
			{"code 202", customer.Bank{Name: "Banka Kumbara", Code: "202", Branch: "0001", BIC: "KUMBALT0XXX"}, len(demo.DemoBanks) - 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				fresh := d
				if tc.want != len(demo.DemoBanks) {
					fresh = dbtest.Open(t, d.Engine) // the demo is seeded once per database
				}
				b, err := app.New(ctx, app.Config{DB: fresh, Clock: clock.NewFake(now), Secret: bytes.Repeat([]byte{0x4b}, 32),
					Bank: tc.own, CardBIN: "400000", Hasher: password.ForTests})
				if err != nil {
					t.Fatal(err)
				}
				defer b.Close()
				deps := demo.Deps{Customers: b.Customers, Auth: b.Auth, Ledger: b.Ledger, Terms: b.Terms, Directory: b.Directory}
				for range 2 {
					if err := demo.Seed(ctx, deps); err != nil {
						t.Fatalf("Seed: %v", err)
					}
				}
				banks, err := b.Directory.List(ctx)
				if err != nil || len(banks) != tc.want {
					t.Fatalf("%d banks, %v", len(banks), err)
				}
				instant := 0
				for _, k := range banks {
					if k.Instant {
						instant++
					}
				}
				if instant == 0 || instant == len(banks) {
					t.Errorf("%d of %d banks take instant payments: want some, not all", instant, len(banks))
				}
				ib, _ := iban.Parse("AL47 2121 1009 0000 0002 3569 8741")
				if k, err := b.Directory.ForIBAN(ctx, ib); err != nil || k.BIC != "CDISALTR" {
					t.Errorf("the registry's example: %+v, %v", k, err)
				}
				own := tc.own.Code
				if _, err := b.Directory.ByCode(ctx, own); !errors.Is(err, bankdir.ErrOwnBank) {
					t.Errorf("the demo bank's own code: %v", err)
				}
			})
		}
	})
}
