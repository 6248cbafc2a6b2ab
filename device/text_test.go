package device_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
)

// A device's name, and the location it reports, follow the bank's one rule for free text (package text): kept
// NFKC-normalised, a name with a character that hides or breaks text refused, a location recorded without them.
func TestADevicesNameAndLocationFollowTheRuleForFreeText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		register := func(name, location string) (device.Device, error) {
			return f.dev.Register(f.ctx, c.ID, device.NewDevice{Name: name, Type: device.Android,
				PublicKey: newPhone(t).public(), Password: pw}, device.Seen{Location: location})
		}
		for _, name := range []string{"Pixel\t8", "Pixel\n8", "Pixel\x008", "Pixel \u202e8", "Pixel\u200b8",
			"Pixel\xff", "  ", strings.Repeat("ë", 65)} {
			_, err := register(name, "")
			wantCode(t, err, "device_name_invalid")
		}
		dev, err := register(" Ｐｉｘｅｌ\u00a0８ ", "Durre\u0308s\u202e\t")
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		list, err := f.dev.List(f.ctx, c.ID)
		if err != nil || len(list) != 1 || dev.Name != "Pixel 8" || list[0].Name != "Pixel 8" {
			t.Fatalf("name %q, listed %+v (%v), want Pixel 8", dev.Name, list, err)
		}
		h, err := f.dev.History(f.ctx, c.ID, dev.ID)
		if err != nil || len(h) != 1 || h[0].Location != "Durrës" {
			t.Fatalf("history %+v (%v), want the location Durrës", h, err)
		}
		if _, err := register(strings.Repeat("ë", 64), ""); err != nil {
			t.Fatalf("a name of 64 letters: %v", err)
		}
	})
}
