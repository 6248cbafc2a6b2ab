package api_test

import (
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
)

// Each platform has its own minimum (P2): the app names its platform in X-App-Platform beside X-App-Version.
func TestMinimumAppVersionPerPlatform(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		srv := b.newServer(t, false)
		srv.MinAppVersion = "ios=3.1.0,android=2.4.0"
		b.url = b.serve(t, srv)
		tok := b.login(t, arben)
		for _, tc := range []struct {
			name, platform, version string
			status                  int
			code                    string
		}{
			{"iOS at its minimum", "ios", "3.1.0", http.StatusOK, ""},
			{"Android past its minimum and below iOS's", "android", "2.5", http.StatusOK, ""},
			{"iOS below its minimum", "ios", "3.0.9", http.StatusUpgradeRequired, "app_update_required"},
			{"Android below its minimum", "android", "2.3.9", http.StatusUpgradeRequired, "app_update_required"},
			{"an app that does not name its platform meets the lowest", "", "2.4.0", http.StatusOK, ""},
			{"and is below it", "", "2.3", http.StatusUpgradeRequired, "app_update_required"},
			{"an unknown platform", "symbian", "9.0", http.StatusBadRequest, "app_platform_invalid"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				h := []string{"X-App-Version", tc.version}
				if tc.platform != "" {
					h = append(h, "X-App-Platform", tc.platform)
				}
				if tc.code != "" {
					b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, tc.status, tc.code, h...)
					return
				}
				wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil, h...), tc.status)
			})
		}
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(arben, demo.Password),
			http.StatusUpgradeRequired, "app_update_required", "X-App-Version", "2.0", "X-App-Platform", "android")
	})
}

// A setting the rule cannot read is refused when the server is built, never served as "no minimum".
func TestAnUnreadableMinimumAppVersionRefusesToServe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		srv := b.newServer(t, false)
		srv.MinAppVersion = "ios=3.x"
		if err := api.Register(httpx.NewMux(), srv); err == nil {
			t.Fatal("Register with an unreadable minimum app version: no error")
		}
	})
}
