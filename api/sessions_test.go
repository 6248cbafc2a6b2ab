package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/terms"
)

type sessionList struct {
	Sessions []struct {
		ID        string `json:"id"`
		Assurance string `json:"assurance"`
		Channel   string `json:"channel"`
		Label     string `json:"label"`
		Device    string `json:"device"`
		Browser   string `json:"browser"`
		Platform  string `json:"platform"`
		Mobile    bool   `json:"mobile"`
		Current   bool   `json:"current"`
	} `json:"sessions"`
}

func (b *bank) sessions(t *testing.T, token string, headers ...string) sessionList {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/sessions", token, nil, headers...)
	wantStatus(t, r, http.StatusOK)
	var l sessionList
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// loginOnDevice logs in fully (password and code) with X-Device-ID and a User-Agent.
func (b *bank) loginOnDevice(t *testing.T, clientNumber, device string) string {
	t.Helper()
	ch := b.startLogin(t, clientNumber, demo.Password)
	r := b.finishLogin(t, ch, b.otp(t, clientNumber), "X-Device-ID", device, "User-Agent", "KumbaraApp/2.3.0 (Pixel 8)")
	wantStatus(t, r, http.StatusOK)
	if r.str("assurance") != "full" {
		t.Errorf("assurance %q, want full", r.str("assurance"))
	}
	return r.str("access_token")
}

func TestSessionsListAndEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		phone := b.loginOnDevice(t, arben, "phone-1")
		second := b.login(t, arben)
		theirs := b.login(t, elira)
		l := b.sessions(t, second)
		if len(l.Sessions) != 2 || !l.Sessions[0].Current || l.Sessions[1].Current ||
			l.Sessions[1].Label != "KumbaraApp/2.3.0 (Pixel 8)" || l.Sessions[1].Channel != "api" ||
			l.Sessions[0].Assurance != "full" {
			t.Fatalf("sessions %+v", l)
		}
		eliraID := b.sessions(t, theirs).Sessions[0].ID

		b.expectProblem(t, "DELETE", "/api/v1/sessions/"+eliraID, second, nil, http.StatusNotFound, "session_not_found")
		b.expectProblem(t, "DELETE", "/api/v1/sessions/nope", second, nil, http.StatusNotFound, "session_not_found")
		b.expectProblem(t, "DELETE", "/api/v1/sessions/x", "", nil, http.StatusUnauthorized, "unauthenticated")
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", theirs, nil), http.StatusOK)

		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", phone, nil), http.StatusOK) // cached now
		wantStatus(t, b.do(t, "DELETE", "/api/v1/sessions/"+l.Sessions[1].ID, second, nil), http.StatusNoContent)
		b.expectProblem(t, "GET", "/api/v1/accounts", phone, nil, http.StatusUnauthorized, "session_expired")
		b.expectProblem(t, "DELETE", "/api/v1/sessions/"+l.Sessions[1].ID, second, nil, http.StatusNotFound, "session_not_found")
		if l := b.sessions(t, second); len(l.Sessions) != 1 {
			t.Errorf("after ending one: %+v", l)
		}
	})
}

func TestSessionsNameTheDeviceReadablyInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
		ch := b.startLogin(t, arben, demo.Password)
		wantStatus(t, b.finishLogin(t, ch, b.otp(t, arben), "User-Agent", iphone), http.StatusOK)
		ch = b.startLogin(t, arben, demo.Password)
		r := b.finishLogin(t, ch, b.otp(t, arben), "User-Agent", "  ")
		wantStatus(t, r, http.StatusOK)
		plain := r.str("access_token")
		for _, tc := range []struct {
			lang, phone, unknown string
		}{
			{"en", "Safari on iPhone", "Unknown device"},
			{"sq", "Safari në iPhone", "Pajisje e panjohur"},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				l := b.sessions(t, plain, "Accept-Language", tc.lang)
				if len(l.Sessions) != 2 {
					t.Fatalf("sessions %+v", l)
				}
				if s := l.Sessions[1]; s.Device != tc.phone || s.Browser != "Safari" || s.Platform != "iPhone" || !s.Mobile {
					t.Errorf("the phone's session %+v, want %q", s, tc.phone)
				}
				if s := l.Sessions[0]; s.Device != tc.unknown || s.Browser != "" || s.Mobile || !s.Current {
					t.Errorf("a session without a User-Agent %+v, want %q", s, tc.unknown)
				}
			})
		}
	})
}

func TestEndOtherSessionsKeepsTheOneAsking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		phone := b.loginOnDevice(t, arben, "phone-1")
		laptop := b.login(t, arben)
		here := b.login(t, arben)
		theirs := b.login(t, elira)

		b.expectProblem(t, "POST", "/api/v1/sessions/end-others", "", nil, http.StatusUnauthorized, "unauthenticated")
		r := b.do(t, "POST", "/api/v1/sessions/end-others", here, nil)
		wantStatus(t, r, http.StatusOK)
		if n, _ := r.json["ended"].(float64); n != 2 {
			t.Errorf("ended %v, want 2", r.json["ended"])
		}
		for _, tok := range []string{phone, laptop} {
			b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusUnauthorized, "session_expired")
		}
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", here, nil), http.StatusOK)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", theirs, nil), http.StatusOK)
		if l := b.sessions(t, here); len(l.Sessions) != 1 || !l.Sessions[0].Current {
			t.Errorf("after ending the others: %+v", l)
		}
		r = b.do(t, "POST", "/api/v1/sessions/end-others", here, nil)
		wantStatus(t, r, http.StatusOK)
		if n, _ := r.json["ended"].(float64); n != 0 {
			t.Errorf("again: ended %v, want 0", r.json["ended"])
		}
	})
}

func TestPartialLoginAndForgetMe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		body := loginBody(arben, demo.Password)
		partial := func(device string) reply {
			return b.do(t, "POST", "/api/v1/auth/login/partial", "", body, "X-Device-ID", device)
		}
		b.expectProblem(t, "POST", "/api/v1/auth/login/partial", "", body, http.StatusUnauthorized, "login_failed",
			"X-Device-ID", "phone-1")
		b.unblock(t, arben)
		full := b.loginOnDevice(t, arben, "phone-1")

		r := partial("phone-1")
		wantStatus(t, r, http.StatusOK)
		tok := r.str("access_token")
		if r.str("assurance") != "partial" || tok == "" {
			t.Fatalf("partial login: %s", r.body)
		}
		me := b.do(t, "GET", "/api/v1/me", tok, nil)
		if me.str("assurance") != "partial" {
			t.Errorf("me: %s", me.body)
		}
		b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusForbidden, "assurance_insufficient")
		wantStatus(t, partial("phone-2"), http.StatusUnauthorized)
		wantStatus(t, b.do(t, "POST", "/api/v1/auth/login/partial", "", body, invalidOnPurpose, "without X-Device-ID"),
			http.StatusUnauthorized)
		b.expectProblem(t, "POST", "/api/v1/auth/login/partial", "", map[string]string{"username": arben}, http.StatusBadRequest,
			"validation_failed", invalidOnPurpose, "no password")
		b.unblock(t, arben)

		b.expectProblem(t, "POST", "/api/v1/auth/forget-me", tok, nil, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "without X-Device-ID")
		wantStatus(t, b.do(t, "POST", "/api/v1/auth/forget-me", tok, nil, "X-Device-ID", "phone-1"), http.StatusNoContent)
		wantStatus(t, partial("phone-1"), http.StatusUnauthorized)
		b.unblock(t, arben)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", full, nil), http.StatusOK) // sessions stay

		b.loginOnDevice(t, arben, "phone-1")
		wantStatus(t, partial("phone-1"), http.StatusOK)
	})
}

func TestBusinessLoginOverTheAPINeedsTheNIPT(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		nipt := b.customer(t, business).NIPT
		// The six refusals below are more than addresses the business never used may make in a day (auth's
		// throttle); this one is its own once it has logged in from here.
		b.login(t, business)
		for _, tc := range []struct {
			name string
			body map[string]string
		}{
			{"no NIPT", map[string]string{"username": business, "password": demo.Password}},
			{"a wrong NIPT", map[string]string{"username": business, "password": demo.Password, "nipt": "K12345678L"}},
			// Arben represents the business and logs in to it with his own password (business_test.go); Elira does not.
			{"a NIPT for an individual who does not represent the business", map[string]string{"username": elira,
				"password": demo.Password, "nipt": nipt}},
			{"the NIPT with a wrong password", map[string]string{"username": business, "password": "Gabim2026x", "nipt": nipt}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b.expectProblem(t, "POST", "/api/v1/auth/login", "", tc.body, http.StatusUnauthorized, "login_failed")
				b.unblock(t, business)
				b.unblock(t, elira)
			})
		}
		tok := b.login(t, business) // client number + NIPT + password, then the code
		if me := b.do(t, "GET", "/api/v1/me", tok, nil); me.str("kind") != "business" {
			t.Errorf("me: %s", me.body)
		}
	})
}

func TestMinimumAppVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		srv := b.newServer(t, false)
		srv.MinAppVersion = "2.3.0"
		b.url = b.serve(t, srv)
		tok := b.login(t, arben)
		for _, tc := range []struct {
			version string
			status  int
			code    string
		}{
			{"", http.StatusOK, ""}, // not the mobile app
			{"2.3.0", http.StatusOK, ""},
			{"2.10", http.StatusOK, ""},
			{"v3.0.0-beta+7", http.StatusOK, ""},
			{"2.2.9", http.StatusUpgradeRequired, "app_update_required"},
			{"2", http.StatusUpgradeRequired, "app_update_required"},
			{"2.3.x", http.StatusBadRequest, "app_version_invalid"},
			{"9999999.0", http.StatusBadRequest, "app_version_invalid"},
		} {
			t.Run(tc.version, func(t *testing.T) {
				if tc.code != "" {
					b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, tc.status, tc.code, "X-App-Version", tc.version)
					return
				}
				wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil, "X-App-Version", tc.version), tc.status)
			})
		}
		// An old app can still read the document that tells it what changed, and health checks carry on.
		wantStatus(t, b.do(t, "GET", "/api/v1/openapi.json", "", nil, "X-App-Version", "1.0"), http.StatusOK)
		wantStatus(t, b.do(t, "GET", "/healthz", "", nil, "X-App-Version", "1.0"), http.StatusOK)
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(arben, demo.Password),
			http.StatusUpgradeRequired, "app_update_required", "X-App-Version", "1.0")
	})
}

func TestTermsMustBeAcceptedBeforeBanking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		srv := b.newServer(t, false)
		srv.Terms = &terms.Service{DB: d, Version: "2026-01"}
		tc := &terms.Service{DB: d, Version: "2026-01"}
		// A customer who has not accepted the current version: a new version for everyone would do the same.
		c := b.customer(t, dritan)
		if _, err := d.Exec(context.Background(), "DELETE FROM terms_acceptances WHERE customer_id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		b.url = b.serve(t, srv)
		tok := b.login(t, dritan)
		b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusForbidden, "terms_acceptance_required")
		wantStatus(t, b.do(t, "GET", "/api/v1/me", tok, nil), http.StatusOK)

		r := b.do(t, "GET", "/api/v1/terms", tok, nil, "Accept-Language", "en")
		wantStatus(t, r, http.StatusOK)
		if r.str("version") != "2026-01" || r.str("document") != "individual" || r.json["accepted"] != false ||
			r.str("text") == "" || r.str("url") != "/terms/individual" {
			t.Fatalf("terms: %s", r.body)
		}
		b.expectProblem(t, "POST", "/api/v1/terms/accept", tok, map[string]string{"version": "2025-01"},
			http.StatusBadRequest, "validation_failed")
		b.expectProblem(t, "POST", "/api/v1/terms/accept", tok, map[string]string{}, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "no version")
		b.expectProblem(t, "POST", "/api/v1/terms/accept", tok, map[string]any{"version": "2026-01", "x": 1},
			http.StatusBadRequest, "unknown_field", invalidOnPurpose, "an unknown field")
		wantStatus(t, b.do(t, "POST", "/api/v1/terms/accept", tok, map[string]string{"version": "2026-01"}), http.StatusNoContent)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusOK)
		if ok, _ := tc.Accepted(context.Background(), c.ID); !ok {
			t.Error("acceptance not recorded")
		}
		if r := b.do(t, "GET", "/api/v1/terms", tok, nil); r.json["accepted"] != true {
			t.Errorf("terms after accepting: %s", r.body)
		}
		biz := b.do(t, "GET", "/api/v1/terms", b.login(t, business), nil)
		if biz.str("document") != "business" {
			t.Errorf("business terms: %s", biz.body)
		}
	})
}

func TestClosedChannelOverTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, elira)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusOK)
		ctx := context.Background()
		if err := b.auth.CloseChannel(ctx, b.customer(t, elira).ID); err != nil {
			t.Fatal(err)
		}
		b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusUnauthorized, "session_expired")
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(elira, demo.Password), http.StatusForbidden, "channel_closed")
		if err := b.auth.ReactivateChannel(ctx, b.customer(t, elira).ID); err != nil {
			t.Fatal(err)
		}
		// A16: the first login after the reactivation is in the internet branch; the app is told so, clearly.
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(elira, demo.Password), http.StatusForbidden,
			"web_login_required")
		web := auth.WithClient(ctx, auth.Client{Channel: auth.ChannelWeb})
		ch, err := b.auth.Login(web, elira, demo.Password)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.auth.VerifyOTP(web, ch.ID, b.otp(t, elira)); err != nil {
			t.Fatal(err)
		}
		b.login(t, elira)
	})
}
