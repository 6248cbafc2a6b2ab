package device_test

import (
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
)

func TestABiometricLoginOnABlockedOrClosedChannelIsRefusedBeforeAnySMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, state := range []string{"blocked", "closed"} {
			c := f.person(t)
			p, q := newPhone(t), newPhone(t)
			untrusted := f.register(t, c, p, true)
			trusted := f.trust(t, c, f.register(t, c, q, true))
			if state == "blocked" {
				for range auth.DefaultConfig().MaxFailures {
					_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Wrong-pass1")
				}
			} else if err := f.auth.CloseChannel(f.ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.disp.RunOnce(f.ctx); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name string
				dev  device.Device
				key  phone
			}{{"a registered device", untrusted, p}, {"a trusted device", trusted, q}} {
				ch, err := f.dev.LoginChallenge(f.ctx, c.ClientNumber, tc.dev.ID)
				if err != nil {
					t.Fatal(err)
				}
				res, err := f.dev.Login(f.ctx, ch.ID, tc.key.sign(t, ch.Challenge), device.Seen{DeviceID: tc.dev.ID})
				if err == nil {
					t.Fatalf("%s on a %s channel: %+v, want refused", tc.name, state, res)
				}
				wantCode(t, err, "channel_"+state)
			}
			if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
				t.Errorf("%s channel: %d SMS sent", state, n)
			}
		}
	})
}
