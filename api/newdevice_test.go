package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

// newDeviceAlerts counts the new-device alerts the customer received.
func (b *bank) newDeviceAlerts(t *testing.T, clientNumber string) int {
	t.Helper()
	if _, err := b.dispatcher.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs, err := b.sandbox.InboxFor(context.Background(), b.customer(t, clientNumber).Mobile, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Body, "pajisje e re") {
			n++
		}
	}
	return n
}

// An app the customer logged in from before is not a new device (A18): only its first login is reported, however
// many follow, registered or not.
func TestTheAppsLoginsFromOneDeviceAreReportedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		login := func(deviceID string) {
			t.Helper()
			b.clock.Advance(7 * time.Minute) // under the 10 SMS codes an hour
			ch := b.startLogin(t, arben, demo.Password)
			wantStatus(t, b.finishLogin(t, ch, b.otp(t, arben), "X-Device-ID", deviceID, "User-Agent", "KumbaraApp/2.4 Android"),
				http.StatusOK)
		}
		for i, tc := range []struct {
			deviceID string
			want     int
		}{{"install-7f3a", 1}, {"install-7f3a", 1}, {"install-7f3a", 1}, {"install-91bc", 2}, {"install-7f3a", 2}} {
			login(tc.deviceID)
			if got := b.newDeviceAlerts(t, arben); got != tc.want {
				t.Fatalf("after login %d (%s): %d new-device alerts, want %d", i+1, tc.deviceID, got, tc.want)
			}
		}
	})
}
